package reports

import (
	"fmt"
	"io"
	"strings"
)

// Graph is a picture of an account's IAM for `iamlint graph`: principals,
// groups, the policies worth drawing, trust and role assumption, and
// escalation moves. Commands build it from the analyzer's facts; the
// renderers here only draw it, in the order given (commands sort it).
type Graph struct {
	// Title is a comment line at the top of the output.
	Title string
	Nodes []GraphNode
	Edges []GraphEdge
}

// Graph node kinds.
const (
	GraphUser     = "user"
	GraphGroup    = "group"
	GraphRole     = "role"
	GraphPolicy   = "policy"
	GraphExternal = "external" // a trusted principal outside the inputs: an account, a service, a provider
	GraphWorkload = "workload"
)

// Graph edge kinds.
const (
	EdgeMember     = "member-of"  // user → group
	EdgePolicy     = "policy"     // user, group or role → managed policy
	EdgeBoundary   = "boundary"   // user or role → its permissions boundary
	EdgeAssume     = "can-assume" // principal → role it may assume
	EdgeTrust      = "trusted-by" // external principal → role whose trust policy admits it
	EdgeEscalation = "escalation" // one move of an escalation path
	EdgeRunsAs     = "runs-as"    // workload → role
)

// GraphNode is one box of the picture.
type GraphNode struct {
	// ID is unique in the graph and stable across runs (an address).
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Label string `json:"label"`
	// Addr and Pos say where the node is declared; Pos is empty for
	// objects without a source (an AWS managed policy, an external
	// principal).
	Addr string `json:"addr,omitempty"`
	Pos  string `json:"pos,omitempty"`
	// Notes are extra lines: folded policies, "administrator", ...
	Notes []string `json:"notes,omitempty"`
	// Admin marks a principal with administrator permissions (or a
	// policy that grants them); Focus the principal the graph is about.
	Admin bool `json:"admin,omitempty"`
	Focus bool `json:"focus,omitempty"`
}

// GraphEdge is one arrow. Escalation edges are drawn apart from the rest.
type GraphEdge struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Kind  string `json:"kind"`
	Label string `json:"label,omitempty"`
	// Conditional: the edge holds only in some requests (MFA, ExternalId,
	// other conditions).
	Conditional bool `json:"conditional,omitempty"`
}

// GraphFormats lists the formats WriteGraph accepts.
func GraphFormats() []string { return []string{"dot", "mermaid", "json"} }

// WriteGraph renders g in a format of GraphFormats.
func WriteGraph(w io.Writer, format string, g *Graph) error {
	switch format {
	case "dot":
		return writeDot(w, g)
	case "mermaid":
		return writeMermaid(w, g)
	case "json":
		return writeGraphJSON(w, g)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(GraphFormats(), ", "))
}

// shortIDs numbers the nodes n1, n2, ... in order: addresses hold
// characters neither DOT identifiers nor Mermaid IDs accept.
func shortIDs(g *Graph) map[string]string {
	ids := make(map[string]string, len(g.Nodes))
	for i, n := range g.Nodes {
		ids[n.ID] = fmt.Sprintf("n%d", i+1)
	}
	return ids
}

func (n *GraphNode) lines() []string {
	out := []string{n.Kind + " " + n.Label}
	if n.Kind == GraphExternal {
		out[0] = n.Label
	}
	return append(out, n.Notes...)
}

// edgeLabel adds "if ..." to a conditional edge's label.
func (e *GraphEdge) label() string {
	l := e.Label
	if e.Conditional {
		if l == "" {
			return "conditional"
		}
		l += " (conditional)"
	}
	return l
}

// ---- DOT ----

