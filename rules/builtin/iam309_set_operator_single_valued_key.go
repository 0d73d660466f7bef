package builtin

import (
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func setOperatorSingleValuedKey() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM309",
			Slug:     "set-operator-single-valued-key",
			Title:    "ForAllValues or ForAnyValue on a single-valued key",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `The set operators ` + "`ForAllValues:`" + ` and ` + "`ForAnyValue:`" + ` compare a *set* of request
values with the policy's values; they are meant for multivalued keys such as
` + "`aws:TagKeys`" + `. On a key that has at most one value in a request
(` + "`aws:PrincipalOrgID`" + `, ` + "`aws:SourceVpce`" + `, ` + "`aws:ResourceTag/...`" + `) they change what
the condition means when the key is absent:

- ` + "`ForAllValues:`" + ` holds when the request has no value for the key (every one
  of no values matches). ` + "`\"ForAllValues:StringEquals\": {\"aws:PrincipalOrgID\":\n  \"o-abc\"}`" + ` in an ` + "`Allow`" + ` also lets in every caller whose request carries no
  organization ID, which is exactly the outside caller it was meant to keep
  out. AWS's documentation warns that this is overly permissive, and IAM
  Access Analyzer reports it as a security warning.
- ` + "`ForAnyValue:`" + ` with a negated operator (` + "`StringNotEquals`" + `, ` + "`ArnNotLike`" + `, ...)
  does not hold when the key is absent, while the plain operator does: a
  ` + "`Deny`" + ` meant for "any caller not from o-abc" misses callers without an
  organization.

The rule reports such conditions on AWS's global condition keys, whose
single- or multivalued nature is documented. It leaves service keys alone:
the service authorization reference types some keys that requests carry
several values for as plain strings. ` + "`ForAnyValue:`" + ` with a positive operator
on a single-valued key means the same as the plain operator and is not
reported, nor is an operator with ` + "`IfExists`" + `, which holds for an absent key
either way. Use the plain operator (` + "`StringEquals`" + `, ` + "`StringNotEquals`" + `) instead.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Condition": {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, d := range p.Input.Policies() {
				for _, s := range d.Policy.Doc.Statements {
					for _, c := range s.Condition.Clauses {
						op := c.Operator
						if op.Set == iam.SetNone || op.Func == iam.OpNull || op.IfExists {
							continue
						}
						k := gramGlobalKey(p.Catalog, c.Key)
						if k == nil || gramMultivalued(k) {
							continue
						}
						plain := iam.Operator{Func: op.Func}
						switch {
						case op.Set == iam.ForAllValues:
							p.ReportRelatedf(d, c.KeyRange, gramOperatorRelated(c),
								"%s on single-valued key %s also holds when the request has no %s; use %s",
								op, c.Key, c.Key, plain)
						case op.Func.Negated():
							p.ReportRelatedf(d, c.KeyRange, gramOperatorRelated(c),
								"%s on single-valued key %s does not hold when the request has no %s, unlike %s; use %s",
								op, c.Key, c.Key, plain, plain)
						}
					}
				}
			}
			return nil
		},
	}
}
