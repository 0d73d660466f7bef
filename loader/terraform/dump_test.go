package terraform

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
)

var update = flag.Bool("update", false, "rewrite the want.txt golden files")

const fixtures = "../../testdata/terraform"

// loadCase loads testdata/terraform/<name> (every folder below it with .tf
// files, as the loader's walk would pass them) with the options given.
func loadCase(t testing.TB, name string, opts Options) (*iam.Model, hcl.Diagnostics) {
	t.Helper()
	root := filepath.Join(fixtures, name)
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".tf") {
			dir := filepath.Dir(p)
			if len(dirs) == 0 || dirs[len(dirs)-1] != dir {
				dirs = append(dirs, dir)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(dirs)
	if opts.Roots == nil {
		opts.Roots = []string{root}
	}
	return Load(context.Background(), dirs, opts)
}

// golden compares the dump of a case with its want.txt.
func golden(t *testing.T, name string, m *iam.Model, diags hcl.Diagnostics) string {
	t.Helper()
	got := dump(filepath.Join(fixtures, name), m, diags)
	path := filepath.Join(fixtures, name, "want.txt")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return got
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./loader/terraform -update to create it)", err)
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("%s: model differs from want.txt (-want +got); review and rerun with -update:\n%s", name, d)
	}
	return got
}

