package catalog

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/catalint-dev/catalint/pkg/load"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/catalint-dev/catalint/pkg/atomicfile"
)

// SnapshotVersion is the version of the snapshot file format.
const SnapshotVersion = 1

// Snapshot is the file `catalint aggregate` writes: every entity of the
// aggregated catalog, so that CI can reuse one organisation scan across
// many pull requests.
type Snapshot struct {
	Version     int       `json:"version"`
	GeneratedAt time.Time `json:"generatedAt"`
	// Sources name what was aggregated, e.g. ["github:acme"].
	Sources  []string `json:"sources"`
	Entities []Entity `json:"entities"`
}

// Bounds of a snapshot read. A snapshot of 20,000 entities is about
// 100 MB of JSON and 1.5 million values; a gzip file that decompresses
// past the limits is refused as a decompression bomb, whatever its size.
// Together they keep a read under about 500 MB of memory.
const (
	// MaxSnapshotSize bounds the JSON a snapshot read decodes (after
	// decompression).
	MaxSnapshotSize = 256 << 20
	// MaxSnapshotValues bounds the JSON values it decodes.
	MaxSnapshotValues = 8 << 20
	// MaxSnapshotEntitySize bounds one entity's JSON (a catalog file is
	// at most 5 MiB).
	MaxSnapshotEntitySize = 16 << 20
)

// DefaultSnapshotTimeout bounds the download of a snapshot URL when
// SnapshotSource.Timeout is 0: the answer must begin within it, and the
// whole body arrive within four times it.
const DefaultSnapshotTimeout = 30 * time.Second

// WriteSnapshot writes entities to a file, gzip-compressed when the name
// ends in .gz. The file is replaced whole: a run killed while writing
// leaves the previous snapshot as it was.
func WriteSnapshot(path string, sources []string, entities []Entity, now time.Time) error {
	return atomicfile.Write(path, 0o644, func(w io.Writer) error {
		return EncodeSnapshot(w, strings.HasSuffix(path, ".gz"), sources, entities, now)
	})
}

// EncodeSnapshot writes a snapshot, gzip-compressed when asked. Entities
// are sorted by reference, then location.
func EncodeSnapshot(w io.Writer, gz bool, sources []string, entities []Entity, now time.Time) error {
	es := append([]Entity(nil), entities...)
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i].Ref().String(), es[j].Ref().String()
		if a != b {
			return a < b
		}
		return es[i].Location < es[j].Location
	})
	snap := Snapshot{Version: SnapshotVersion, GeneratedAt: now.UTC().Truncate(time.Second), Sources: sources, Entities: es}
	if snap.Sources == nil {
		snap.Sources = []string{}
	}
	if snap.Entities == nil {
		snap.Entities = []Entity{}
	}
	var zw *gzip.Writer
	if gz {
		zw = gzip.NewWriter(w)
		w = zw
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	err := enc.Encode(snap)
	if err == nil {
		err = bw.Flush()
	}
	if zw != nil && err == nil {
		err = zw.Close()
	}
	return err
}

// ReadSnapshot decodes a snapshot; gzip is recognised by its magic bytes.
// It streams: entities are decoded one at a time, within MaxSnapshotSize
// bytes and MaxSnapshotValues values of JSON.
func ReadSnapshot(r io.Reader) (*Snapshot, error) {
	br := bufio.NewReader(r)
	var src io.Reader = br
	gzipped := false
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer gz.Close()
		src, gzipped = gz, true
	}
	budget := &JSONBudget{R: src, MaxBytes: MaxSnapshotSize, MaxValues: MaxSnapshotValues, MaxPart: MaxSnapshotEntitySize,
		What: "the snapshot", Part: "an entity"}
	if gzipped {
		budget.What = "the decompressed snapshot"
	}
	s, err := decodeSnapshot(json.NewDecoder(budget), budget.Mark)
	if err != nil {
		var le *LimitError
		if errors.As(err, &le) {
			if gzipped {
				return nil, fmt.Errorf("%v: refused (a decompression bomb, or a catalog too large to check at once)", le)
			}
			return nil, fmt.Errorf("%v: refused (a catalog too large to check at once)", le)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, errors.New("not a catalint snapshot: it ends early (truncated?)")
		}
		return nil, fmt.Errorf("not a catalint snapshot: %w", err)
	}
	return s, nil
}

