package builtin

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

// escClass sorts the principals that can escalate into the rules that
// report them.
type escClass uint8

const (
	escExposed  escClass = iota // a user, or a role someone outside the account or a federated identity may assume
	escInternal                 // any other role
)

// escClassOf says which escalation rule reports a principal.
func escClassOf(a *analyzer.Analysis, n *analyzer.Node) escClass {
	if n.User != nil {
		return escExposed
	}
	for _, t := range a.Trustees(n) {
		if t.External || t.Kind == analyzer.TrustFederated {
			return escExposed
		}
	}
	return escInternal
}

// escNoMFAUser reports whether IAM354 reports the user instead: it has a
// console password or an active key and, by its credential report, no
// MFA. One finding then says both (the correlation rule).
func escNoMFAUser(n *analyzer.Node) bool {
	u := n.User
	if u == nil || u.Credentials == nil || u.Credentials.MFAActive {
		return false
	}
	if u.Credentials.PasswordEnabled {
		return true
	}
	return slices.ContainsFunc(u.Credentials.AccessKeys[:], func(k iam.CredentialKey) bool { return k.Active })
}

// escReport reports the escalations that keep accepts: one finding per
// principal, at the statement that enables the path's first step, with
// every hop's target and enabling statements as related locations.
func escReport(p *rules.Pass, toAdmin bool, keep func(a *analyzer.Analysis, n *analyzer.Node) bool) {
	a := p.Input.Analysis()
	files := acctInputFiles(p.Input)
	for _, e := range a.Escalations() {
		if (e.Admin != iam.No) != toAdmin || len(e.Moves) == 0 || !keep(a, e.Principal) {
			continue
		}
		n := e.Principal
		var steps, hops []string
		var related []rules.Related
		var at hcl.Range
		hops = append(hops, n.Src.Addr)
		for i, m := range e.Moves {
			step := m.Technique.Name + " → " + acctNodeLabel(m.To)
			if m.Via != nil {
				step += " (through " + acctNodeLabel(m.Via) + ")"
			}
			if m.Allowed == iam.Maybe {
				step += " [conditional]"
			}
			steps = append(steps, fmt.Sprintf("%d. %s", i+1, step))
			hops = append(hops, m.Technique.ID, m.To.Src.Addr)
			for _, ref := range escStatements(a, m) {
				if !files.has(ref.Range) {
					continue
				}
				if at.Filename == "" {
					at = ref.Range
					continue
				}
				related = append(related, rules.Related{Range: ref.Range, Message: fmt.Sprintf("step %d (%s) is allowed here", i+1, m.Technique.ID)})
			}
			if m.To != n && files.has(m.To.Src.Range) {
				related = append(related, rules.Related{Range: m.To.Src.Range, Message: fmt.Sprintf("step %d gains the permissions of %s", i+1, acctNodeLabel(m.To))})
			}
		}
		if at.Filename == "" {
			at = n.Src.Range
		} else if files.has(n.Src.Range) {
			related = append([]rules.Related{{Range: n.Src.Range, Message: acctNodeLabel(n) + " is declared here"}}, related...)
		}
		goal := "become an administrator"
		if !toAdmin {
			g := e.Gains.Len()
			goal = fmt.Sprintf("gain the permissions of %s (%d %s it lacks)", acctNodeLabel(e.Target()), g, plural(g, "action", "actions"))
		}
		cond := ""
		if e.Allowed() == iam.Maybe || e.Admin == iam.Maybe {
			cond = " in some requests"
		}
		how := strings.Join(steps, "; ")
		if len(steps) == 1 {
			how = strings.TrimPrefix(how, "1. ")
		}
		p.ReportAt(n.Src.Addr, strings.Join(hops, " → "), strings.Join(hops[1:], " "), at, related,
			"%s can %s%s in %d %s: %s", acctNodeLabel(n), goal, cond, len(e.Moves), plural(len(e.Moves), "step", "steps"), how)
	}
}

// escStatements returns the Allow statements that enable a move's steps:
// the trust and identity statements of a role assumption, else the
// statements that allow each step.
func escStatements(a *analyzer.Analysis, m *analyzer.Move) []iam.StatementRef {
	var out []iam.StatementRef
	if m.Assumption != nil {
		return a.AllowingStatements(m.Assumption)
	}
	perms := a.Permissions(m.From)
	if perms == nil {
		return nil
	}
	for _, st := range m.Steps {
		for _, ref := range perms.DecideStep(st).Best.Statements {
			if ref.Effect == iam.Allow && ref.Kind == iam.KindIdentity && !slices.ContainsFunc(out, func(r iam.StatementRef) bool { return r.Range == ref.Range }) {
				out = append(out, ref)
			}
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
