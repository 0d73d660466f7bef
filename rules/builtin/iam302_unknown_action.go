package builtin

import (
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func unknownAction() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM302",
			Slug:     "unknown-action",
			Title:    "Action is not an action of its service",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `The service prefix is known, but the action is not one of its actions, or a
wildcard pattern matches none of them. Such an entry matches no request: in
an ` + "`Allow`" + ` it grants nothing (the caller gets AccessDenied and someone
widens the policy to ` + "`s3:*`" + `), and in a ` + "`Deny`" + ` it blocks nothing.

Typical causes are typos and plurals (` + "`s3:GetObjects`" + `), API operation
names that differ from the IAM action (` + "`s3:HeadObject`" + ` is authorized as
` + "`s3:GetObject`" + `; ` + "`s3:ListObjectsV2`" + ` as ` + "`s3:ListBucket`" + `), and actions a
service has renamed. The finding suggests the closest actions. An action
must also be written ` + "`service:ActionName`" + `; an entry without the colon is
reported too.

Action names compare case-insensitively, as in IAM. The list of actions is
the one embedded in iamlint (` + "`iamlint version`" + ` shows its date).`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObjects", "s3:Lst*"],
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:List*"],
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
			},
		},
		Check: func(p *rules.Pass) error {
			r := newActionResolver(p.Catalog)
			for _, d := range p.Input.Policies() {
				for _, s := range d.Policy.Doc.Statements {
					for _, l := range []iam.List{s.Action, s.NotAction} {
						for _, v := range l.Values {
							checkActionName(p, r, d, v)
						}
					}
				}
			}
			return nil
		},
	}
}

func checkActionName(p *rules.Pass, r *actionResolver, d *rules.Document, v iam.Value) {
	ref := r.resolve(v.Text)
	switch ref.kind {
	case actionMalformed:
		p.Reportf(d, v.Range, "action %q is not of the form service:ActionName", v.Text)
	case actionUnknown:
		if trimmed := strings.TrimSpace(v.Text); trimmed != v.Text && len(p.Catalog.Expand(trimmed)) > 0 {
			p.Reportf(d, v.Range, "action %q has surrounding spaces, so it matches no action", v.Text)
			return
		}
		if hasWildcard(v.Text) {
			p.Reportf(d, v.Range, "action pattern %q matches no action of %s", v.Text, ref.service.Prefix)
			return
		}
		p.Reportf(d, v.Range, "unknown action %q%s", v.Text, didYouMean(p.Catalog.Suggest(v.Text)))
	}
}
