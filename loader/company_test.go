package loader

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/iamlint/iamlint/iam"
)

// The example company (examples/company) is written three ways: a
// Terraform configuration, what AWS reports for the deployed account
// (get-account-authorization-details, the credential report and the
// password policy) and a CloudFormation template. These tests load each
// form and check that they resolve to the same IAM configuration.
//
// The comparison is a projection of each model (companyView) that keeps
// what all three forms can express, keyed by name, with the differences
// that come from the form itself normalised away:
//
//   - Addresses, ranges, IDs, dates, role last use and non-default policy
//     versions exist in one form only and are left out.
//   - The account and home region are concrete in GAAD and in Terraform
//     (whose provider pins the account with allowed_account_ids) and
//     pseudo parameters in CloudFormation; each form says how it spells
//     them and the projection writes <account> and <region> for both.
//   - Documents are compared as canonical JSON (iam.Document.JSON) with the
//     values of Action, Resource, principals and conditions sorted: IAM
//     treats them as sets, and aws_iam_policy_document writes them in
//     reverse lexical order where people write them in their own.
//   - A console password and access keys are a login profile and key
//     resources in Terraform and CloudFormation; AWS reports them in the
//     credential report, not in GAAD. The projection asks each form.
//   - GAAD does not report MaxSessionDuration, and CloudFormation has no
//     password policy: neither is compared across all three.

// companyForm is one way the example company is written.
type companyForm struct {
	name string
	dir  string // below examples/company
	// account and region are how the form writes the company's account
	// and home region.
	account, region string
}

var companyForms = []companyForm{
	{name: "aws", dir: "aws", account: "111122223333", region: "eu-west-1"},
	{name: "terraform", dir: "terraform", account: "111122223333", region: "eu-west-1"},
	{name: "cloudformation", dir: "cloudformation", account: "${AWS::AccountId}", region: "${AWS::Region}"},
}

// companyOutline is the company's structure, as companyView.outline
// prints it; every form must match it.
var companyOutline = []string{
	"user alice groups=[admins] console=true keys=0",
	"user bob groups=[admins] console=true keys=0",
	"user carol groups=[developers] console=true keys=0",
	"user dave groups=[developers] console=false keys=1",
	"group admins members=[alice bob] attached=[AdministratorAccess (AWS managed)]",
	"group developers members=[carol dave] attached=[developer-access]",
	"role app inline=[read-app-data] profiles=[app]",
	"role auditor attached=[ReadOnlyAccess (AWS managed) SecurityAudit (AWS managed)]",
	"role ci-deploy inline=[deploy] boundary=ci-boundary",
	"instance-profile app roles=[app]",
	"policy AdministratorAccess (AWS managed) arn:aws:iam::aws:policy/AdministratorAccess",
	"policy ReadOnlyAccess (AWS managed) arn:aws:iam::aws:policy/ReadOnlyAccess",
	"policy SecurityAudit (AWS managed) arn:aws:iam::aws:policy/SecurityAudit",
	"policy ci-boundary arn:aws:iam::<account>:policy/boundaries/ci-boundary",
	"policy developer-access arn:aws:iam::<account>:policy/developer-access",
}