// dump renders a model and diagnostics as text, every position as
// file:line:col relative to base.
func dump(base string, m *iam.Model, diags hcl.Diagnostics) string {
	var b strings.Builder
	p := func(r hcl.Range) string { return pos(base, r) }
	unk := func(n iam.Node) string {
		if len(n.Unknown) == 0 {
			return ""
		}
		return " unknown=" + strings.Join(n.Unknown, ",")
	}
	for _, a := range m.Accounts {
		fmt.Fprintf(&b, "account %s id=%s @%s%s\n", rel(base, a.Addr), rel(base, a.ID), p(a.Range), unk(a.Node))
		if pp := a.PasswordPolicy; pp != nil {
			fmt.Fprintf(&b, "  password-policy %s @%s min=%d symbols=%t numbers=%t upper=%t lower=%t change=%t maxage=%d reuse=%d hard=%t%s\n",
				pp.Addr, p(pp.Range), pp.MinimumLength, pp.RequireSymbols, pp.RequireNumbers, pp.RequireUppercase, pp.RequireLowercase,
				pp.AllowUsersToChangePassword, pp.MaxPasswordAge, pp.PasswordReusePrevention, pp.HardExpiry, unk(pp.Node))
		}
	}
	identity := func(kind string, id *iam.Identity) {
		ext := ""
		if id.External {
			ext = " external"
		}
		fmt.Fprintf(&b, "%s %s @%s name=%s path=%s arn=%s account=%s%s%s\n", kind, id.Addr, p(id.Range), id.Name, id.Path, id.ARN, id.Account, ext, unk(id.Node))
		if len(id.Tags) > 0 {
			var ts []string
			for k, v := range id.Tags {
				ts = append(ts, k+"="+v)
			}
			sort.Strings(ts)
			fmt.Fprintf(&b, "  tags %s\n", strings.Join(ts, " "))
		}
		if id.Boundary != nil {
			dumpAttachment(&b, "boundary", id.Boundary, p)
		}
		for _, a := range id.Attached {
			dumpAttachment(&b, "attached", a, p)
		}
		for _, ip := range id.Inline {
			fmt.Fprintf(&b, "  inline %s %s @%s%s\n", ip.Name, ip.Addr, p(ip.Range), unk(ip.Node))
			dumpDoc(&b, "    ", &ip.PolicyDocument, p)
		}
	}
	for _, u := range m.Users {
		identity("user", &u.Identity)
		for _, g := range u.Groups {
			fmt.Fprintf(&b, "  member-of %s @%s group=%s -> %s\n", g.Addr, p(g.Range), g.GroupName, groupAddr(g.Group))
		}
		if lp := u.LoginProfile; lp != nil {
			fmt.Fprintf(&b, "  login %s @%s reset=%t%s\n", lp.Addr, p(lp.Range), lp.PasswordResetRequired, unk(lp.Node))
		}
		for _, k := range u.AccessKeys {
			fmt.Fprintf(&b, "  key %s @%s id=%s active=%t%s\n", k.Addr, p(k.Range), k.ID, k.Active, unk(k.Node))
		}
	}
	for _, g := range m.Groups {
		ext := ""
		if g.External {
			ext = " external"
		}
		fmt.Fprintf(&b, "group %s @%s name=%s path=%s arn=%s%s%s\n", g.Addr, p(g.Range), g.Name, g.Path, g.ARN, ext, unk(g.Node))
		for _, a := range g.Attached {
			dumpAttachment(&b, "attached", a, p)
		}
		for _, ip := range g.Inline {
			fmt.Fprintf(&b, "  inline %s %s @%s%s\n", ip.Name, ip.Addr, p(ip.Range), unk(ip.Node))
			dumpDoc(&b, "    ", &ip.PolicyDocument, p)
		}
		for _, mb := range g.Members {
			u := "-"
			if mb.User != nil {
				u = mb.User.Addr
			}
			fmt.Fprintf(&b, "  member %s @%s user=%s -> %s\n", mb.Addr, p(mb.Range), mb.UserName, u)
		}
	}
	for _, r := range m.Roles {
		identity("role", &r.Identity)
		if r.MaxSessionDuration != 0 {
			fmt.Fprintf(&b, "  max-session %d\n", r.MaxSessionDuration)
		}
		if r.Trust != nil {
			fmt.Fprintf(&b, "  trust @%s%s\n", p(r.Trust.Range), unk(r.Trust.Node))
			dumpDoc(&b, "    ", r.Trust, p)
		}
		for _, ip := range r.InstanceProfiles {
			fmt.Fprintf(&b, "  profile %s\n", ip.Addr)
		}
	}
	for _, ip := range m.InstanceProfiles {
		var roles []string
		for _, r := range ip.Roles {
			roles = append(roles, r.Addr)
		}
		fmt.Fprintf(&b, "profile %s @%s name=%s arn=%s refs=%s roles=%s%s\n", ip.Addr, p(ip.Range), ip.Name, ip.ARN,
			strings.Join(ip.RoleRefs, ","), strings.Join(roles, ","), unk(ip.Node))
	}
	for _, pol := range m.Policies {
		fmt.Fprintf(&b, "policy %s @%s name=%s path=%s arn=%s attachments=%d%s\n", pol.Addr, p(pol.Range), pol.Name, pol.Path, pol.ARN, pol.AttachmentCount, unk(pol.Node))
		if pol.Default != nil {
			fmt.Fprintf(&b, "  default @%s%s\n", p(pol.Default.Range), unk(pol.Default.Node))
			dumpDoc(&b, "    ", pol.Default, p)
		}
	}
	for _, o := range m.OrgPolicies {
		fmt.Fprintf(&b, "org-policy %s @%s name=%s kind=%s id=%s%s\n", o.Addr, p(o.Range), o.Name, o.Kind, o.ID, unk(o.Node))
		for _, t := range o.Targets {
			fmt.Fprintf(&b, "  target %s @%s %s%s\n", t.Addr, p(t.Range), t.TargetID, unk(t.Node))
		}
		dumpDoc(&b, "  ", &o.PolicyDocument, p)
	}
	for _, d := range m.Documents {
		fmt.Fprintf(&b, "document %s %s @%s%s\n", d.Kind, d.Addr, p(d.Range), unk(d.Node))
		dumpDoc(&b, "  ", &d.PolicyDocument, p)
	}
	for _, w := range m.Workloads {
		fmt.Fprintf(&b, "workload %s %s @%s name=%s arn=%s account=%s%s\n", w.Kind, w.Addr, p(w.Range), w.Name, w.ARN, w.Account, unk(w.Node))
		if w.RoleRef != "" || w.Role != nil {
			to := "-"
			if w.Role != nil {
				to = w.Role.Addr
			}
			fmt.Fprintf(&b, "  role %s -> %s\n", w.RoleRef, to)
		}
		if w.ProfileRef != "" || w.Profile != nil {
			to := "-"
			if w.Profile != nil {
				to = w.Profile.Addr
			}
			fmt.Fprintf(&b, "  profile %s -> %s\n", w.ProfileRef, to)
		}
	}
	for _, d := range diags {
		fmt.Fprintf(&b, "diag %s\n", diagText(base, d, p))
	}
	return rel(base, b.String())
}

