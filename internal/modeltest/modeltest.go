// Package modeltest renders an iam.Model as sorted text lines, so loader
// tests can compare what different inputs resolve to and show a readable
// diff. It is for tests only.
package modeltest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
)

// Summarize renders a model as sorted lines, with addresses relative to
// the file (so a YAML and a JSON template can be compared) and unknown
// values suffixed with "?".
func Summarize(m *iam.Model) []string {
	var out []string
	rel := func(addr string) string {
		if i := strings.IndexByte(addr, '#'); i >= 0 {
			return addr[i:]
		}
		return addr
	}
	unk := func(n *iam.Node) string {
		if len(n.Unknown) == 0 {
			return ""
		}
		return " unknown=" + strings.Join(n.Unknown, ",")
	}
	vals := func(vs []iam.Value) string {
		var s []string
		for _, v := range vs {
			t := v.Text
			if v.Unknown {
				t += "?"
			}
			s = append(s, t)
		}
		return "[" + strings.Join(s, " ") + "]"
	}
	doc := func(prefix string, pd *iam.PolicyDocument) {
		if pd == nil {
			return
		}
		out = append(out, fmt.Sprintf("%s %s%s", prefix, rel(pd.Addr), unk(&pd.Node)))
		if pd.Doc == nil {
			return
		}
		for _, s := range pd.Doc.Statements {
			line := fmt.Sprintf("%s   %s", prefix, s.Effect)
			if s.Sid != "" {
				line += " " + s.Sid
			}
			if a, not := s.Actions(); a.Present {
				line += map[bool]string{false: " Action", true: " NotAction"}[not] + vals(a.Values)
			}
			if r, not := s.Resources(); r.Present {
				line += map[bool]string{false: " Resource", true: " NotResource"}[not] + vals(r.Values)
			}
			if p := s.Principal; p != nil {
				for _, e := range p.Entries {
					line += " " + e.Type + vals(e.Values)
				}
			}
			out = append(out, line)
		}
	}
	attached := func(prefix string, as []*iam.Attachment) {
		for _, a := range as {
			target := "-"
			if a.Policy != nil {
				target = rel(a.Policy.Addr)
			}
			out = append(out, fmt.Sprintf("%s %s %s -> %s%s", prefix, rel(a.Addr), a.PolicyRef, target, unk(&a.Node)))
		}
	}
	inline := func(prefix string, ps []*iam.InlinePolicy) {
		for _, p := range ps {
			doc(prefix+" "+p.Name, &p.PolicyDocument)
		}
	}
	for _, a := range m.Accounts {
		out = append(out, fmt.Sprintf("account %s %s%s", rel(a.Addr), a.ID, unk(&a.Node)))
	}
	for _, u := range m.Users {
		out = append(out, fmt.Sprintf("user %s name=%s path=%s arn=%s account=%s%s%s", rel(u.Addr), u.Name, u.Path, u.ARN, u.Account, external(u.External), unk(&u.Node)))
		inline("  inline", u.Inline)
		attached("  attached", u.Attached)
		if u.Boundary != nil {
			attached("  boundary", []*iam.Attachment{u.Boundary})
		}
		for _, g := range u.Groups {
			target := "-"
			if g.Group != nil {
				target = rel(g.Group.Addr)
			}
			out = append(out, fmt.Sprintf("  member %s %s -> %s%s", rel(g.Addr), g.GroupName, target, unk(&g.Node)))
		}
		if lp := u.LoginProfile; lp != nil {
			out = append(out, fmt.Sprintf("  login %s reset=%v", rel(lp.Addr), lp.PasswordResetRequired))
		}
		for _, k := range u.AccessKeys {
			out = append(out, fmt.Sprintf("  key %s %s active=%v%s", rel(k.Addr), k.ID, k.Active, unk(&k.Node)))
		}
		for _, d := range u.MFADevices {
			out = append(out, fmt.Sprintf("  mfa %s %s", rel(d.Addr), d.Serial))
		}
	}
	for _, g := range m.Groups {
		out = append(out, fmt.Sprintf("group %s name=%s path=%s arn=%s%s%s", rel(g.Addr), g.Name, g.Path, g.ARN, external(g.External), unk(&g.Node)))
		inline("  inline", g.Inline)
		attached("  attached", g.Attached)
		var members []string
		for _, ms := range g.Members {
			members = append(members, ms.UserName)
		}
		out = append(out, "  members "+strings.Join(members, ","))
	}
	for _, r := range m.Roles {
		out = append(out, fmt.Sprintf("role %s name=%s path=%s arn=%s max=%d%s%s", rel(r.Addr), r.Name, r.Path, r.ARN, r.MaxSessionDuration, external(r.External), unk(&r.Node)))
		doc("  trust", r.Trust)
		inline("  inline", r.Inline)
		attached("  attached", r.Attached)
		if r.Boundary != nil {
			attached("  boundary", []*iam.Attachment{r.Boundary})
		}
		var profiles []string
		for _, ip := range r.InstanceProfiles {
			profiles = append(profiles, rel(ip.Addr))
		}
		if len(profiles) > 0 {
			out = append(out, "  profiles "+strings.Join(profiles, ","))
		}
		if len(r.Tags) > 0 {
			var tags []string
			for k, v := range r.Tags {
				tags = append(tags, k+"="+v)
			}
			slices.Sort(tags)
			out = append(out, "  tags "+strings.Join(tags, ","))
		}
	}
	for _, ip := range m.InstanceProfiles {
		out = append(out, fmt.Sprintf("profile %s name=%s arn=%s refs=%v roles=%d%s", rel(ip.Addr), ip.Name, ip.ARN, ip.RoleRefs, len(ip.Roles), unk(&ip.Node)))
	}
	for _, p := range m.Policies {
		out = append(out, fmt.Sprintf("policy %s name=%s arn=%s attachments=%d%s", rel(p.Addr), p.Name, p.ARN, p.AttachmentCount, unk(&p.Node)))
		doc("  default", p.Default)
	}
	for _, p := range m.OrgPolicies {
		var targets []string
		for _, t := range p.Targets {
			targets = append(targets, t.TargetID)
		}
		doc(fmt.Sprintf("org %s %s %s targets=%v", p.Kind, p.Name, p.ID, targets), &p.PolicyDocument)
	}
	for _, d := range m.Documents {
		doc("document "+d.Kind.String(), &d.PolicyDocument)
	}
	for _, w := range m.Workloads {
		line := fmt.Sprintf("workload %s %s name=%s arn=%s account=%s", w.Kind, rel(w.Addr), w.Name, w.ARN, w.Account)
		if w.RoleRef != "" || w.Role != nil {
			target := "-"
			if w.Role != nil {
				target = rel(w.Role.Addr)
			}
			line += fmt.Sprintf(" role=%s -> %s", w.RoleRef, target)
		}
		if w.ProfileRef != "" || w.Profile != nil {
			target := "-"
			if w.Profile != nil {
				target = rel(w.Profile.Addr)
			}
			line += fmt.Sprintf(" profile=%s -> %s", w.ProfileRef, target)
		}
		out = append(out, line+unk(&w.Node))
	}
	return out
}

