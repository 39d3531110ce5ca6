package cli

import (
	"bytes"
	"runtime"
	"runtime/debug"
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

// PaceHeap lowers the soft memory limit to its floor while the live heap
// is small, raises it to 1.75 times the live heap as that grows, never above
// the limit before, and puts that back when stopped.
func TestPaceHeap(t *testing.T) {
	before := debug.SetMemoryLimit(8 << 30)
	defer debug.SetMemoryLimit(before)
	stop := PaceHeap(64 << 20)
	if got := debug.SetMemoryLimit(-1); got != 64<<20 {
		t.Errorf("limit %d, want the floor %d", got, 64<<20)
	}
	// Keep 100 MB alive: the limit follows 1.75 times that.
	keep := make([][]byte, 100)
	for i := range keep {
		keep[i] = make([]byte, 1<<20)
	}
	runtime.GC()
	deadline := time.Now().Add(30 * time.Second)
	for debug.SetMemoryLimit(-1) < 175<<20 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := debug.SetMemoryLimit(-1); got < 175<<20 || got > 8<<30 {
		t.Errorf("limit %d with 100 MB alive, want at least %d", got, 175<<20)
	}
	runtime.KeepAlive(keep)
	stop()
	if got := debug.SetMemoryLimit(-1); got != 8<<30 {
		t.Errorf("after stop: limit %d, want %d back", got, 8<<30)
	}
	// A floor above the limit before changes nothing.
	stop = PaceHeap(16 << 30)
	if got := debug.SetMemoryLimit(-1); got != 8<<30 {
		t.Errorf("floor above the ceiling: limit %d", got)
	}
	stop()
}
