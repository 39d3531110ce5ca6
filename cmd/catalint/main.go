// Command catalint checks Backstage catalog files. See README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"

	"github.com/catalint-dev/catalint/pkg/cli"
)

func main() {
	// CATALINT_CPUPROFILE names a file to write a CPU profile to (README,
	// Development).
	var prof *os.File
	if p := os.Getenv("CATALINT_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil && pprof.StartCPUProfile(f) == nil {
			prof = f
		}
	}
	// A ceiling on memory: an input too large ends the run with exit 3 and
	// a sentence, not an out-of-memory crash (README, Limits).
	unwatch := cli.WatchMemory(cli.MemoryLimit(os.Getenv), os.Stderr, os.Exit)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], cli.IO{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		Getenv:        os.Getenv,
		IsTerminal:    isTerminal(os.Stdout),
		ErrIsTerminal: isTerminal(os.Stderr),
	})
	stop()
	unwatch()
	// CATALINT_MEMPROFILE names a file to write a heap profile to, as of
	// the last garbage collection of the run: what was live near its peak.
	if p := os.Getenv("CATALINT_MEMPROFILE"); p != "" {
		f, err := os.Create(p)
		if err == nil {
			err = pprof.Lookup("heap").WriteTo(f, 0)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "catalint: CATALINT_MEMPROFILE: %v\n", err)
		}
	}
	if prof != nil {
		pprof.StopCPUProfile()
		prof.Close()
	}
	os.Exit(code)
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
