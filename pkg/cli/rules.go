package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/catalint-dev/catalint/pkg/lint"
)

func newRules(stdio IO) *cobra.Command {
	return &cobra.Command{
		Use:   "rules",
		Short: "List the rules, their groups and default severities",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			tw := tabwriter.NewWriter(stdio.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "RULE\tGROUP\tSEVERITY\tDESCRIPTION")
			for _, r := range lint.Rules {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Group, r.Severity, r.Description)
			}
			return tw.Flush()
		},
	}
}
