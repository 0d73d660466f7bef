package accessdiff

import (
	"fmt"
	"strings"

	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/iam/glob"
)

// Allow is one --allow-new entry: growth of access that is expected.
//
// Its text is PRINCIPAL:WHAT.
//
// PRINCIPAL is a glob ('*' any run of characters, '?' one), matched
// without regard to case against a principal's name, address, ARN and
// key (dana, aws_iam_user.dana, arn:aws:iam::111122223333:user/dana), and
// for a trust relationship against the trusted principal as the trust
// policy writes it (an account ID, an ARN, a service principal such as
// lambda.amazonaws.com, or *) and its account ID.
//
// WHAT is one of
//
//   - an action glob SERVICE:ACTION (s3:*, s3:Get*, iam:PassRole): the
//     principal may gain these actions, or see them become certain where
//     they were conditional; a new can-assume edge is the action
//     sts:AssumeRole of the principal that assumes, and a new trust
//     relationship the sts actions its statement allows to the trusted
//     principal;
//   - escalation: the principal may have a new escalation path;
//   - *: anything.
//
// Examples: aws_iam_role.ci:s3:* (the role may gain any S3 action),
// *:logs:* (anyone may gain CloudWatch Logs actions), dana:escalation,
// lambda.amazonaws.com:sts:AssumeRole (a role may newly trust Lambda),
// arn:aws:iam::111122223333:role/ci:* (that role may gain anything).
// The action part is the last two colon-separated fields when the first
// of them can be a service prefix, so ARNs need no quoting.
type Allow struct {
	Text      string
	Principal string
	What      string
}

// ParseAllow reads an --allow-new entry.
func ParseAllow(s string) (Allow, error) {
	bad := func(why string) (Allow, error) {
		return Allow{}, fmt.Errorf("--allow-new %s: %s; write PRINCIPAL:WHAT, WHAT an action such as s3:* or iam:PassRole, escalation, or * (e.g. aws_iam_role.ci:s3:* or '*:logs:*')", s, why)
	}
	last := strings.LastIndexByte(s, ':')
	if last < 0 {
		return bad("no colon")
	}
	a := Allow{Text: s}
	if prev := strings.LastIndexByte(s[:last], ':'); prev >= 0 && servicePattern(s[prev+1:last]) {
		a.Principal, a.What = s[:prev], s[prev+1:]
	} else {
		a.Principal, a.What = s[:last], s[last+1:]
		if a.What != "*" && !strings.EqualFold(a.What, "escalation") {
			return bad(fmt.Sprintf("%q is not an action (SERVICE:ACTION), escalation or *", a.What))
		}
	}
	switch {
	case a.Principal == "":
		return bad("no principal")
	case a.What == "" || strings.HasSuffix(a.What, ":"):
		return bad("no action")
	}
	return a, nil
}

// servicePattern reports whether s can be (a glob over) a service
// prefix: lower-case letters, digits, '-', '*' and '?'.
func servicePattern(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '*' || c == '?') {
			return false
		}
	}
	return true
}

func (a Allow) matches(who []string, what string) bool {
	if !glob.MatchFold(a.What, what) {
		return false
	}
	for _, w := range who {
		if w != "" && glob.MatchFold(a.Principal, w) {
			return true
		}
	}
	return false
}

func allowed(list []Allow, who []string, what string) bool {
	for _, a := range list {
		if a.matches(who, what) {
			return true
		}
	}
	return false
}

func names(p Principal) []string { return []string{p.Name, p.Addr, p.ARN, p.Key} }

// Violation is growth of access that no Allow permits.
type Violation struct {
	// Kind is actions, trust, assume or escalation.
	Kind string `json:"kind"`
	// Principal is who gains access: a principal of the inputs (as
	// Principal.String) or, for trust, the trusted principal as written.
	Principal string `json:"principal"`
	// Actions are the actions not allowed (kinds actions and trust).
	Actions []string `json:"actions,omitempty"`
	// Detail says who gains what, in a sentence.
	Detail string `json:"detail"`

	// What grew, for locating it in head (see Report): the principal's
	// key (kinds actions and escalation), or the change.
	key    string
	trust  *TrustChange
	assume *AssumeChange
}

