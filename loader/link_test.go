package loader

import (
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
)

func TestLinkResolvesReferences(t *testing.T) {
	custom := &iam.ManagedPolicy{Node: iam.Node{Addr: "aws_iam_policy.deploy"}, Name: "deploy", ARN: "arn:aws:iam::111122223333:policy/deploy"}
	alice := &iam.User{Identity: iam.Identity{Node: iam.Node{Addr: "gaad.json#UserDetailList[0]"}, Name: "alice", ARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333",
		Attached: []*iam.Attachment{
			{Node: iam.Node{Addr: "a1"}, PolicyRef: "arn:aws:iam::aws:policy/ReadOnlyAccess"},
			{Node: iam.Node{Addr: "a2"}, PolicyRef: "arn:aws:iam::111122223333:policy/deploy"},
			{Node: iam.Node{Addr: "a3"}, PolicyRef: "arn:aws:iam::111122223333:policy/missing"},
		}}}
	devs := &iam.Group{Node: iam.Node{Addr: "gaad.json#GroupDetailList[0]"}, Name: "devs", Account: "111122223333",
		Attached: []*iam.Attachment{{Node: iam.Node{Addr: "a4"}, PolicyRef: "arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess"}}}
	alice.Groups = []*iam.Membership{{Node: iam.Node{Addr: "m1"}, User: alice, UserName: "alice", GroupName: "devs"}}
	role := &iam.Role{Identity: iam.Identity{Node: iam.Node{Addr: "r"}, Name: "app", ARN: "arn:aws:iam::111122223333:role/app", Account: "111122223333"}}
	profile := &iam.InstanceProfile{Node: iam.Node{Addr: "ip"}, Name: "app", RoleRefs: []string{"app"}}
	m := &iam.Model{Users: []*iam.User{alice}, Groups: []*iam.Group{devs}, Roles: []*iam.Role{role},
		InstanceProfiles: []*iam.InstanceProfile{profile}, Policies: []*iam.ManagedPolicy{custom}}
	reports := []*iam.CredentialReport{
		{Node: iam.Node{Addr: "report.csv#<root_account>"}, User: "<root_account>", ARN: "arn:aws:iam::111122223333:root", MFAActive: true},
		{Node: iam.Node{Addr: "report.csv#alice"}, User: "alice", ARN: "arn:aws:iam::111122223333:user/alice", PasswordEnabled: true},
		{Node: iam.Node{Addr: "report.csv#bob"}, User: "bob", ARN: "arn:aws:iam::111122223333:user/team/bob"},
	}
	Link(m, reports)

	ro := alice.Attached[0].Policy
	if ro == nil || !ro.AWSManaged || ro.Name != "ReadOnlyAccess" || ro.Default == nil || ro.Default.Doc == nil || len(ro.Default.Doc.Statements) == 0 {
		t.Fatalf("AWS managed attachment not resolved: %+v", ro)
	}
	if devs.Attached[0].Policy != ro {
		t.Error("the same AWS managed policy in another partition must resolve to the same model policy")
	}
	if alice.Attached[1].Policy != custom {
		t.Error("customer managed attachment not resolved by ARN")
	}
	if alice.Attached[2].Policy != nil || alice.Attached[2].PolicyRef == "" {
		t.Error("a missing policy must stay an unresolved reference")
	}
	if n := len(m.Policies); n != 2 {
		t.Errorf("%d policies, want the customer one and ReadOnlyAccess once", n)
	}
	if alice.Groups[0].Group != devs || len(devs.Members) != 1 || devs.Members[0] != alice.Groups[0] {
		t.Error("membership not linked both ways")
	}
	if len(profile.Roles) != 1 || profile.Roles[0] != role || len(role.InstanceProfiles) != 1 {
		t.Error("instance profile role not linked")
	}
	if len(m.Accounts) != 1 || m.Accounts[0].ID != "111122223333" || m.Accounts[0].Root == nil || !m.Accounts[0].Root.Credentials.MFAActive {
		t.Fatalf("account/root not built from the report: %+v", m.Accounts)
	}
	if alice.Credentials != reports[1] {
		t.Error("report row not joined to alice")
	}
	var bob *iam.User
	for _, u := range m.Users {
		if u.Name == "bob" {
			bob = u
		}
	}
	if bob == nil || bob.Path != "/team/" || bob.Credentials != reports[2] || bob.Addr != "report.csv#bob" {
		t.Errorf("a user only in the report must be added from it: %+v", bob)
	}
}

