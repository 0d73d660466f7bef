package accessdiff

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/reports"
	"github.com/iamlint/iamlint/rules"
)

// The rules of the results Report makes of changes of access. They are
// not IAMnnn rules: they describe what a diff finds, for SARIF viewers,
// and link to the page of docs/ci.md that explains iamlint diff.
const (
	RuleNewEscalation = "diff/new-escalation-path"
	RuleNewAccess     = "diff/new-access"
	RuleNewTrust      = "diff/new-trust"
	RuleNewAssume     = "diff/new-assume"
)

// DiffDocURL is the documentation of what iamlint diff reports.
const DiffDocURL = "https://github.com/iamlint/iamlint/blob/main/docs/ci.md#sarif-for-code-scanning"

// Rules describes the kinds of result Report makes of changes of access.
func Rules() []*rules.Rule {
	meta := func(id, title string, sev rules.Severity, rationale string) *rules.Rule {
		return &rules.Rule{Meta: rules.Meta{
			ID: id, Slug: strings.TrimPrefix(id, "diff/"), Title: title, Severity: sev, Default: true,
			Rationale: rationale, References: []string{DiffDocURL},
		}}
	}
	return []*rules.Rule{
		meta(RuleNewEscalation, "Change opens a new escalation path", rules.Critical,
			"The change gives a principal a way to more permissions than its own — to an administrator's, "+
				"or to another principal's — that the base did not have: a chain of moves such as passing a "+
				"role to a new Lambda function, or editing its own policies.\n\n"+
				"Break the chain at its cheapest link, or permit it with `--allow-new PRINCIPAL:escalation`."),
		meta(RuleNewAccess, "Change grants actions beyond --allow-new", rules.High,
			"The change lets a principal perform actions it could not perform before (or perform them in "+
				"every request where it could only under conditions), and no `--allow-new` entry permits them.\n\n"+
				"Grant only what the principal needs, or permit the growth with `--allow-new PRINCIPAL:SERVICE:ACTION`."),
		meta(RuleNewTrust, "Change makes a role trust a new principal", rules.High,
			"A role's trust policy admits a principal — an account, a role, a service, a federated provider "+
				"or anyone — that it did not admit before, and no `--allow-new` entry permits it.\n\n"+
				"Permit it with `--allow-new TRUSTED:sts:AssumeRole` when it is intended."),
		meta(RuleNewAssume, "Change lets a principal assume a new role", rules.High,
			"A principal of the inputs may assume a role it could not assume before, and no `--allow-new` "+
				"entry permits it.\n\n"+
				"Permit it with `--allow-new PRINCIPAL:sts:AssumeRole` when it is intended."),
	}
}

// Report makes a report of the diff for the reporters of package
// reports, as iamlint diff --format sarif writes it:
//
//   - every escalation path head adds that grows access, a
//     diff/new-escalation-path result (critical when it ends with
//     administrator permissions, else high), suppressed ("external") when
//     an allow entry permits it;
//   - every other growth of access no allow entry permits (violations):
//     diff/new-access, diff/new-trust or diff/new-assume, high;
//   - every finding head adds, as its rule reported it.
//
// Results of changes of access are located at what grants the access in
// head's files — the elements of the statements that allow the actions,
// the trusted principal in the trust policy, the statements that enable
// each move of an escalation path — with the rest as related locations,
// or at the principal when nothing is in a file. Their fingerprints hash
// the rule and the principals involved, not positions. Names are those of
// head as loaded (relative to the working folder), not relative to its
// root, so that viewers find the files. ran are the rules that ran on the
// states, to describe their findings; Tool and Diagnostics are the
// caller's to fill in.
func (d *Diff) Report(allow []Allow, violations []Violation, ran []*rules.Rule) *reports.Report {
	r := &reports.Report{Rules: append(Rules(), ran...)}
	h := d.head
	if h == nil || h.a == nil {
		return r
	}
	for _, e := range d.Escalations.Added {
		if !e.Grows {
			continue
		}
		f := h.escalationFinding(e)
		if !slices.ContainsFunc(violations, func(v Violation) bool { return v.Kind == "escalation" && v.key == e.Principal.Key }) {
			why := "permitted by --allow-new"
			for _, a := range allow {
				if a.matches(names(e.Principal), "escalation") {
					why += " " + a.Text
					break
				}
			}
			f.Suppressed = &rules.Suppressed{Reason: why, External: true}
			r.Suppressed = append(r.Suppressed, f)
			continue
		}
		r.Findings = append(r.Findings, f)
	}
	for _, v := range violations {
		var f rules.Finding
		switch {
		case v.Kind == "actions":
			f = h.actionsFinding(v)
		case v.trust != nil:
			f = h.trustFinding(v)
		case v.assume != nil:
			f = h.assumeFinding(v)
		default:
			continue // escalation: reported with its path above
		}
		r.Findings = append(r.Findings, f)
	}
	for _, f := range d.Findings.Added {
		r.Findings = append(r.Findings, h.st.Findings[f.idx])
	}
	rules.SortFindings(r.Findings)
	rules.SortFindings(r.Suppressed)
	return r
}

