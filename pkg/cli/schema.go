package cli

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/catalint-dev/catalint/pkg/schema"
)

func newSchema(stdio IO) *cobra.Command {
	var cfg bool
	var modules []string
	var cfgPath string
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
		RunE: func(cmd *cobra.Command, args []string) error {
			if cfg {
				set, err := schema.Config()
				if err != nil {
					return fatalErr(err)
				}
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
			// The kinds of the configuration's modules and declarations
			// are in the bundle too.
			c, err := loadConfig(cfgPath, cmd.Flags().Changed("config-file"))
			if err != nil {
				return err
			}
			model, err := buildModel(c, modules)
			if err != nil {
				return err
			}
			set, err := schema.ForModel(model)
			if err != nil {
				return fatalErr(err)
			}
			b, err := set.Bundle(model, kind)
			if err != nil {
				return usageErr("%v", err)
			}
			_, err = stdio.Out.Write(b)
			return err
		},
	}
	cmd.Flags().BoolVar(&cfg, "config", false, "print the schema of .catalint.yaml instead")
	cmd.Flags().StringVar(&cfgPath, "config-file", "", "configuration file whose backstage.modules and kinds to include (default: .catalint.yaml or .catalint.yml, searched from here up to the repository root)")
	moduleFlag(cmd, &modules)
	return cmd
}
