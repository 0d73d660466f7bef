package builtin

import (
	"fmt"
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

// IAM and Organizations policy size quotas, in characters.
const (
	gramManagedQuota     = 6144  // a managed policy, white space excluded
	gramUserInlineQuota  = 2048  // all inline policies of a user
	gramGroupInlineQuota = 5120  // all inline policies of a group
	gramRoleInlineQuota  = 10240 // all inline policies of a role
	gramOrgPolicyQuota   = 5120  // an SCP or RCP, every character counted
	gramSessionQuota     = 2048  // an inline session policy
)

// gramResourceQuota is a service's limit on a resource-based policy.
type gramResourceQuota struct {
	limit         int
	name, article string // "S3 bucket policy", "an S3 bucket policy"
	hint          string
}

// gramResourceQuotas are the limits of the services whose quota is known;
// other services' resource policies are not measured.
var gramResourceQuotas = map[string]gramResourceQuota{
	"s3":             {20480, "this S3 bucket policy", "an S3 bucket policy", "grant through access points or IAM policies, or name buckets and principals with wildcards and conditions"},
	"kms":            {32768, "this KMS key policy", "a KMS key policy", "grant through IAM policies (the key policy can delegate to the account) or grants"},
	"secretsmanager": {20480, "this Secrets Manager resource policy", "a Secrets Manager resource policy", "grant through IAM policies, or name principals with conditions such as aws:PrincipalOrgID"},
}

// gramResourceQuotaOf returns the quota of a resource-based policy whose
// actions all belong to one service with a known quota.
func gramResourceQuotaOf(doc *iam.Document) (gramResourceQuota, bool) {
	service := ""
	for _, st := range doc.Statements {
		if st.NotAction.Present {
			return gramResourceQuota{}, false
		}
		for _, v := range st.Action.Values {
			prefix, _, ok := strings.Cut(v.Text, ":")
			if v.Unknown || !ok || (service != "" && !strings.EqualFold(prefix, service)) {
				return gramResourceQuota{}, false
			}
			service = strings.ToLower(prefix)
		}
	}
	q, ok := gramResourceQuotas[service]
	return q, ok
}

func policySizeQuota() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM318",
			Slug:     "policy-size-quota",
			Title:    "Policy is larger than AWS's size quota",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `AWS limits the size of policy documents and rejects a document (or an inline
policy) that would exceed the limit, so the deployment fails with
` + "`LimitExceeded`" + ` or "Maximum policy size exceeded":

| Document | Quota |
| --- | --- |
| Customer managed policy (also as a permissions boundary) | 6,144 characters |
| All inline policies of a user, together | 2,048 characters |
| All inline policies of a group, together | 5,120 characters |
| All inline policies of a role, together | 10,240 characters |
| Role trust policy | 2,048 characters by default, adjustable up to 8,192 |
| Service control policy, resource control policy | 5,120 characters |
| Session policy passed to STS | 2,048 characters |
| S3 bucket policy | 20 KB |
| KMS key policy | 32 KB |
| Secrets Manager resource policy | 20,480 characters |

IAM does not count white space; Organizations counts every character of an
SCP or RCP, white space included. The rule measures the most compact JSON
form of each document, without white space and with values a template fills
in counted as empty, so the size it reports is a lower bound and a finding
means the quota is exceeded however the document is written. (A pretty-printed
SCP can therefore exceed its quota without being reported: minify it.) A
standalone identity policy file, whose use is unknown, is reported only
above 10,240 characters, more than any identity policy may have; a file
given as a boundary (` + "`--kind boundary`" + `) is held to the managed policy
quota. A standalone resource-based policy is measured when all its actions
belong to S3, KMS or Secrets Manager, whose quotas are known (counted in
bytes with white space by S3 and KMS, so the lower bound holds there too).

To fix, split the policy into several managed policies, replace lists of
actions with wildcards that match the same access level (` + "`s3:Get*`" + `), merge
statements that share actions or resources, or, for a trust policy, request
a higher "Role trust policy length" quota and set ` + "`trust_policy_quota`" + `.`,
			Bad: `-- policy.json --
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": [
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000001",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000002",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000003",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000004",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000005",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000006",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000007",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000008",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000009",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000010",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000011",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000012",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000013",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000014",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000015",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000016",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000017",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000018",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000019",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000020",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000021",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000022",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000023",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000024",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000025",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000026",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000027",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000028",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000029",
        "arn:aws:iam::111122223333:role/deployment-pipeline-role-number-000030"
      ]},
      "Action": "sts:AssumeRole"
    }
  ]
}
`,
			Good: `-- policy.json --
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Service": "ec2.amazonaws.com"},
      "Action": "sts:AssumeRole"
    }
  ]
}
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
				"https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html",
				"https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html",
			},
			Options: []rules.Option{{
				Name:        "trust_policy_quota",
				Type:        "int",
				Default:     "2048",
				Description: "The account's \"Role trust policy length\" quota in characters (2,048 unless raised; at most 8,192).",
			}},
		},
		Check: func(p *rules.Pass) error {
			trustQuota := p.IntOption("trust_policy_quota")
			docs := gramDocuments(p.Input)
			m := p.Input.Model
			size := func(pd *iam.PolicyDocument) (int, *rules.Document) {
				d := docs[pd]
				if pd == nil || pd.Doc == nil || d == nil {
					return 0, nil
				}
				return gramPolicySize(pd.Doc), d
			}
			// A document is rendered and measured only when its bound
			// exceeds the limit.
			bound := func(pd *iam.PolicyDocument) int {
				if pd == nil || pd.Doc == nil {
					return 0
				}
				return gramPolicySizeBound(pd.Doc)
			}
			// report reports a document over quota; quota names the quota
			// ("the 6,144-character quota of a managed policy").
			report := func(pd *iam.PolicyDocument, limit int, what, quota, hint string) {
				if bound(pd) <= limit {
					return
				}
				if n, d := size(pd); d != nil && n > limit {
					p.Reportf(d, d.Policy.Doc.Range, "%s has at least %s characters without white space, over %s; %s",
						what, gramThousands(n), quota, hint)
				}
			}
			const split = "split it into several policies"
			inline := func(node iam.Node, kind string, ps []*iam.InlinePolicy, quota int) {
				most := 0
				for _, ip := range ps {
					most += bound(&ip.PolicyDocument)
				}
				if most <= quota {
					return
				}
				total := 0
				var related []rules.Related
				for _, ip := range ps {
					n, d := size(&ip.PolicyDocument)
					if d == nil {
						continue
					}
					total += n
					related = append(related, rules.Related{Range: d.Policy.Doc.Range, Message: fmt.Sprintf("inline policy %q: %s characters", ip.Name, gramThousands(n))})
				}
				if total > quota {
					p.ReportAt(node.Addr, node.Addr, "inline-size", node.Range, related,
						"the inline policies of %s %s have at least %s characters without white space together, over IAM's %s-character quota per %s; move some into managed policies",
						kind, node.Addr, gramThousands(total), gramThousands(quota), kind)
				}
			}
			for _, u := range m.Users {
				inline(u.Node, "user", u.Inline, gramUserInlineQuota)
			}
			for _, g := range m.Groups {
				inline(g.Node, "group", g.Inline, gramGroupInlineQuota)
			}
			for _, r := range m.Roles {
				inline(r.Node, "role", r.Inline, gramRoleInlineQuota)
				report(r.Trust, trustQuota, "trust policy of "+r.Addr, gramTrustQuota(trustQuota), gramTrustHint)
			}
			for _, mp := range m.Policies {
				if mp.AWSManaged {
					continue
				}
				managed := "the " + gramThousands(gramManagedQuota) + "-character quota of a managed policy"
				report(mp.Default, gramManagedQuota, "managed policy "+mp.Addr, managed, split)
				for _, v := range mp.Versions {
					if &v.PolicyDocument != mp.Default {
						report(&v.PolicyDocument, gramManagedQuota, "version "+v.VersionID+" of managed policy "+mp.Addr, managed, split)
					}
				}
			}
			org := func(k iam.Kind) string {
				return "the " + gramThousands(gramOrgPolicyQuota) + "-character quota of an " + strings.ToUpper(k.String()) + ", which counts white space too"
			}
			for _, op := range m.OrgPolicies {
				report(&op.PolicyDocument, gramOrgPolicyQuota, strings.ToUpper(op.Kind.String())+" "+op.Addr, org(op.Kind), split)
			}
			for _, sd := range m.Documents {
				switch sd.Kind {
				case iam.KindTrust:
					report(&sd.PolicyDocument, trustQuota, "trust policy", gramTrustQuota(trustQuota), gramTrustHint)
				case iam.KindSCP, iam.KindRCP:
					report(&sd.PolicyDocument, gramOrgPolicyQuota, strings.ToUpper(sd.Kind.String()), org(sd.Kind), split)
				case iam.KindIdentity:
					report(&sd.PolicyDocument, gramRoleInlineQuota, "identity policy",
						"the "+gramThousands(gramRoleInlineQuota)+" characters that even a role's inline policies may have together", split)
				case iam.KindBoundary:
					// A boundary is always a managed policy.
					report(&sd.PolicyDocument, gramManagedQuota, "permissions boundary",
						"the "+gramThousands(gramManagedQuota)+"-character quota of a managed policy", "name the actions it caps by service prefix with wildcards (s3:*) or split the cap into a boundary and SCPs")
				case iam.KindSession:
					report(&sd.PolicyDocument, gramSessionQuota, "session policy",
						"the "+gramThousands(gramSessionQuota)+" characters STS accepts in a session policy", "pass a managed policy ARN (PolicyArns) instead of the inline policy")
				case iam.KindResource:
					if q, ok := gramResourceQuotaOf(sd.Doc); ok {
						report(&sd.PolicyDocument, q.limit, q.name, "the "+gramThousands(q.limit)+"-character quota of "+q.article, q.hint)
					}
				}
			}
			return nil
		},
	}
}

// gramTrustHint says how to shrink a trust policy.
const gramTrustHint = "name an account with a condition on aws:PrincipalArn instead of listing principals, or raise the account's quota and set trust_policy_quota"

func gramTrustQuota(n int) string {
	return "the account's " + gramThousands(n) + "-character quota for a role trust policy"
}
