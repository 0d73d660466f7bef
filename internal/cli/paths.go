package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
)

type pathsFlags struct {
	load   loadFlags
	format string
	to     string
}

func newPathsCmd(app *App) *cobra.Command {
	var f pathsFlags
	cmd := &cobra.Command{
		Use:   "paths PRINCIPAL PATH... [--to TARGET]",
		Short: "Show the roles a principal can assume and how it can escalate",
		Long: `paths shows what a user or role can become:

  - role assumption: every role it can assume, directly or through a chain
    of roles, with MFA and ExternalId requirements
  - escalation: its shortest path to administrator permissions, or else to
    a principal with permissions it lacks, through role assumption and the
    escalation techniques iamlint knows (creating access keys, passing a
    role to a new Lambda function, attaching policies, ...)

Each move of a path is one line, "principal —[technique: name]→ target",
followed by its steps: the action on the resource it needs, whether the
principal's policies allow it ("yes", or "conditional" when that depends on
conditions such as MFA), and the statements that allow it; the statements
are listed at the end with their file:line:column and the path that
brings them to the principal.

With --to TARGET, paths prints the shortest path from PRINCIPAL to the
user or role TARGET instead, over the same moves. PRINCIPAL and TARGET are
named by name, ARN or address, as for 'iamlint access'.

--format json prints one object (version 1): "principal", "admin",
"assumable" (role, allowed, mfa, externalId, chain), "escalation" (null
when there is none; else admin, allowed, target, gains, moves) or, with
--to, "to" (target, found, allowed, moves), and "statements". A move has
from, to, technique, name, kind (become or empower), allowed, via, mfa,
externalId and steps (action, resource, context, allowed, statements).

Exit status: 0 with an answer (also "no path"), 2 on usage errors, an
unknown principal or inputs that did not load.`,
		Example: `  iamlint paths dana examples/escalation
  iamlint paths dana examples/escalation --to ops-automation
  iamlint paths --format json aws_iam_role.ci_deploy infra/`,
		Args: needArgs("paths", "a PRINCIPAL", "iamlint paths dana infra/"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return app.paths(cmd, args[0], args[1:], &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "text", "output format: text or json")
	fl.StringVar(&f.to, "to", "", "print the shortest path to this user or role (`TARGET`: name, ARN or address)")
	f.load.register(fl)
	return cmd
}

// chain is a role reachable by assuming roles, with the assumptions on
// the way.
type chain struct {
	role  *analyzer.Node
	steps []*analyzer.Assumption
}

// assumable lists the roles a principal can assume, breadth first: the
// ones it assumes directly, then those their sessions can assume, ...
func assumable(a *analyzer.Analysis, from *analyzer.Node) []chain {
	var out []chain
	seen := map[*analyzer.Node]bool{from: true}
	queue := []chain{{role: from}}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, as := range a.Assumable(cur.role) {
			if seen[as.Role] {
				continue
			}
			seen[as.Role] = true
			c := chain{role: as.Role, steps: append(append([]*analyzer.Assumption{}, cur.steps...), as)}
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

func (c chain) allowed() iam.Tri {
	t := iam.Yes
	for _, as := range c.steps {
		t = min(t, as.Allowed)
	}
	return t
}

func (c chain) notes() string {
	notes := []string{c.allowed().String()}
	var mfa, ext bool
	for _, as := range c.steps {
		mfa, ext = mfa || as.MFA, ext || as.ExternalID
	}
	if mfa {
		notes = append(notes, "needs MFA")
	}
	if ext {
		notes = append(notes, "needs the ExternalId")
	}
	if len(c.steps) > 1 {
		var via []string
		for _, as := range c.steps[:len(c.steps)-1] {
			via = append(via, label(as.Role))
		}
		notes = append(notes, "through "+strings.Join(via, " → "))
	}
	return strings.Join(notes, ", ")
}

// pathsJSON is the output of paths --format json: the overview, or with
// --to the path to the target (To set, Overview nil).
type pathsJSON struct {
	Version   int          `json:"version"`
	Principal principalOut `json:"principal"`
	Admin     string       `json:"admin"`
	*overviewJSON
	To         *toJSON    `json:"to,omitempty"`
	Statements []stmtJSON `json:"statements"`
}

type overviewJSON struct {
	Assumable  []assumableJSON `json:"assumable"`
	Escalation *escalationJSON `json:"escalation"`
}

type assumableJSON struct {
	Role       principalOut `json:"role"`
	Allowed    string       `json:"allowed"`
	MFA        bool         `json:"mfa,omitempty"`
	ExternalID bool         `json:"externalId,omitempty"`
	// Chain lists the roles assumed on the way, by address, ending with
	// the role.
	Chain []string `json:"chain"`
}

type escalationJSON struct {
	Admin   string       `json:"admin"`
	Allowed string       `json:"allowed"`
	Target  principalOut `json:"target"`
	Gains   []string     `json:"gains,omitempty"`
	Moves   []moveJSON   `json:"moves"`
}

type toJSON struct {
	Target  principalOut `json:"target"`
	Found   bool         `json:"found"`
	Allowed string       `json:"allowed,omitempty"`
	Moves   []moveJSON   `json:"moves"`
}

func (app *App) paths(cmd *cobra.Command, who string, paths []string, f *pathsFlags) error {
	if err := checkFormat(f.format, "text", "json"); err != nil {
		return err
	}
	q, err := app.analyze(cmd, paths, &f.load)
	if err != nil {
		return err
	}
	a := q.a
	n, err := resolvePrincipal(a.Graph, "principal", who)
	if err != nil {
		return usageError(err)
	}
	var target *analyzer.Node
	if f.to != "" {
		if target, err = resolvePrincipal(a.Graph, "--to", f.to); err != nil {
			return usageError(err)
		}
		if target == n {
			return usageError(fmt.Errorf("--to %s names %s itself; give another user or role", f.to, label(n)))
		}
	}
	var st stmtTable
	var b strings.Builder
	out := pathsJSON{Version: 1, Principal: principalJSON(n), Admin: a.Permissions(n).Admin.String(), Statements: []stmtJSON{}}
	fmt.Fprintln(&b, heading(n))
	if target != nil {
		path := newMoveGraph(a).toward(map[*analyzer.Node]iam.Tri{target: iam.Yes})[n]
		out.To = &toJSON{Target: principalJSON(target), Found: path != nil, Moves: movesJSON(a, &st, path)}
		if path == nil {
			fmt.Fprintf(&b, "\nno path from %s to %s: no role assumption or escalation technique iamlint knows leads there\n", label(n), label(target))
		} else {
			out.To.Allowed = weakest(path).String()
			fmt.Fprintf(&b, "\npath to %s: %d %s, %s\n", label(target), len(path), plural(len(path), "move", "moves"), weakest(path))
			writeMoves(&b, a, &st, path, "  ", true)
		}
	} else {
		app.pathsOverview(&b, a, n, &st, &out)
	}
	if len(st.list) > 0 {
		b.WriteString("\nstatements\n")
		st.writeText(&b, "  ")
	}
	out.Statements = st.json()
	if f.format == "json" {
		enc := json.NewEncoder(app.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err = enc.Encode(out)
	} else {
		_, err = io.WriteString(app.Stdout, b.String())
	}
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	return q.done()
}

// pathsOverview writes the roles a principal can assume and its
// escalation, in text to b and in out.
func (app *App) pathsOverview(b *strings.Builder, a *analyzer.Analysis, n *analyzer.Node, st *stmtTable, out *pathsJSON) {
	chains := assumable(a, n)
	out.overviewJSON = &overviewJSON{Assumable: []assumableJSON{}}
	if len(chains) == 0 {
		fmt.Fprintf(b, "\nrole assumption: it can assume no role of the inputs\n")
	} else {
		fmt.Fprintf(b, "\nrole assumption: %d %s\n", len(chains), plural(len(chains), "role", "roles"))
		for _, c := range chains {
			fmt.Fprintf(b, "  %s  (%s)\n", label(c.role), c.notes())
			aj := assumableJSON{Role: principalJSON(c.role), Allowed: c.allowed().String()}
			for _, as := range c.steps {
				aj.MFA, aj.ExternalID = aj.MFA || as.MFA, aj.ExternalID || as.ExternalID
				aj.Chain = append(aj.Chain, as.Role.ID)
			}
			out.Assumable = append(out.Assumable, aj)
		}
	}

	p := a.Permissions(n)
	e := a.EscalationOf(n)
	switch {
	case e == nil && p.Admin != iam.No:
		fmt.Fprintf(b, "\nescalation: none needed, it is an administrator (%s)\n", p.Admin)
		return
	case e == nil:
		fmt.Fprintf(b, "\nescalation: none. No role assumption or escalation technique iamlint knows gives %s permissions it does not have.\n", label(n))
		return
	}
	ej := &escalationJSON{Admin: e.Admin.String(), Allowed: e.Allowed().String(), Target: principalJSON(e.Target()), Moves: movesJSON(a, st, e.Moves)}
	out.Escalation = ej
	if e.Admin != iam.No {
		fmt.Fprintf(b, "\nescalation: administrator (%s) in %d %s\n", min(e.Admin, e.Allowed()), len(e.Moves), plural(len(e.Moves), "move", "moves"))
	} else {
		gains := catalog.Default().SetActions(e.Gains)
		for _, act := range gains {
			ej.Gains = append(ej.Gains, act.FullName())
		}
		fmt.Fprintf(b, "\nescalation: %d %s it does not have (%s) in %d %s\n", len(gains), plural(len(gains), "action", "actions"),
			e.Allowed(), len(e.Moves), plural(len(e.Moves), "move", "moves"))
		show := ej.Gains
		if len(show) > 8 {
			show = append(show[:8:8], fmt.Sprintf("+%d more", len(ej.Gains)-8))
		}
		fmt.Fprintf(b, "  gains %s\n", strings.Join(show, ", "))
	}
	writeMoves(b, a, st, e.Moves, "  ", true)
	if t := e.Target(); e.Admin != iam.No {
		if last := e.Moves[len(e.Moves)-1]; last.Technique.Kind == analyzer.Empower {
			fmt.Fprintf(b, "  then %s can be given any permissions\n", label(last.To))
		} else {
			fmt.Fprintf(b, "  %s is an administrator (%s)\n", label(t), a.Permissions(t).Admin)
		}
	}
}
