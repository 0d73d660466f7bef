package builtin

import (
	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

func awsManagedAdminPolicy() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM116",
			Slug:     "aws-managed-admin-policy",
			Title:    "AWS managed administrator-like policy attached",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A few AWS managed policies give administrator access or one step short of it:
` + "`AdministratorAccess`" + ` (every action), ` + "`PowerUserAccess`" + ` (every action but IAM,
Organizations and account management, so every secret, key and workload,
and ` + "`iam:PassRole`" + ` to any service that runs code), ` + "`IAMFullAccess`" + ` (` + "`iam:*`" + `,
enough to attach ` + "`AdministratorAccess`" + ` to oneself) and
` + "`AWSOrganizationsFullAccess`" + ` (control of every account of the organization).
AWS maintains them, so they also grow with every new service.

The rule reports each attachment of one of them to a user, group or role,
at the attachment, naming the principal or group. An attachment to a group
is always reported: a group has no boundary and may gain members later
(IAM101 reports the members it already makes administrators).

It deliberately does not report: an attachment to a user or role whose
effective permissions make it an administrator (IAM101 and IAM102 report the
principal once, at the attachment, with the whole path); an attachment to a
user or role whose permissions boundary caps it (the boundary allows less
than every action, or is not in the inputs): attaching a broad policy under
a boundary is AWS's documented pattern for delegated administration; the
policy used as a permissions boundary itself.

**Fix:** attach a policy with the actions the job needs. For people, use
IAM Identity Center permission sets and roles that require MFA; for
delegated administrators, add a permissions boundary.`,
			Bad: `-- main.tf --
resource "aws_iam_group" "developers" {
  name = "developers"
}

resource "aws_iam_group_policy_attachment" "power" {
  group      = aws_iam_group.developers.name
  policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
}
`,
			Good: `-- main.tf --
resource "aws_iam_group" "developers" {
  name = "developers"
}

resource "aws_iam_group_policy_attachment" "readonly" {
  group      = aws_iam_group.developers.name
  policy_arn = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
}
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html",
				"https://docs.aws.amazon.com/aws-managed-policy/latest/reference/PowerUserAccess.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
			},
		},
		Check: func(p *rules.Pass) error {
			a := p.Input.Analysis()
			check := func(kind, name string, owner *iam.Node, node *analyzer.Node, atts []*iam.Attachment) {
				addr := owner.Addr
				for _, att := range atts {
					pol := lpManagedName(att.PolicyRef)
					if att.Policy != nil && att.Policy.AWSManaged && att.Policy.Name != "" {
						pol = att.Policy.Name
					}
					what, ok := lpAdminLikeManaged[pol]
					if !ok || (att.Policy != nil && !att.Policy.AWSManaged) {
						continue
					}
					if node != nil {
						if perms := a.Permissions(node); perms != nil && (perms.Admin != iam.No || lpBoundaryCaps(p.Catalog, a, perms)) {
							continue
						}
					}
					p.ReportAt(att.Addr, addr+" → "+att.Addr+" → "+pol, addr, lpRangeOr(att.Range, owner.Range), nil,
						"AWS managed policy %s (%s) is attached to %s", pol, what, lpIdentityName(kind, name, addr))
				}
			}
			m := p.Input.Model
			for _, u := range m.Users {
				check("user", u.Name, &u.Node, a.Graph.NodeOf(u), u.Attached)
			}
			for _, g := range m.Groups {
				check("group", g.Name, &g.Node, nil, g.Attached)
			}
			for _, r := range m.Roles {
				check("role", r.Name, &r.Node, a.Graph.NodeOf(r), r.Attached)
			}
			return nil
		},
	}
}

// lpBoundaryCaps reports whether a principal's permissions boundary keeps
// it from some actions: the boundary is not in the inputs, or its Allow
// statements on every resource, without conditions, do not cover every
// action.
func lpBoundaryCaps(cat *catalog.Catalog, a *analyzer.Analysis, perms *analyzer.Permissions) bool {
	b := a.Graph.Boundary(perms.Principal)
	if b == nil {
		return false
	}
	if b.Doc == nil || b.Doc.Doc == nil {
		return true
	}
	covered := catalog.NewSet(cat.NumActions())
	for _, g := range perms.Bounds {
		if g.Kind == iam.KindBoundary && g.AllResources() && !g.Conditional() && g.Statement.Effect == iam.Allow {
			covered.Union(g.Actions())
		}
	}
	return covered.Len() < cat.NumActions()
}
