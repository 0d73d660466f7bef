package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
)

type whoCanFlags struct {
	load     loadFlags
	format   string
	resource string
}

func newWhoCanCmd(app *App) *cobra.Command {
	var f whoCanFlags
	cmd := &cobra.Command{
		Use:   "who-can ACTION PATH... [--resource ARN]",
		Short: "List the users and roles that may perform an action",
		Long: `who-can lists the users and roles of the inputs that may perform an action,
in two groups:

  - allowed by their own policies: their identity policies (their own and
    their groups'), boundary and SCPs allow it; "yes" on every resource no
    deny names (on the resource, with --resource), "conditional" only under
    conditions or on some resources
  - through escalation: principals whose own policies do not allow it, but
    that can become one of the above, or an administrator, by assuming
    roles and using escalation techniques; the shortest such path is shown,
    one move a line ('iamlint paths PRINCIPAL' details each step)

ACTION is one action, such as iam:PassRole (list the actions a pattern
matches with 'iamlint actions'). The resource is a flag, --resource ARN,
because the paths follow the action; without it the question is "on some
resource". Every cited statement is listed at the end with its
file:line:column and the path that brings it to the principal.

--format json prints one object (version 1): "action", "resource",
"direct" (principal, allowed, statements), "escalation" (principal,
allowed, reaches, admin, moves with their steps and statements) and
"statements", as 'iamlint access' documents them.

Exit status: 0 with an answer (even an empty one), 2 on usage errors, an
unknown action or inputs that did not load.`,
		Example: `  iamlint who-can iam:PassRole examples/escalation
  iamlint who-can s3:GetObject infra/ --resource arn:aws:s3:::examplecorp-app-data/report.csv
  iamlint who-can --format json iam:CreateAccessKey gaad.json`,
		Args: needArgs("who-can", "an ACTION", "iamlint who-can iam:PassRole infra/"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return app.whoCan(cmd, args[0], args[1:], &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "text", "output format: text or json")
	fl.StringVar(&f.resource, "resource", "", "ask about this resource `ARN` (default: any resource)")
	f.load.register(fl)
	return cmd
}

// direct is a principal whose own policies allow the action.
type direct struct {
	who   analyzer.Who
	stmts []*stmtEntry
}

// indirect is a principal that gets there through escalation.
type indirect struct {
	principal *analyzer.Node
	moves     []*analyzer.Move
	// reaches is the principal the path ends at; admin says it ends with
	// administrator permissions rather than at a principal of direct.
	reaches *analyzer.Node
	admin   bool
	allowed iam.Tri
}

type whoCanJSON struct {
	Version    int            `json:"version"`
	Action     string         `json:"action"`
	Resource   string         `json:"resource,omitempty"`
	Direct     []directJSON   `json:"direct"`
	Escalation []indirectJSON `json:"escalation"`
	Statements []stmtJSON     `json:"statements"`
}

type directJSON struct {
	Principal  principalOut `json:"principal"`
	Allowed    string       `json:"allowed"`
	Statements []int        `json:"statements"`
}

type indirectJSON struct {
	Principal principalOut `json:"principal"`
	Allowed   string       `json:"allowed"`
	Reaches   principalOut `json:"reaches"`
	Admin     bool         `json:"admin"`
	Moves     []moveJSON   `json:"moves"`
}

func (app *App) whoCan(cmd *cobra.Command, action string, paths []string, f *whoCanFlags) error {
	if err := checkFormat(f.format, "text", "json"); err != nil {
		return err
	}
	act, err := resolveAction(action)
	if err != nil {
		return usageError(err)
	}
	action = act.FullName()
	if r := f.resource; r != "" && r != "*" {
		if _, ok := iam.ParseARN(r); !ok {
			return usageError(fmt.Errorf("--resource: %q is not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE) or \"*\"", r))
		}
		if len(act.ResourcesMatching(r)) == 0 {
			return usageError(fmt.Errorf("--resource: %s does not act on a resource like %s (its resources: %s); see 'iamlint actions %s'", action, r, resourceNames(act), action))
		}
	}
	q, err := app.analyze(cmd, paths, &f.load)
	if err != nil {
		return err
	}
	a := q.a
	var st stmtTable
	var directs []direct
	allowed := map[*analyzer.Node]iam.Tri{}
	for _, w := range a.WhoCan(action, f.resource) {
		p := a.Permissions(w.Principal)
		d := direct{who: w}
		if w.Result != nil {
			d.stmts = st.refsOf(p, w.Result.Best.Statements)
		} else {
			row := p.Access(act)
			for _, g := range append(append(row.Grants, row.Limits...), row.Denies...) {
				d.stmts = append(d.stmts, st.grant(g))
			}
		}
		directs = append(directs, d)
		allowed[w.Principal] = w.Allowed
	}
	indirects := escalatesTo(a, allowed)
	if f.format == "json" {
		err = writeWhoCanJSON(app.Stdout, a, action, f.resource, directs, indirects, &st)
	} else {
		err = writeWhoCanText(app.Stdout, a, action, f.resource, directs, indirects, &st)
	}
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	return q.done()
}

// escalatesTo finds, for each principal not in allowed, its shortest way
// to a principal in allowed, or to administrator permissions.
func escalatesTo(a *analyzer.Analysis, allowed map[*analyzer.Node]iam.Tri) []indirect {
	paths := newMoveGraph(a).toward(allowed)
	var out []indirect
	for _, n := range a.Graph.Principals() {
		if _, ok := allowed[n]; ok {
			continue
		}
		var best *indirect
		if path := paths[n]; path != nil {
			to := path[len(path)-1].To
			best = &indirect{principal: n, moves: path, reaches: to, allowed: min(weakest(path), allowed[to])}
		}
		if e := a.EscalationOf(n); e != nil && e.Admin != iam.No && (best == nil || len(e.Moves) < len(best.moves)) {
			best = &indirect{principal: n, moves: e.Moves, reaches: e.Target(), admin: true, allowed: min(e.Allowed(), e.Admin)}
		}
		if best != nil && best.allowed != iam.No {
			out = append(out, *best)
		}
	}
	return out
}

func writeWhoCanText(w io.Writer, a *analyzer.Analysis, action, resource string, directs []direct, indirects []indirect, st *stmtTable) error {
	var b strings.Builder
	on := "on some resource"
	if resource != "" {
		on = "on " + resource
	}
	fmt.Fprintf(&b, "who can %s %s\n\n", action, on)
	if len(directs) == 0 {
		b.WriteString("allowed by their own policies: nobody\n")
	} else {
		b.WriteString("allowed by their own policies\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, d := range directs {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", label(d.who.Principal), d.who.Allowed, refList(d.stmts))
		}
		tw.Flush()
	}
	b.WriteString("\n")
	if len(indirects) == 0 {
		b.WriteString("through escalation: nobody else\n")
	} else {
		b.WriteString("through escalation\n")
		for _, in := range indirects {
			end := "becomes " + label(in.reaches)
			if in.admin {
				end = "becomes an administrator"
			}
			fmt.Fprintf(&b, "  %s  %s, %s in %d %s\n", label(in.principal), in.allowed, end, len(in.moves), plural(len(in.moves), "move", "moves"))
			writeMoves(&b, a, st, in.moves, "    ", false)
		}
	}
	if len(st.list) > 0 {
		b.WriteString("\nstatements\n")
		st.writeText(&b, "  ")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeWhoCanJSON(w io.Writer, a *analyzer.Analysis, action, resource string, directs []direct, indirects []indirect, st *stmtTable) error {
	out := whoCanJSON{Version: 1, Action: action, Resource: resource, Direct: []directJSON{}, Escalation: []indirectJSON{}}
	for _, d := range directs {
		out.Direct = append(out.Direct, directJSON{Principal: principalJSON(d.who.Principal), Allowed: d.who.Allowed.String(), Statements: ids(d.stmts)})
	}
	for _, in := range indirects {
		out.Escalation = append(out.Escalation, indirectJSON{Principal: principalJSON(in.principal), Allowed: in.allowed.String(),
			Reaches: principalJSON(in.reaches), Admin: in.admin, Moves: movesJSON(a, st, in.moves)})
	}
	out.Statements = st.json()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
