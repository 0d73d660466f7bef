package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/iamlint/iamlint/rules"
)

// newRulesCmd lists the rules check runs; newExplainCmd prints one rule's
// documentation. Both read the rules' metadata, the same text as
// docs/rules.
func newRulesCmd(app *App) *cobra.Command {
	var format string
	var rulesDirs []string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rules check applies",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			all, err := listedRules(cmd.Context(), rulesDirs)
			if err != nil {
				return err
			}
			switch format {
			case "text":
				tw := tabwriter.NewWriter(app.Stdout, 0, 0, 2, ' ', 0)
				for _, r := range all {
					def := ""
					if !r.Default {
						def = " (off by default)"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s%s\n", r.ID, r.Severity, r.Slug, r.Title, def)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintln(app.Stdout, "\nRun 'iamlint explain ID' for a rule's rationale and examples.")
				return nil
			case "json":
				type ruleOut struct {
					ID         string   `json:"id"`
					Slug       string   `json:"slug"`
					Title      string   `json:"title"`
					Severity   string   `json:"severity"`
					Default    bool     `json:"default"`
					Since      string   `json:"since"`
					References []string `json:"references"`
				}
				out := []ruleOut{}
				for _, r := range all {
					out = append(out, ruleOut{r.ID, r.Slug, r.Title, r.Severity.String(), r.Default, r.Since, r.References})
				}
				enc := json.NewEncoder(app.Stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			return &ExitError{Code: ExitFailure, Err: fmt.Errorf("--format: unknown format %q (want text or json)", format)}
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().StringArrayVar(&rulesDirs, "rules", nil, "also list the custom Rego rules of `DIR` (repeatable; the configuration's rules_dirs are listed too)")
	cmd.AddCommand(newRulesTestCmd(app))
	return cmd
}

func newExplainCmd(app *App) *cobra.Command {
	var rulesDirs []string
	cmd := &cobra.Command{
		Use:     "explain RULE",
		Short:   "Explain a rule: rationale, examples and references",
		Example: "  iamlint explain IAM305\n  iamlint explain resource-type-mismatch",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			all, err := listedRules(cmd.Context(), rulesDirs)
			if err != nil {
				return err
			}
			r := rules.Lookup(all, args[0])
			if r == nil {
				var ids []string
				for _, r := range all {
					ids = append(ids, r.ID)
				}
				return &ExitError{Code: ExitFailure, Err: fmt.Errorf("no rule %q; the rules are %s (see 'iamlint rules')", args[0], strings.Join(ids, ", "))}
			}
			_, err = fmt.Fprint(app.Stdout, r.Markdown())
			return err
		},
	}
	cmd.Flags().StringArrayVar(&rulesDirs, "rules", nil, "also explain the custom Rego rules of `DIR` (repeatable; the configuration's rules_dirs too)")
	return cmd
}