func writeDot(w io.Writer, g *Graph) error {
	ids := shortIDs(g)
	var b strings.Builder
	if g.Title != "" {
		fmt.Fprintf(&b, "// %s\n", oneLine(g.Title))
	}
	b.WriteString("// Red bold arrows are escalation moves; dashed arrows, role assumption and trust.\n")
	b.WriteString("digraph iam {\n")
	b.WriteString("  rankdir=LR;\n")
	b.WriteString("  node [fontname=\"Helvetica\", fontsize=11, style=filled, fillcolor=\"#ffffff\"];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=9];\n")
	for _, n := range g.Nodes {
		attrs := []string{"label=" + dotQuote(strings.Join(n.lines(), "\n"))}
		switch n.Kind {
		case GraphUser:
			attrs = append(attrs, "shape=ellipse", `fillcolor="#e8f0fe"`)
		case GraphGroup:
			attrs = append(attrs, "shape=folder", `fillcolor="#e6f4ea"`)
		case GraphRole:
			attrs = append(attrs, "shape=box", `style="rounded,filled"`, `fillcolor="#fef7e0"`)
		case GraphPolicy:
			attrs = append(attrs, "shape=note", `fillcolor="#f1f3f4"`)
		case GraphExternal:
			attrs = append(attrs, "shape=hexagon", `fillcolor="#f3e8fd"`)
		case GraphWorkload:
			attrs = append(attrs, "shape=component", `fillcolor="#f1f3f4"`)
		}
		if n.Admin {
			attrs = append(attrs, `color="#d93025"`, "penwidth=2.5")
		}
		if n.Focus {
			attrs = append(attrs, "peripheries=2")
		}
		fmt.Fprintf(&b, "  %s [%s];\n", ids[n.ID], strings.Join(attrs, ", "))
	}
	for _, e := range g.Edges {
		from, to := ids[e.From], ids[e.To]
		if from == "" || to == "" {
			return fmt.Errorf("graph edge %s → %s names a node that is not in the graph", e.From, e.To)
		}
		var attrs []string
		if l := e.label(); l != "" {
			attrs = append(attrs, "label="+dotQuote(l))
		}
		switch e.Kind {
		case EdgeEscalation:
			attrs = append(attrs, `color="#d93025"`, `fontcolor="#d93025"`, "penwidth=2.5", "style=bold")
		case EdgeAssume, EdgeTrust:
			attrs = append(attrs, "style=dashed")
		case EdgeBoundary:
			attrs = append(attrs, "style=dotted", "arrowhead=tee")
		case EdgePolicy, EdgeRunsAs:
			attrs = append(attrs, `color="#80868b"`)
		}
		fmt.Fprintf(&b, "  %s -> %s", from, to)
		if len(attrs) > 0 {
			fmt.Fprintf(&b, " [%s]", strings.Join(attrs, ", "))
		}
		b.WriteString(";\n")
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// dotQuote quotes a DOT string; "\n" becomes a centred line break.
func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// ---- Mermaid ----

func writeMermaid(w io.Writer, g *Graph) error {
	ids := shortIDs(g)
	var b strings.Builder
	if g.Title != "" {
		fmt.Fprintf(&b, "%%%% %s\n", oneLine(g.Title))
	}
	b.WriteString("%% Red thick arrows are escalation moves; dotted arrows, role assumption and trust.\n")
	b.WriteString("flowchart LR\n")
	classes := map[string][]string{}
	var classOrder []string
	addClass := func(class, id string) {
		if classes[class] == nil {
			classOrder = append(classOrder, class)
		}
		classes[class] = append(classes[class], id)
	}
	for _, n := range g.Nodes {
		id := ids[n.ID]
		label := mermaidText(strings.Join(n.lines(), "\n"))
		var shape string
		switch n.Kind {
		case GraphUser:
			shape = `(["` + label + `"])`
		case GraphGroup:
			shape = `[["` + label + `"]]`
		case GraphRole:
			shape = `("` + label + `")`
		case GraphPolicy:
			shape = `[/"` + label + `"/]`
		case GraphExternal:
			shape = `{{"` + label + `"}}`
		default:
			shape = `["` + label + `"]`
		}
		fmt.Fprintf(&b, "  %s%s\n", id, shape)
		addClass(n.Kind, id)
		if n.Admin {
			addClass("admin", id)
		}
		if n.Focus {
			addClass("focus", id)
		}
	}
	var escalations []string
	for i, e := range g.Edges {
		from, to := ids[e.From], ids[e.To]
		if from == "" || to == "" {
			return fmt.Errorf("graph edge %s → %s names a node that is not in the graph", e.From, e.To)
		}
		arrow := "-->"
		switch e.Kind {
		case EdgeEscalation:
			arrow = "==>"
			escalations = append(escalations, fmt.Sprint(i))
		case EdgeAssume, EdgeTrust, EdgeBoundary:
			arrow = "-.->"
		}
		if l := e.label(); l != "" {
			fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", from, arrow, mermaidText(l), to)
		} else {
			fmt.Fprintf(&b, "  %s %s %s\n", from, arrow, to)
		}
	}
	for _, c := range []struct{ name, style string }{
		{GraphUser, "fill:#e8f0fe,stroke:#1a73e8"},
		{GraphGroup, "fill:#e6f4ea,stroke:#188038"},
		{GraphRole, "fill:#fef7e0,stroke:#b06000"},
		{GraphPolicy, "fill:#f1f3f4,stroke:#80868b"},
		{GraphExternal, "fill:#f3e8fd,stroke:#8430ce"},
		{GraphWorkload, "fill:#f1f3f4,stroke:#5f6368"},
		{"admin", "stroke:#d93025,stroke-width:3px"},
		{"focus", "stroke-width:4px"},
	} {
		if classes[c.name] != nil {
			fmt.Fprintf(&b, "  classDef %s %s\n", c.name, c.style)
		}
	}
	for _, c := range classOrder {
		fmt.Fprintf(&b, "  class %s %s\n", strings.Join(classes[c], ","), c)
	}
	if len(escalations) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s stroke:#d93025,stroke-width:3px,color:#d93025\n", strings.Join(escalations, ","))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mermaidText escapes text for a quoted Mermaid label: quotes and angle
// brackets become entity codes, and line breaks <br/>.
func mermaidText(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", "<br/>", "#", "#35;", "|", "#124;")
	return r.Replace(s)
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// ---- JSON ----

// graphJSON is the JSON form of a Graph, version 1: nodes and edges as
// GraphNode and GraphEdge document them, edges naming nodes by ID.
type graphJSON struct {
	Version int         `json:"version"`
	Title   string      `json:"title,omitempty"`
	Nodes   []GraphNode `json:"nodes"`
	Edges   []GraphEdge `json:"edges"`
}

func writeGraphJSON(w io.Writer, g *Graph) error {
	out := graphJSON{Version: 1, Title: g.Title, Nodes: g.Nodes, Edges: g.Edges}
	if out.Nodes == nil {
		out.Nodes = []GraphNode{}
	}
	if out.Edges == nil {
		out.Edges = []GraphEdge{}
	}
	return writeJSON(w, out)
}
