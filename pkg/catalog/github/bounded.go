package github

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	gh "github.com/google/go-github/v92/github"

	"github.com/catalint-dev/catalint/pkg/catalog"
)

// The answers are decoded here rather than by go-github's typed calls, so
// that what is decoded stays bounded: the transport caps a body at
// MaxResponseSize, lists are read one element at a time into small structs
// holding only the fields used, and a list longer than the page asked for
// is an error. (A 16 MiB body of "[{},{},…]" would otherwise become five
// million go-github structs, gigabytes.)

// maxTreeEntries is GitHub's own limit of a recursive tree; a longer one
// is cut there, as GitHub truncates.
const maxTreeEntries = 100_000

// do sends req and, on success, hands the open body to decode (nil: the
// body is discarded). Errors are go-github's or decode's.
func (s *Source) do(req *http.Request, decode func(io.Reader) error) (*gh.Response, error) {
	resp, err := s.client.BareDo(req)
	if err != nil {
		return resp, err
	}
	defer resp.Body.Close()
	if decode != nil {
		if err := decode(resp.Body); err != nil {
			return resp, err
		}
	}
	return resp, nil
}

// decodeList reads a JSON list one element at a time, calling fn for each;
// more than max elements is an error.
func decodeList[T any](r io.Reader, max int, fn func(T)) error {
	dec := json.NewDecoder(r)
	n := 0
	return shaped(catalog.StreamArray(dec, func() error {
		if n == max {
			return &netError{msg: fmt.Sprintf("the page holds more than the %d items asked for", max), kind: ErrBadResponse}
		}
		n++
		var v T
		if err := dec.Decode(&v); err != nil {
			return err
		}
		fn(v)
		return nil
	}))
}

// shaped words JSON of the wrong shape as a malformed response.
func shaped(err error) error {
	var se *catalog.ShapeError
	if errors.As(err, &se) {
		return &netError{msg: "malformed response: " + se.Error(), kind: ErrBadResponse}
	}
	return err
}

// treeEntry is the part of a git tree entry that is used.
type treeEntry struct {
	Path string `json:"path"`
	Type string `json:"type"`
}

// decodeTree reads a git tree answer ({"sha", "tree": […], "truncated"})
// streaming its entries to fn, at most maxTreeEntries of them.
func decodeTree(r io.Reader, fn func(treeEntry)) error {
	dec := json.NewDecoder(r)
	return shaped(catalog.StreamObject(dec, func(key string) error {
		if key != "tree" {
			return catalog.Skip(dec)
		}
		n := 0
		return catalog.StreamArray(dec, func() error {
			var e treeEntry
			if err := dec.Decode(&e); err != nil {
				return err
			}
			if n < maxTreeEntries {
				fn(e)
			}
			n++
			return nil
		})
	}))
}

// isJSONList says whether a body is a JSON list (a folder's contents).
func isJSONList(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && b[0] == '['
}
