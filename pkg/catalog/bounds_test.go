package catalog

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func gzipped(t *testing.T, parts ...func(w io.Writer)) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	for _, p := range parts {
		p(zw)
	}
	zw.Close()
	return b.Bytes()
}

func repeat(s string, n int) func(io.Writer) {
	return func(w io.Writer) {
		chunk := []byte(strings.Repeat(s, 1<<16/len(s)))
		for written := 0; written < n; written += len(chunk) {
			w.Write(chunk)
		}
	}
}

func text(s string) func(io.Writer) { return func(w io.Writer) { io.WriteString(w, s) } }

// Decompression bombs stop at the limits with a message naming them, after
// decoding no more than the limits allow.
func TestSnapshotBombs(t *testing.T) {
	for _, c := range []struct {
		name string
		gz   []byte
		want string
	}{
		{"spaces", gzipped(t, repeat(" ", MaxSnapshotSize+1<<20), text("{}")),
			"the decompressed snapshot is larger than 256 MiB: refused (a decompression bomb"},
		{"one huge string", gzipped(t, text(`{"version":1,"entities":[{"kind":"A","name":"b","entity":{"x":"`), repeat("A", MaxSnapshotEntitySize+1<<20), text(`"}}]}`)),
			"an entity of the decompressed snapshot is larger than 16 MiB: refused"},
		{"many values", gzipped(t, text(`{"version":1,"entities":[{"kind":"C","name":"x","entity":{"a":[`), repeat(`[],`, 13<<20), text(`0]}}]}`)),
			"the decompressed snapshot holds more than 8388608 JSON values: refused"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadSnapshot(bytes.NewReader(c.gz))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			var le *LimitError
			if errors.As(err, &le) {
				t.Errorf("the error wraps the limit: %T", err)
			}
		})
	}
}

func TestSnapshotTruncatedAndWrong(t *testing.T) {
	for body, want := range map[string]string{
		`{"version":1,"entities":[{"kind":"A","na`: "not a catalint snapshot: it ends early (truncated?)",
		`{"version":1,"entities":{}}`:              `not a catalint snapshot: want "[", found {`,
		`{"entities":[]}`:                          "snapshot version 0 is not supported",
		`{"version":2,"entities":[{}]}`:            "snapshot version 2 is not supported",
		`{"version":1,"entities":[{"kind":"A"}]}`:  "snapshot entity 1 has no kind or name",
		``: "not a catalint snapshot: it ends early (truncated?)",
	} {
		_, err := ReadSnapshot(strings.NewReader(body))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", body, err, want)
		}
	}
	s, err := ReadSnapshot(strings.NewReader("  {\"sources\":[\"x\"],\"extra\":{\"a\":[1]},\n \"entities\":[{\"kind\":\"A\",\"name\":\"b\"}], \"version\":1}"))
	if err != nil || len(s.Entities) != 1 || s.Entities[0].Namespace != "default" || s.Sources[0] != "x" {
		t.Errorf("%+v, %v", s, err)
	}
}

func TestJSONBudgetSqueezesWhitespaceOutsideStrings(t *testing.T) {
	b := &JSONBudget{R: strings.NewReader("{ \n\t \"a  b\\\" c\" :  [1,\n\n 2] }")}
	out, err := io.ReadAll(b)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(out), "{ \"a  b\\\" c\" : [1, 2] }"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if b.Values != 4 { // { : [ ,
		t.Errorf("values = %d", b.Values)
	}
}

// Credentials in a snapshot URL never reach a name or an error.
func TestSnapshotURLCredentialsRedacted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/hang":
			<-r.Context().Done()
		case "/bad":
			w.Write([]byte("<html>login</html>"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	for _, c := range []struct{ path, want string }{
		{"/hang", "no answer within 200ms (--timeout)"},
		{"/bad", "not a catalint snapshot"},
		{"/missing", "HTTP 404"},
	} {
		raw := "http://alice:pw-s3cret@" + host + c.path + "?token=tok-s3cret&x=1"
		s := &SnapshotSource{Path: raw, Timeout: 200 * time.Millisecond}
		if got, want := s.Name(), "snapshot:http://REDACTED@"+host+c.path+"?token=REDACTED&x=REDACTED"; got != want {
			t.Errorf("Name() = %q, want %q", got, want)
		}
		_, err := s.Load(context.Background())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.path, err, c.want)
		}
		if err != nil && (strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "alice")) {
			t.Errorf("%s: credentials in %q", c.path, err)
		}
	}
	// A URL that does not parse keeps no credentials either.
	if got := RedactURL("https://u:p%zz@h/x?t=secret"); strings.Contains(got, "secret") || strings.Contains(got, "u:p") {
		t.Errorf("RedactURL = %q", got)
	}
	if got := RedactURL("./local/file.json"); got != "./local/file.json" {
		t.Errorf("RedactURL(path) = %q", got)
	}
}
