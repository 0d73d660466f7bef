package builtin

import (
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

func forAllValuesAbsentKey() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM311",
			Slug:     "forallvalues-absent-key",
			Title:    "ForAllValues in an Allow also holds when the key is absent",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `` + "`ForAllValues:`" + ` holds when every value of the key in the request matches one
of the policy's values, and therefore also when the request has no value at
all. In an ` + "`Allow`" + ` that is easy to miss:
` + "`\"ForAllValues:StringEquals\": {\"aws:CalledVia\": \"cloudformation.amazonaws.com\"}`" + `
is meant to allow an action only through CloudFormation, but a direct call
has no ` + "`aws:CalledVia`" + ` and is allowed too; ` + "`ForAllValues`" + ` on
` + "`aws:PrincipalOrgPaths`" + ` lets in callers outside any organization, and on
` + "`dynamodb:LeadingKeys`" + ` it allows a ` + "`Scan`" + ` of the whole table, which has no
leading key. AWS's documentation recommends pairing the condition with
` + "`\"Null\": {\"<key>\": \"false\"}`" + ` so that the key must be present.

The rule reports ` + "`ForAllValues:`" + ` in an ` + "`Allow`" + ` statement that does not otherwise
require the key (by a ` + "`Null`" + ` ` + "`false`" + ` test, a ` + "`ForAnyValue:`" + ` condition or a
positive plain operator on the same key), on a global key AWS documents as
multivalued or on ` + "`dynamodb:LeadingKeys`" + ` and ` + "`dynamodb:Attributes`" + `, for which
AWS documents the absent-key case. Other service keys are left alone: most
are like ` + "`kms:EncryptionContextKeys`" + ` or ` + "`kms:GrantOperations`" + `, which restrict
what a request may set (a request that sets nothing passes, as intended) or
are always present for the actions they apply to. ` + "`Deny`" + ` statements are not
reported (there an absent key makes the deny apply, the safe side).

Keys listed in the ` + "`ignore_keys`" + ` option are skipped. By default that is
` + "`aws:TagKeys`" + `: a request without tags is usually meant to pass a rule that
only limits which tag keys may be set. Remove it from the list if your
policies use ` + "`aws:TagKeys`" + ` to require tags.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Condition": {"ForAllValues:StringEquals": {"aws:CalledVia": "cloudformation.amazonaws.com"}}
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Condition": {
        "ForAllValues:StringEquals": {"aws:CalledVia": "cloudformation.amazonaws.com"},
        "Null": {"aws:CalledVia": "false"}
      }
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
			},
			Options: []rules.Option{{
				Name:        "ignore_keys",
				Type:        "[]string",
				Default:     `["aws:TagKeys"]`,
				Description: "Condition keys not to report (names compared ignoring case).",
			}},
		},
		Check: func(p *rules.Pass) error {
			ignore := p.StringsOption("ignore_keys")
			for _, d := range p.Input.Policies() {
				for _, s := range d.Policy.Doc.Statements {
					if s.Effect != iam.Allow {
						continue
					}
					for _, c := range s.Condition.Clauses {
						if c.Operator.Set != iam.ForAllValues || c.Operator.Func == iam.OpNull {
							continue
						}
						if gramContainsFold(ignore, c.Key) || !gramAbsentRiskKey(p.Catalog, c.Key) || gramRequiresKey(s, c.Key) {
							continue
						}
						p.ReportRelatedf(d, c.KeyRange, gramOperatorRelated(c),
							"%s also holds when the request has no %s, so this Allow applies to such requests too; add \"Null\": {%q: \"false\"} if the key must be present",
							c.Operator, c.Key, c.Key)
					}
				}
			}
			return nil
		},
	}
}

// gramAbsentRiskKeys are the service keys for which AWS documents that
// a request without the key is a different kind of request, not one with
// nothing to restrict: a DynamoDB Scan has no leading key, and a read
// without a projection returns every attribute.
var gramAbsentRiskKeys = []string{"dynamodb:LeadingKeys", "dynamodb:Attributes"}

// gramAbsentRiskKey reports whether the rule judges ForAllValues on the
// key: a global key AWS documents as multivalued, or one of
// gramAbsentRiskKeys.
func gramAbsentRiskKey(cat *catalog.Catalog, name string) bool {
	if k := gramGlobalKey(cat, name); k != nil {
		return gramMultivalued(k)
	}
	return gramContainsFold(gramAbsentRiskKeys, name)
}

// gramRequiresKey reports whether another condition of the statement
// holds only when the key is present: Null false, ForAnyValue with a
// positive operator, or a positive plain operator, without IfExists.
func gramRequiresKey(s *iam.Statement, key string) bool {
	for _, c := range s.Condition.Clauses {
		if !strings.EqualFold(c.Key, key) || c.Operator.IfExists {
			continue
		}
		op := c.Operator
		switch {
		case op.Func == iam.OpNull:
			if op.Set == iam.SetNone && len(c.Values) > 0 && gramAllFalse(c.Values) {
				return true
			}
		case op.Set == iam.ForAllValues || op.Func.Negated():
		default:
			return true
		}
	}
	return false
}

func gramAllFalse(vs []iam.Value) bool {
	for _, v := range vs {
		if !strings.EqualFold(v.Text, "false") {
			return false
		}
	}
	return true
}
