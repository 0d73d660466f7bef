package builtin

import (
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func multivaluedKeyWithoutSetOperator() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM310",
			Slug:     "multivalued-key-without-set-operator",
			Title:    "Multivalued key compared without ForAllValues/ForAnyValue",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `Some condition keys carry several values in one request: ` + "`aws:TagKeys`" + ` (the
tag keys of the request), ` + "`aws:CalledVia`" + ` (the services in the call chain),
` + "`aws:PrincipalOrgPaths`" + `, ` + "`aws:PrincipalServiceNamesList`" + `, ... AWS requires a set
operator for them, ` + "`ForAnyValue:`" + ` (at least one request value matches) or
` + "`ForAllValues:`" + ` (every request value matches), because a plain
` + "`StringEquals`" + ` does not say which of the values has to match. A condition such
as ` + "`\"StringEquals\": {\"aws:TagKeys\": [\"team\", \"env\"]}`" + ` then does not restrict
requests the way it reads.

The rule reports a plain operator (with or without ` + "`IfExists`" + `) on a global
condition key that AWS documents as multivalued. ` + "`Null`" + `, which only tests
whether the key is present, is fine. Keys of individual services are not
judged: the service authorization reference types some keys as arrays that
AWS's own policies compare with plain operators.

Choose the set operator that says what you mean: ` + "`ForAnyValue:StringEquals`" + `
to require one of the values, ` + "`ForAllValues:StringEquals`" + ` to allow only the
listed ones (and see IAM311 about absent keys).`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ec2:CreateTags",
      "Resource": "arn:aws:ec2:*:111122223333:instance/*",
      "Condition": {"StringEquals": {"aws:TagKeys": ["team", "env"]}}
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ec2:CreateTags",
      "Resource": "arn:aws:ec2:*:111122223333:instance/*",
      "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]}}
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, d := range p.Input.Policies() {
				for _, s := range d.Policy.Doc.Statements {
					for _, c := range s.Condition.Clauses {
						op := c.Operator
						if op.Set != iam.SetNone || op.Func == iam.OpNull {
							continue
						}
						k := gramGlobalKey(p.Catalog, c.Key)
						if k == nil || !gramMultivalued(k) {
							continue
						}
						anyOp := iam.Operator{Func: op.Func, IfExists: op.IfExists, Set: iam.ForAnyValue}
						allOp := iam.Operator{Func: op.Func, IfExists: op.IfExists, Set: iam.ForAllValues}
						p.ReportRelatedf(d, c.KeyRange, gramOperatorRelated(c),
							"%s can hold several values, so %s needs a set operator: %s (any value matches) or %s (every value matches)",
							c.Key, op, anyOp, allOp)
					}
				}
			}
			return nil
		},
	}
}
