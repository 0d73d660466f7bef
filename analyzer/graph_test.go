package analyzer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/loader"
)

const acct = "111122223333"

func doc(t *testing.T, addr string, kind iam.Kind, json string) *iam.PolicyDocument {
	t.Helper()
	d, diags := iam.ParsePolicy([]byte(json), iam.ParseOptions{Filename: addr, Kind: kind})
	if diags.HasErrors() {
		t.Fatalf("%s: %s", addr, diags)
	}
	return &iam.PolicyDocument{Node: node(addr), Doc: d}
}

func node(addr string) iam.Node {
	return iam.Node{Addr: addr, Range: hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: 1, Column: 1}}}
}

const (
	allowS3      = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	allowEC2     = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}`
	trustEC2     = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	denyS3Delete = `{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Allow","Action":"*","Resource":"*"},` +
		`{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}`
)

// smallModel is a hand-built model: alice has an inline policy and is in
// devs (which has an inline policy, an attached managed policy and an
// attachment of a policy not in the model) and in a group that is not in
// the model; the role app has a trust policy at its own address, an
// instance profile and a boundary; an SCP targets the account and another
// an OU.
func smallModel(t *testing.T) *iam.Model {
	deploy := &iam.ManagedPolicy{Node: node("aws_iam_policy.deploy"), Name: "deploy", ARN: "arn:aws:iam::" + acct + ":policy/deploy",
		Default: doc(t, "aws_iam_policy.deploy", iam.KindIdentity, allowEC2)}
	ceiling := &iam.ManagedPolicy{Node: node("aws_iam_policy.ceiling"), Name: "ceiling", ARN: "arn:aws:iam::" + acct + ":policy/ceiling",
		Default: doc(t, "aws_iam_policy.ceiling", iam.KindIdentity, allowS3)}
	devs := &iam.Group{Node: node("aws_iam_group.devs"), Name: "devs", Account: acct,
		Inline: []*iam.InlinePolicy{{PolicyDocument: *doc(t, "aws_iam_group_policy.devs", iam.KindIdentity, allowS3), Name: "devs"}},
		Attached: []*iam.Attachment{
			{Node: node("aws_iam_group_policy_attachment.x"), PolicyRef: deploy.ARN, Policy: deploy},
			{Node: node("aws_iam_group_policy_attachment.gone"), PolicyRef: "arn:aws:iam::" + acct + ":policy/gone"},
		}}
	alice := &iam.User{Identity: iam.Identity{Node: node("aws_iam_user.alice"), Name: "alice", Account: acct, ARN: "arn:aws:iam::" + acct + ":user/alice",
		Inline: []*iam.InlinePolicy{{PolicyDocument: *doc(t, "aws_iam_user_policy.alice", iam.KindIdentity, allowS3), Name: "own"}}}}
	in := &iam.Membership{Node: node("aws_iam_group_membership.devs"), User: alice, UserName: "alice", Group: devs, GroupName: "devs"}
	ghost := &iam.Membership{Node: node("aws_iam_user_group_membership.alice"), User: alice, UserName: "alice", GroupName: "ghosts"}
	alice.Groups = []*iam.Membership{in, ghost}
	devs.Members = []*iam.Membership{in, {Node: node("aws_iam_group_membership.devs"), UserName: "nobody", Group: devs, GroupName: "devs"}}

	app := &iam.Role{Identity: iam.Identity{Node: node("aws_iam_role.app"), Name: "app", Account: acct, ARN: "arn:aws:iam::" + acct + ":role/app",
		Attached: []*iam.Attachment{{Node: node("aws_iam_role.app"), PolicyRef: deploy.ARN, Policy: deploy}},
		Boundary: &iam.Attachment{Node: node("aws_iam_role.app"), PolicyRef: ceiling.ARN, Policy: ceiling}},
		Trust: doc(t, "aws_iam_role.app", iam.KindTrust, trustEC2)}
	profile := &iam.InstanceProfile{Node: node("aws_iam_instance_profile.app"), Name: "app", Roles: []*iam.Role{app}, RoleRefs: []string{"missing", "app"}}
	app.InstanceProfiles = []*iam.InstanceProfile{profile}

	scp := &iam.OrgPolicy{PolicyDocument: *doc(t, "aws_organizations_policy.guard", iam.KindSCP, denyS3Delete), Name: "guard", Kind: iam.KindSCP,
		Targets: []*iam.OrgTarget{{Node: node("aws_organizations_policy_attachment.acct"), TargetID: acct}}}
	ouSCP := &iam.OrgPolicy{PolicyDocument: *doc(t, "aws_organizations_policy.ou", iam.KindSCP, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`),
		Name: "ou", Kind: iam.KindSCP, Targets: []*iam.OrgTarget{{Node: node("aws_organizations_policy_attachment.ou"), TargetID: "ou-ab12-cdef3456"}}}

	return &iam.Model{
		Accounts:         []*iam.Account{{Node: node("account:" + acct), ID: acct, Root: &iam.RootUser{Node: node("root:" + acct)}}},
		Users:            []*iam.User{alice},
		Groups:           []*iam.Group{devs},
		Roles:            []*iam.Role{app},
		InstanceProfiles: []*iam.InstanceProfile{profile},
		Policies:         []*iam.ManagedPolicy{deploy, ceiling},
		OrgPolicies:      []*iam.OrgPolicy{scp, ouSCP},
	}
}

// pathView is a PolicyPath as text, for comparisons.
type pathView struct {
	Kind       string
	Path       string
	Hops       []string // kind of each hop
	Doc        string   // the document's address
	Unresolved string
}

func view(ps ...PolicyPath) []pathView {
	var out []pathView
	for _, p := range ps {
		v := pathView{Kind: p.Kind.String(), Path: p.String(), Unresolved: p.Unresolved}
		for _, h := range p.Hops {
			v.Hops = append(v.Hops, h.Kind.String())
		}
		if p.Doc != nil {
			v.Doc = p.Doc.Addr
		}
		out = append(out, v)
	}
	return out
}

func TestIdentityPoliciesSmall(t *testing.T) {
	g := Build(smallModel(t))
	alice := g.Node("aws_iam_user.alice")
	if alice == nil {
		t.Fatal("no node aws_iam_user.alice")
	}
	want := []pathView{
		{Kind: "identity", Path: "aws_iam_user.alice → aws_iam_user_policy.alice", Hops: []string{"user", "document"}, Doc: "aws_iam_user_policy.alice"},
		{Kind: "identity", Path: "aws_iam_user.alice → aws_iam_group_membership.devs → aws_iam_group.devs → aws_iam_group_policy.devs",
			Hops: []string{"user", "membership", "group", "document"}, Doc: "aws_iam_group_policy.devs"},
		{Kind: "identity", Path: "aws_iam_user.alice → aws_iam_group_membership.devs → aws_iam_group.devs → aws_iam_group_policy_attachment.x → aws_iam_policy.deploy",
			Hops: []string{"user", "membership", "group", "attachment", "policy", "document"}, Doc: "aws_iam_policy.deploy"},
		{Kind: "identity", Path: "aws_iam_user.alice → aws_iam_group_membership.devs → aws_iam_group.devs → aws_iam_group_policy_attachment.gone",
			Hops: []string{"user", "membership", "group", "attachment"}, Unresolved: "arn:aws:iam::111122223333:policy/gone"},
		{Kind: "identity", Path: "aws_iam_user.alice → aws_iam_user_group_membership.alice",
			Hops: []string{"user", "membership"}, Unresolved: "ghosts"},
	}
	if diff := cmp.Diff(want, view(g.IdentityPolicies(alice)...)); diff != "" {
		t.Errorf("alice's identity policies (-want +got):\n%s", diff)
	}
	if b := g.Boundary(alice); b != nil {
		t.Errorf("alice has boundary %s, want none", b)
	}

	app := g.Node("aws_iam_role.app")
	if diff := cmp.Diff([]pathView{{Kind: "identity", Path: "aws_iam_role.app → aws_iam_policy.deploy", Hops: []string{"role", "attachment", "policy", "document"}, Doc: "aws_iam_policy.deploy"}},
		view(g.IdentityPolicies(app)...)); diff != "" {
		t.Errorf("app's identity policies (-want +got):\n%s", diff)
	}
	b := g.Boundary(app)
	if b == nil {
		t.Fatal("app has no boundary")
	}
	if diff := cmp.Diff([]pathView{{Kind: "boundary", Path: "aws_iam_role.app → aws_iam_policy.ceiling", Hops: []string{"role", "attachment", "policy", "document"}, Doc: "aws_iam_policy.ceiling"}},
		view(*b)); diff != "" {
		t.Errorf("app's boundary (-want +got):\n%s", diff)
	}

	// Not principals.
	for _, id := range []string{"aws_iam_group.devs", "aws_iam_policy.deploy", "account:" + acct} {
		if ps := g.IdentityPolicies(g.Node(id)); ps != nil {
			t.Errorf("IdentityPolicies(%s) = %v, want nil", id, view(ps...))
		}
	}
	if ps := g.IdentityPolicies(nil); ps != nil {
		t.Errorf("IdentityPolicies(nil) = %v", ps)
	}
}

// edgeText renders an edge for comparisons.
func edgeText(e *Edge) string {
	from, to := "?", "?"
	if e.From != nil {
		from = e.From.ID
	}
	if e.To != nil {
		to = e.To.ID
	} else {
		to = "unresolved " + e.Ref
	}
	s := fmt.Sprintf("%s -%s-> %s", from, e.Kind, to)
	if e.Via != nil {
		s += " via " + e.Via.Addr
	}
	return s
}

func graphText(g *Graph) (nodes, edges []string) {
	for _, n := range g.Nodes {
		nodes = append(nodes, n.Kind.String()+" "+n.ID)
	}
	for _, e := range g.Edges {
		edges = append(edges, edgeText(e))
	}
	return nodes, edges
}

func TestBuildSmall(t *testing.T) {
	g := Build(smallModel(t))
	nodes, edges := graphText(g)
	wantNodes := []string{
		"account account:111122223333",
		"root root:111122223333",
		"user aws_iam_user.alice",
		"group aws_iam_group.devs",
		"role aws_iam_role.app",
		"instance-profile aws_iam_instance_profile.app",
		"policy aws_iam_policy.ceiling",
		"policy aws_iam_policy.deploy",
		"document aws_iam_group_policy.devs",
		"document aws_iam_policy.ceiling#default",
		"document aws_iam_policy.deploy#default",
		"document aws_iam_role.app#trust",
		"document aws_iam_user_policy.alice",
		"document aws_organizations_policy.guard",
		"document aws_organizations_policy.ou",
		"service service:ec2.amazonaws.com",
	}
	if diff := cmp.Diff(wantNodes, nodes); diff != "" {
		t.Errorf("nodes (-want +got):\n%s", diff)
	}
	wantEdges := []string{
		"account:111122223333 -root-of-> root:111122223333",
		"aws_iam_user.alice -member-of-> aws_iam_group.devs via aws_iam_group_membership.devs",
		"aws_iam_user.alice -member-of-> unresolved ghosts via aws_iam_user_group_membership.alice",
		"aws_iam_user.alice -inline-> aws_iam_user_policy.alice",
		"? -member-of-> aws_iam_group.devs via aws_iam_group_membership.devs",
		"aws_iam_group.devs -inline-> aws_iam_group_policy.devs",
		"aws_iam_group.devs -attached-> aws_iam_policy.deploy via aws_iam_group_policy_attachment.x",
		"aws_iam_group.devs -attached-> unresolved arn:aws:iam::111122223333:policy/gone via aws_iam_group_policy_attachment.gone",
		"aws_iam_role.app -attached-> aws_iam_policy.deploy via aws_iam_role.app",
		"aws_iam_role.app -boundary-> aws_iam_policy.ceiling via aws_iam_role.app",
		"aws_iam_role.app -trusts-> aws_iam_role.app#trust",
		"aws_iam_role.app#trust -admits-> service:ec2.amazonaws.com",
		"aws_iam_instance_profile.app -profile-of-> aws_iam_role.app",
		"aws_iam_instance_profile.app -profile-of-> unresolved missing",
		"aws_iam_policy.ceiling -default-> aws_iam_policy.ceiling#default",
		"aws_iam_policy.deploy -default-> aws_iam_policy.deploy#default",
		"aws_organizations_policy.guard -applies-to-> account:111122223333 via aws_organizations_policy_attachment.acct",
		"aws_organizations_policy.ou -applies-to-> unresolved ou-ab12-cdef3456 via aws_organizations_policy_attachment.ou",
	}
	if diff := cmp.Diff(wantEdges, edges); diff != "" {
		t.Errorf("edges (-want +got):\n%s", diff)
	}
	// Every edge is in its ends' Out and In lists.
	for _, e := range g.Edges {
		if e.From != nil && !slices.Contains(e.From.Out, e) {
			t.Errorf("%s missing from its From's Out", edgeText(e))
		}
		if e.To != nil && !slices.Contains(e.To.In, e) {
			t.Errorf("%s missing from its To's In", edgeText(e))
		}
	}
	for _, n := range g.Nodes {
		if g.Node(n.ID) != n {
			t.Errorf("Node(%q) does not return the node", n.ID)
		}
	}
	if n := g.NodeOf(g.Node("aws_iam_role.app").Role.Trust); n == nil || n.ID != "aws_iam_role.app#trust" {
		t.Errorf("NodeOf(app's trust) = %v", n)
	}
}

// reversed returns a copy of m with every list, a principal's included, in
// reverse order.
func reversed(m *iam.Model) *iam.Model {
	r := *m
	rev := func(s any) {
		switch s := s.(type) {
		case *[]*iam.Account:
			*s = slices.Clone(*s)
			slices.Reverse(*s)
		case *[]*iam.User:
			*s = slices.Clone(*s)
			slices.Reverse(*s)
		case *[]*iam.Group:
			*s = slices.Clone(*s)
			slices.Reverse(*s)
		case *[]*iam.Role:
			*s = slices.Clone(*s)
			slices.Reverse(*s)
		case *[]*iam.InstanceProfile:
			*s = slices.Clone(*s)
			slices.Reverse(*s)
		case *[]*iam.ManagedPolicy:
			*s = slices.Clone(*s)
			slices.Reverse(*s)
		case *[]*iam.OrgPolicy:
			*s = slices.Clone(*s)
			slices.Reverse(*s)
		}
	}
	rev(&r.Accounts)
	rev(&r.Users)
	rev(&r.Groups)
	rev(&r.Roles)
	rev(&r.InstanceProfiles)
	rev(&r.Policies)
	rev(&r.OrgPolicies)
	return &r
}

func TestDeterministic(t *testing.T) {
	m := smallModel(t)
	n1, e1 := graphText(Build(m))
	for i := range 5 {
		n2, e2 := graphText(Build(m))
		if diff := cmp.Diff(n1, n2); diff != "" {
			t.Fatalf("build %d: nodes differ (-first +again):\n%s", i, diff)
		}
		if diff := cmp.Diff(e1, e2); diff != "" {
			t.Fatalf("build %d: edges differ (-first +again):\n%s", i, diff)
		}
	}
	// Nor does the order of the model's lists.
	n3, e3 := graphText(Build(reversed(m)))
	if diff := cmp.Diff(n1, n3); diff != "" {
		t.Errorf("reversed model: nodes differ:\n%s", diff)
	}
	if diff := cmp.Diff(e1, e3); diff != "" {
		t.Errorf("reversed model: edges differ:\n%s", diff)
	}
	// And neither does the company example's.
	for _, form := range []string{"aws", "terraform"} {
		m := loadCompany(t, form)
		a1, b1 := graphText(Build(m))
		a2, b2 := graphText(Build(reversed(m)))
		if !slices.Equal(a1, a2) || !slices.Equal(b1, b2) {
			t.Errorf("%s: the graph depends on the model's list order", form)
		}
	}
}

func TestPolicySetSmall(t *testing.T) {
	g := Build(smallModel(t))
	set, missing := g.PolicySet(g.Node("aws_iam_user.alice"))
	var names []string
	for _, p := range set.Identity {
		names = append(names, p.Name)
	}
	if diff := cmp.Diff([]string{
		"aws_iam_user.alice → aws_iam_user_policy.alice",
		"aws_iam_user.alice → aws_iam_group_membership.devs → aws_iam_group.devs → aws_iam_group_policy.devs",
		"aws_iam_user.alice → aws_iam_group_membership.devs → aws_iam_group.devs → aws_iam_group_policy_attachment.x → aws_iam_policy.deploy",
	}, names); diff != "" {
		t.Errorf("identity policy names (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"arn:aws:iam::111122223333:policy/gone", "ghosts"}, unresolved(missing)); diff != "" {
		t.Errorf("left out (-want +got):\n%s", diff)
	}
	// Only the account-targeted SCP is placed, as one level; the OU's
	// deny-all is not (no organization structure to place it with).
	if len(set.SCPs) != 1 || len(set.SCPs[0]) != 1 || set.SCPs[0][0].Name != "aws_organizations_policy.guard" {
		t.Errorf("SCPs = %v, want one level with aws_organizations_policy.guard", set.SCPs)
	}
	alice := "arn:aws:iam::111122223333:user/alice"
	for _, c := range []struct {
		action, resource string
		want             iam.Decision
	}{
		{"s3:GetObject", "arn:aws:s3:::b/k", iam.Allowed},
		{"ec2:RunInstances", "*", iam.Allowed}, // through the group's managed policy
		{"s3:DeleteBucket", "arn:aws:s3:::b", iam.ExplicitDeny},
		{"iam:CreateUser", "arn:aws:iam::111122223333:user/x", iam.ImplicitDeny},
	} {
		got := iam.Evaluate(&iam.Request{Principal: alice, Action: c.action, Resource: c.resource}, &set)
		if got.Decision != c.want {
			t.Errorf("alice %s on %s: %s (%s), want %s", c.action, c.resource, got.Decision, got.Reason, c.want)
		}
	}

	// The role's boundary caps its attached ec2:* to nothing (the
	// boundary allows s3 only).
	set, missing = g.PolicySet(g.Node("aws_iam_role.app"))
	if len(missing) != 0 || len(set.Boundary) != 1 {
		t.Fatalf("app: boundary %v, missing %v", set.Boundary, view(missing...))
	}
	got := iam.Evaluate(&iam.Request{Principal: "arn:aws:iam::111122223333:role/app", Action: "ec2:RunInstances", Resource: "*"}, &set)
	if got.Decision != iam.ImplicitDeny {
		t.Errorf("app ec2:RunInstances: %s, want the boundary to deny", got.Decision)
	}

	if set, missing := g.PolicySet(g.Node("aws_iam_group.devs")); len(set.Identity)+len(set.SCPs)+len(missing) != 0 {
		t.Errorf("PolicySet of a group = %+v, %v; want empty", set, missing)
	}
}

func unresolved(ps []PolicyPath) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Unresolved)
	}
	slices.Sort(out)
	return out
}

func TestPath(t *testing.T) {
	a, b := &iam.Node{Addr: "a"}, &iam.Node{Addr: "b"}
	for _, c := range []struct {
		hops []Hop
		want string
	}{
		{nil, ""},
		{[]Hop{{Src: a}}, "a"},
		{[]Hop{{Src: a}, {Src: b}}, "a → b"},
		{[]Hop{{Src: a}, {Src: a}, {Src: b}, {Src: b}}, "a → b"},
		{[]Hop{{Src: a}, {Src: b}, {Src: a}}, "a → b → a"},
	} {
		if got := Path(c.hops); got != c.want {
			t.Errorf("Path(%v) = %q, want %q", c.hops, got, c.want)
		}
	}
}

// TestTrusteeNodes: what a trust policy admits resolves to the model's
// principals and account root where it names them, else to service,
// federated and external nodes, one per value, shared by the roles.
func TestTrusteeNodes(t *testing.T) {
	dir := t.TempDir()
	src := `
provider "aws" {
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_role" "wide" {
  name = "wide"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = ["arn:aws:iam::111122223333:root", aws_iam_user.alice.arn, "444455556666"] } },
      { Effect = "Allow", Action = "sts:AssumeRoleWithWebIdentity", Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" } },
      { Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } },
      { Effect = "Deny", Action = "sts:AssumeRole", Principal = "*" },
    ]
  })
}