// Violations returns the growth of access in the diff that allow does not
// permit: actions gained (or become certain), new trust relationships,
// can-assume edges and escalation paths. Access lost never violates.
func (d *Diff) Violations(allow []Allow) []Violation {
	out := []Violation{}
	cat := catalog.Default()
	for _, c := range d.Principals {
		if c.grows == nil {
			continue
		}
		var acts []string
		who := names(c.Principal)
		for _, act := range cat.SetActions(c.grows) {
			if !allowed(allow, who, act.FullName()) {
				acts = append(acts, act.FullName())
			}
		}
		if len(acts) > 0 {
			verb := "gains"
			if c.Change == "added" {
				verb = "is new, with"
			}
			out = append(out, Violation{Kind: "actions", Principal: c.Principal.String(), Actions: acts,
				Detail: fmt.Sprintf("%s %s %s", c.Principal, verb, actionSummary(acts)), key: c.Principal.Key})
		}
	}
	for i := range d.Trust.Added {
		t := &d.Trust.Added[i]
		if !t.Grows {
			continue
		}
		var acts []string
		for _, act := range t.Actions {
			if !allowed(allow, []string{t.Value, t.Account}, act) {
				acts = append(acts, act)
			}
		}
		if len(acts) > 0 {
			out = append(out, Violation{Kind: "trust", Principal: t.Value, Actions: acts,
				Detail: fmt.Sprintf("%s newly trusts %s", t.Role, trustee(*t)), trust: t})
		}
	}
	for i := range d.Assume.Added {
		x := &d.Assume.Added[i]
		if x.Grows && !allowed(allow, names(x.From), "sts:AssumeRole") {
			out = append(out, Violation{Kind: "assume", Principal: x.From.String(),
				Detail: fmt.Sprintf("%s may newly assume %s (%s)", x.From, x.Role, assumeNotes(*x)), assume: x})
		}
	}
	for _, e := range d.Escalations.Added {
		if e.Grows && !allowed(allow, names(e.Principal), "escalation") {
			out = append(out, Violation{Kind: "escalation", Principal: e.Principal.String(),
				Detail: escalationDetail(e), key: e.Principal.Key})
		}
	}
	return out
}

// actionSummary is "143 actions: s3 (142), iam:PassRole": services with
// more than three actions by count, others by name.
func actionSummary(acts []string) string {
	type service struct {
		name  string
		n     int
		first [3]string // its first actions, named when there are no more
	}
	var order []service
	idx := map[string]int{}
	for _, a := range acts {
		svc, _, _ := strings.Cut(a, ":")
		i, ok := idx[svc]
		if !ok {
			i = len(order)
			idx[svc] = i
			order = append(order, service{name: svc})
		}
		s := &order[i]
		if s.n < len(s.first) {
			s.first[s.n] = a
		}
		s.n++
	}
	var parts []string
	for i, s := range order {
		if i == 12 {
			parts = append(parts, fmt.Sprintf("and %d more services", len(order)-i))
			break
		}
		if s.n > len(s.first) {
			parts = append(parts, fmt.Sprintf("%s (%d)", s.name, s.n))
		} else {
			parts = append(parts, s.first[:s.n]...)
		}
	}
	n := "1 action"
	if len(acts) != 1 {
		n = fmt.Sprintf("%d actions", len(acts))
	}
	return n + ": " + strings.Join(parts, ", ")
}

func trustee(t TrustChange) string {
	s := t.Kind + " " + t.Value
	switch t.Kind {
	case "anyone":
		s = "anyone (" + t.Value + ")"
	}
	var notes []string
	if t.External && t.Kind != "anyone" {
		notes = append(notes, "external")
	}
	if t.Conditional {
		notes = append(notes, "conditional")
	}
	if len(notes) > 0 {
		s += " (" + strings.Join(notes, ", ") + ")"
	}
	return s + ": " + strings.Join(t.Actions, ", ")
}

func assumeNotes(x AssumeChange) string {
	notes := []string{x.Allowed}
	if x.MFA {
		notes = append(notes, "needs MFA")
	}
	if x.ExternalID {
		notes = append(notes, "needs the ExternalId")
	}
	return strings.Join(notes, ", ")
}

// escalationDetail says that a principal has a new escalation path.
func escalationDetail(e EscalationChange) string {
	return fmt.Sprintf("%s has a new escalation path: %s", e.Principal, escalationHeadline(e))
}

// escalationHeadline is "administrator (yes) in 2 moves, ending at role
// ops (aws_iam_role.ops)".
func escalationHeadline(e EscalationChange) string {
	what, sure := "more permissions", e.Allowed
	if e.Admin != "no" {
		what = "administrator"
		if e.Admin == "conditional" {
			sure = "conditional"
		}
	}
	moves := "1 move"
	if len(e.Moves) != 1 {
		moves = fmt.Sprintf("%d moves", len(e.Moves))
	}
	s := fmt.Sprintf("%s (%s) in %s", what, sure, moves)
	if e.Target.Key != e.Principal.Key {
		s += ", ending at " + e.Target.String()
	}
	return s
}
