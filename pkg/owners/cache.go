package owners

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// DefaultTTL is how long a cached directory is used without asking the
// provider again.
const DefaultTTL = time.Hour

// ErrNoCache is returned offline when nothing is cached for a provider.
var ErrNoCache = errors.New("offline and nothing cached")

// Cached keeps a provider's directory on disk, so that pre-commit runs are
// instant and --offline works.
type Cached struct {
	Provider Provider
	// Dir is the cache folder; DefaultCacheDir() when empty.
	Dir string
	// TTL is how long an entry is fresh; DefaultTTL when zero.
	TTL time.Duration
	// Offline uses the cache whatever its age and never asks the provider.
	Offline bool
	Now     func() time.Time
	// Hit reports, after Load, whether the cache answered.
	Hit bool
	// Age is the age of the cached entry used, after Load.
	Age time.Duration
}

type cacheEntry struct {
	Provider  string     `json:"provider"`
	FetchedAt time.Time  `json:"fetchedAt"`
	Directory *Directory `json:"directory"`
}

// DefaultCacheDir is $XDG_CACHE_HOME/catalint (or the OS equivalent).
func DefaultCacheDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "catalint")
	}
	return filepath.Join(os.TempDir(), "catalint-cache")
}

// Name is the provider's name.
func (c *Cached) Name() string { return c.Provider.Name() }

// key identifies the provider's answers: its CacheKey when it has one (a
// name plus every option that changes the answer), else its name.
func (c *Cached) key() string {
	if k, ok := c.Provider.(interface{ CacheKey() string }); ok {
		return k.CacheKey()
	}
	return c.Provider.Name()
}

func (c *Cached) path() string {
	dir := c.Dir
	if dir == "" {
		dir = DefaultCacheDir()
	}
	sum := sha256.Sum256([]byte(c.key()))
	return filepath.Join(dir, "owners-"+hex.EncodeToString(sum[:8])+".json")
}

// Load answers from the cache when it is fresh (or offline), and otherwise
// asks the provider and stores the answer.
func (c *Cached) Load(ctx context.Context) (*Directory, error) {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	ttl := c.TTL
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	c.Hit = false
	if e, err := c.read(); err == nil {
		c.Age = now().Sub(e.FetchedAt)
		if c.Offline || c.Age < ttl {
			c.Hit = true
			return e.Directory, nil
		}
	}
	if c.Offline {
		return nil, fmt.Errorf("%s: %w", c.Name(), ErrNoCache)
	}
	d, err := c.Provider.Load(ctx)
	if err != nil {
		return nil, err
	}
	_ = c.write(cacheEntry{Provider: c.key(), FetchedAt: now().UTC(), Directory: d})
	return d, nil
}

func (c *Cached) read() (*cacheEntry, error) {
	b, err := os.ReadFile(c.path())
	if err != nil {
		return nil, err
	}
	var e cacheEntry
	if err := json.Unmarshal(b, &e); err != nil || e.Directory == nil || e.Provider != c.key() {
		return nil, fmt.Errorf("bad cache entry")
	}
	if e.Directory.Groups == nil {
		e.Directory.Groups = map[string]Group{}
	}
	if e.Directory.Users == nil {
		e.Directory.Users = map[string]User{}
	}
	return &e, nil
}

// write stores an entry atomically; a cache that cannot be written only
// costs speed.
func (c *Cached) write(e cacheEntry) error {
	p := c.path()
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".owners-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	tmp.Close()
	return os.Rename(tmp.Name(), p)
}
