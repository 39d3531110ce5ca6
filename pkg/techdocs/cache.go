package techdocs

import (
	"slices"
	"sync"
)

// Cache memoises CheckRefAt over one run: the entities of one catalog file
// usually share a techdocs-ref (dir:. beside the file), and each check
// walks the folder, mkdocs.yml and its docs_dir. Keys are the reference,
// the catalog file and the root as given, so pass absolute paths. It is
// safe for concurrent use; concurrent calls for one key wait for one
// check. A nil *Cache checks every time.
type Cache struct {
	mu sync.Mutex
	m  map[refKey]*refEntry
}

type refKey struct{ ref, catalog, root, dir string }

type refEntry struct {
	once sync.Once
	out  []Problem
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{m: map[refKey]*refEntry{}} }

// CheckRefAt is CheckRefAt, memoised; the result is the caller's own copy.
func (c *Cache) CheckRefAt(ref, catalogFile, root, dir string) []Problem {
	if c == nil {
		return CheckRefAt(ref, catalogFile, root, dir)
	}
	k := refKey{ref, catalogFile, root, dir}
	c.mu.Lock()
	e := c.m[k]
	if e == nil {
		e = &refEntry{}
		c.m[k] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.out = CheckRefAt(ref, catalogFile, root, dir) })
	return slices.Clone(e.out)
}