func TestCompanyExample(t *testing.T) {
	models := map[string]*iam.Model{}
	views := map[string]*companyView{}
	for _, f := range companyForms {
		t.Run(f.name, func(t *testing.T) {
			m := loadCompany(t, f)
			for _, id := range identities(m) {
				if id.Account != f.account {
					t.Errorf("%s %s is in account %q, want %q", id.Addr, id.Name, id.Account, f.account)
				}
			}
			for _, g := range m.Groups {
				if g.Account != f.account {
					t.Errorf("%s %s is in account %q, want %q", g.Addr, g.Name, g.Account, f.account)
				}
			}
			v := projectCompany(m, f)
			if diff := gocmp.Diff(companyOutline, v.outline()); diff != "" {
				t.Errorf("structure (-want +got):\n%s", diff)
			}
			models[f.name], views[f.name] = m, v
		})
	}

	// GAAD is what AWS itself reports, so it is the reference.
	ref := views["aws"]
	for _, name := range []string{"terraform", "cloudformation"} {
		t.Run("aws=="+name, func(t *testing.T) {
			if ref == nil || views[name] == nil {
				t.Skip("a form did not load")
			}
			if diff := gocmp.Diff(ref, views[name], cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("the %s form differs from the aws form (-aws +%s):\n%s", name, name, diff)
			}
		})
	}

	t.Run("password policy", func(t *testing.T) {
		aws, tf := passwordPolicy(models["aws"]), passwordPolicy(models["terraform"])
		if aws == nil || tf == nil {
			t.Fatalf("password policy missing: aws %v, terraform %v", aws, tf)
		}
		if diff := gocmp.Diff(aws, tf, cmpopts.IgnoreFields(iam.PasswordPolicy{}, "Node")); diff != "" {
			t.Errorf("password policies differ (-aws +terraform):\n%s", diff)
		}
	})

	t.Run("credential report", func(t *testing.T) {
		m := models["aws"]
		if m == nil {
			t.Skip("the aws form did not load")
		}
		var root *iam.CredentialReport
		for _, a := range m.Accounts {
			if a.ID == "111122223333" && a.Root != nil {
				root = a.Root.Credentials
			}
		}
		if root == nil || !root.MFAActive || root.AccessKeys[0].Active || root.AccessKeys[1].Active {
			t.Errorf("root user: %+v, want MFA and no access keys", root)
		}
		users := map[string]*iam.CredentialReport{}
		for _, u := range m.Users {
			if u.Credentials == nil {
				t.Errorf("user %s has no credential report row", u.Name)
				continue
			}
			users[u.Name] = u.Credentials
		}
		if bob := users["bob"]; bob == nil || !bob.PasswordEnabled || bob.MFAActive {
			t.Errorf("bob: %+v, want a console password without MFA", bob)
		}
		dave := users["dave"]
		if dave == nil || !dave.AccessKeys[0].Active {
			t.Fatalf("dave: %+v, want an active access key", dave)
		}
		rotated, err := time.Parse(time.RFC3339, dave.AccessKeys[0].LastRotated)
		if err != nil || rotated.Year() >= 2023 {
			t.Errorf("dave's access key was last rotated %q, want a key from before 2023", dave.AccessKeys[0].LastRotated)
		}
	})
}

func loadCompany(t *testing.T, f companyForm) *iam.Model {
	t.Helper()
	m, diags := Load(context.Background(), []string{filepath.Join("..", "examples", "company", f.dir)}, Options{})
	// An example users copy should load without a single warning.
	for _, d := range diags {
		t.Errorf("%s", d)
	}
	for _, pd := range documents(m) {
		for _, d := range pd.Diags {
			t.Errorf("%s: %s", pd.Addr, d)
		}
	}
	return m
}

func identities(m *iam.Model) []*iam.Identity {
	var ids []*iam.Identity
	for _, u := range m.Users {
		ids = append(ids, &u.Identity)
	}
	for _, r := range m.Roles {
		ids = append(ids, &r.Identity)
	}
	return ids
}

// documents returns every policy document of the model's principals and
// customer managed policies.
func documents(m *iam.Model) []*iam.PolicyDocument {
	var docs []*iam.PolicyDocument
	inline := func(list []*iam.InlinePolicy) {
		for _, p := range list {
			docs = append(docs, &p.PolicyDocument)
		}
	}
	for _, id := range identities(m) {
		inline(id.Inline)
	}
	for _, g := range m.Groups {
		inline(g.Inline)
	}
	for _, r := range m.Roles {
		if r.Trust != nil {
			docs = append(docs, r.Trust)
		}
	}
	for _, p := range m.Policies {
		if p.Default != nil && !p.AWSManaged {
			docs = append(docs, p.Default)
		}
	}
	return docs
}

func passwordPolicy(m *iam.Model) *iam.PasswordPolicy {
	if m == nil {
		return nil
	}
	for _, a := range m.Accounts {
		if a.PasswordPolicy != nil {
			return a.PasswordPolicy
		}
	}
	return nil
}

// companyView is the projection of a model that the forms are compared
// by. Maps are keyed by name.
type companyView struct {
	Users            map[string]userView
	Groups           map[string]groupView
	Roles            map[string]roleView
	InstanceProfiles map[string]profileView
	Policies         map[string]policyView
}

type identityView struct {
	Path     string
	ARN      string
	Inline   map[string][]string // name → document
	Attached []string            // policy names
	Boundary string              // policy name
	Tags     map[string]string
}

type userView struct {
	Identity   identityView
	Groups     []string
	Console    bool // a console password
	ActiveKeys int
}

type groupView struct {
	Path     string
	ARN      string
	Members  []string
	Inline   map[string][]string
	Attached []string
}

type roleView struct {
	Identity         identityView
	Trust            []string
	InstanceProfiles []string
}

type profileView struct {
	Path  string
	ARN   string
	Roles []string
}

type policyView struct {
	Path       string
	ARN        string
	AWSManaged bool
	// Document is the default version's; empty for AWS managed policies,
	// which every form takes from the same embedded data.
	Document []string
}