// decodeSnapshot reads the snapshot object key by key, and its entities
// one by one, so that nothing larger than one entity is buffered.
func decodeSnapshot(dec *json.Decoder, mark func()) (*Snapshot, error) {
	var s Snapshot
	seenVersion := false
	err := StreamObject(dec, func(key string) error {
		switch key {
		case "version":
			if err := dec.Decode(&s.Version); err != nil {
				return err
			}
			if s.Version != SnapshotVersion {
				return fmt.Errorf("snapshot version %d is not supported (this catalint reads version %d)", s.Version, SnapshotVersion)
			}
			seenVersion = true
			return nil
		case "generatedAt":
			return dec.Decode(&s.GeneratedAt)
		case "sources":
			return dec.Decode(&s.Sources)
		case "entities":
			return StreamArray(dec, func() error {
				mark()
				var e Entity
				if err := dec.Decode(&e); err != nil {
					return err
				}
				if e.Kind == "" || e.Name == "" {
					return fmt.Errorf("snapshot entity %d has no kind or name", len(s.Entities)+1)
				}
				if e.Namespace == "" {
					e.Namespace = "default"
				}
				s.Entities = append(s.Entities, e)
				return nil
			})
		}
		return Skip(dec)
	})
	if err != nil {
		return nil, err
	}
	if !seenVersion {
		return nil, fmt.Errorf("snapshot version %d is not supported (this catalint reads version %d)", s.Version, SnapshotVersion)
	}
	return &s, nil
}

// SnapshotSource reads a snapshot file or an http(s):// URL.
type SnapshotSource struct {
	// Path is a file or a URL. A URL's credentials (user:password@, query
	// values such as ?token=) are never shown: Name and errors redact them.
	Path   string
	Client *http.Client
	// Timeout bounds a URL's download: the answer must begin within it
	// and end within four times it (default DefaultSnapshotTimeout).
	Timeout time.Duration
}

// Name identifies the source, with a URL's credentials redacted.
func (s *SnapshotSource) Name() string { return "snapshot:" + RedactURL(s.Path) }

func (s *SnapshotSource) isURL() bool {
	return strings.HasPrefix(s.Path, "https://") || strings.HasPrefix(s.Path, "http://")
}

// Load reads the snapshot.
func (s *SnapshotSource) Load(ctx context.Context) ([]Entity, error) {
	var r io.Reader
	if s.isURL() {
		timeout := s.Timeout
		if timeout <= 0 {
			timeout = DefaultSnapshotTimeout
		}
		c := s.Client
		if c == nil {
			tr := http.DefaultTransport.(*http.Transport).Clone()
			tr.ResponseHeaderTimeout = timeout
			c = &http.Client{Transport: tr}
		}
		ctx, cancel := context.WithTimeout(ctx, 4*timeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.Path, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: not a valid URL", s.Name())
		}
		resp, err := c.Do(req)
		if err != nil {
			return nil, fmt.Errorf("%s: %s", s.Name(), s.netError(ctx, err, timeout))
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s: HTTP %d", s.Name(), resp.StatusCode)
		}
		snap, err := ReadSnapshot(resp.Body)
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("%s: the download did not end within %s (--timeout × 4)", s.Name(), 4*timeout)
			}
			return nil, fmt.Errorf("%s: %s", s.Name(), RedactURLsIn(err.Error(), s.Path))
		}
		return s.entities(snap), nil
	}
	f, err := load.OpenRegular(s.Path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Name(), err)
	}
	defer f.Close()
	r = f
	snap, err := ReadSnapshot(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Name(), err)
	}
	return s.entities(snap), nil
}

func (s *SnapshotSource) entities(snap *Snapshot) []Entity {
	for i := range snap.Entities {
		if snap.Entities[i].Source == "" {
			snap.Entities[i].Source = s.Name()
		}
	}
	return snap.Entities
}

// netError words a failed download without its URL (which may hold
// credentials).
func (s *SnapshotSource) netError(ctx context.Context, err error, timeout time.Duration) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return fmt.Sprintf("no answer within %s (--timeout)", timeout)
	}
	return RedactURLsIn(err.Error(), s.Path)
}

// RedactURL hides the credentials of a URL: its user information and the
// values of its query (?token=…, a signed URL's signature). Anything else
// is returned as it is.
func RedactURL(raw string) string {
	if !strings.Contains(raw, "://") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		// Unparsable: keep the scheme and host part only when it is clear.
		scheme, rest, _ := strings.Cut(raw, "://")
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			rest = "REDACTED@" + rest[at+1:]
		}
		if q := strings.IndexAny(rest, "?#"); q >= 0 {
			rest = rest[:q] + "?REDACTED"
		}
		return scheme + "://" + rest
	}
	if u.User != nil {
		u.User = url.User("REDACTED")
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			q[k] = []string{"REDACTED"}
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// RedactURLsIn replaces raw, and its credentials wherever they appear on
// their own, in a text.
func RedactURLsIn(text, raw string) string {
	u, err := url.Parse(raw)
	if err != nil || !strings.Contains(raw, "://") {
		return text
	}
	text = strings.ReplaceAll(text, raw, RedactURL(raw))
	var secrets []string
	if u.User != nil {
		secrets = append(secrets, u.User.String(), u.User.Username())
		if p, ok := u.User.Password(); ok {
			secrets = append(secrets, p)
		}
	}
	for _, vs := range u.Query() {
		secrets = append(secrets, vs...)
	}
	for _, sec := range secrets {
		if len(sec) >= 4 {
			text = strings.ReplaceAll(text, sec, "REDACTED")
		}
	}
	return text
}
