package builtin

import (
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

func brokenMFACondition() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM355",
			Slug:     "broken-mfa-condition",
			Title:    "MFA condition does not require MFA",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `` + "`aws:MultiFactorAuthPresent`" + ` is easy to get wrong because it has three
states: ` + "`true`" + ` in requests made with temporary credentials obtained with
MFA, ` + "`false`" + ` with temporary credentials obtained without MFA, and **absent** in
requests signed with a long-term access key (and in the ` + "`sts:AssumeRole`" + `
call of a user using one). A condition that forgets the third state lets
access keys through without MFA.

The rule works out, for each statement, which of the three kinds of request
its conditions on the key (` + "`Bool`" + `, ` + "`BoolIfExists`" + `, ` + "`Null`" + `, all of them
together) admit, and reports:

- an **Allow** that admits a request without MFA: ` + "`Bool`" + ` ` + "`false`" + ` (the
  requirement inverted), ` + "`BoolIfExists`" + ` ` + "`true`" + ` (a long-term access key,
  which has no key, passes), ` + "`Null`" + ` ` + "`false`" + ` (only asks that the key be
  present, so temporary credentials without MFA pass) or ` + "`Null`" + ` ` + "`true`" + `;
- a **Deny** with ` + "`Bool`" + ` ` + "`false`" + ` (without ` + "`IfExists`" + `), which misses
  requests signed with long-term access keys, unless another Deny of the
  same document covers requests without the key (` + "`Null`" + ` ` + "`true`" + ` or
  ` + "`BoolIfExists`" + ` ` + "`false`" + `);
- a **Deny** that applies to requests made *with* MFA (` + "`Bool`" + ` ` + "`true`" + `,
  ` + "`Null`" + ` ` + "`false`" + `): it punishes users who use MFA and lets the others
  through.

The AWS-documented pattern, a Deny with ` + "`BoolIfExists`" + `
` + "`aws:MultiFactorAuthPresent`" + ` ` + "`false`" + `, and an Allow with ` + "`Bool`" + ` ` + "`true`" + `,
are correct and not reported; so is a Deny with ` + "`Null`" + ` ` + "`true`" + ` (deny
long-term credentials). Conditions with other operators, set qualifiers or
values that are not ` + "`true`" + `/` + "`false`" + ` are left to IAM304.

**Fix:** to require MFA, deny when it is missing:
` + "`\"Effect\": \"Deny\"`" + ` with ` + "`\"BoolIfExists\": {\"aws:MultiFactorAuthPresent\": \"false\"}`" + `,
or allow only with ` + "`\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}`" + `.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AdminWithMFA",
      "Effect": "Allow",
      "Action": "ec2:TerminateInstances",
      "Resource": "arn:aws:ec2:eu-west-1:111122223333:instance/*",
      "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AdminWithMFA",
      "Effect": "Allow",
      "Action": "ec2:TerminateInstances",
      "Resource": "arn:aws:ec2:eu-west-1:111122223333:instance/*",
      "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, d := range p.Input.Policies() {
				doc := d.Policy.Doc
				for _, s := range doc.Statements {
					m, ok := acctMFAOf(s)
					if !ok {
						continue
					}
					first := m.clauses[0]
					cond := acctClauseText(first)
					switch s.Effect {
					case iam.Allow:
						switch {
						case !m.mfa && !m.noMFA && !m.absent:
							// Contradictory: the statement never applies.
						case !m.mfa && (m.noMFA || m.absent):
							p.Reportf(d, first.KeyRange,
								"condition %s in an Allow grants only requests made without MFA; use Bool with \"true\"", cond)
						case m.noMFA && m.absent:
							p.Reportf(d, first.KeyRange,
								"condition %s in an Allow holds whether or not MFA was used; use Bool with \"true\"", cond)
						case m.absent:
							p.Reportf(d, first.KeyRange,
								"condition %s in an Allow lets requests signed with long-term access keys through without MFA, since they carry no aws:MultiFactorAuthPresent; use Bool", cond)
						case m.noMFA:
							p.Reportf(d, first.KeyRange,
								"condition %s in an Allow lets temporary credentials obtained without MFA through; use Bool with \"true\"", cond)
						}
					case iam.Deny:
						switch {
						case m.mfa:
							p.Reportf(d, first.KeyRange,
								"condition %s in a Deny applies to requests made with MFA; to deny requests without MFA use BoolIfExists with \"false\"", cond)
						case m.noMFA && !m.absent && !acctDeniesWithoutKey(p.Catalog, doc, s):
							p.Reportf(d, first.KeyRange,
								"condition %s in a Deny misses requests signed with long-term access keys, which carry no aws:MultiFactorAuthPresent; use BoolIfExists", cond)
						}
					}
				}
			}
			return nil
		},
	}
}

// acctMFAKey is the condition key the MFA rules look at.
const acctMFAKey = "aws:MultiFactorAuthPresent"

// acctMFA is what a statement's conditions on aws:MultiFactorAuthPresent
// admit: requests made with MFA (the key is "true"), with temporary
// credentials obtained without MFA ("false"), and signed with long-term
// credentials (the key is absent).
type acctMFA struct {
	clauses            []*iam.Condition
	mfa, noMFA, absent bool
}

// acctMFAOf evaluates a statement's clauses on aws:MultiFactorAuthPresent
// for the three kinds of request. ok is false when the statement has no
// such clause, or one this rule does not judge: another operator, a set
// qualifier, or a value that is not "true" or "false" (or unknown).
func acctMFAOf(s *iam.Statement) (acctMFA, bool) {
	m := acctMFA{mfa: true, noMFA: true, absent: true}
	for _, c := range s.Condition.Clauses {
		if !strings.EqualFold(c.Key, acctMFAKey) {
			continue
		}
		op := c.Operator
		if (op.Func != iam.OpBool && op.Func != iam.OpNull) || op.Set != iam.SetNone || len(c.Values) == 0 {
			return acctMFA{}, false
		}
		hasTrue, hasFalse := false, false
		for _, v := range c.Values {
			switch {
			case v.Unknown:
				return acctMFA{}, false
			case strings.EqualFold(v.Text, "true"):
				hasTrue = true
			case strings.EqualFold(v.Text, "false"):
				hasFalse = true
			default:
				return acctMFA{}, false
			}
		}
		var mfa, noMFA, absent bool
		if op.Func == iam.OpBool {
			mfa, noMFA, absent = hasTrue, hasFalse, op.IfExists
		} else { // Null: "true" asks for the key to be absent
			mfa, noMFA, absent = hasFalse, hasFalse, hasTrue
		}
		m.mfa, m.noMFA, m.absent = m.mfa && mfa, m.noMFA && noMFA, m.absent && absent
		m.clauses = append(m.clauses, c)
	}
	return m, len(m.clauses) > 0
}

// acctDeniesWithoutKey reports whether another Deny statement of the
// document applies to requests without aws:MultiFactorAuthPresent (Null
// "true", BoolIfExists "false") for every action and resource of self,
// with no other condition: the pair then denies every request without MFA,
// as BoolIfExists "false" alone would.
func acctDeniesWithoutKey(cat *catalog.Catalog, doc *iam.Document, self *iam.Statement) bool {
	mine, ok := acctActionSet(cat, self)
	if !ok {
		return false
	}
	for _, s := range doc.Statements {
		if s == self || s.Effect != iam.Deny {
			continue
		}
		m, ok := acctMFAOf(s)
		if !ok || !m.absent || m.mfa || len(m.clauses) != len(s.Condition.Clauses) {
			continue
		}
		theirs, ok := acctActionSet(cat, s)
		if !ok || !acctCoversResources(s, self) {
			continue
		}
		left := mine.Clone()
		left.Subtract(theirs)
		if left.Empty() {
			return true
		}
	}
	return false
}

// acctActionSet returns the catalog actions a statement's Action or
// NotAction element covers; ok is false when it holds an unresolved value.
func acctActionSet(cat *catalog.Catalog, s *iam.Statement) (catalog.Set, bool) {
	list, not := s.Actions()
	set := catalog.NewSet(cat.NumActions())
	for _, v := range list.Values {
		if v.Unknown {
			return nil, false
		}
		set.Union(cat.ExpandSet(v.Text))
	}
	if not {
		all := cat.ExpandSet("*")
		all.Subtract(set)
		set = all
	}
	return set, true
}

// acctCoversResources reports whether s applies to every resource self
// does: Resource "*", or every Resource value of self written in s.
func acctCoversResources(s, self *iam.Statement) bool {
	if s.NotResource.Present || self.NotResource.Present {
		return false
	}
	texts := map[string]bool{}
	for _, v := range s.Resource.Values {
		if v.Text == "*" && !v.Unknown {
			return true
		}
		texts[v.Text] = true
	}
	for _, v := range self.Resource.Values {
		if v.Unknown || !texts[v.Text] {
			return false
		}
	}
	return self.Resource.Present
}

// acctClauseText renders a clause for a message:
// `BoolIfExists aws:MultiFactorAuthPresent "true"`.
func acctClauseText(c *iam.Condition) string {
	vals := make([]string, len(c.Values))
	for i, v := range c.Values {
		vals[i] = `"` + v.Text + `"`
	}
	return c.Operator.String() + " " + c.Key + " " + strings.Join(vals, ", ")
}
