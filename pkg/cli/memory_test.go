package cli

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMemoryLimitFromEnv(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == MemoryEnv {
				return v
			}
			return ""
		}
	}
	if got := MemoryLimit(env("512")); got != 512<<20 {
		t.Errorf("512 MiB: %d", got)
	}
	if got := MemoryLimit(env("0")); got != 0 {
		t.Errorf("0: %d", got)
	}
	if got := MemoryLimit(env("lots")); got != 0 {
		t.Errorf("not a number: %d", got)
	}
}

// Past the limit, the watch says so and ends the run with exit 3.
func TestWatchMemoryStopsTheRun(t *testing.T) {
	var mu sync.Mutex
	var out bytes.Buffer
	codes := make(chan int, 1)
	stop := WatchMemory(1<<20, writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return out.Write(p)
	}), func(code int) { codes <- code })
	defer stop()
	select {
	case code := <-codes:
		mu.Lock()
		defer mu.Unlock()
		if code != ExitFatal || !strings.Contains(out.String(), "memory use passed 1 MiB") {
			t.Errorf("exit %d: %q", code, out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the watch never stopped a run over 1 MiB")
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