func TestLinkJoinsAccountFacts(t *testing.T) {
	pp := &iam.PasswordPolicy{MinimumLength: 14}
	sum := &iam.AccountSummary{MFAEnabled: true}
	m := &iam.Model{
		Accounts: []*iam.Account{
			{Node: iam.Node{Addr: "pp.json"}, PasswordPolicy: pp},
			{Node: iam.Node{Addr: "summary.json"}, Summary: sum},
		},
		Users: []*iam.User{{Identity: iam.Identity{Node: iam.Node{Addr: "u"}, Name: "u", Account: "111122223333"}}},
	}
	Link(m, nil)
	if len(m.Accounts) != 1 || m.Accounts[0].ID != "111122223333" || m.Accounts[0].PasswordPolicy != pp || m.Accounts[0].Summary != sum {
		t.Errorf("facts not joined to the only account: %+v", m.Accounts)
	}

	// Two accounts: nothing says which one the facts belong to.
	m = &iam.Model{
		Accounts: []*iam.Account{{Node: iam.Node{Addr: "pp.json"}, PasswordPolicy: pp}},
		Users: []*iam.User{
			{Identity: iam.Identity{Node: iam.Node{Addr: "u"}, Name: "u", Account: "111122223333"}},
			{Identity: iam.Identity{Node: iam.Node{Addr: "v"}, Name: "v", Account: "444455556666"}},
		},
	}
	Link(m, nil)
	if len(m.Accounts) != 3 {
		t.Errorf("with two accounts the password policy must stay on its own: %d accounts", len(m.Accounts))
	}
}

// An external stub from one input (a Terraform configuration attaching to
// a role it does not declare) is merged into the principal another input
// (a GAAD dump) declares, keeping what hangs off it with its nodes.
func TestLinkMergesExternalStubs(t *testing.T) {
	const acct = "111122223333"
	rng := hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: 3, Column: 1, Byte: 40}, End: hcl.Pos{Line: 3, Column: 9, Byte: 48}}
	realRole := &iam.Role{Identity: iam.Identity{Node: iam.Node{Addr: "gaad.json#RoleDetailList[0]"}, Name: "existing-role", Path: "/svc/",
		ARN: "arn:aws:iam::" + acct + ":role/svc/existing-role", Account: acct,
		Attached: []*iam.Attachment{{Node: iam.Node{Addr: "gaad.json#RoleDetailList[0].AttachedManagedPolicies[0]"}, PolicyRef: "arn:aws:iam::aws:policy/ReadOnlyAccess"}}}}
	// The stub's ARN (path "/" guessed) differs: it matches by account and name.
	stubRole := &iam.Role{Identity: iam.Identity{Node: iam.Node{Addr: `external role "existing-role"`, Range: rng, Unknown: []string{"Path"}},
		Name: "existing-role", Path: "/", ARN: "arn:aws:iam::" + acct + ":role/existing-role", Account: acct, External: true,
		Inline:   []*iam.InlinePolicy{{Name: "extra", PolicyDocument: iam.PolicyDocument{Node: iam.Node{Addr: "aws_iam_role_policy.extra", Range: rng}}}},
		Attached: []*iam.Attachment{{Node: iam.Node{Addr: "aws_iam_role_policy_attachment.admin", Range: rng}, PolicyRef: "arn:aws:iam::aws:policy/AdministratorAccess"}}}}
	realUser := &iam.User{Identity: iam.Identity{Node: iam.Node{Addr: "gaad.json#UserDetailList[0]"}, Name: "bob", Path: "/", ARN: "arn:aws:iam::" + acct + ":user/bob", Account: acct}}
	stubUser := &iam.User{Identity: iam.Identity{Node: iam.Node{Addr: `external user "bob"`}, Name: "bob", Path: "/", ARN: "arn:aws:iam::" + acct + ":user/bob", Account: acct, External: true},
		AccessKeys: []*iam.AccessKey{{Node: iam.Node{Addr: "aws_iam_access_key.bob"}}}}
	stubGroup := &iam.Group{Node: iam.Node{Addr: `external group "legacy"`}, Name: "legacy", Path: "/", ARN: "arn:aws:iam::" + acct + ":group/legacy", Account: acct, External: true}
	devs := &iam.Group{Node: iam.Node{Addr: "aws_iam_group.devs"}, Name: "devs", Account: acct}
	ms := &iam.Membership{Node: iam.Node{Addr: "aws_iam_user_group_membership.bob"}, User: stubUser, UserName: "bob", Group: devs, GroupName: "devs"}
	stubUser.Groups, devs.Members = []*iam.Membership{ms}, []*iam.Membership{ms}
	// A stub with a symbolic account identifies nothing across inputs.
	symbolic := &iam.Role{Identity: iam.Identity{Node: iam.Node{Addr: `external role "existing-role" (other)`}, Name: "existing-role",
		ARN: "arn:aws:iam::${account:.}:role/existing-role", Account: "${account:.}", External: true}}

	m := &iam.Model{Users: []*iam.User{stubUser, realUser}, Roles: []*iam.Role{stubRole, realRole, symbolic}, Groups: []*iam.Group{devs, stubGroup}}
	Link(m, nil)

	if len(m.Roles) != 2 || m.Roles[0] != realRole || m.Roles[1] != symbolic {
		t.Fatalf("roles after merging: %d", len(m.Roles))
	}
	if len(realRole.Inline) != 1 || realRole.Inline[0].Addr != "aws_iam_role_policy.extra" || realRole.Inline[0].Range != rng {
		t.Errorf("inline policy not moved with its node: %+v", realRole.Inline)
	}
	if len(realRole.Attached) != 2 || realRole.Attached[1].Addr != "aws_iam_role_policy_attachment.admin" || realRole.Attached[1].Range != rng ||
		realRole.Attached[1].Policy == nil || realRole.Attached[1].Policy.Name != "AdministratorAccess" {
		t.Errorf("attachment not moved and resolved: %+v", realRole.Attached)
	}
	if len(m.Users) != 1 || m.Users[0] != realUser || len(realUser.AccessKeys) != 1 {
		t.Fatalf("user stub not merged: %d users", len(m.Users))
	}
	if len(realUser.Groups) != 1 || realUser.Groups[0] != ms || ms.User != realUser || devs.Members[0].User != realUser {
		t.Error("membership not moved to the real user")
	}
	// A stub nothing else declares stays, external.
	if len(m.Groups) != 2 || !m.Groups[1].External {
		t.Errorf("undeclared group stub must stay: %+v", m.Groups)
	}
}

