package builtin

import (
	"fmt"
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

func resourceTypeMismatch() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM305",
			Slug:     "resource-type-mismatch",
			Title:    "Resource matches no resource type of the actions",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `Each action acts on particular resource types, and a statement only applies to
a request when its ` + "`Resource`" + ` matches the ARN of the resource the request acts
on. An ARN of another type never matches: ` + "`s3:GetObject`" + ` acts on objects
(` + "`arn:aws:s3:::bucket/key`" + `), so ` + "`\"Resource\": \"arn:aws:s3:::bucket\"`" + ` grants no
object, and ` + "`s3:ListBucket`" + ` acts on the bucket, so ` + "`arn:aws:s3:::bucket/*`" + ` grants
no listing. The statement then does nothing for that resource, and the usual
"fix" under pressure is ` + "`\"Resource\": \"*\"`" + `.

The rule checks each ` + "`Resource`" + ` entry against the ARN formats of the
resource types the statement's actions accept (from the AWS service
authorization reference) and reports an entry that matches none of them, for
any of the actions. Wildcards in the entry are honoured (` + "`arn:aws:s3:::bucket*`" + `
can be a bucket or an object), and policy variables are treated as wildcards.
Where the reference is narrower than AWS the rule gives way: a qualified
Lambda ARN (` + "`function:app:prod`" + `) fits the function type, and a resource type
another service owns (SSM's ` + "`task`" + `) also matches that service's current
formats (ECS task ARNs with a cluster name).

It stays silent for ` + "`\"*\"`" + `, for ` + "`NotResource`" + `, when the statement's
actions are not exactly known (` + "`NotAction`" + `, ` + "`*`" + `, unknown actions), and for
actions that only accept ` + "`\"*\"`" + ` (such as ` + "`s3:ListAllMyBuckets`" + `): if every
action of the statement is of that kind there are no resource types to
compare with.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
				"https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
				"https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-arn-format.html",
			},
		},
		Check: func(p *rules.Pass) error {
			r := newActionResolver(p.Catalog)
			// What each distinct Action list accepts, and which patterns
			// fit it: statements repeat across documents.
			type accepted struct {
				typed []*catalog.Action
				types []*catalog.ResourceType
			}
			type fitKey struct {
				list    *actionList
				pattern string
			}
			acceptedBy := map[*actionList]*accepted{}
			fits := map[fitKey]bool{}
			for _, d := range p.Input.Policies() {
				for _, s := range d.Policy.Doc.Statements {
					if s.NotResource.Present || !s.Resource.Present {
						continue
					}
					l := r.list(s)
					if !l.ok {
						continue
					}
					acc := acceptedBy[l]
					if acc == nil {
						acc = &accepted{}
						acc.typed, acc.types = typedActions(l.acts)
						acceptedBy[l] = acc
					}
					typed, types := acc.typed, acc.types
					if len(types) == 0 {
						continue
					}
					for _, v := range s.Resource.Values {
						if v.Text == "*" {
							continue
						}
						pattern := variablesAsWildcards(v.Text)
						k := fitKey{l, pattern}
						fit, known := fits[k]
						if !known {
							fit = resourceFits(p.Catalog, types, pattern)
							fits[k] = fit
						}
						if fit {
							continue
						}
						if !strings.HasPrefix(pattern, "arn:") && !hasWildcard(pattern) {
							p.ReportRelatedf(d, v.Range, actionRelated(s), "resource %q is not an ARN", v.Text)
							continue
						}
						p.ReportRelatedf(d, v.Range, actionRelated(s), "resource %q matches no resource type of %s (%s)",
							v.Text, describeActions(typed), describeTypes(types))
					}
				}
			}
			return nil
		},
	}
}

// typedActions returns the actions that accept a resource type, and the
// types they accept, each once, in order.
func typedActions(acts []*catalog.Action) (typed []*catalog.Action, types []*catalog.ResourceType) {
	seen := map[*catalog.ResourceType]bool{}
	for _, a := range acts {
		if a.OnlyWildcardResource() {
			continue
		}
		typed = append(typed, a)
		for _, r := range a.Resources {
			if !seen[r.Type] {
				seen[r.Type] = true
				types = append(types, r.Type)
			}
		}
	}
	return typed, types
}

// resourceFits reports whether an ARN pattern can match a resource of one
// of the types. Two allowances keep the rule free of false positives where
// the reference is narrower than AWS:
//
//   - A type another service owns (SSM's "task" is an ECS task) also
//     matches the owning service's type of the same name, whose formats
//     are the current ones ("task/${ClusterName}/${TaskId}").
//   - A pattern whose resource part ends in a ":qualifier" also fits when
//     the pattern without it does: Lambda accepts qualified function ARNs
//     ("function:name:alias") for the function type.
func resourceFits(cat *catalog.Catalog, types []*catalog.ResourceType, pattern string) bool {
	for _, t := range types {
		if t.MatchARNPattern(pattern) {
			return true
		}
	}
	for _, t := range types {
		for _, f := range t.ARNFormats {
			field, ok := formatService(f)
			if !ok || field == t.Service.Prefix {
				continue
			}
			if owner := cat.Service(field); owner != nil {
				if ot := owner.ResourceType(t.Name); ot != nil && ot.MatchARNPattern(pattern) {
					return true
				}
			}
		}
	}
	if a, ok := iam.ParseARN(pattern); ok {
		if i := strings.LastIndexByte(a.Resource, ':'); i > 0 {
			a.Resource = a.Resource[:i]
			for _, t := range types {
				if t.MatchARNPattern(a.String()) {
					return true
				}
			}
		}
	}
	return false
}

// formatService returns the literal service field of an ARN format.
func formatService(format string) (string, bool) {
	parts := strings.SplitN(format, ":", 4)
	if len(parts) < 4 || strings.ContainsAny(parts[2], "${*") {
		return "", false
	}
	return parts[2], true
}

// describeTypes lists up to four resource types ("s3:object, s3:bucket
// and 7 more").
func describeTypes(types []*catalog.ResourceType) string {
	var names []string
	for i, t := range types {
		if i == 4 {
			names = append(names, fmt.Sprintf("%d more", len(types)-4))
			break
		}
		names = append(names, t.String())
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// variablesAsWildcards replaces each policy variable or escape ("${...}")
// with '*', which matches whatever it stands for.
func variablesAsWildcards(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		b.WriteByte('*')
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}
