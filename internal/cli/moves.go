package cli

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
)

// moveGraph walks the moves between principals: role assumption and the
// escalation techniques by which one principal gains another's
// permissions.
type moveGraph struct {
	f *analyzer.MoveFinder
}

func newMoveGraph(a *analyzer.Analysis) *moveGraph {
	return &moveGraph{f: a.MoveFinder()}
}

// sortMoves returns the moves sorted by target, actor, technique and the
// object they work through, each once.
func sortMoves(moves []*analyzer.Move) []*analyzer.Move {
	l := slices.Clone(moves)
	slices.SortStableFunc(l, compareMoves)
	return slices.CompactFunc(l, func(x, y *analyzer.Move) bool { return compareMoves(x, y) == 0 && x.Allowed == y.Allowed })
}

func compareMoves(x, y *analyzer.Move) int {
	return cmp.Or(strings.Compare(x.To.ID, y.To.ID), strings.Compare(x.From.ID, y.From.ID), strings.Compare(x.Technique.ID, y.Technique.ID), strings.Compare(nodeID(x.Via), nodeID(y.Via)))
}

func nodeID(n *analyzer.Node) string {
	if n == nil {
		return ""
	}
	return n.ID
}

// toward finds, for every principal that can reach one of goals, its
// shortest path there, and among the shortest the surest (goals map to
// how sure their own answer is). It searches breadth-first backwards from
// the goals, a level at a time; ties go to the first in principal and move
// order. Principals in goals are not in the result.
func (mg *moveGraph) toward(goals map[*analyzer.Node]iam.Tri) map[*analyzer.Node][]*analyzer.Move {
	next := map[*analyzer.Node]*analyzer.Move{}
	sure := map[*analyzer.Node]iam.Tri{}
	var level []*analyzer.Node
	for g, t := range goals {
		sure[g] = t
		level = append(level, g)
	}
	byID := func(x, y *analyzer.Node) int { return strings.Compare(x.ID, y.ID) }
	slices.SortFunc(level, byID)
	unseen := func(n *analyzer.Node) bool { _, ok := sure[n]; return !ok }
	for len(level) > 0 {
		best := map[*analyzer.Node]*analyzer.Move{}
		bestT := map[*analyzer.Node]iam.Tri{}
		var found []*analyzer.Node
		for _, q := range level {
			for _, m := range sortMoves(mg.f.Into(q, unseen)) {
				if !unseen(m.From) {
					continue
				}
				t := min(m.Allowed, sure[q])
				if _, ok := best[m.From]; !ok {
					found = append(found, m.From)
				} else if t <= bestT[m.From] {
					continue
				}
				best[m.From], bestT[m.From] = m, t
			}
		}
		slices.SortFunc(found, byID)
		for _, n := range found {
			next[n], sure[n] = best[n], bestT[n]
		}
		level = found
	}
	out := map[*analyzer.Node][]*analyzer.Move{}
	for n := range next {
		var path []*analyzer.Move
		for cur := n; next[cur] != nil; cur = next[cur].To {
			path = append(path, next[cur])
		}
		out[n] = path
	}
	return out
}

// weakest is the weakest answer of a path's moves.
func weakest(moves []*analyzer.Move) iam.Tri {
	t := iam.Yes
	for _, m := range moves {
		t = min(t, m.Allowed)
	}
	return t
}

// moveLine is one move on one line: "user dana —[sts-assume-role: assume
// the role]→ role ci-release".
func moveLine(m *analyzer.Move) string {
	to := label(m.To)
	if m.To == m.From {
		to = "itself"
	}
	return fmt.Sprintf("%s —[%s: %s]→ %s", label(m.From), m.Technique.ID, m.Technique.Name, to)
}

// moveNotes are the move's qualifiers: how sure it is, MFA and ExternalId
// on a role assumption, the object it works through.
func moveNotes(m *analyzer.Move) string {
	notes := []string{m.Allowed.String()}
	if as := m.Assumption; as != nil {
		if as.MFA {
			notes = append(notes, "needs MFA")
		}
		if as.ExternalID {
			notes = append(notes, "needs the ExternalId")
		}
	}
	if m.Via != nil {
		notes = append(notes, "via "+m.Via.Kind.String()+" "+m.Via.ID)
	}
	return strings.Join(notes, ", ")
}

