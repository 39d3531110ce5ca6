// Package cli holds catalint's commands. Each command turns its flags into
// an options struct and calls the library; the I/O streams are injected so
// that tests run the whole CLI in-process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/report"
)

// Exit codes.
const (
	ExitOK       = 0 // no errors (warnings and notices allowed)
	ExitProblems = 1 // errors found (or warnings, with --fail-on warning)
	ExitUsage    = 2 // bad usage or configuration
	ExitFatal    = 3 // could not run: I/O failure, unreachable service
)

// IO are the streams and environment a command uses.
type IO struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	Getenv func(string) string
	// IsTerminal reports whether Out is a terminal (for colour);
	// ErrIsTerminal whether Err is (for progress).
	IsTerminal    bool
	ErrIsTerminal bool
}

// Version is set at build time (-ldflags "-X …/pkg/cli.Version=v1.2.3").
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func usageErr(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

func fatalErr(err error) error { return &exitError{code: ExitFatal, err: err} }

// Run runs catalint with the given arguments and returns the exit code.
func Run(ctx context.Context, args []string, stdio IO) int {
	if stdio.Getenv == nil {
		stdio.Getenv = os.Getenv
	}
	root := newRoot(stdio)
	root.SetArgs(args)
	root.SetIn(stdio.In)
	root.SetOut(stdio.Out)
	root.SetErr(stdio.Err)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stdio.Err, "catalint: %s\n", report.SafeText(ee.err.Error()))
		}
		return ee.code
	}
	var ue *load.UsageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stdio.Err, "catalint: %s\n", report.SafeText(ue.Error()))
		return ExitUsage
	}
	// Cobra's own errors: unknown command or flag, wrong argument count.
	// Messages can hold paths and values from the repository: no control
	// character of theirs reaches the terminal (report.SafeText).
	fmt.Fprintf(stdio.Err, "catalint: %s\nRun 'catalint --help' for usage.\n", report.SafeText(err.Error()))
	return ExitUsage
}

func newRoot(stdio IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "catalint",
		Short: "Keep a Backstage software catalog true",
		Long: `catalint checks Backstage catalog-info.yaml files: the same verdict as
Backstage's catalog, with every problem at its file:line:column.

Exit codes: 0 no errors, 1 errors found, 2 bad usage or configuration,
3 fatal (I/O failure, unreachable service).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
	}
	root.SetVersionTemplate("catalint {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErr("%v (see '%s --help')", err, c.CommandPath())
	})
	root.AddCommand(newCheck(stdio), newScore(stdio), newReport(stdio), newInit(stdio), newAggregate(stdio), newGraph(stdio), newSchema(stdio), newRules(stdio), newVersion(stdio))
	root.CompletionOptions.HiddenDefaultCmd = true
	return root
}

func newVersion(stdio IO) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print catalint's version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(stdio.Out, "catalint %s\n", version())
			return nil
		},
	}
}

// splitList flattens repeated, comma-separated flag values.
func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func asUsage(err error, target **load.UsageError) bool { return errors.As(err, target) }
