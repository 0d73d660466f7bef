package cli

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/reports"
)

type graphFlags struct {
	load   loadFlags
	format string
	focus  string
}

func newGraphCmd(app *App) *cobra.Command {
	var f graphFlags
	cmd := &cobra.Command{
		Use:   "graph PATH... [--focus PRINCIPAL]",
		Short: "Draw the principals, their policies, trust and escalation paths",
		Long: `graph draws the IAM of the inputs as a graph: users, groups and roles, the
policies that matter, who may assume which role (and which services,
accounts and identity providers a role trusts), and the moves of every
escalation path, drawn apart (red, thick) from the rest. Administrators are
outlined in red.

Without --focus every user, group and role is drawn. A managed policy gets
a box of its own when it is attached to two or more principals or groups,
or grants administrator access; other policies are folded into their
owner's box as notes ("policies: ...", "inline: ..."), so an account with
hundreds of policies stays readable.

With --focus PRINCIPAL (a user or role, by name, ARN or address) only its
neighbourhood is drawn: its groups and every policy that applies to it, the
roles it can assume and the principals that can assume it, its escalation
path, and the moves of others onto it.

--format mermaid prints a Mermaid flowchart (it renders in GitHub and
GitLab markdown), dot a Graphviz digraph ('dot -Tsvg'), json the nodes and
edges (version 1: nodes with id, kind, label, addr, pos, notes, admin,
focus; edges with from, to, kind, label, conditional; edge kinds member-of,
policy, boundary, can-assume, trusted-by, escalation).`,
		Example: `  iamlint graph examples/escalation
  iamlint graph --format dot infra/ | dot -Tsvg > iam.svg
  iamlint graph --focus dana --format mermaid examples/escalation`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return app.graph(cmd, args, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "mermaid", "output format: "+strings.Join(reports.GraphFormats(), ", "))
	fl.StringVar(&f.focus, "focus", "", "draw only the neighbourhood of this user or role (`PRINCIPAL`: name, ARN or address)")
	f.load.register(fl)
	return cmd
}

func (app *App) graph(cmd *cobra.Command, paths []string, f *graphFlags) error {
	if err := checkFormat(f.format, reports.GraphFormats()...); err != nil {
		return err
	}
	q, err := app.analyze(cmd, paths, &f.load)
	if err != nil {
		return err
	}
	var focus *analyzer.Node
	if f.focus != "" {
		if focus, err = resolvePrincipal(q.a.Graph, "--focus", f.focus); err != nil {
			return usageError(err)
		}
	}
	g := buildGraph(q.a, focus)
	if err := reports.WriteGraph(app.Stdout, f.format, g); err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	return q.done()
}

// graphBuilder collects the nodes and edges of a picture.
type graphBuilder struct {
	a       *analyzer.Analysis
	focus   *analyzer.Node
	nodes   map[string]*reports.GraphNode
	edges   map[reports.GraphEdge]bool
	inline  map[*iam.PolicyDocument]string // inline document → its name
	owners  map[*analyzer.Node]int         // managed policy → how many principals and groups it is attached to
	isAdmin map[*analyzer.Node]bool        // managed policy → grants administrator access
	done    map[*analyzer.Node]bool        // principals and groups whose policies are drawn
}

func buildGraph(a *analyzer.Analysis, focus *analyzer.Node) *reports.Graph {
	b := &graphBuilder{a: a, focus: focus, nodes: map[string]*reports.GraphNode{}, edges: map[reports.GraphEdge]bool{},
		inline: map[*iam.PolicyDocument]string{}, owners: map[*analyzer.Node]int{}, isAdmin: map[*analyzer.Node]bool{}, done: map[*analyzer.Node]bool{}}
	for _, n := range a.Graph.Nodes {
		var list []*iam.InlinePolicy
		switch {
		case n.User != nil:
			list = n.User.Inline
		case n.Role != nil:
			list = n.Role.Inline
		case n.Group != nil:
			list = n.Group.Inline
		case n.Policy != nil:
			b.isAdmin[n] = grantsAdmin(n.Policy.Default)
		}
		for _, p := range list {
			b.inline[&p.PolicyDocument] = p.Name
		}
		for _, e := range n.Out {
			if (e.Kind == analyzer.EdgeAttached || e.Kind == analyzer.EdgeBoundary) && e.To != nil {
				b.owners[e.To]++
			}
		}
	}
	title := "iamlint graph: every user, group and role"
	if focus == nil {
		b.everything()
	} else {
		title = "iamlint graph: the neighbourhood of " + label(focus)
		b.neighbourhood(focus)
	}
	if focus != nil {
		// The other principals drawn show their policies as notes.
		for _, n := range a.Graph.Nodes {
			if b.nodes[n.ID] != nil && (n.User != nil || n.Role != nil || n.Group != nil) {
				b.owner(n, false, false)
			}
		}
	}
	return b.result(title)
}

// everything draws every principal and group.
func (b *graphBuilder) everything() {
	for _, n := range b.a.Graph.Nodes {
		if n.Kind == analyzer.KindUser || n.Kind == analyzer.KindGroup || n.Kind == analyzer.KindRole {
			b.owner(n, false, true)
		}
	}
	for _, n := range b.a.Graph.Principals() {
		for _, as := range b.a.Assumable(n) {
			b.assumption(as)
		}
		if n.Role != nil {
			b.trust(n)
		}
	}
	for _, e := range b.a.Escalations() {
		b.escalation(e.Moves)
	}
}

// neighbourhood draws what bears on one principal.
func (b *graphBuilder) neighbourhood(p *analyzer.Node) {
	b.owner(p, true, true)
	b.nodes[p.ID].Focus = true
	for _, e := range p.Out {
		if e.Kind == analyzer.EdgeMemberOf && e.To != nil {
			b.owner(e.To, true, false)
		}
	}
	for _, c := range assumable(b.a, p) {
		for _, as := range c.steps {
			b.assumption(as)
		}
	}
	if p.Role != nil {
		for _, as := range b.a.Assumers(p) {
			b.assumption(as)
		}
		b.trust(p)
	}
	if e := b.a.EscalationOf(p); e != nil {
		b.escalation(e.Moves)
	}
	for _, e := range b.a.Escalations() {
		for i, m := range e.Moves {
			if m.To == p && m.From != p {
				b.escalation(e.Moves[i : i+1])
			}
		}
	}
}

// node adds a principal or group with its notes (once).
func (b *graphBuilder) node(n *analyzer.Node) *reports.GraphNode {
	if gn := b.nodes[n.ID]; gn != nil {
		return gn
	}
	gn := &reports.GraphNode{ID: n.ID, Kind: n.Kind.String(), Label: principalName(n), Addr: n.ID, Pos: posOf(n.Src.Range)}
	if p := b.a.Permissions(n); p != nil && p.Admin != iam.No {
		gn.Admin = true
		note := "administrator"
		if p.Admin == iam.Maybe {
			note += " (conditional)"
		}
		gn.Notes = append(gn.Notes, note)
	}
	b.nodes[n.ID] = gn
	return gn
}

// owner adds a principal or group with its policies, and with members
// its memberships. A policy gets a node of its own when all is true (the
// focused principal), or when it is shared or grants administrator
// access; otherwise it is a note of its owner. It does nothing for a node
// added already.
func (b *graphBuilder) owner(n *analyzer.Node, all, members bool) {
	if b.done[n] {
		return
	}
	b.done[n] = true
	gn := b.node(n)
	var folded, inline []string
	for _, e := range n.Out {
		switch e.Kind {
		case analyzer.EdgeMemberOf:
			if e.To != nil && members {
				b.node(e.To)
				b.edge(n.ID, e.To.ID, reports.EdgeMember, "member of", false)
			}
		case analyzer.EdgeInline:
			name := b.inline[e.To.Doc]
			if all {
				id := e.To.ID
				if b.nodes[id] == nil {
					b.nodes[id] = &reports.GraphNode{ID: id, Kind: reports.GraphPolicy, Label: name + " (inline)", Addr: e.To.Src.Addr, Pos: posOf(e.To.Src.Range),
						Admin: grantsAdmin(e.To.Doc)}
				}
				b.edge(n.ID, id, reports.EdgePolicy, "", false)
			} else {
				inline = append(inline, name)
			}
		case analyzer.EdgeAttached, analyzer.EdgeBoundary:
			kind, lbl := reports.EdgePolicy, ""
			if e.Kind == analyzer.EdgeBoundary {
				kind, lbl = reports.EdgeBoundary, "boundary"
			}
			if e.To == nil {
				note := "policy " + e.Ref + " (not in the inputs)"
				if e.Kind == analyzer.EdgeBoundary {
					note = "boundary " + e.Ref + " (not in the inputs)"
				}
				gn.Notes = append(gn.Notes, note)
				continue
			}
			if all || b.owners[e.To] > 1 || b.isAdmin[e.To] {
				b.policy(e.To)
				b.edge(n.ID, e.To.ID, kind, lbl, false)
			} else if e.Kind == analyzer.EdgeBoundary {
				gn.Notes = append(gn.Notes, "boundary: "+e.To.Policy.Name)
			} else {
				folded = append(folded, e.To.Policy.Name)
			}
		}
	}
	if len(folded) > 0 {
		gn.Notes = append(gn.Notes, "policies: "+strings.Join(folded, ", "))
	}
	if len(inline) > 0 {
		gn.Notes = append(gn.Notes, "inline: "+strings.Join(inline, ", "))
	}
}

func (b *graphBuilder) policy(n *analyzer.Node) {
	if b.nodes[n.ID] != nil {
		return
	}
	b.nodes[n.ID] = &reports.GraphNode{ID: n.ID, Kind: reports.GraphPolicy, Label: n.Policy.Name, Addr: n.Src.Addr, Pos: posOf(n.Src.Range), Admin: b.isAdmin[n]}
}

func (b *graphBuilder) edge(from, to, kind, label string, conditional bool) {
	b.edges[reports.GraphEdge{From: from, To: to, Kind: kind, Label: label, Conditional: conditional}] = true
}

func (b *graphBuilder) assumption(as *analyzer.Assumption) {
	b.node(as.From)
	b.node(as.Role)
	b.edge(as.From.ID, as.Role.ID, reports.EdgeAssume, assumeLabel(as), as.Allowed != iam.Yes)
}

func assumeLabel(as *analyzer.Assumption) string {
	l := "assume"
	if as.MFA {
		l += ", MFA"
	}
	if as.ExternalID {
		l += ", ExternalId"
	}
	return l
}

// trust adds the principals outside the inputs that a role's trust policy
// admits: services, identity providers, other accounts, anyone.
func (b *graphBuilder) trust(role *analyzer.Node) {
	for _, t := range b.a.Trustees(role) {
		var id, lbl string
		switch {
		case t.Kind == analyzer.TrustService:
			id, lbl = "service:"+t.Value, "service "+t.Value
		case t.Kind == analyzer.TrustFederated:
			id, lbl = "federated:"+t.Value, "identity provider "+t.Value
		case t.Kind == analyzer.TrustAnyone:
			id, lbl = "anyone", "anyone (*)"
		case t.External && t.Kind == analyzer.TrustAccount:
			id, lbl = "account:"+t.Account, "account "+t.Account
		case t.External:
			id, lbl = "principal:"+t.Value, "principal "+t.Value
		default:
			continue // the model's own principals: can-assume edges
		}
		if b.nodes[id] == nil {
			b.nodes[id] = &reports.GraphNode{ID: id, Kind: reports.GraphExternal, Label: lbl}
		}
		var conds []string
		if t.Requires("aws:MultiFactorAuthPresent") || t.Requires("aws:MultiFactorAuthAge") {
			conds = append(conds, "MFA")
		}
		if t.Requires("sts:ExternalId") {
			conds = append(conds, "ExternalId")
		}
		var how []string
		for _, a := range t.Actions {
			switch a {
			case "sts:AssumeRole":
				how = append(how, "assume")
			case "sts:AssumeRoleWithWebIdentity":
				how = append(how, "web identity")
			case "sts:AssumeRoleWithSAML":
				how = append(how, "SAML")
			}
		}
		if len(how) == 0 {
			continue // only session tags or source identity
		}
		b.edge(id, role.ID, reports.EdgeTrust, strings.Join(append(how, conds...), ", "), t.Conditional())
	}
}

// escalation adds the moves of a path (an sts:AssumeRole move replaces
// the plain can-assume edge, see result).
func (b *graphBuilder) escalation(moves []*analyzer.Move) {
	for _, m := range moves {
		b.node(m.From)
		b.node(m.To)
		b.edge(m.From.ID, m.To.ID, reports.EdgeEscalation, m.Technique.ID, m.Allowed != iam.Yes)
	}
}

var graphKindRank = map[string]int{reports.GraphUser: 0, reports.GraphGroup: 1, reports.GraphRole: 2, reports.GraphPolicy: 3, reports.GraphWorkload: 4, reports.GraphExternal: 5}

var edgeKindRank = map[string]int{reports.EdgeMember: 0, reports.EdgePolicy: 1, reports.EdgeBoundary: 2, reports.EdgeTrust: 3, reports.EdgeAssume: 4, reports.EdgeRunsAs: 5, reports.EdgeEscalation: 6}

// result sorts the nodes by kind and ID and the edges by kind, ends and
// label, escalation edges last.
func (b *graphBuilder) result(title string) *reports.Graph {
	g := &reports.Graph{Title: title}
	same := map[string]int{}
	for _, n := range b.nodes {
		same[n.Kind+" "+n.Label]++
	}
	for _, n := range b.nodes {
		if same[n.Kind+" "+n.Label] > 1 {
			// The same name in several inputs: say which one.
			where := n.Addr
			if file, _, ok := strings.Cut(n.Pos, ":"); ok && n.Pos != "" {
				where = file
			}
			n.Notes = append([]string{"in " + where}, n.Notes...)
		}
		g.Nodes = append(g.Nodes, *n)
	}
	slices.SortFunc(g.Nodes, func(x, y reports.GraphNode) int {
		return cmp.Or(cmp.Compare(graphKindRank[x.Kind], graphKindRank[y.Kind]), strings.Compare(x.ID, y.ID))
	})
	for e := range b.edges {
		// An assumption that is also an escalation move is drawn once.
		if e.Kind == reports.EdgeAssume && b.edges[reports.GraphEdge{From: e.From, To: e.To, Kind: reports.EdgeEscalation, Label: "sts-assume-role", Conditional: e.Conditional}] {
			continue
		}
		g.Edges = append(g.Edges, e)
	}
	slices.SortFunc(g.Edges, func(x, y reports.GraphEdge) int {
		return cmp.Or(cmp.Compare(edgeKindRank[x.Kind], edgeKindRank[y.Kind]), strings.Compare(x.From, y.From), strings.Compare(x.To, y.To),
			strings.Compare(x.Label, y.Label), cmp.Compare(fmt.Sprint(x.Conditional), fmt.Sprint(y.Conditional)))
	})
	return g
}

// grantsAdmin reports whether a document allows every action on every
// resource with no conditions in one statement, as AdministratorAccess
// does.
func grantsAdmin(pd *iam.PolicyDocument) bool {
	if pd == nil || pd.Doc == nil {
		return false
	}
	for _, s := range pd.Doc.Statements {
		if s.Effect != iam.Allow || s.NotAction.Present || s.NotResource.Present || len(s.Condition.Clauses) > 0 {
			continue
		}
		star := func(l iam.List) bool {
			return slices.ContainsFunc(l.Values, func(v iam.Value) bool { return v.Text == "*" && !v.Unknown })
		}
		if star(s.Action) && (star(s.Resource) || !s.Resource.Present) {
			return true
		}
	}
	return false
}
