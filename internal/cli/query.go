package cli

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/loader"
)

// This file holds what the query commands (access, who-can, paths, graph)
// share: loading and analysing the inputs, naming principals, and
// numbering the statements an answer cites.

// loadFlags are the loader options every query command takes, as inspect
// does.
type loadFlags struct {
	varFiles    []string
	vars        []string
	kind        []string
	maxFileSize int64
}

func (f *loadFlags) register(fl *pflag.FlagSet) {
	fl.StringArrayVar(&f.varFiles, "var-file", nil, "Terraform variable definitions `FILE` (repeatable)")
	fl.StringArrayVar(&f.vars, "var", nil, "Terraform variable `NAME=VALUE` (repeatable)")
	fl.Int64Var(&f.maxFileSize, "max-file-size", loader.DefaultMaxFileSize, "skip files larger than this many `BYTES`, with an error")
	fl.StringArrayVar(&f.kind, "kind", nil, "policy kind of standalone policy files: `[PATTERN=]KIND` (default: inferred per file; repeatable; see 'iamlint check --help')")
}

// query is one loaded and analysed set of inputs.
type query struct {
	a     *analyzer.Analysis
	diags hcl.Diagnostics
}

// analyze loads the inputs and analyses them. Load problems are printed
// to stderr; the answer is still computed from what did load, and done
// reports them in the exit code.
func (app *App) analyze(cmd *cobra.Command, paths []string, f *loadFlags) (*query, error) {
	opts := loader.Options{VarFiles: f.varFiles, Vars: f.vars, MaxFileSize: f.maxFileSize}
	var err error
	if opts.KindByPath, err = parseKinds(f.kind); err != nil {
		return nil, usageError(err)
	}
	if f.maxFileSize <= 0 {
		return nil, usageError(fmt.Errorf("--max-file-size: %d is not a positive number of bytes", f.maxFileSize))
	}
	model, diags := loader.Load(cmd.Context(), paths, opts)
	if err := cmd.Context().Err(); err != nil {
		return nil, usageError(err)
	}
	app.printDiags(diags)
	return &query{a: analyzer.Analyze(analyzer.Build(model)), diags: diags}, nil
}

// done is the command's result once the answer is printed: exit 2 when
// some input did not load (the answer may miss what it held).
func (q *query) done() error {
	if q.diags.HasErrors() {
		return &ExitError{Code: ExitFailure}
	}
	return nil
}

func usageError(err error) error { return &ExitError{Code: ExitFailure, Err: err} }

// needArgs checks that a query command has its first argument (what) and
// at least one path.
func needArgs(command, what, example string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < 2 {
			return usageError(fmt.Errorf("%s needs %s and at least one PATH to read, e.g. %s", command, what, example))
		}
		return nil
	}
}

// checkFormat rejects a --format value that is not one of allowed.
func checkFormat(format string, allowed ...string) error {
	if slices.Contains(allowed, format) {
		return nil
	}
	return usageError(fmt.Errorf("--format: unknown format %q (want %s)", format, strings.Join(allowed, " or ")))
}

// ---- principals ----

// principalName is a user's or role's name as a reader knows it.
func principalName(n *analyzer.Node) string {
	switch {
	case n.User != nil:
		return n.User.Name
	case n.Role != nil:
		return n.Role.Name
	case n.Group != nil:
		return n.Group.Name
	}
	return n.ID
}

func principalARN(n *analyzer.Node) string {
	switch {
	case n.User != nil:
		return n.User.ARN
	case n.Role != nil:
		return n.Role.ARN
	case n.Group != nil:
		return n.Group.ARN
	}
	return ""
}

// label is "user dana", "role ci-release".
func label(n *analyzer.Node) string { return n.Kind.String() + " " + principalName(n) }

