package cli

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/catalint-dev/catalint/pkg/schema"
)

func newSchema(stdio IO) *cobra.Command {
	var cfg bool
	cmd := &cobra.Command{
		Use:   "schema [KIND]",
		Short: "Print the JSON Schema of catalog files, or of one kind",
		Long: `Print catalint's JSON Schema (draft-07, self-contained) for catalog-info.yaml
documents, or for one kind. Save it and point your editor at it, e.g. with the
yaml-language-server modeline at the top of a catalog file:

  # yaml-language-server: $schema=./.catalint/catalog-info.schema.json`,
		Example: `  catalint schema > .catalint/catalog-info.schema.json
  catalint schema Component`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			set, err := schema.Builtin()
			if err != nil {
				return fatalErr(err)
			}
			if cfg {
				raw, _ := set.Raw("config.schema.json")
				b, err := json.MarshalIndent(raw, "", "  ")
				if err != nil {
					return fatalErr(err)
				}
				_, err = stdio.Out.Write(append(b, '\n'))
				return err
			}
			kind := ""
			if len(args) == 1 {
				kind = args[0]
			}
			b, err := set.Bundle(kind)
			if err != nil {
				return usageErr("%v", err)
			}
			_, err = stdio.Out.Write(b)
			return err
		},
	}
	cmd.Flags().BoolVar(&cfg, "config", false, "print the schema of .catalint.yaml instead")
	return cmd
}
