package catalog

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
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

// MaxSnapshotSize bounds what a snapshot read may decompress to.
const MaxSnapshotSize = 1 << 30

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
func ReadSnapshot(r io.Reader) (*Snapshot, error) {
	br := bufio.NewReader(r)
	var src io.Reader = br
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer gz.Close()
		src = gz
	}
	dec := json.NewDecoder(io.LimitReader(src, MaxSnapshotSize))
	var s Snapshot
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("not a catalint snapshot: %w", err)
	}
	if s.Version != SnapshotVersion {
		return nil, fmt.Errorf("snapshot version %d is not supported (this catalint reads version %d)", s.Version, SnapshotVersion)
	}
	for i := range s.Entities {
		e := &s.Entities[i]
		if e.Kind == "" || e.Name == "" {
			return nil, fmt.Errorf("snapshot entity %d has no kind or name", i+1)
		}
		if e.Namespace == "" {
			e.Namespace = "default"
		}
	}
	return &s, nil
}

// SnapshotSource reads a snapshot file or an https:// URL.
type SnapshotSource struct {
	Path   string
	Client *http.Client
}

// Name identifies the source.
func (s *SnapshotSource) Name() string { return "snapshot:" + s.Path }

// Load reads the snapshot.
func (s *SnapshotSource) Load(ctx context.Context) ([]Entity, error) {
	var r io.Reader
	if strings.HasPrefix(s.Path, "https://") || strings.HasPrefix(s.Path, "http://") {
		c := s.Client
		if c == nil {
			c = &http.Client{Timeout: 2 * time.Minute}
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.Path, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Name(), err)
		}
		resp, err := c.Do(req)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Name(), err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s: HTTP %d", s.Name(), resp.StatusCode)
		}
		r = resp.Body
	} else {
		f, err := os.Open(s.Path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Name(), err)
		}
		defer f.Close()
		r = f
	}
	snap, err := ReadSnapshot(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Name(), err)
	}
	for i := range snap.Entities {
		if snap.Entities[i].Source == "" {
			snap.Entities[i].Source = s.Name()
		}
	}
	return snap.Entities, nil
}