func groupAddr(g *iam.Group) string {
	if g == nil {
		return "-"
	}
	return g.Addr
}

func dumpAttachment(b *strings.Builder, what string, a *iam.Attachment, p func(hcl.Range) string) {
	to := "-"
	if a.Policy != nil {
		to = a.Policy.Addr
	}
	u := ""
	if len(a.Unknown) > 0 {
		u = " unknown=" + strings.Join(a.Unknown, ",")
	}
	fmt.Fprintf(b, "  %s %s @%s %s -> %s%s\n", what, a.Addr, p(a.Range), a.PolicyRef, to, u)
}

func diagText(base string, d *hcl.Diagnostic, p func(hcl.Range) string) string {
	where := "-"
	if d.Subject != nil {
		where = p(*d.Subject)
	}
	sev := "error"
	if d.Severity == hcl.DiagWarning {
		sev = "warning"
	}
	detail := strings.ReplaceAll(d.Detail, base+string(filepath.Separator), "")
	return fmt.Sprintf("%s %s: %s: %s", sev, where, d.Summary, detail)
}

// dumpDoc writes a document with the problems kept with it.
func dumpDoc(b *strings.Builder, ind string, pd *iam.PolicyDocument, p func(hcl.Range) string) {
	defer func() {
		for _, d := range pd.Diags {
			fmt.Fprintf(b, "%sdoc-diag %s\n", ind, diagText("", d, p))
		}
	}()
	d := pd.Doc
	if d == nil {
		fmt.Fprintf(b, "%s(no document)\n", ind)
		return
	}
	v := "-"
	if d.HasVersion {
		v = d.Version + "@" + p(d.VersionRange)
	}
	fmt.Fprintf(b, "%sdoc @%s version=%s\n", ind, span(p, d.Range), v)
	for _, s := range d.Statements {
		sid := ""
		if s.Sid != "" {
			sid = " sid=" + s.Sid + "@" + p(s.SidRange)
		}
		fmt.Fprintf(b, "%s  stmt @%s%s %s@%s\n", ind, span(p, s.Range), sid, s.Effect, p(s.EffectRange))
		for _, l := range []struct {
			name string
			list iam.List
		}{{"Action", s.Action}, {"NotAction", s.NotAction}, {"Resource", s.Resource}, {"NotResource", s.NotResource}} {
			if l.list.Present {
				fmt.Fprintf(b, "%s    %s%s\n", ind, l.name, values(l.list.Values, p))
			}
		}
		for _, pr := range []struct {
			name string
			p    *iam.Principal
		}{{"Principal", s.Principal}, {"NotPrincipal", s.NotPrincipal}} {
			if pr.p == nil {
				continue
			}
			if pr.p.Any {
				fmt.Fprintf(b, "%s    %s * @%s\n", ind, pr.name, p(pr.p.Range))
			}
			for _, e := range pr.p.Entries {
				fmt.Fprintf(b, "%s    %s %s@%s%s\n", ind, pr.name, e.Type, p(e.TypeRange), values(e.Values, p))
			}
		}
		for _, c := range s.Condition.Clauses {
			fmt.Fprintf(b, "%s    Condition %s@%s %s@%s%s\n", ind, c.Operator, p(c.OperatorRange), c.Key, p(c.KeyRange), values(c.Values, p))
		}
	}
}

func values(vs []iam.Value, p func(hcl.Range) string) string {
	var b strings.Builder
	for _, v := range vs {
		b.WriteString(" ")
		b.WriteString(v.Text)
		if v.Unknown {
			b.WriteString("(?)")
		}
		b.WriteString("@")
		b.WriteString(p(v.Range))
	}
	return b.String()
}

func rel(base, s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, base+string(filepath.Separator), ""), base, ".")
}

// pos renders the start of a range as file:line:col, the file relative
// to base.
func pos(base string, r hcl.Range) string {
	if r.Filename == "" {
		return "?"
	}
	return fmt.Sprintf("%s:%d:%d", rel(base, filepath.Clean(r.Filename)), r.Start.Line, r.Start.Column)
}

func span(p func(hcl.Range) string, r hcl.Range) string {
	return fmt.Sprintf("%s-%d:%d", p(r), r.End.Line, r.End.Column)
}