// projector builds a companyView, normalising the account and region.
type projector struct {
	norm *strings.Replacer
}

func projectCompany(m *iam.Model, f companyForm) *companyView {
	p := projector{norm: strings.NewReplacer(f.account, "<account>", f.region, "<region>")}
	v := &companyView{
		Users:            map[string]userView{},
		Groups:           map[string]groupView{},
		Roles:            map[string]roleView{},
		InstanceProfiles: map[string]profileView{},
		Policies:         map[string]policyView{},
	}
	for _, u := range m.Users {
		uv := userView{Identity: p.identity(&u.Identity), Console: u.LoginProfile != nil}
		for _, ms := range u.Groups {
			uv.Groups = append(uv.Groups, groupName(ms))
		}
		slices.Sort(uv.Groups)
		for _, k := range u.AccessKeys {
			if k.Active {
				uv.ActiveKeys++
			}
		}
		// The credential report speaks for a form without login profiles
		// and key resources (GAAD).
		if c := u.Credentials; c != nil && u.LoginProfile == nil && len(u.AccessKeys) == 0 {
			uv.Console = c.PasswordEnabled
			for _, k := range c.AccessKeys {
				if k.Active {
					uv.ActiveKeys++
				}
			}
		}
		put(v.Users, u.Name, uv)
	}
	for _, g := range m.Groups {
		gv := groupView{Path: g.Path, ARN: p.norm.Replace(g.ARN), Inline: p.inline(g.Inline), Attached: p.attached(g.Attached)}
		for _, ms := range g.Members {
			gv.Members = append(gv.Members, userName(ms))
		}
		slices.Sort(gv.Members)
		put(v.Groups, g.Name, gv)
	}
	for _, r := range m.Roles {
		rv := roleView{Identity: p.identity(&r.Identity), Trust: p.document(r.Trust)}
		for _, ip := range r.InstanceProfiles {
			rv.InstanceProfiles = append(rv.InstanceProfiles, ip.Name)
		}
		slices.Sort(rv.InstanceProfiles)
		put(v.Roles, r.Name, rv)
	}
	for _, ip := range m.InstanceProfiles {
		pv := profileView{Path: ip.Path, ARN: p.norm.Replace(ip.ARN)}
		for _, r := range ip.Roles {
			pv.Roles = append(pv.Roles, r.Name)
		}
		slices.Sort(pv.Roles)
		put(v.InstanceProfiles, ip.Name, pv)
	}
	for _, mp := range m.Policies {
		pv := policyView{Path: mp.Path, ARN: p.norm.Replace(mp.ARN), AWSManaged: mp.AWSManaged}
		if !mp.AWSManaged {
			pv.Document = p.document(mp.Default)
		}
		put(v.Policies, mp.Name, pv)
	}
	return v
}

// put adds v under name, or under name with primes when the name is
// taken, so that a duplicate shows in the outline instead of replacing the
// first.
func put[V any](m map[string]V, name string, v V) {
	for {
		if _, ok := m[name]; !ok {
			m[name] = v
			return
		}
		name += "'"
	}
}

func (p projector) identity(id *iam.Identity) identityView {
	iv := identityView{
		Path:     id.Path,
		ARN:      p.norm.Replace(id.ARN),
		Inline:   p.inline(id.Inline),
		Attached: p.attached(id.Attached),
		Tags:     id.Tags,
	}
	if id.Boundary != nil {
		iv.Boundary = p.policyName(id.Boundary)
	}
	return iv
}

func (p projector) inline(list []*iam.InlinePolicy) map[string][]string {
	out := map[string][]string{}
	for _, ip := range list {
		put(out, ip.Name, p.document(&ip.PolicyDocument))
	}
	return out
}

func (p projector) attached(list []*iam.Attachment) []string {
	var out []string
	for _, a := range list {
		out = append(out, p.policyName(a))
	}
	slices.Sort(out)
	return out
}

// policyName names an attachment's policy, or its reference when it did
// not resolve.
func (p projector) policyName(a *iam.Attachment) string {
	switch {
	case a.Policy == nil:
		return "unresolved " + p.norm.Replace(a.PolicyRef)
	case a.Policy.AWSManaged:
		return a.Policy.Name + " (AWS managed)"
	}
	return a.Policy.Name
}

func groupName(m *iam.Membership) string {
	if m.Group != nil {
		return m.Group.Name
	}
	return "unresolved " + m.GroupName
}

func userName(m *iam.Membership) string {
	if m.User != nil {
		return m.User.Name
	}
	return "unresolved " + m.UserName
}