// DiagLines renders diagnostics as "line:col: severity: summary".
func DiagLines(diags hcl.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		sev := "error"
		if d.Severity == hcl.DiagWarning {
			sev = "warning"
		}
		pos := "-"
		if d.Subject != nil {
			pos = fmt.Sprintf("%d:%d", d.Subject.Start.Line, d.Subject.Start.Column)
		}
		out = append(out, fmt.Sprintf("%s: %s: %s: %s", pos, sev, d.Summary, d.Detail))
	}
	return out
}

func external(ext bool) string {
	if ext {
		return " external"
	}
	return ""
}

// Counts are the totals the benchmark corpus's manifest.json states, so a
// loader's model can be checked against it.
type Counts struct {
	Users, Groups, Roles                          int
	CustomerManaged, AWSManagedAttached           int
	InlinePolicies, Attachments, GroupMemberships int
}

// Count totals a model the way the corpus manifest does.
func Count(m *iam.Model) Counts {
	c := Counts{Users: len(m.Users), Groups: len(m.Groups), Roles: len(m.Roles)}
	for _, p := range m.Policies {
		if p.AWSManaged {
			c.AWSManagedAttached++
		} else {
			c.CustomerManaged++
		}
	}
	for _, u := range m.Users {
		c.InlinePolicies += len(u.Inline)
		c.Attachments += len(u.Attached)
		c.GroupMemberships += len(u.Groups)
	}
	for _, g := range m.Groups {
		c.InlinePolicies += len(g.Inline)
		c.Attachments += len(g.Attached)
	}
	for _, r := range m.Roles {
		c.InlinePolicies += len(r.Inline)
		c.Attachments += len(r.Attached)
	}
	return c
}
