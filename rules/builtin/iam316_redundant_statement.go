package builtin

import (
	"fmt"
	"sort"
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func redundantStatement() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM316",
			Slug:     "redundant-statement",
			Title:    "Statement repeats or is covered by another statement",
			Severity: rules.Low,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A statement whose every request is also matched by another statement of the
same document, with the same effect, changes nothing: two copies of one
statement (often with different ` + "`Sid`" + `s, after a merge), or a statement
covered by a broader one (` + "`s3:GetObject`" + ` on ` + "`bucket/reports/*`" + ` next to ` + "`s3:Get*`" + `
on ` + "`bucket/*`" + `). It makes the policy longer (policies have size quotas) and
suggests a scoping that the broader statement does not have.

The rule reports a statement when another statement of the document has the
same ` + "`Effect`" + ` and the same ` + "`Principal`" + `/` + "`NotPrincipal`" + `, covers each of its actions
(for ` + "`NotAction`" + `, excludes no more), covers each of its resources (for
` + "`NotResource`" + `, excludes no more; an ` + "`Action`" + ` or ` + "`Resource`" + ` of ` + "`\"*\"`" + ` covers any),
and has no condition the reported statement lacks (conditions must all hold,
so a statement with more conditions matches fewer requests). Of two identical
statements the later one is reported. Coverage is decided on the patterns,
not on today's list of actions; values the loader could not resolve are
covered only by ` + "`\"*\"`" + `. Delete the redundant statement, or merge what is
different into the other.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadReports",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/reports/*"
    },
    {
      "Sid": "ReadBucket",
      "Effect": "Allow",
      "Action": "s3:Get*",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadBucket",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
    },
    {
      "Sid": "ListBucket",
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::example-bucket"
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, d := range p.Input.Policies() {
				stmts := d.Policy.Doc.Statements
				for i, a := range stmts {
					for j, b := range stmts {
						if i == j || !gramStatementCovers(a, b) {
							continue
						}
						if j > i && gramStatementCovers(b, a) {
							continue // identical: the later one is reported
						}
						what := "is covered by"
						if gramStatementCovers(b, a) {
							what = "repeats"
						}
						p.ReportRelatedf(d, a.Range, []rules.Related{{Range: b.Range, Message: "the covering statement"}},
							"statement %s %s statement %s, so it grants or denies nothing more", gramStatementName(a), what, gramStatementName(b))
						break
					}
				}
			}
			return nil
		},
	}
}

// gramStatementName names a statement for a message: its Sid, or its
// position.
func gramStatementName(s *iam.Statement) string {
	if s.Sid != "" {
		return fmt.Sprintf("%q", s.Sid)
	}
	return fmt.Sprintf("#%d", s.Index+1)
}

// gramStatementCovers reports whether every request statement a matches
// is also matched by statement b, with the same effect (see the rule's
// rationale). It is sound, not complete.
func gramStatementCovers(a, b *iam.Statement) bool {
	if a.Effect == iam.EffectInvalid || a.Effect != b.Effect {
		return false
	}
	if gramPrincipalKey(a.Principal) != gramPrincipalKey(b.Principal) ||
		gramPrincipalKey(a.NotPrincipal) != gramPrincipalKey(b.NotPrincipal) {
		return false
	}
	if !gramListCovers(a.Action, a.NotAction, b.Action, b.NotAction, gramActionCovers) {
		return false
	}
	if !gramListCovers(a.Resource, a.NotResource, b.Resource, b.NotResource, gramResourceCovers) {
		return false
	}
	return gramConditionsCover(a.Condition, b.Condition)
}

// gramListCovers compares one pair of elements (Action/NotAction or
// Resource/NotResource) of two statements: whether b's matches every
// value a's does.
func gramListCovers(aList, aNot, bList, bNot iam.List, covers func(inner, outer iam.Value) bool) bool {
	switch {
	case !aList.Present && !aNot.Present && !bList.Present && !bNot.Present:
		return true // neither has the element (a trust policy's Resource)
	case bList.Present && gramHasStar(bList):
		return aList.Present || aNot.Present
	case aList.Present && bList.Present:
		// Each of a's values is covered by one of b's.
		for _, v := range aList.Values {
			if !gramAnyCovers(v, bList.Values, covers) {
				return false
			}
		}
		return len(aList.Values) > 0
	case aNot.Present && bNot.Present:
		// b excludes no more than a: each of b's exclusions is within one
		// of a's.
		for _, v := range bNot.Values {
			if !gramAnyCovers(v, aNot.Values, covers) {
				return false
			}
		}
		return len(bNot.Values) > 0
	}
	return false
}

func gramHasStar(l iam.List) bool {
	for _, v := range l.Values {
		if v.Text == "*" && !v.Unknown {
			return true
		}
	}
	return false
}

func gramAnyCovers(v iam.Value, outers []iam.Value, covers func(inner, outer iam.Value) bool) bool {
	for _, w := range outers {
		if covers(v, w) {
			return true
		}
	}
	return false
}

// gramPrincipalKey renders a Principal element in a canonical form for
// comparison ("" for none).
func gramPrincipalKey(p *iam.Principal) string {
	if p == nil {
		return ""
	}
	if p.Any {
		return "*"
	}
	var parts []string
	for _, e := range p.Entries {
		vals := make([]string, 0, len(e.Values))
		for _, v := range e.Values {
			if v.Unknown {
				return fmt.Sprintf("unknown %p", p) // never equal to another
			}
			vals = append(vals, v.Text)
		}
		sort.Strings(vals)
		parts = append(parts, e.Type+"="+strings.Join(vals, "\x00"))
	}
	sort.Strings(parts)
	return strings.Join(parts, "\x01")
}

// gramConditionsCover reports whether a's conditions imply b's: b has none,
// or every condition of b is also a condition of a.
func gramConditionsCover(a, b iam.Conditions) bool {
	if len(b.Clauses) == 0 {
		return true
	}
	have := map[string]bool{}
	for _, c := range a.Clauses {
		if k, ok := gramClauseKey(c); ok {
			have[k] = true
		}
	}
	for _, c := range b.Clauses {
		k, ok := gramClauseKey(c)
		if !ok || !have[k] {
			return false
		}
	}
	return true
}

// gramClauseKey renders a condition canonically: operator, key (case
// folded), values (sorted). ok is false when a value is unknown.
func gramClauseKey(c *iam.Condition) (string, bool) {
	vals := make([]string, 0, len(c.Values))
	for _, v := range c.Values {
		if v.Unknown {
			return "", false
		}
		vals = append(vals, v.Text)
	}
	sort.Strings(vals)
	return c.Operator.String() + "\x00" + strings.ToLower(c.Key) + "\x00" + strings.Join(vals, "\x00"), true
}
