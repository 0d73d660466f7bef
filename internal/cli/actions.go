package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/iamlint/iamlint/iam/catalog"
)

func newActionsCmd(app *App) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "actions PATTERN...",
		Short: "List the actions a pattern such as s3:Get* matches",
		Long: `actions expands IAM action patterns against the embedded AWS service
authorization reference and lists the matching actions, sorted, each with its
access level and the resource types it acts on ("*" when it only accepts
Resource "*"). '*' matches any run of characters and '?' one character;
names compare case-insensitively, as in IAM. A bare service prefix such as
"s3" lists the service's actions.

An unknown service or a pattern that matches nothing is an error (exit
status 2); the other patterns are still listed.`,
		Example: `  iamlint actions 's3:Get*'
  iamlint actions 'iam:*Policy*' 'sts:AssumeRole*'
  iamlint actions --format json kms`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return app.actions(args, format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// actionOut is one action in the JSON output.
type actionOut struct {
	Name          string        `json:"name"`
	Service       string        `json:"service"`
	AccessLevel   string        `json:"accessLevel"`
	ResourceTypes []resourceOut `json:"resourceTypes"`
	ConditionKeys []string      `json:"conditionKeys"`
}

type resourceOut struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
}

func (app *App) actions(patterns []string, format string) error {
	if format != "text" && format != "json" {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("--format: unknown format %q (want text or json)", format)}
	}
	cat := catalog.Default()
	set := catalog.NewSet(cat.NumActions())
	failed := false
	for _, p := range patterns {
		acts, err := expandPattern(cat, p)
		if err != nil {
			fmt.Fprintln(app.Stderr, "iamlint:", err)
			failed = true
			continue
		}
		for _, a := range acts {
			set.Add(a.Index)
		}
	}
	acts := cat.SetActions(set)
	var err error
	if format == "json" {
		err = writeActionsJSON(app, acts)
	} else {
		err = writeActionsText(app, acts)
	}
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	if failed {
		return &ExitError{Code: ExitFailure}
	}
	return nil
}

// expandPattern expands one pattern, explaining why it matches nothing.
func expandPattern(cat *catalog.Catalog, p string) ([]*catalog.Action, error) {
	if !strings.Contains(p, ":") && !strings.ContainsAny(p, "*?") {
		if cat.Service(p) != nil {
			p += ":*" // a bare service prefix
		} else {
			return nil, fmt.Errorf("unknown service prefix %q%s; write service:Action, e.g. s3:Get*", p, suggestion(cat.Suggest(p)))
		}
	}
	if acts := cat.Expand(p); len(acts) > 0 {
		return acts, nil
	}
	svc, act, _ := strings.Cut(p, ":")
	switch {
	case !strings.ContainsAny(svc, "*?") && cat.Service(svc) == nil:
		return nil, fmt.Errorf("unknown service prefix %q in %q%s", svc, p, suggestion(cat.Suggest(svc)))
	case strings.Count(p, ":") > 1:
		return nil, fmt.Errorf("%q matches no action: an action has exactly one ':'", p)
	case !strings.ContainsAny(p, "*?"):
		return nil, fmt.Errorf("unknown action %q%s", p, suggestion(cat.Suggest(p)))
	case !strings.ContainsAny(svc, "*?"):
		// Suggest from the literal text before the first wildcard.
		lit := svc + ":" + act[:strings.IndexAny(act, "*?")]
		return nil, fmt.Errorf("%q matches no action of %s%s", p, cat.Service(svc).Prefix, suggestion(cat.Suggest(lit)))
	}
	return nil, fmt.Errorf("%q matches no action", p)
}

func suggestion(names []string) string {
	if len(names) == 0 {
		return ""
	}
	if len(names) > 3 {
		names = names[:3]
	}
	return " (did you mean " + strings.Join(names, ", ") + "?)"
}

func resourceNames(a *catalog.Action) string {
	if a.OnlyWildcardResource() {
		return "*"
	}
	names := make([]string, len(a.Resources))
	for i, r := range a.Resources {
		names[i] = r.Type.Name
	}
	return strings.Join(names, ", ")
}

func writeActionsText(app *App, acts []*catalog.Action) error {
	tw := tabwriter.NewWriter(app.Stdout, 0, 0, 2, ' ', 0)
	for _, a := range acts {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", a.FullName(), a.Access, resourceNames(a))
	}
	return tw.Flush()
}

func writeActionsJSON(app *App, acts []*catalog.Action) error {
	out := struct {
		Version int         `json:"version"`
		Actions []actionOut `json:"actions"`
	}{Version: 1, Actions: []actionOut{}}
	for _, a := range acts {
		ao := actionOut{
			Name: a.FullName(), Service: a.Service.Prefix, AccessLevel: a.Access.String(),
			ResourceTypes: []resourceOut{}, ConditionKeys: []string{},
		}
		for _, r := range a.Resources {
			ao.ResourceTypes = append(ao.ResourceTypes, resourceOut{Name: r.Type.Name, Required: r.Required})
		}
		for _, k := range a.ConditionKeys {
			ao.ConditionKeys = append(ao.ConditionKeys, k.Name)
		}
		out.Actions = append(out.Actions, ao)
	}
	enc := json.NewEncoder(app.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