// resolvePrincipal finds the user or role a command line names: by
// address, ARN or name. An unknown or ambiguous name is an error that
// lists the candidates.
func resolvePrincipal(g *analyzer.Graph, what, query string) (*analyzer.Node, error) {
	principals := g.Principals()
	if n := g.Node(query); n != nil {
		if n.User != nil || n.Role != nil {
			return n, nil
		}
		return nil, notPrincipal(what, query, n)
	}
	var byARN, byName []*analyzer.Node
	for _, n := range principals {
		if principalARN(n) == query {
			byARN = append(byARN, n)
		}
		if principalName(n) == query {
			byName = append(byName, n)
		}
	}
	for _, list := range [][]*analyzer.Node{byARN, byName} {
		switch len(list) {
		case 0:
			continue
		case 1:
			return list[0], nil
		}
		var names []string
		for _, n := range list {
			names = append(names, label(n)+" at "+n.ID)
		}
		return nil, fmt.Errorf("%s %q is ambiguous: it names %s; give the address instead", what, query, strings.Join(names, ", "))
	}
	for _, n := range g.Nodes {
		if n.Group != nil && (n.Group.Name == query || n.Group.ARN == query) {
			return nil, notPrincipal(what, query, n)
		}
	}
	if _, err := os.Stat(query); err == nil {
		return nil, fmt.Errorf("%s %q is a file or directory, not a user or role; name the principal before the paths", what, query)
	}
	msg := fmt.Sprintf("no user or role %q in the inputs", query)
	if len(principals) == 0 {
		return nil, fmt.Errorf("%s: the inputs hold no users or roles", msg)
	}
	if close := closeNames(principals, query); len(close) > 0 {
		return nil, fmt.Errorf("%s; did you mean %s?", msg, strings.Join(close, ", "))
	}
	return nil, fmt.Errorf("%s; name a user or role by name, ARN or address ('iamlint inspect PATH...' lists them)", msg)
}

func notPrincipal(what, query string, n *analyzer.Node) error {
	if n.Kind == analyzer.KindGroup {
		var members []string
		for _, e := range n.In {
			if e.Kind == analyzer.EdgeMemberOf && e.From != nil {
				members = append(members, principalName(e.From))
			}
		}
		slices.Sort(members)
		hint := "it has no members"
		if len(members) > 0 {
			hint = "name one of its members: " + strings.Join(members, ", ")
		}
		return fmt.Errorf("%s %q is a group, not a user or role; %s", what, query, hint)
	}
	return fmt.Errorf("%s %q is a %s, not a user or role", what, query, n.Kind)
}

// closeNames lists the principals whose name or address resembles query:
// a case-insensitive match, a substring, or a few typing errors away.
func closeNames(principals []*analyzer.Node, query string) []string {
	q := strings.ToLower(query)
	type cand struct {
		name string
		dist int
	}
	var out []cand
	seen := map[string]bool{}
	for _, n := range principals {
		name := principalName(n)
		best := -1
		for _, s := range []string{name, n.ID, principalARN(n)} {
			l := strings.ToLower(s)
			d := editDistance(q, l)
			switch {
			case s == "":
				continue
			case l == q:
				d = 0
			case strings.Contains(l, q) && len(q) >= 3:
				d = 1
			case d > max(2, len(q)/4):
				continue
			}
			if best < 0 || d < best {
				best = d
			}
		}
		if best >= 0 && !seen[name] {
			seen[name] = true
			out = append(out, cand{label(n), best})
		}
	}
	slices.SortFunc(out, func(x, y cand) int { return cmp.Or(cmp.Compare(x.dist, y.dist), strings.Compare(x.name, y.name)) })
	var names []string
	for i, c := range out {
		if i == 5 {
			break
		}
		names = append(names, c.name)
	}
	return names
}

// editDistance is the Levenshtein distance of two strings, by bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// principalOut names a principal in JSON output.
type principalOut struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	ARN  string `json:"arn,omitempty"`
	Addr string `json:"addr"`
	Pos  string `json:"pos,omitempty"`
}

func principalJSON(n *analyzer.Node) principalOut {
	return principalOut{Kind: n.Kind.String(), Name: principalName(n), ARN: principalARN(n), Addr: n.ID, Pos: posOf(n.Src.Range)}
}

// heading is a principal's first line in text output: label, ARN and
// where it is declared.
func heading(n *analyzer.Node) string {
	s := label(n)
	if arn := principalARN(n); arn != "" {
		s += "  " + arn
	}
	s += "  " + n.ID
	if p := posOf(n.Src.Range); p != "" {
		s += " (" + p + ")"
	}
	return s
}

// ---- actions ----

// resolveAction checks that an action exists, with a suggestion when it
// does not.
func resolveAction(name string) (*catalog.Action, error) {
	cat := catalog.Default()
	if strings.ContainsAny(name, "*?") {
		return nil, fmt.Errorf("%q is a pattern; name one action (list the actions it matches with 'iamlint actions %s')", name, name)
	}
	if act := cat.Action(name); act != nil {
		return act, nil
	}
	if _, err := expandPattern(cat, name); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("unknown action %q", name)
}

