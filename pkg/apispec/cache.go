package apispec

import (
	"context"
	"crypto/sha256"
	"os"
	"slices"
	"sync"
)

// Cache memoises Check: a definition file that several entities reference
// (or the same entity seen twice) is parsed once. Entries are keyed by
// type, file, line offset, root and a hash of the text. It is safe for
// concurrent use; concurrent calls for the same key wait for one check.
type Cache struct {
	mu sync.Mutex
	m  map[cacheKey]*cacheEntry
	// wd is the working folder when the cache was made: relative files
	// are keyed as given, so they mean what they meant then.
	wd string
}

type cacheKey struct {
	typ, file, root string
	off             int
	sum             [sha256.Size]byte
}

type cacheEntry struct {
	once sync.Once
	res  Result
	cut  bool // the context ended during the check
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	wd, _ := os.Getwd()
	return &Cache{m: map[cacheKey]*cacheEntry{}, wd: wd}
}

// Check is Check, memoised. The result's Problems are the caller's own copy.
func (c *Cache) Check(ctx context.Context, typ, text, file string, lineOffset int, root string) Result {
	k := cacheKey{typ: typ, file: file, root: root, off: max(lineOffset, 1), sum: sha256.Sum256([]byte(text))}
	c.mu.Lock()
	e := c.m[k]
	if e == nil {
		e = &cacheEntry{}
		c.m[k] = e
	}
	c.mu.Unlock()
	e.once.Do(func() {
		e.res = check(ctx, typ, text, file, lineOffset, root, c.wd)
		e.cut = ctx.Err() != nil
	})
	res := e.res
	res.Problems = slices.Clone(res.Problems)
	if e.cut {
		// A check cut short by a cancelled context is not kept.
		c.mu.Lock()
		if c.m[k] == e {
			delete(c.m, k)
		}
		c.mu.Unlock()
	}
	return res
}

// Len returns the number of definitions checked.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
