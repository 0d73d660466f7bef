package builtin

import (
	"sort"
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

func invalidConditionKey() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM303",
			Slug:     "invalid-condition-key",
			Title:    "Condition key does not apply to the statement's actions",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A condition can only test keys that are present in the request context, and
which keys a request carries depends on its action: ` + "`s3:prefix`" + ` is set for
` + "`s3:ListBucket`" + `, not for ` + "`s3:GetObject`" + `; ` + "`ec2:InstanceType`" + ` never appears in an
S3 request. A condition on a key that is never present does not hold (or,
with a negated or ` + "`...IfExists`" + ` operator, always holds), so an ` + "`Allow`" + ` grants
nothing, or a ` + "`Deny`" + ` that was meant as a guardrail never applies.

The rule takes the actions the statement's ` + "`Action`" + ` element matches and
accepts a key when it is a global condition key (` + "`aws:SourceIp`" + `,
` + "`aws:PrincipalTag/...`" + `, ...), or when one of those actions, or a resource
type it acts on, lists the key in the AWS service authorization reference.
Templated keys match their instances (` + "`aws:RequestTag/team`" + `). It also
reports keys of a known service, or ` + "`aws:`" + ` keys, that do not exist at all,
with the closest names, and keys without a ` + "`prefix:`" + `.

To stay precise the rule is silent when the statement's actions are not
exactly known: ` + "`NotAction`" + `, an ` + "`Action`" + ` of ` + "`*`" + ` or with a wildcard service,
or an unknown action (reported by IAM301 and IAM302). Keys whose prefix is not
an AWS service prefix, such as the keys of OIDC and SAML identity providers
(` + "`token.actions.githubusercontent.com:sub`" + `, ` + "`saml:aud`" + `), are never
reported. A key of the action's own service is also left alone when the
reference lists no condition keys at all for that action: there the reference
is more likely incomplete than the action keyless.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Condition": {"StringLike": {"s3:prefix": "home/alice/*"}}
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::example-bucket",
      "Condition": {"StringLike": {"s3:prefix": "home/alice/*"}}
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
				"https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
			},
		},
		Check: func(p *rules.Pass) error {
			r := newActionResolver(p.Catalog)
			keysOf := map[*actionList][]*catalog.ConditionKey{}
			for _, d := range p.Input.Policies() {
				for _, s := range d.Policy.Doc.Statements {
					if len(s.Condition.Clauses) == 0 {
						continue
					}
					l := r.list(s)
					if !l.ok {
						continue
					}
					keys, seen := keysOf[l]
					if !seen {
						keys = actionKeys(l.acts)
						keysOf[l] = keys
					}
					for _, c := range s.Condition.Clauses {
						checkConditionKey(p, d, s, c, l.acts, keys)
					}
				}
			}
			return nil
		},
	}
}

// actionKeys collects the condition keys the actions support: their own
// and those of the resource types they act on.
func actionKeys(acts []*catalog.Action) []*catalog.ConditionKey {
	seen := map[*catalog.ConditionKey]bool{}
	var out []*catalog.ConditionKey
	add := func(ks []*catalog.ConditionKey) {
		for _, k := range ks {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	for _, a := range acts {
		add(a.ConditionKeys)
		for _, r := range a.Resources {
			add(r.ConditionKeys)
			add(r.Type.ConditionKeys)
		}
	}
	return out
}

func findKey(keys []*catalog.ConditionKey, name string) *catalog.ConditionKey {
	for _, k := range keys {
		if k.Matches(name) {
			return k
		}
	}
	return nil
}

// documentedKeys reports whether the reference lists condition keys for
// the action or for a resource type it acts on. For an action it lists
// nothing for, the reference is more likely incomplete than the action
// keyless, so the rule does not judge same-service keys there.
func documentedKeys(a *catalog.Action) bool {
	if len(a.ConditionKeys) > 0 {
		return true
	}
	for _, r := range a.Resources {
		if len(r.ConditionKeys) > 0 || len(r.Type.ConditionKeys) > 0 {
			return true
		}
	}
	return false
}

func checkConditionKey(p *rules.Pass, d *rules.Document, s *iam.Statement, c *iam.Condition, acts []*catalog.Action, keys []*catalog.ConditionKey) {
	globals := p.Catalog.GlobalConditionKeys()
	name := c.Key
	prefix, _, hasColon := strings.Cut(name, ":")
	switch {
	case !hasColon:
		p.Reportf(d, c.KeyRange, "condition key %q has no service prefix%s", name,
			didYouMean(suggestKeys(name, globals, keys, true)))
		return
	case findKey(globals, name) != nil || findKey(keys, name) != nil:
		return
	case strings.EqualFold(prefix, "aws"):
		p.Reportf(d, c.KeyRange, "condition key %q is not a global condition key%s", name,
			didYouMean(suggestKeys(name, globals, keys, false)))
		return
	}
	svc := p.Catalog.Service(prefix)
	if svc == nil {
		return // an identity provider's key, or a service we do not know
	}
	if findKey(svc.ConditionKeys, name) == nil {
		p.Reportf(d, c.KeyRange, "condition key %q is not a key of %s%s", name, svc.Prefix,
			didYouMean(suggestKeys(name, svc.ConditionKeys, nil, false)))
		return
	}
	for _, a := range acts {
		if a.Service == svc && !documentedKeys(a) {
			return
		}
	}
	p.ReportRelatedf(d, c.KeyRange, actionRelated(s), "condition key %q does not apply to %s", name, describeActions(acts))
}

// suggestKeys proposes key names close to name (ignoring case). With
// bare, name has no prefix and is compared with the part after each
// candidate's prefix.
func suggestKeys(name string, a, b []*catalog.ConditionKey, bare bool) []string {
	lower := strings.ToLower(name)
	budget := 1 + len(lower)/6
	type cand struct {
		name string
		d    int
	}
	var found []cand
	seen := map[string]bool{}
	for _, list := range [][]*catalog.ConditionKey{a, b} {
		for _, k := range list {
			kn := strings.ToLower(k.Name)
			if bare {
				_, kn, _ = strings.Cut(kn, ":")
			}
			if h := strings.IndexAny(kn, "$<"); k.Templated() && h >= 0 {
				// Compare the literal head: "aws:requesttag/" for
				// "aws:RequestTag/${TagKey}".
				head := kn[:h]
				if i := strings.LastIndexAny(lower, "/:"); i >= 0 && i+1 <= len(lower) {
					if d := catalog.EditDistance(lower[:i+1], head, budget); d <= budget && !seen[k.Name] {
						seen[k.Name] = true
						found = append(found, cand{k.Name, d})
					}
				}
				continue
			}
			d, ok := catalog.EditDistance(lower, kn, budget), true
			if d > budget {
				// "aws:SourceIpAddress" for aws:SourceIp: past every near miss.
				ok = len(kn) >= 7 && len(lower) >= 7 && (strings.HasPrefix(lower, kn) || strings.HasPrefix(kn, lower))
				d = budget + 1 + max(len(kn)-len(lower), len(lower)-len(kn))
			}
			if ok && !seen[k.Name] {
				seen[k.Name] = true
				found = append(found, cand{k.Name, d})
			}
		}
	}
	sort.Slice(found, func(i, j int) bool {
		if found[i].d != found[j].d {
			return found[i].d < found[j].d
		}
		return found[i].name < found[j].name
	})
	var out []string
	for _, c := range found {
		out = append(out, c.name)
	}
	return out
}