// ---- statements ----

// stmtPos is where a statement is written; "" for the AWS managed
// policies, whose documents are embedded (their "file" is the ARN).
func stmtPos(r hcl.Range) string {
	if strings.HasPrefix(r.Filename, "arn:") {
		return ""
	}
	return posOf(r)
}

// stmtTable numbers the statements an answer cites, once each, in the
// order they are first cited. A statement reached by two paths (a policy
// attached to the user and to its group) is two entries.
type stmtTable struct {
	list  []*stmtEntry
	index map[stmtKey]*stmtEntry
}

type stmtKey struct {
	file       string
	start, end int
	policy     string
}

// stmtEntry is one cited statement.
type stmtEntry struct {
	ID int
	// Layer: identity, boundary, scp, trust, ...
	Layer  string
	Policy string // the path of its policy, as the evaluator names it
	Hops   []analyzer.Hop
	Stmt   *iam.Statement // nil for statements known only by reference
	Ref    iam.StatementRef
}

func keyOf(r hcl.Range, policy string) stmtKey {
	return stmtKey{r.Filename, r.Start.Byte, r.End.Byte, policy}
}

// policyName is how iam.Evaluate names a grant's policy (see
// analyzer.Graph.PolicySet).
func policyName(g *analyzer.Grant) string {
	if g.Kind == iam.KindSCP && len(g.Path.Hops) > 0 && g.Path.Hops[0].Node != nil {
		return g.Path.Hops[0].Node.ID
	}
	return g.Path.String()
}

func (t *stmtTable) grant(g *analyzer.Grant) *stmtEntry {
	name := policyName(g)
	k := keyOf(g.Statement.Range, name)
	if e := t.index[k]; e != nil {
		return e
	}
	e := &stmtEntry{Layer: g.Kind.String(), Policy: name, Hops: g.Path.Hops, Stmt: g.Statement,
		Ref: iam.StatementRef{Policy: name, Kind: g.Kind, Index: g.Statement.Index, Sid: g.Statement.Sid, Effect: g.Statement.Effect, Range: g.Statement.Range}}
	return t.add(k, e)
}

// ref adds a statement an evaluator's answer cites; doc is the document
// it belongs to when the caller knows it (for the statement's text).
func (t *stmtTable) ref(r iam.StatementRef, doc *iam.Document) *stmtEntry {
	k := keyOf(r.Range, r.Policy)
	if e := t.index[k]; e != nil {
		return e
	}
	e := &stmtEntry{Layer: r.Kind.String(), Policy: r.Policy, Ref: r}
	if doc != nil && r.Index < len(doc.Statements) {
		e.Stmt = doc.Statements[r.Index]
	}
	return t.add(k, e)
}

func (t *stmtTable) add(k stmtKey, e *stmtEntry) *stmtEntry {
	if t.index == nil {
		t.index = map[stmtKey]*stmtEntry{}
	}
	e.ID = len(t.list) + 1
	t.list = append(t.list, e)
	t.index[k] = e
	return e
}

