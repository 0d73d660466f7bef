package builtin

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

func invalidARN() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM308",
			Slug:     "invalid-arn",
			Title:    "Resource is not a well-formed ARN",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `Every ` + "`Resource`" + ` and ` + "`NotResource`" + ` entry is ` + "`\"*\"`" + ` or an Amazon Resource
Name of six colon-separated fields, ` + "`arn:partition:service:region:account:resource`" + `.
AWS rejects a policy with an entry that is not (` + "`my-bucket/*`" + `, a missing field,
an unknown partition such as ` + "`aws-us`" + `, an IAM ARN with a Region), so the
deployment fails; an entry with a misspelt Region (` + "`us-east1`" + `) or an account
that is not 12 digits is accepted but never matches anything, so an ` + "`Allow`" + `
grants nothing and a ` + "`Deny`" + ` guards nothing.

The rule checks the structure of each entry: the ` + "`arn:`" + ` prefix, the six
fields, the partition (` + "`aws`" + `, ` + "`aws-cn`" + `, ` + "`aws-us-gov`" + `, the ISO and sovereign
partitions), a lower-case service, the shape of a Region name, an account of
12 digits (or a literal such as ` + "`aws`" + ` that AWS's own ARN formats use), a
non-empty resource part, and no Region in an IAM ARN. Fields holding a
wildcard, a policy variable or a value a template fills in
(` + "`${data.aws_partition.current.partition}`" + `, ` + "`${AWS::Region}`" + `) are not judged,
nor are values the loader could not resolve. An entry whose resource type
does not fit the statement's actions is IAM305's to report; this rule stays
silent where IAM305 reports, so that one entry gets one finding.

Fix the entry, or use the ARN format the service authorization reference
gives for the resource type.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "dynamodb:GetItem",
      "Resource": "arn:aws:dynamodb:us-east1:111122223333:table/orders"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "dynamodb:GetItem",
      "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/orders"
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
			},
		},
		Check: func(p *rules.Pass) error {
			accounts := gramARNAccountLiterals(p.Catalog)
			r := newActionResolver(p.Catalog)
			for _, d := range p.Input.Policies() {
				for _, s := range d.Policy.Doc.Statements {
					var mismatch func(text string) bool // built for the first problem
					for i, l := range []iam.List{s.Resource, s.NotResource} {
						for _, v := range l.Values {
							if v.Unknown || v.Text == "*" {
								continue
							}
							problem := gramARNProblem(v.Text, accounts)
							if problem == "" {
								continue
							}
							if i == 0 {
								if mismatch == nil {
									mismatch = gramTypeMismatch(r, p.Catalog, s)
								}
								if mismatch(v.Text) {
									continue // IAM305's
								}
							}
							p.Reportf(d, v.Range, "resource %q %s", v.Text, problem)
						}
					}
				}
			}
			return nil
		},
	}
}

// gramPartitions are the AWS partitions.
var gramPartitions = []string{"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}

// gramRegionName is the shape of an AWS Region name: us-east-1,
// us-gov-west-1, us-isob-east-1, eusc-de-east-1.
var gramRegionName = regexp.MustCompile(`^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$`)

// gramARNAccountLiterals returns the literal account fields of the
// reference's ARN formats ("aws" for AWS managed policies, ...).
func gramARNAccountLiterals(cat *catalog.Catalog) map[string]bool {
	out := map[string]bool{}
	for _, s := range cat.Services() {
		for _, t := range s.ResourceTypes {
			for _, f := range t.ARNFormats {
				if parts := strings.SplitN(f, ":", 6); len(parts) == 6 && parts[4] != "" && !strings.ContainsAny(parts[4], "${*") {
					out[parts[4]] = true
				}
			}
		}
	}
	return out
}

// gramJudged reports whether an ARN field is plain text the rule can
// judge: no wildcard, no policy variable or template part.
func gramJudged(field string) bool {
	return !hasWildcard(field) && !strings.Contains(field, "${")
}

// gramARNProblem says what is wrong with a Resource entry ("is not an
// ARN ..."), or returns "".
func gramARNProblem(text string, accounts map[string]bool) string {
	if !strings.HasPrefix(text, "arn:") {
		switch {
		case text == "":
			return "is empty; write an ARN or \"*\""
		case strings.HasPrefix(text, "*") || strings.HasPrefix(text, "?") || strings.HasPrefix(text, "${"):
			return "" // a pattern that may stand for ARNs, or a template value
		case strings.HasPrefix(strings.TrimSpace(text), "arn:"):
			return "has surrounding spaces, so it is not an ARN"
		case strings.HasPrefix(strings.ToLower(text), "arn:"):
			return "does not start with the lower-case prefix \"arn:\""
		}
		return "is not an ARN (arn:partition:service:region:account:resource) or \"*\""
	}
	a, ok := iam.ParseARN(text)
	if !ok {
		if !gramJudged(text) {
			return "" // a wildcard may stand for the missing fields
		}
		return fmt.Sprintf("has %d of the 6 colon-separated ARN fields (arn:partition:service:region:account:resource)", strings.Count(text, ":")+1)
	}
	switch {
	case gramJudged(a.Partition) && !slices.Contains(gramPartitions, a.Partition):
		return fmt.Sprintf("has partition %q, which is not an AWS partition (%s)", a.Partition, strings.Join(gramPartitions[:3], ", ")+", ...")
	case gramJudged(a.Service) && a.Service == "":
		return "has an empty service field"
	case gramJudged(a.Service) && strings.ToLower(a.Service) != a.Service:
		return fmt.Sprintf("has service %q in upper case; ARN service names are lower case (%q)", a.Service, strings.ToLower(a.Service))
	case a.Service == "iam" && a.Region != "":
		return "is an IAM ARN with a Region; IAM ARNs leave the Region field empty"
	case gramJudged(a.Region) && a.Region != "" && !gramRegionName.MatchString(a.Region):
		return fmt.Sprintf("has Region %q, which is not an AWS Region name such as us-east-1", a.Region)
	case gramJudged(a.Account) && a.Account != "" && !iam.IsAccountID(a.Account) && !accounts[a.Account]:
		return fmt.Sprintf("has account %q, which is not a 12-digit account ID", a.Account)
	case a.Resource == "":
		return "has an empty resource part"
	}
	return ""
}

// gramTypeMismatch returns a test telling which Resource entries of s
// IAM305 reports (an entry that fits no resource type of the statement's
// actions), by the same reasoning as IAM305.
func gramTypeMismatch(r *actionResolver, cat *catalog.Catalog, s *iam.Statement) func(text string) bool {
	never := func(string) bool { return false }
	if s.NotResource.Present || !s.Resource.Present {
		return never
	}
	acts, ok := r.statementActions(s)
	if !ok {
		return never
	}
	_, types := typedActions(acts)
	if len(types) == 0 {
		return never
	}
	return func(text string) bool {
		return text != "*" && !resourceFits(cat, types, variablesAsWildcards(text))
	}
}
