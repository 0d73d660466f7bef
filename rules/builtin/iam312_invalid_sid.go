package builtin

import (
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func invalidSid() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM312",
			Slug:     "invalid-sid",
			Title:    "Sid has characters IAM does not accept",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `In IAM policies the ` + "`Sid`" + ` (statement ID) may only hold the ASCII letters
A–Z and a–z and the digits 0–9. IAM rejects a policy whose ` + "`Sid`" + ` has a space,
a hyphen, an underscore or any other character ("Statement IDs (SID) must be
alpha-numeric"), so the deployment that creates or updates it fails. Names
such as ` + "`Allow-S3-Read`" + ` or ` + "`read_only`" + ` are the usual culprits; they are valid in
the policies of other services (an S3 bucket policy accepts them), which is
why they get copied into IAM policies.

The rule checks the documents IAM stores, identity policies (inline and
managed, including those used as permissions boundaries) and role trust
policies, and service control policies, whose validation (Organizations,
IAM Access Analyzer's SCP checks) applies the same restriction.
Resource-based policies of other services and RCPs are not checked. A ` + "`Sid`" + ` that a template fills in (` + "`${var.sid}`" + `) is not judged.
Duplicate Sids are reported by IAM002.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Allow-S3-Read",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowS3Read",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, d := range p.Input.Policies() {
				switch d.Kind {
				case iam.KindIdentity, iam.KindBoundary, iam.KindTrust, iam.KindSCP:
				default:
					continue
				}
				for _, s := range d.Policy.Doc.Statements {
					if s.Sid == "" || strings.Contains(s.Sid, "${") {
						continue
					}
					if bad := gramSidChars(s.Sid); bad != "" {
						p.Reportf(d, s.SidRange, "Sid %q has %s; a Sid may only hold the letters A-Z, a-z and the digits 0-9", s.Sid, bad)
					}
				}
			}
			return nil
		},
	}
}

// gramSidChars names the characters of sid that are not ASCII letters or
// digits ("a space and \"-\""), or returns "".
func gramSidChars(sid string) string {
	var names []string
	seen := map[rune]bool{}
	for _, r := range sid {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') || seen[r] {
			continue
		}
		seen[r] = true
		if r == ' ' {
			names = append(names, "a space")
		} else {
			names = append(names, "\""+string(r)+"\"")
		}
	}
	if len(names) == 0 {
		return ""
	}
	return gramAndList(names)
}