resource "aws_iam_role" "open" {
  name = "open"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = "*" }, { Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	m, diags := loader.Load(context.Background(), []string{dir}, loader.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	g := Build(m)
	var got []string
	for _, e := range g.Edges {
		if e.Kind == EdgeAdmits {
			to := e.To.ID
			if e.To.Account != nil {
				to = e.To.Account.ID // its address is the folder
			}
			got = append(got, e.From.ID+" admits "+e.To.Kind.String()+" "+to+" ("+e.Ref+")")
		}
	}
	want := []string{
		"aws_iam_role.open#trust admits external anyone (*)",
		"aws_iam_role.open#trust admits service service:lambda.amazonaws.com (lambda.amazonaws.com)",
		"aws_iam_role.wide#trust admits account 111122223333 (arn:aws:iam::111122223333:root)",
		"aws_iam_role.wide#trust admits user aws_iam_user.alice (arn:aws:iam::111122223333:user/alice)",
		"aws_iam_role.wide#trust admits external external:444455556666 (444455556666)",
		"aws_iam_role.wide#trust admits federated federated:arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com (arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com)",
		"aws_iam_role.wide#trust admits service service:lambda.amazonaws.com (lambda.amazonaws.com)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("admits edges (-want +got):\n%s", diff)
	}
}
