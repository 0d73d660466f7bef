package builtin

import (
	"strconv"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func sharedInlinePolicy() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM118",
			Slug:     "shared-inline-policy",
			Title:    "Same inline policy embedded in several principals",
			Severity: rules.Info,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `An inline policy belongs to one user, group or role. When the same document is
embedded in several of them, each copy must be changed, reviewed and
versioned on its own, and the copies drift apart; a managed policy is written
once, attached to each, versioned by IAM, and shows in one place who uses it.
AWS recommends managed policies over inline ones except where a strict
one-to-one relationship is wanted.

The rule compares the inline policies of every user, group and role, after
normalising them (element order, string-or-array forms and whitespace do
not matter; ` + "`Sid`" + `s and values do), and reports each document embedded in two
or more of them once, at the first inline policy (users, then groups, then
roles, each in address order), with the others as related locations. In
Terraform, the same ` + "`aws_iam_policy_document`" + ` used by the ` + "`aws_iam_role_policy`" + ` of
several roles is such a case.

It deliberately does not report a single inline policy (a one-to-one policy
is what inline policies are for; inline policies on users are IAM117's),
documents that differ only by a value such as a role's own log group, or
documents with no statements.

**Fix:** create one managed policy (` + "`aws_iam_policy`" + `) with the document and
attach it to each principal (` + "`aws_iam_role_policy_attachment`" + `).`,
			Bad: `-- main.tf --
data "aws_iam_policy_document" "logs" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:eu-west-1:111122223333:log-group:/app/*:*"]
  }
}

resource "aws_iam_role_policy" "api_logs" {
  name   = "logs"
  role   = "api"
  policy = data.aws_iam_policy_document.logs.json
}

resource "aws_iam_role_policy" "worker_logs" {
  name   = "logs"
  role   = "worker"
  policy = data.aws_iam_policy_document.logs.json
}
`,
			Good: `-- main.tf --
data "aws_iam_policy_document" "logs" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:eu-west-1:111122223333:log-group:/app/*:*"]
  }
}

resource "aws_iam_policy" "logs" {
  name   = "app-logs"
  policy = data.aws_iam_policy_document.logs.json
}

resource "aws_iam_role_policy_attachment" "api_logs" {
  role       = "api"
  policy_arn = aws_iam_policy.logs.arn
}

resource "aws_iam_role_policy_attachment" "worker_logs" {
  role       = "worker"
  policy_arn = aws_iam_policy.logs.arn
}
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#best-practice-managed-vs-inline",
			},
		},
		Check: func(p *rules.Pass) error {
			type owned struct {
				owner string // `role "api"`
				ip    *iam.InlinePolicy
				rng   hcl.Range
			}
			type holder struct {
				kind, name string
				n          *iam.Node
				list       []*iam.InlinePolicy
			}
			var holders []holder
			m := p.Input.Model
			for _, u := range m.Users {
				holders = append(holders, holder{"user", u.Name, &u.Node, u.Inline})
			}
			for _, g := range m.Groups {
				holders = append(holders, holder{"group", g.Name, &g.Node, g.Inline})
			}
			for _, r := range m.Roles {
				holders = append(holders, holder{"role", r.Name, &r.Node, r.Inline})
			}
			// Only documents whose size bound another one shares can be
			// the same: the others are not rendered.
			bounds := map[int]int{}
			for _, h := range holders {
				for _, ip := range h.list {
					if ip.Doc != nil {
						bounds[gramPolicySizeBound(ip.Doc)]++
					}
				}
			}
			var order []string
			groups := map[string][]owned{}
			for _, h := range holders {
				for _, ip := range h.list {
					if ip.Doc == nil || len(ip.Doc.Statements) == 0 || bounds[gramPolicySizeBound(ip.Doc)] < 2 {
						continue
					}
					key := string(ip.Doc.JSON())
					if _, ok := groups[key]; !ok {
						order = append(order, key)
					}
					groups[key] = append(groups[key], owned{lpIdentityName(h.kind, h.name, h.n.Addr), ip, lpRangeOr(ip.Range, h.n.Range)})
				}
			}
			for _, key := range order {
				list := groups[key]
				owners := map[string]bool{}
				for _, o := range list {
					owners[o.owner] = true
				}
				if len(owners) < 2 {
					continue
				}
				first := list[0]
				var related []rules.Related
				var others []string
				for _, o := range list[1:] {
					if o.owner == first.owner {
						continue
					}
					others = append(others, o.owner)
					related = append(related, rules.Related{Range: o.rng, Message: "the same document, embedded in " + o.owner})
				}
				name := strconv.Quote(first.ip.Name)
				if first.ip.Name == "" || lpSymbolic(first.ip.Name) {
					name = first.ip.Addr
				}
				p.ReportAt(first.ip.Addr, first.ip.Addr, "shared", first.rng, related,
					"inline policy %s of %s is also embedded, unchanged, in %s; make it one managed policy attached to each",
					name, first.owner, lpAnd(others))
			}
			return nil
		},
	}
}
