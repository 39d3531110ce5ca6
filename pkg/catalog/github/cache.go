package github

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// maxCachedBody is the largest response body kept in the cache.
const maxCachedBody = 16 << 20

// diskCache keeps GET responses that carry an ETag (or Last-Modified) in a
// folder, one file per request, so that a later run can revalidate them
// with a conditional request and reuse the body on 304 Not Modified. The
// key is the method, URL, Accept and API version: never the token, which
// is not stored. A body is only served after GitHub confirmed it with a
// 304 for the current credentials, so a cache filled with one token cannot
// serve another token anything it may not read. Files are created 0600 in
// a 0700 folder as they may hold private repositories' content.
//
// It also keeps "negative" markers: a catalog file that was absent (404)
// at a repository's pushed_at. They let a later run skip the request while
// the repository has not been pushed to (see Source.Load).
type diskCache struct {
	dir  string
	dirs sync.Map // folders known to exist
}

type cacheEntry struct {
	URL          string      `json:"url"`
	ETag         string      `json:"etag"`
	LastModified string      `json:"lastModified,omitempty"`
	Header       http.Header `json:"header"`
	Body         []byte      `json:"body"`
	// Sum is the body's SHA-256: an entry whose body does not match it
	// (a damaged or edited file) is dropped, never replayed.
	Sum string `json:"sha256"`
}

func bodySum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func newDiskCache(dir string) (*diskCache, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return &diskCache{dir: dir}, nil
}

func cacheKey(req *http.Request) string {
	h := sha256.New()
	for _, s := range []string{req.Method, req.URL.String(), req.Header.Get("Accept"), req.Header.Get("X-GitHub-Api-Version")} {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (c *diskCache) path(kind, key string) string {
	return filepath.Join(c.dir, kind, key[:2], key+".json")
}

func (c *diskCache) get(key string) *cacheEntry {
	f, err := os.Open(c.path("http", key))
	if err != nil {
		return nil
	}
	// An entry holds at most maxCachedBody, base64-encoded, and headers.
	b, err := io.ReadAll(io.LimitReader(f, maxCachedBody/3*4+1<<20))
	f.Close()
	if err != nil {
		return nil
	}
	var e cacheEntry
	if json.Unmarshal(b, &e) != nil || (e.ETag == "" && e.LastModified == "") ||
		e.Sum != bodySum(e.Body) || !validBody(e.Header, e.Body) {
		// A broken entry would be confirmed by the server's 304 on every
		// run: drop it, so that this request fetches the body again.
		c.remove(key)
		return nil
	}
	return &e
}

// cachedHeaders are the response headers replayed from the cache; the
// rest (rate-limit headers in particular) come from the 304 response.
var cachedHeaders = []string{"Content-Type", "Link", "ETag", "Last-Modified"}

func (c *diskCache) put(key, url string, resp *http.Response, body []byte) {
	etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if (etag == "" && lm == "") || len(body) > maxCachedBody {
		c.remove(key)
		return
	}
	e := cacheEntry{URL: url, ETag: etag, LastModified: lm, Header: http.Header{}, Body: body, Sum: bodySum(body)}
	for _, h := range cachedHeaders {
		if v := resp.Header.Values(h); len(v) > 0 {
			e.Header[h] = v
		}
	}
	b, err := json.Marshal(&e)
	if err != nil {
		return
	}
	c.write(c.path("http", key), b)
}

func (c *diskCache) remove(key string) {
	os.Remove(c.path("http", key))
}

// write replaces a file atomically, so that concurrent runs never read a
// half-written entry. Failures only lose the cache entry.
func (c *diskCache) write(path string, b []byte) {
	dir := filepath.Dir(path)
	if _, ok := c.dirs.Load(dir); !ok {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return
		}
		c.dirs.Store(dir, true)
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if werr != nil || cerr != nil || os.Rename(f.Name(), path) != nil {
		os.Remove(f.Name())
	}
}

// response rebuilds the 200 response a 304 confirmed: the cached body and
// content headers, with the fresh response's other headers.
func (e *cacheEntry) response(req *http.Request, fresh http.Header) *http.Response {
	h := fresh.Clone()
	for _, k := range cachedHeaders {
		h.Del(k)
		if v := e.Header.Values(k); len(v) > 0 {
			h[k] = v
		}
	}
	h.Set("X-Catalint-Cache", "revalidated")
	h.Set("Content-Length", strconv.Itoa(len(e.Body)))
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(bytes.NewReader(e.Body)),
		ContentLength: int64(len(e.Body)), Request: req,
	}
}

// negKey identifies "path was absent from repo at branch when the repo was
// last pushed at pushedAt, for these credentials". The credentials enter
// as a one-way fingerprint, so that a token that can read more is not
// served another token's 404s; the token itself is never stored.
func negKey(apiURL, fullName, branch, pushedAt, path, tokenFP string) string {
	h := sha256.New()
	for _, s := range []string{apiURL, strings.ToLower(fullName), branch, pushedAt, path, tokenFP} {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (c *diskCache) hasNeg(key string) bool {
	_, err := os.Stat(c.path("absent", key))
	return err == nil
}

func (c *diskCache) putNeg(key string) {
	c.write(c.path("absent", key), []byte("{}"))
}

func tokenFingerprint(token string) string {
	if token == "" {
		return "anonymous"
	}
	sum := sha256.Sum256([]byte("catalint-github-cache\x00" + token))
	return hex.EncodeToString(sum[:8])
}
