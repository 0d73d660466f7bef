package builtin

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

// This file holds what the account rules (IAM350–IAM399: root user, MFA,
// credentials and password policy) share: reading credential report
// dates against the reference date, naming accounts and users, and
// deciding whether a user is admin-capable.
//
// The rules only report what the inputs show. MFA, last use and key ages
// come from the credential report (and, for the root user, the account
// summary); Terraform and CloudFormation say nothing about them, so a
// rule with no report for a user stays silent rather than guess.

// acctRootUser is the user name of the root row of a credential report.
const acctRootUser = "<root_account>"

// acctTime parses a credential report or model date (RFC 3339, or a bare
// date); ok is false for "" and anything else.
func acctTime(s string) (time.Time, bool) {
	if s == "" || strings.Contains(s, "${") {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// acctOlder reports whether t lies more than days days before the
// reference date.
func acctOlder(p *rules.Pass, t time.Time, days int) bool {
	return t.Before(p.Now().AddDate(0, 0, -days))
}

// acctDate renders a date for a message.
func acctDate(t time.Time) string { return t.Format("2006-01-02") }

// acctDays renders a number of days ("1 day", "90 days").
func acctDays(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// acctBoolOption reads a bool option; a configured value that is not a
// bool yields false.
func acctBoolOption(p *rules.Pass, name string) bool {
	v := p.Option(name)
	return v.Type() == cty.Bool && v.IsKnown() && !v.IsNull() && v.True()
}

// acctAccountName names an account for a message.
func acctAccountName(a *iam.Account) string {
	if a.ID != "" {
		return "account " + a.ID
	}
	return "the account of " + a.Addr
}

// acctUserName names a user for a message: its name, else its address.
func acctUserName(u *iam.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Addr
}

// acctReportAccount returns the account ID of a credential report row.
func acctReportAccount(row *iam.CredentialReport) string {
	if a, ok := iam.ParseARN(row.ARN); ok {
		return a.Account
	}
	return ""
}

// acctUserRelated points at a user's declaration when a finding is
// reported somewhere else (its credential report row, a key).
func acctUserRelated(u *iam.User, at hcl.Range) []rules.Related {
	if u.Range.Filename == "" || (u.Range.Filename == at.Filename && u.Range.Start.Byte == at.Start.Byte) {
		return nil
	}
	return []rules.Related{{Range: u.Range, Message: "user " + acctUserName(u) + " is declared here"}}
}

// acctKeyName names access key i (0 or 1) of a credential report row.
func acctKeyName(i int) string { return fmt.Sprintf("access key %d", i+1) }

// acctKnownActive reports whether a key of the model is known to be
// active (Terraform may leave its status symbolic).
func acctKnownActive(k *iam.AccessKey) bool { return k.Active && !k.IsUnknown("Active") }

// acctAdmin is how a user can act as an administrator.
type acctAdmin struct {
	// maybe is set when it holds only in some requests (conditions,
	// values the loader could not resolve).
	maybe bool
	// how says it in a message: "its policies allow every action
	// (...)", "it can escalate to administrator: ...".
	how string
	// path is the chain from the user to the policy, or the escalation
	// path.
	path    string
	related []rules.Related
}

// acctAdminOf reports whether a user is admin-capable: its own effective
// permissions make it an administrator, or it has an escalation path that
// ends with administrator permissions. It returns nil otherwise, and for
// a user whose policies the inputs do not show (one known only from a
// credential report has none, so is never admin-capable here).
func acctAdminOf(p *rules.Pass, u *iam.User, files acctFiles) *acctAdmin {
	a := p.Input.Analysis()
	n := a.Graph.NodeOf(u)
	if n == nil {
		return nil
	}
	perms := a.Permissions(n)
	if perms == nil {
		return nil
	}
	if perms.Admin != iam.No {
		out := &acctAdmin{maybe: perms.Admin == iam.Maybe, how: "its policies allow every action on every resource"}
		if g := acctWidestGrant(perms); g != nil {
			out.path = g.Path.String()
			if via := acctGrantVia(g); via != "" {
				out.how += " (through " + via + ")"
			}
			for _, h := range g.Path.Hops[1:] {
				if h.Src != nil && files.has(h.Src.Range) {
					out.related = append(out.related, rules.Related{Range: h.Src.Range, Message: "grants administrator permissions: " + acctHopLabel(h)})
				}
			}
			if s := g.Statement; s != nil && files.has(s.Range) {
				out.related = append(out.related, rules.Related{Range: s.Range, Message: "the statement that allows every action"})
			}
		}
		return out
	}
	e := a.EscalationOf(n)
	if e == nil || e.Admin == iam.No || len(e.Moves) == 0 {
		return nil
	}
	out := &acctAdmin{maybe: e.Admin == iam.Maybe || e.Allowed() == iam.Maybe}
	hops := []string{n.Src.Addr}
	var steps []string
	for _, m := range e.Moves {
		hops = append(hops, m.Technique.ID, m.To.Src.Addr)
		steps = append(steps, m.Technique.ID+" → "+acctNodeLabel(m.To))
		if m.To != n && files.has(m.To.Src.Range) {
			out.related = append(out.related, rules.Related{Range: m.To.Src.Range, Message: m.Technique.Name + ": " + acctNodeLabel(m.To)})
		}
		if m.Via != nil && files.has(m.Via.Src.Range) {
			out.related = append(out.related, rules.Related{Range: m.Via.Src.Range, Message: "through " + acctNodeLabel(m.Via)})
		}
		// The statements that allow each step: what to change.
		if perms := a.Permissions(m.From); perms != nil {
			for _, st := range m.Steps {
				for _, ref := range perms.DecideStep(st).Best.Statements {
					if ref.Effect == iam.Allow && files.has(ref.Range) {
						out.related = append(out.related, rules.Related{Range: ref.Range, Message: "allows " + st.Action + " (" + m.Technique.ID + ")"})
					}
				}
			}
		}
	}
	out.path = strings.Join(hops, " → ")
	out.how = "it can escalate to administrator (" + strings.Join(steps, ", then ") + ")"
	return out
}

// acctNodeLabel names a graph node for a message: "user mallory", "role
// deploy", "group admins", else its address.
func acctNodeLabel(n *analyzer.Node) string {
	switch {
	case n.User != nil && n.User.Name != "":
		return "user " + n.User.Name
	case n.Role != nil && n.Role.Name != "":
		return "role " + n.Role.Name
	case n.Group != nil && n.Group.Name != "":
		return "group " + n.Group.Name
	case n.Policy != nil && n.Policy.Name != "":
		return "policy " + n.Policy.Name
	case n.Work != nil && n.Work.Name != "":
		return n.Work.Kind.String() + " " + n.Work.Name
	}
	return n.Src.Addr
}

// acctWidestGrant returns the Allow statement on every resource that
// covers the most actions, preferring unconditional ones: the one that
// best explains why a principal is an administrator.
func acctWidestGrant(perms *analyzer.Permissions) *analyzer.Grant {
	var best *analyzer.Grant
	score := func(g *analyzer.Grant) int {
		s := g.Actions().Len() * 2
		if !g.Conditional() {
			s++
		}
		return s
	}
	for _, g := range perms.Allows {
		if !g.AllResources() {
			continue
		}
		if best == nil || score(g) > score(best) {
			best = g
		}
	}
	return best
}

// acctGrantVia names the groups and policies a grant reaches the
// principal through: "group admins, policy AdministratorAccess".
func acctGrantVia(g *analyzer.Grant) string {
	var parts []string
	for _, h := range g.Path.Hops[1:] {
		switch h.Kind {
		case analyzer.KindGroup, analyzer.KindPolicy:
			parts = append(parts, acctHopLabel(h))
		case analyzer.KindDocument:
			if len(parts) == 0 || h.Node == nil || h.Node.DocKind != iam.KindIdentity || !strings.HasPrefix(parts[len(parts)-1], "policy ") {
				parts = append(parts, acctHopLabel(h))
			}
		}
	}
	return strings.Join(parts, ", ")
}

// acctHopLabel names one hop of a policy path.
func acctHopLabel(h analyzer.Hop) string {
	n := h.Node
	switch {
	case h.Kind == analyzer.KindMembership:
		return "the group membership"
	case h.Kind == analyzer.KindAttachment:
		return "the policy attachment"
	case n != nil && n.Group != nil && n.Group.Name != "":
		return "group " + n.Group.Name
	case n != nil && n.Policy != nil && n.Policy.Name != "":
		return "policy " + n.Policy.Name
	case n != nil && n.User != nil:
		return "user " + acctUserName(n.User)
	}
	return "policy " + h.Src.Addr
}

// acctFiles is the set of input files, for keeping related locations to
// those in them: AWS managed policies come from iamlint's own data, named
// by their ARN, and the analyzer's synthetic policies have no file.
type acctFiles map[string]bool

func acctInputFiles(in *rules.Input) acctFiles {
	files := acctFiles{}
	for _, f := range in.Files() {
		files[f] = true
	}
	return files
}

func (f acctFiles) has(r hcl.Range) bool { return f[r.Filename] }

// acctPolicyUnknown reports whether a password policy field was left
// symbolic by its loader; loaders name it by the model field
// ("MinimumLength") or by the Terraform argument
// ("minimum_password_length").
func acctPolicyUnknown(pp *iam.PasswordPolicy, field, arg string) bool {
	return pp.IsUnknown(field) || pp.IsUnknown(arg)
}

// acctPasswordPolicies returns the password policies of the model with
// their accounts.
func acctPasswordPolicies(m *iam.Model) []*iam.Account {
	var out []*iam.Account
	for _, a := range m.Accounts {
		if a.PasswordPolicy != nil {
			out = append(out, a)
		}
	}
	return out
}

// acctHas reports whether any of list contains sub.
func acctHas(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// acctJoin joins phrases as "a", "a and b", "a, b and c".
func acctJoin(list []string) string {
	switch len(list) {
	case 0:
		return ""
	case 1:
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " and " + list[len(list)-1]
}
