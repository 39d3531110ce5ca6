package lint

import (
	"fmt"
	"os"
	"time"
)

// phaseLog is set by CATALINT_PHASES (README, "Speed"): Run then writes
// to standard error when each of its phases ends, counted from its start,
// to see where a whole-catalog run spends its time without a profiler.
var phaseLog = os.Getenv("CATALINT_PHASES") != ""

// phase notes the end of a phase of a run that started at start (the
// zero time: a part of a run that is not timed).
func phase(start time.Time, name string) {
	if phaseLog && !start.IsZero() {
		fmt.Fprintf(os.Stderr, "catalint: phase %-22s %6d ms\n", name, time.Since(start).Milliseconds())
	}
}
