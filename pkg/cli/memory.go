package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"
)

// MemoryEnv names the environment variable that sets the memory ceiling,
// in MiB ("0" turns the watch off).
const MemoryEnv = "CATALINT_MAX_MEMORY_MIB"

// MemoryLimit is the ceiling of a run in bytes: MemoryEnv when set, else
// three quarters of the memory the process may use (its cgroup's limit,
// or the machine's memory); 0 when neither is known.
func MemoryLimit(getenv func(string) string) uint64 {
	if v := getenv(MemoryEnv); v != "" {
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return 0
		}
		return n << 20
	}
	avail := systemMemory()
	return avail / 4 * 3
}

// systemMemory is the cgroup's memory limit (v2, then v1) or MemTotal of
// /proc/meminfo, in bytes; 0 when none can be read.
func systemMemory() uint64 {
	for _, p := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if b, err := os.ReadFile(p); err == nil {
			if n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil && n < 1<<50 {
				return n
			}
		}
	}
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// WatchMemory keeps a run under limit bytes of memory: the garbage
// collector is told to stay below it (debug.SetMemoryLimit), and when the
// memory the Go runtime holds passes it all the same, a clear message goes
// to w and exit is called with ExitFatal. So an input too large for the
// machine ends the run with exit 3 and a sentence, not with the kernel's
// OOM kill or the runtime's "fatal error: out of memory" and a goroutine
// dump (exit 2). stop ends the watch and puts the garbage collector's limit
// back. limit 0 watches nothing.
func WatchMemory(limit uint64, w io.Writer, exit func(int)) (stop func()) {
	if limit == 0 {
		return func() {}
	}
	prev := debug.SetMemoryLimit(int64(limit / 10 * 9))
	done := make(chan struct{})
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	go func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			metrics.Read(samples)
			held := samples[0].Value.Uint64() - samples[1].Value.Uint64()
			if held > limit {
				fmt.Fprintf(w, "catalint: stopped: memory use passed %d MiB, the limit for this run (%s, or three quarters of the machine's or container's memory); the input is too large for it: check fewer files, or raise %s\n", limit>>20, MemoryEnv, MemoryEnv)
				exit(ExitFatal)
				return
			}
		}
	}()
	return func() {
		close(done)
		debug.SetMemoryLimit(prev)
	}
}

// PaceHeap keeps a run that collects garbage less often (check's GOGC=200)
// from growing its heap past floor bytes while what it keeps alive is
// small: the garbage collector's soft memory limit follows
// max(floor, 1.75 × the live heap), read after each collection, and never
// rises above the limit set before (WatchMemory's ceiling). A small run
// keeps GOGC=200's speed, a run near floor collects sooner instead of
// tripling its heap, and a large one gets three quarters of GOGC=100's
// headroom (the limit never falls under 1.75 times what it holds, so the
// collector does not run without end). stop puts the previous limit back.
func PaceHeap(floor int64) (stop func()) {
	ceiling := debug.SetMemoryLimit(-1)
	if floor <= 0 || floor >= ceiling {
		return func() {}
	}
	set := func(live int64) {
		debug.SetMemoryLimit(min(ceiling, max(floor, live+live*3/4)))
	}
	set(0)
	done := make(chan struct{})
	stopped := make(chan struct{})
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	go func() {
		defer close(stopped)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		last := uint64(0)
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			metrics.Read(samples)
			if samples[0].Value.Kind() != metrics.KindUint64 {
				continue
			}
			if live := samples[0].Value.Uint64(); live != last {
				last = live
				set(int64(live))
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
		debug.SetMemoryLimit(ceiling)
	}
}