// document renders a document canonically, with the account and region
// normalised and set-valued elements sorted, as the lines of
// iam.Document.JSON: the document without its statements, then each
// statement (Statement.JSON), so that a diff points at the statement that
// differs.
func (p projector) document(pd *iam.PolicyDocument) []string {
	switch {
	case pd == nil:
		return nil
	case pd.Doc == nil:
		return []string{fmt.Sprintf("unrendered (unknown: %s)", strings.Join(pd.Unknown, ", "))}
	}
	head := &iam.Document{Version: pd.Doc.Version, HasVersion: pd.Doc.HasVersion, ID: pd.Doc.ID}
	out := []string{string(head.JSON())}
	for _, s := range pd.Doc.Statements {
		c := *s
		c.Action, c.NotAction = p.list(s.Action), p.list(s.NotAction)
		c.Resource, c.NotResource = p.list(s.Resource), p.list(s.NotResource)
		c.Principal, c.NotPrincipal = p.principal(s.Principal), p.principal(s.NotPrincipal)
		c.Condition.Clauses = nil
		for _, cl := range s.Condition.Clauses {
			n := *cl
			n.Values = p.values(cl.Values)
			c.Condition.Clauses = append(c.Condition.Clauses, &n)
		}
		slices.SortFunc(c.Condition.Clauses, func(a, b *iam.Condition) int {
			return cmp.Or(cmp.Compare(a.Operator.String(), b.Operator.String()), cmp.Compare(a.Key, b.Key))
		})
		out = append(out, string(c.JSON()))
	}
	return out
}

func (p projector) list(l iam.List) iam.List {
	l.Values = p.values(l.Values)
	return l
}

func (p projector) principal(pr *iam.Principal) *iam.Principal {
	if pr == nil {
		return nil
	}
	c := *pr
	c.Entries = nil
	for _, e := range pr.Entries {
		e.Values = p.values(e.Values)
		c.Entries = append(c.Entries, e)
	}
	slices.SortFunc(c.Entries, func(a, b iam.PrincipalEntry) int { return cmp.Compare(a.Type, b.Type) })
	return &c
}

// values returns normalised copies of vals, sorted by text.
func (p projector) values(vals []iam.Value) []iam.Value {
	out := make([]iam.Value, len(vals))
	for i, v := range vals {
		v.Text = p.norm.Replace(v.Text)
		out[i] = v
	}
	slices.SortFunc(out, func(a, b iam.Value) int { return cmp.Compare(a.Text, b.Text) })
	return out
}

// outline prints the view's structure, one line per object, without the
// documents.
func (v *companyView) outline() []string {
	var out []string
	for _, name := range sortedKeys(v.Users) {
		u := v.Users[name]
		out = append(out, fmt.Sprintf("user %s groups=%v console=%t keys=%d%s", name, u.Groups, u.Console, u.ActiveKeys, identityOutline(u.Identity)))
	}
	for _, name := range sortedKeys(v.Groups) {
		g := v.Groups[name]
		line := fmt.Sprintf("group %s members=%v", name, g.Members)
		if len(g.Inline) > 0 {
			line += fmt.Sprintf(" inline=%v", sortedKeys(g.Inline))
		}
		if len(g.Attached) > 0 {
			line += fmt.Sprintf(" attached=%v", g.Attached)
		}
		out = append(out, line)
	}
	for _, name := range sortedKeys(v.Roles) {
		r := v.Roles[name]
		line := "role " + name + identityOutline(r.Identity)
		if len(r.InstanceProfiles) > 0 {
			line += fmt.Sprintf(" profiles=%v", r.InstanceProfiles)
		}
		out = append(out, line)
	}
	for _, name := range sortedKeys(v.InstanceProfiles) {
		out = append(out, fmt.Sprintf("instance-profile %s roles=%v", name, v.InstanceProfiles[name].Roles))
	}
	for _, name := range sortedKeys(v.Policies) {
		p := v.Policies[name]
		kind := ""
		if p.AWSManaged {
			kind = " (AWS managed)"
		}
		out = append(out, fmt.Sprintf("policy %s%s %s", name, kind, p.ARN))
	}
	return out
}

func identityOutline(id identityView) string {
	var b strings.Builder
	if len(id.Inline) > 0 {
		fmt.Fprintf(&b, " inline=%v", sortedKeys(id.Inline))
	}
	if len(id.Attached) > 0 {
		fmt.Fprintf(&b, " attached=%v", id.Attached)
	}
	if id.Boundary != "" {
		fmt.Fprintf(&b, " boundary=%s", id.Boundary)
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