// stepRefs decides a step again and returns the statements that enable
// it. A role assumption is explained with the trust policy.
func stepRefs(a *analyzer.Analysis, st *stmtTable, m *analyzer.Move, s analyzer.Step) []*stmtEntry {
	p := a.Permissions(m.From)
	if m.Assumption != nil && s.Action == "sts:AssumeRole" {
		res := a.Explain(m.Assumption)
		var trust *iam.Document
		if r := m.Assumption.Role.Role; r != nil && r.Trust != nil {
			trust = r.Trust.Doc
		}
		var out []*stmtEntry
		for _, e := range st.refsOf(p, res.Best.Statements) {
			if e.Stmt == nil && e.Ref.Kind == iam.KindTrust && trust != nil && e.Ref.Index < len(trust.Statements) {
				e.Stmt = trust.Statements[e.Ref.Index]
			}
			out = append(out, e)
		}
		return out
	}
	return st.refsOf(p, p.DecideStep(s).Best.Statements)
}

// stepText is a step on one line: action, resource, the keys the
// technique settles.
func stepText(s analyzer.Step) string {
	t := s.Action + " on " + s.Resource
	var kv []string
	for i := 0; i+1 < len(s.Context); i += 2 {
		kv = append(kv, s.Context[i]+"="+s.Context[i+1])
	}
	if len(kv) > 0 {
		t += " with " + strings.Join(kv, ", ")
	}
	return t
}

// writeMoves prints a path, one numbered move a line; with steps, each
// move's steps and the statements that enable them follow.
func writeMoves(w io.Writer, a *analyzer.Analysis, st *stmtTable, moves []*analyzer.Move, indent string, steps bool) {
	for i, m := range moves {
		fmt.Fprintf(w, "%s%d. %s  (%s)\n", indent, i+1, moveLine(m), moveNotes(m))
		if !steps {
			continue
		}
		for _, s := range m.Steps {
			fmt.Fprintf(w, "%s     %s: %s", indent, stepText(s), s.Allowed)
			if refs := stepRefs(a, st, m, s); len(refs) > 0 {
				fmt.Fprintf(w, "  by %s", refList(refs))
			}
			fmt.Fprintln(w)
		}
	}
}

// ---- JSON ----

type moveJSON struct {
	From       principalOut `json:"from"`
	To         principalOut `json:"to"`
	Technique  string       `json:"technique"`
	Name       string       `json:"name"`
	Kind       string       `json:"kind"`
	Allowed    string       `json:"allowed"`
	Via        string       `json:"via,omitempty"`
	MFA        bool         `json:"mfa,omitempty"`
	ExternalID bool         `json:"externalId,omitempty"`
	Steps      []stepJSON   `json:"steps"`
}

type stepJSON struct {
	Action     string            `json:"action"`
	Resource   string            `json:"resource"`
	Context    map[string]string `json:"context,omitempty"`
	Allowed    string            `json:"allowed"`
	Statements []int             `json:"statements"`
}

func movesJSON(a *analyzer.Analysis, st *stmtTable, moves []*analyzer.Move) []moveJSON {
	out := []moveJSON{}
	for _, m := range moves {
		mj := moveJSON{From: principalJSON(m.From), To: principalJSON(m.To), Technique: m.Technique.ID, Name: m.Technique.Name,
			Kind: m.Technique.Kind.String(), Allowed: m.Allowed.String(), Via: nodeID(m.Via), Steps: []stepJSON{}}
		if as := m.Assumption; as != nil {
			mj.MFA, mj.ExternalID = as.MFA, as.ExternalID
		}
		for _, s := range m.Steps {
			sj := stepJSON{Action: s.Action, Resource: s.Resource, Allowed: s.Allowed.String(), Statements: ids(stepRefs(a, st, m, s))}
			for i := 0; i+1 < len(s.Context); i += 2 {
				if sj.Context == nil {
					sj.Context = map[string]string{}
				}
				sj.Context[s.Context[i]] = s.Context[i+1]
			}
			mj.Steps = append(mj.Steps, sj)
		}
		out = append(out, mj)
	}
	return out
}