// refsOf lists the statements of a permission set that an evaluator's
// answer cites, resolving them to the grants they came from when it can.
// The stand-in resource policy that Decide adds is left out.
func (t *stmtTable) refsOf(p *analyzer.Permissions, refs []iam.StatementRef) []*stmtEntry {
	var out []*stmtEntry
	for _, r := range refs {
		if r.Kind == iam.KindResource {
			continue
		}
		var e *stmtEntry
		for _, list := range [][]*analyzer.Grant{p.Allows, p.Bounds, p.Denies} {
			for _, g := range list {
				if g.Statement.Range == r.Range && policyName(g) == r.Policy {
					e = t.grant(g)
				}
			}
		}
		if e == nil {
			e = t.ref(r, nil)
		}
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// text is the statement on one line, as inspect prints statements.
func (e *stmtEntry) text() string {
	if e.Stmt != nil {
		return statementSummary(e.Stmt)
	}
	s := fmt.Sprintf("%s Statement[%d]", e.Ref.Effect, e.Ref.Index)
	if e.Ref.Sid != "" {
		s += " [" + e.Ref.Sid + "]"
	}
	return s
}

// where is the statement's position, or for an AWS managed policy its
// name and index.
func (e *stmtEntry) where() string {
	if p := stmtPos(e.Ref.Range); p != "" {
		return p
	}
	return fmt.Sprintf("%s Statement[%d]", e.Ref.Range.Filename, e.Ref.Index)
}

func ids(list []*stmtEntry) []int {
	out := []int{}
	for _, e := range list {
		out = append(out, e.ID)
	}
	return out
}

func refList(list []*stmtEntry) string {
	parts := make([]string, len(list))
	for i, e := range list {
		parts[i] = fmt.Sprintf("#%d", e.ID)
	}
	return strings.Join(parts, " ")
}

// stmtJSON is a cited statement in JSON output.
type stmtJSON struct {
	ID          int        `json:"id"`
	Layer       string     `json:"layer"`
	Effect      string     `json:"effect"`
	Sid         string     `json:"sid,omitempty"`
	Index       int        `json:"index"`
	Pos         string     `json:"pos,omitempty"`
	Policy      string     `json:"policy"`
	Hops        []hopJSON  `json:"hops,omitempty"`
	Actions     []string   `json:"actions,omitempty"`
	NotAction   bool       `json:"notAction,omitempty"`
	Resources   []string   `json:"resources,omitempty"`
	NotResource bool       `json:"notResource,omitempty"`
	Conditions  []condJSON `json:"conditions,omitempty"`
	Principals  []string   `json:"principals,omitempty"`
	Unknown     []string   `json:"unknown,omitempty"`
}

type hopJSON struct {
	Kind string `json:"kind"`
	Addr string `json:"addr"`
	Pos  string `json:"pos,omitempty"`
}

type condJSON struct {
	Operator string   `json:"operator"`
	Key      string   `json:"key"`
	Values   []string `json:"values"`
}

func (t *stmtTable) json() []stmtJSON {
	out := []stmtJSON{}
	for _, e := range t.list {
		sj := stmtJSON{ID: e.ID, Layer: e.Layer, Effect: e.Ref.Effect.String(), Sid: e.Ref.Sid, Index: e.Ref.Index,
			Pos: stmtPos(e.Ref.Range), Policy: e.Policy}
		for _, h := range e.Hops {
			sj.Hops = append(sj.Hops, hopJSON{Kind: h.Kind.String(), Addr: h.Src.Addr, Pos: posOf(h.Src.Range)})
		}
		if s := e.Stmt; s != nil {
			acts, notA := s.Actions()
			res, notR := s.Resources()
			sj.Actions, sj.NotAction = texts(acts.Values), notA
			sj.Resources, sj.NotResource = texts(res.Values), notR
			for _, v := range append(acts.Values, res.Values...) {
				if v.Unknown {
					sj.Unknown = append(sj.Unknown, v.Text)
				}
			}
			for _, c := range s.Condition.Clauses {
				sj.Conditions = append(sj.Conditions, condJSON{Operator: c.Operator.String(), Key: c.Key, Values: texts(c.Values)})
			}
			for _, p := range []*iam.Principal{s.Principal, s.NotPrincipal} {
				if p != nil {
					sj.Principals = append(sj.Principals, principalSummary(p))
				}
			}
		}
		out = append(out, sj)
	}
	return out
}

func texts(vals []iam.Value) []string {
	var out []string
	for _, v := range vals {
		out = append(out, v.Text)
	}
	return out
}

// writeText prints the cited statements, each with its position and the
// path that brings its policy to the principal.
func (t *stmtTable) writeText(w io.Writer, indent string) {
	for _, e := range t.list {
		fmt.Fprintf(w, "%s#%-3d %s\n", indent, e.ID, e.text())
		path := e.Policy
		if len(e.Hops) > 0 {
			path = hopsText(e.Hops)
		}
		fmt.Fprintf(w, "%s     %s  %s: %s\n", indent, e.where(), e.Layer, path)
	}
}

// hopsText renders a path as analyzer.Path does, but writes a file once:
// a hop in the same file as the one before it (an account dump's
// "gaad.json#UserDetailList[2]" then "gaad.json#UserDetailList[2].GroupList[0]")
// is shown from its "#".
func hopsText(hops []analyzer.Hop) string {
	parts := strings.Split(analyzer.Path(hops), " → ")
	prev := ""
	for i, p := range parts {
		file, _, ok := strings.Cut(p, "#")
		if ok && file != "" && file == prev {
			parts[i] = p[len(file):]
		}
		prev = ""
		if ok {
			prev = file
		}
	}
	return strings.Join(parts, " → ")
}