// place gathers the locations of a result: the first range in a file is
// the result's, the others related.
type place struct {
	at      hcl.Range
	related []rules.Related
	seen    map[hcl.Range]bool // at and the related ranges
}

// inFile reports whether a range is in one of the inputs' files (not in
// an AWS managed policy, which is named by its ARN).
func inFile(r hcl.Range) bool { return r.Filename != "" && !strings.HasPrefix(r.Filename, "arn:") }

func (p *place) add(r hcl.Range, msg string) {
	if !inFile(r) || p.seen[r] {
		return
	}
	if p.seen == nil {
		p.seen = map[hcl.Range]bool{}
	}
	p.seen[r] = true
	if p.at.Filename == "" {
		p.at = r
		return
	}
	p.related = append(p.related, rules.Related{Range: r, Message: msg})
}

// finding makes the result, at n's declaration when nothing else was in
// a file.
func (p *place) finding(n *analyzer.Node, rule string, sev rules.Severity, msg, path string, key ...string) rules.Finding {
	if p.at.Filename == "" && n != nil {
		p.at = n.Src.Range
	}
	return rules.Finding{RuleID: rule, Severity: sev, Message: msg, Range: p.at, Related: p.related, Path: path,
		Fingerprint: fingerprint(append([]string{rule}, key...)...)}
}

func (s *side) escalationFinding(e EscalationChange) rules.Finding {
	var p place
	n := s.node(e.Principal.Key)
	cat := catalog.Default()
	if esc := s.a.EscalationOf(n); esc != nil {
		for i, m := range esc.Moves {
			step := fmt.Sprintf("step %d (%s)", i+1, m.Technique.ID)
			if m.Assumption != nil {
				for _, ref := range s.a.AllowingStatements(m.Assumption) {
					p.add(ref.Range, step+" is allowed here")
				}
			} else if perms := s.a.Permissions(m.From); perms != nil {
				for _, st := range m.Steps {
					var act catalog.Set
					if a := cat.Action(st.Action); a != nil {
						act.Add(a.Index)
					}
					for _, ref := range perms.DecideStep(st).Best.Statements {
						if ref.Effect != iam.Allow || ref.Kind != iam.KindIdentity {
							continue
						}
						g := slices.IndexFunc(perms.Allows, func(g *analyzer.Grant) bool { return g.Statement.Range == ref.Range })
						if g < 0 || act.Empty() {
							p.add(ref.Range, step+" is allowed here")
							continue
						}
						p.addGrant(cat, perms.Allows[g], act, step)
					}
				}
			}
			if m.To != n {
				p.add(m.To.Src.Range, fmt.Sprintf("step %d gains the permissions of %s", i+1, s.info(m.To).Label()))
			}
		}
	}
	if n != nil {
		p.add(n.Src.Range, s.info(n).Label()+" is declared here")
	}
	sev := rules.Critical
	if e.Admin == iam.No.String() {
		sev = rules.High
	}
	hops := []string{e.Principal.Key}
	var moves []string
	for i, m := range e.Moves {
		hops = append(hops, m.Technique, m.To)
		moves = append(moves, fmt.Sprintf("%d. %s (%s) → %s", i+1, m.Technique, m.Name, m.To))
	}
	return p.finding(n, RuleNewEscalation, sev, escalationDetail(e)+": "+strings.Join(moves, "; "),
		strings.Join(hops, " → "), e.Principal.Key, e.Target.Key)
}

