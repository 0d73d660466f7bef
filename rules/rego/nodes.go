package rego

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

// locator maps the IDs of the input document back to the model: a
// finding's node to its source range and logical path.
type locator struct {
	g *analyzer.Graph
	// docs maps policy documents to the input's Documents (the user's
	// code), hops the addresses of memberships, attachments and
	// organization policy targets to their declarations.
	docs map[*iam.PolicyDocument]*rules.Document
	hops map[string]hop
	// files are the input files: a range elsewhere (an AWS managed
	// policy's, embedded in iamlint) is no position to report at.
	files map[string]bool
}

type hop struct {
	node  *iam.Node
	label string
}

func newLocator(in *rules.Input) *locator {
	l := &locator{g: in.Analysis().Graph, docs: map[*iam.PolicyDocument]*rules.Document{}, hops: map[string]hop{}, files: map[string]bool{}}
	for _, f := range in.Files() {
		l.files[f] = true
	}
	for _, d := range in.Documents {
		if _, dup := l.docs[d.Policy]; !dup {
			l.docs[d.Policy] = d
		}
	}
	for _, e := range l.g.Edges {
		if e.Via == nil || e.Via.Addr == "" {
			continue
		}
		if _, dup := l.hops[e.Via.Addr]; dup {
			continue
		}
		what := map[analyzer.EdgeKind]string{
			analyzer.EdgeMemberOf: "the group membership ", analyzer.EdgeAttached: "the policy attachment ",
			analyzer.EdgeBoundary: "the permissions boundary ", analyzer.EdgeAppliesTo: "the policy target ",
		}[e.Kind]
		l.hops[e.Via.Addr] = hop{node: e.Via, label: what + e.Via.Addr}
	}
	return l
}

// at returns a range when it is in an input file, else the zero range.
func (l *locator) at(r hcl.Range) hcl.Range {
	if !l.files[r.Filename] {
		return hcl.Range{}
	}
	return r
}

// location is where a node is.
type location struct {
	// doc is the user's document the node is in (a document, a
	// statement); nil for principals, groups, policies, hops.
	doc *rules.Document
	rng hcl.Range
	// addr is the object's address: the start of a finding's path.
	addr  string
	label string
}

var statementRef = regexp.MustCompile(`^(.*)#Statement\[(\d+)\]$`)

// locate finds a node, and an element of it ("Action[1]") when element
// is not empty.
func (l *locator) locate(id, element string) (location, error) {
	if m := statementRef.FindStringSubmatch(id); m != nil {
		if dn := l.g.Node(m[1]); dn != nil && dn.Kind == analyzer.KindDocument {
			return l.statement(dn, m[2], element)
		}
	}
	n := l.g.Node(id)
	if n == nil {
		if h, ok := l.hops[id]; ok {
			if element != "" {
				return location{}, fmt.Errorf("%q has no elements (element %q)", id, element)
			}
			return location{rng: l.at(h.node.Range), addr: h.node.Addr, label: h.label}, nil
		}
		return location{}, fmt.Errorf("no node of the input has the ID %q", id)
	}
	if element != "" {
		return location{}, fmt.Errorf("only statements have elements (node %q, element %q)", id, element)
	}
	loc := location{rng: l.at(n.Src.Range), addr: n.Src.Addr, label: label(n)}
	if n.Kind == analyzer.KindDocument {
		loc.doc = l.docs[n.Doc]
		if n.Doc.Doc != nil && l.files[n.Doc.Doc.Range.Filename] {
			loc.rng = n.Doc.Doc.Range
		}
	}
	return loc, nil
}

func label(n *analyzer.Node) string {
	switch n.Kind {
	case analyzer.KindUser:
		return "user " + n.User.Name
	case analyzer.KindRole:
		return "role " + n.Role.Name
	case analyzer.KindGroup:
		return "group " + n.Group.Name
	case analyzer.KindPolicy:
		return "policy " + n.Policy.Name
	case analyzer.KindAccount:
		return "account " + n.Account.ID
	case analyzer.KindWorkload:
		return n.Work.Kind.String() + " " + n.Work.Name
	case analyzer.KindDocument:
		return "the policy document " + n.ID
	}
	return n.ID
}

var elementRef = regexp.MustCompile(`^(Action|NotAction|Resource|NotResource)(?:\[(\d+)\])?$`)

func (l *locator) statement(dn *analyzer.Node, index, element string) (location, error) {
	i, _ := strconv.Atoi(index)
	if dn.Doc.Doc == nil || i >= len(dn.Doc.Doc.Statements) {
		return location{}, fmt.Errorf("document %q has no statement %s", dn.ID, index)
	}
	s := dn.Doc.Doc.Statements[i]
	loc := location{doc: l.docs[dn.Doc], rng: l.at(s.Range), addr: dn.Src.Addr, label: fmt.Sprintf("statement %d of %s", i, dn.ID)}
	if s.Sid != "" {
		loc.label = fmt.Sprintf("statement %q of %s", s.Sid, dn.ID)
	}
	if element == "" {
		return loc, nil
	}
	var rng hcl.Range
	switch element {
	case "Sid":
		rng = s.SidRange
	case "Effect":
		rng = s.EffectRange
	case "Principal":
		if s.Principal != nil {
			rng = s.Principal.Range
		}
	case "NotPrincipal":
		if s.NotPrincipal != nil {
			rng = s.NotPrincipal.Range
		}
	case "Condition":
		rng = s.Condition.Range
	default:
		m := elementRef.FindStringSubmatch(element)
		if m == nil {
			return location{}, fmt.Errorf("unknown element %q: write Sid, Effect, Principal, NotPrincipal, Condition, or Action, NotAction, Resource, NotResource with an optional [index]", element)
		}
		list := map[string]iam.List{"Action": s.Action, "NotAction": s.NotAction, "Resource": s.Resource, "NotResource": s.NotResource}[m[1]]
		if m[2] == "" {
			rng = list.Range
			break
		}
		j, _ := strconv.Atoi(m[2])
		if j >= len(list.Values) {
			return location{}, fmt.Errorf("statement %s of %q has no element %s", index, dn.ID, element)
		}
		rng = list.Values[j].Range
	}
	if rng.Filename == "" {
		return location{}, fmt.Errorf("statement %s of %q has no %s", index, dn.ID, strings.TrimSuffix(element, "[0]"))
	}
	loc.rng = l.at(rng)
	return loc, nil
}
