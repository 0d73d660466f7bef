package analyzer

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/loader"
)

// The example company (examples/company) as the account dump and as
// Terraform: the paths of its principals' policies, and decisions made
// with the policy sets the graph builds.

func loadCompany(t testing.TB, form string) *iam.Model {
	t.Helper()
	m, diags := loader.Load(context.Background(), []string{filepath.Join("..", "examples", "company", form)}, loader.Options{})
	if diags.HasErrors() {
		t.Fatalf("loading the %s form: %s", form, diags)
	}
	return m
}

// principal finds a user or role by name.
func principal(t *testing.T, g *Graph, name string) *Node {
	t.Helper()
	for _, n := range g.Principals() {
		if (n.User != nil && n.User.Name == name) || (n.Role != nil && n.Role.Name == name) {
			return n
		}
	}
	t.Fatalf("no principal %s", name)
	return nil
}

func TestCompanyPaths(t *testing.T) {
	const gaad = "../examples/company/aws/gaad.json#"
	for _, c := range []struct {
		form string
		// bob's path to AdministratorAccess, ci-deploy's inline policy and
		// boundary.
		bob, ciInline, ciBoundary string
	}{
		{
			form:       "terraform",
			bob:        `module.admins.aws_iam_user.member["bob"] → module.admins.aws_iam_group_membership.this → module.admins.aws_iam_group.this → module.admins.aws_iam_group_policy_attachment.this["AdministratorAccess"] → arn:aws:iam::aws:policy/AdministratorAccess`,
			ciInline:   "aws_iam_role.ci_deploy → aws_iam_role_policy.ci_deploy",
			ciBoundary: "aws_iam_role.ci_deploy → aws_iam_policy.ci_boundary",
		},
		{
			form:       "aws",
			bob:        gaad + "UserDetailList[1] → " + gaad + "UserDetailList[1].GroupList[0] → " + gaad + "GroupDetailList[0] → " + gaad + "GroupDetailList[0].AttachedManagedPolicies[0] → arn:aws:iam::aws:policy/AdministratorAccess",
			ciInline:   gaad + "RoleDetailList[2] → " + gaad + "RoleDetailList[2].RolePolicyList[0]",
			ciBoundary: gaad + "RoleDetailList[2] → " + gaad + "RoleDetailList[2].PermissionsBoundary → " + gaad + "Policies[0] → " + gaad + "Policies[0].PolicyVersionList[0]",
		},
	} {
		t.Run(c.form, func(t *testing.T) {
			g := Build(loadCompany(t, c.form))

			bob := g.IdentityPolicies(principal(t, g, "bob"))
			want := []pathView{{Kind: "identity", Path: c.bob, Hops: []string{"user", "membership", "group", "attachment", "policy", "document"}, Doc: "arn:aws:iam::aws:policy/AdministratorAccess"}}
			if diff := cmp.Diff(want, view(bob...)); diff != "" {
				t.Errorf("bob's identity policies (-want +got):\n%s", diff)
			}
			if len(bob) == 1 {
				if p := bob[0].Hops[4].Node.Policy; p == nil || p.Name != "AdministratorAccess" || !p.AWSManaged {
					t.Errorf("bob's policy hop is %+v, want the AWS managed AdministratorAccess", p)
				}
				// Every hop but the AWS managed policy (embedded data, no
				// source) has a range.
				for i, h := range bob[0].Hops[:4] {
					if h.Src.Range.Filename == "" {
						t.Errorf("hop %d (%s %s) has no source range", i, h.Kind, h.Src.Addr)
					}
				}
			}

			ci := principal(t, g, "ci-deploy")
			inline := g.IdentityPolicies(ci)
			if len(inline) != 1 || inline[0].String() != c.ciInline || inline[0].Doc == nil || inline[0].Doc.Doc == nil {
				t.Errorf("ci-deploy's identity policies = %v, want only %s", view(inline...), c.ciInline)
			}
			b := g.Boundary(ci)
			if b == nil || b.String() != c.ciBoundary || b.Doc == nil || b.Hops[2].Node.Policy.Name != "ci-boundary" {
				t.Errorf("ci-deploy's boundary = %v, want %s", b, c.ciBoundary)
			}
			if b := g.Boundary(principal(t, g, "app")); b != nil {
				t.Errorf("app has boundary %s, want none", b)
			}
		})
	}
}

func TestCompanyEvaluate(t *testing.T) {
	const (
		account   = "arn:aws:iam::111122223333:"
		appData   = "arn:aws:s3:::examplecorp-app-data/releases/1.json"
		artifacts = "arn:aws:s3:::examplecorp-deploy-artifacts/app/1.0.tar.gz"
	)
	tagged := &iam.Context{}
	tagged.Set("aws:ResourceTag/Application", "app")
	cases := []struct {
		who, arn, action, resource string
		ctx                        *iam.Context
		want                       iam.Decision
	}{
		{"bob", account + "user/bob", "iam:CreateUser", account + "user/mallory", nil, iam.Allowed},
		{"carol", account + "user/carol", "iam:CreateUser", account + "user/mallory", nil, iam.ImplicitDeny},
		{"carol", account + "user/carol", "s3:PutObject", appData, nil, iam.Allowed},
		{"app", account + "role/app", "s3:GetObject", appData, nil, iam.Allowed},
		{"app", account + "role/app", "s3:PutObject", appData, nil, iam.ImplicitDeny},
		{"ci-deploy", account + "role/ci-deploy", "s3:PutObject", artifacts, nil, iam.Allowed},
		// The inline policy allows rolling out a tagged launch template
		// anywhere; the boundary keeps ci-deploy to the home region.
		{"ci-deploy", account + "role/ci-deploy", "ec2:CreateLaunchTemplateVersion", "arn:aws:ec2:eu-west-1:111122223333:launch-template/lt-0abc", tagged, iam.Allowed},
		{"ci-deploy", account + "role/ci-deploy", "ec2:CreateLaunchTemplateVersion", "arn:aws:ec2:us-east-1:111122223333:launch-template/lt-0abc", tagged, iam.ImplicitDeny},
	}
	for _, form := range []string{"terraform", "aws"} {
		t.Run(form, func(t *testing.T) {
			g := Build(loadCompany(t, form))
			for _, c := range cases {
				set, missing := g.PolicySet(principal(t, g, c.who))
				if len(missing) > 0 {
					t.Errorf("%s: policies left out: %v", c.who, view(missing...))
				}
				got := iam.Evaluate(&iam.Request{Principal: c.arn, Action: c.action, Resource: c.resource, Context: c.ctx}, &set)
				if got.Decision != c.want {
					t.Errorf("%s %s on %s: %s (%s), want %s", c.who, c.action, c.resource, got.Decision, got.Reason, c.want)
				}
			}
			// The boundary is what stops the out-of-region rollout: without
			// it the inline policy allows it.
			set, _ := g.PolicySet(principal(t, g, "ci-deploy"))
			set.Boundary = nil
			last := cases[len(cases)-1]
			if got := iam.Evaluate(&iam.Request{Principal: last.arn, Action: last.action, Resource: last.resource, Context: last.ctx}, &set); got.Decision != iam.Allowed {
				t.Errorf("without its boundary ci-deploy %s on %s: %s (%s), want Allowed", last.action, last.resource, got.Decision, got.Reason)
			}
		})
	}
}