// actionsFinding locates actions a principal gains at the statements
// that may allow some of them (see addGrant).
func (s *side) actionsFinding(v Violation) rules.Finding {
	var p place
	n := s.node(v.key)
	cat := catalog.Default()
	var want catalog.Set
	for _, name := range v.Actions {
		if act := cat.Action(name); act != nil {
			want.Add(act.Index)
		}
	}
	if perms := s.a.Permissions(n); perms != nil {
		for _, g := range perms.Allows {
			p.addGrant(cat, g, want, "")
		}
	}
	return p.finding(n, RuleNewAccess, rules.High, v.Detail, v.key, v.key)
}

// addGrant adds the places where a statement allows some of acts: its
// Action values that name them (the whole Action or NotAction element
// when none does), or, for a statement of an AWS managed policy, the
// attachment that brings the policy. Each says what it allows, after
// prefix.
func (p *place) addGrant(cat *catalog.Catalog, g *analyzer.Grant, acts catalog.Set, prefix string) {
	granted := g.Actions().Clone()
	granted.Intersect(acts)
	if granted.Empty() {
		return
	}
	allows := func(set catalog.Set) string {
		msg := "allows " + actionSummary(actionNames(cat.SetActions(set)))
		if prefix != "" {
			msg = prefix + ": " + msg
		}
		return msg
	}
	if !inFile(g.Statement.Range) {
		hops := g.Path.Hops
		for i := len(hops) - 1; i >= 0; i-- {
			if r := hops[i].Src.Range; inFile(r) {
				p.add(r, fmt.Sprintf("brings %s, which %s", hops[len(hops)-1].Src.Addr, allows(granted)))
				return
			}
		}
		return
	}
	list, not := g.Statement.Actions()
	found := false
	if !not {
		for _, v := range list.Values {
			got := cat.ExpandSet(v.Text)
			got.Intersect(granted)
			if !got.Empty() {
				p.add(v.Range, allows(got))
				found = true
			}
		}
	}
	switch {
	case found:
	case list.Present:
		p.add(list.Range, allows(granted))
	default:
		p.add(g.Statement.Range, allows(granted))
	}
}

func actionNames(acts []*catalog.Action) []string {
	out := make([]string, len(acts))
	for i, a := range acts {
		out[i] = a.FullName()
	}
	return out
}

// trustFinding locates a new trust relationship at the principal the
// trust policy names.
func (s *side) trustFinding(v Violation) rules.Finding {
	var p place
	t := v.trust
	n := s.node(t.Role.Key)
	if n != nil {
		for _, tr := range s.a.Trustees(n) {
			if tr.Kind.String() == t.Kind && s.rel(tr.Value) == t.Value {
				p.add(tr.Range, "it is admitted here too")
			}
		}
		p.add(n.Src.Range, t.Role.Label()+" is declared here")
	}
	return p.finding(n, RuleNewTrust, rules.High, v.Detail, t.Role.Key+" → "+t.Value, t.Role.Key, t.Kind, t.Value)
}

// assumeFinding locates a new can-assume edge at the statements that
// allow it.
func (s *side) assumeFinding(v Violation) rules.Finding {
	var p place
	x := v.assume
	from, role := s.node(x.From.Key), s.node(x.Role.Key)
	for _, as := range s.a.Assumable(from) {
		if as.Role != role {
			continue
		}
		for _, ref := range s.a.AllowingStatements(as) {
			what := "allows sts:AssumeRole on the role"
			if ref.Kind == iam.KindTrust {
				what = "the role's trust policy admits " + x.From.Label()
			}
			p.add(ref.Range, what)
		}
	}
	return p.finding(from, RuleNewAssume, rules.High, v.Detail, x.From.Key+" → "+x.Role.Key, x.From.Key, x.Role.Key)
}

// fingerprint hashes the parts of a result's identity into 16 hex digits,
// the form of the rules' fingerprints.
func fingerprint(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:8])
}