// Workload roles and instance profiles left as references resolve by a
// concrete ARN, by an address only one object has, or by name in the
// workload's 12-digit account; a symbolic ARN, an address two inputs
// share, or a name in a symbolic account resolves nothing. A stub a
// workload points at is replaced by the role it merges into.
func TestLinkResolvesWorkloads(t *testing.T) {
	const acct = "111122223333"
	app := &iam.Role{Identity: iam.Identity{Node: iam.Node{Addr: "gaad.json#RoleDetailList[0]"}, Name: "app", Path: "/svc/", ARN: "arn:aws:iam::" + acct + ":role/svc/app", Account: acct}}
	// Two Terraform configurations may each declare aws_iam_role.app.
	tfApp1 := &iam.Role{Identity: iam.Identity{Node: iam.Node{Addr: "aws_iam_role.app"}, Name: "app", ARN: "arn:aws:iam::${account:a}:role/app", Account: "${account:a}"}}
	tfApp2 := &iam.Role{Identity: iam.Identity{Node: iam.Node{Addr: "aws_iam_role.app"}, Name: "app", ARN: "arn:aws:iam::${account:b}:role/app", Account: "${account:b}"}}
	deployer := &iam.Role{Identity: iam.Identity{Node: iam.Node{Addr: "gaad.json#RoleDetailList[1]"}, Name: "deployer", ARN: "arn:aws:iam::" + acct + ":role/deployer", Account: acct}}
	stub := &iam.Role{Identity: iam.Identity{Node: iam.Node{Addr: `external role "deployer"`}, Name: "deployer", Path: "/", ARN: "arn:aws:iam::" + acct + ":role/deployer", Account: acct, External: true}}
	profile := &iam.InstanceProfile{Node: iam.Node{Addr: "gaad.json#RoleDetailList[0].InstanceProfileList[0]"}, Name: "web", ARN: "arn:aws:iam::" + acct + ":instance-profile/web"}
	w := func(addr, account, roleRef, profileRef string) *iam.Workload {
		return &iam.Workload{Node: iam.Node{Addr: addr}, Kind: iam.WorkloadLambdaFunction, Account: account, RoleRef: roleRef, ProfileRef: profileRef}
	}
	byARN := w("aws_lambda_function.a", acct, "arn:aws:iam::"+acct+":role/svc/app", "")
	byName := w("aws_codebuild_project.b", acct, "app", "")
	symbolicARN := w("aws_lambda_function.c", "${account:a}", "arn:aws:iam::${account:a}:role/app", "")
	sharedAddr := w("aws_lambda_function.d", acct, "aws_iam_role.app", "")
	symbolicName := w("aws_codebuild_project.e", "${AWS::AccountId}", "app", "")
	missing := w("aws_lambda_function.f", acct, "arn:aws:iam::"+acct+":role/missing", "")
	instance := w("aws_instance.g", acct, "", "web")
	template := w("aws_launch_template.h", acct, "", "arn:aws:iam::"+acct+":instance-profile/web")
	onStub := w("aws_codebuild_project.i", acct, "deployer", "")
	onStub.Role = stub
	m := &iam.Model{Roles: []*iam.Role{app, tfApp1, tfApp2, stub, deployer}, InstanceProfiles: []*iam.InstanceProfile{profile},
		Workloads: []*iam.Workload{byARN, byName, symbolicARN, sharedAddr, symbolicName, missing, instance, template, onStub}}
	Link(m, nil)

	for _, c := range []struct {
		w    *iam.Workload
		role *iam.Role
	}{{byARN, app}, {byName, app}, {symbolicARN, nil}, {sharedAddr, nil}, {symbolicName, nil}, {missing, nil}, {onStub, deployer}} {
		if c.w.Role != c.role {
			t.Errorf("%s (%s): role %v, want %v", c.w.Addr, c.w.RoleRef, addrOf(c.w.Role), addrOf(c.role))
		}
	}
	if instance.Profile != profile || template.Profile != profile {
		t.Errorf("instance profile by name %v, by ARN %v", instance.Profile, template.Profile)
	}
	if len(m.Roles) != 4 {
		t.Errorf("%d roles, want the stub merged", len(m.Roles))
	}
}

func addrOf(r *iam.Role) string {
	if r == nil {
		return "nil"
	}
	return r.Addr
}
