package accessdiff

import (
	"encoding/json"
	"io"
)

// JSONVersion is the version of the JSON output. Fields may be added
// within a version; renaming or removing one, or changing its meaning,
// makes a new version.
const JSONVersion = 1

// WriteJSON writes the diff as one JSON document (version 1):
//
//	{
//	  "version": 1,
//	  "tool": {"name": "iamlint", "version": "v0.1.0"},
//	  "base": "base", "head": "head",        // folders, or "git:REF" and "working tree"
//	  "grows": true,                         // some access grows, allowed or not
//	  "allowNew": ["aws_iam_user.dev:s3:*"], // the --allow-new entries
//	  "violations": [                        // growth no --allow-new entry permits: exit 1 when not empty
//	    {"kind": "actions",                  // actions, trust, assume or escalation
//	     "principal": "user dev (aws_iam_user.dev)",
//	     "actions": ["iam:PassRole"],        // kinds actions and trust
//	     "detail": "gains 1 action: iam:PassRole"}
//	  ],
//	  "summary": {"principalsAdded": 0, "principalsRemoved": 0, "principalsChanged": 1,
//	              "actionsGained": 88, "actionsLost": 0,
//	              "trustAdded": 0, "trustRemoved": 0, "assumeAdded": 0, "assumeRemoved": 0,
//	              "escalationsAdded": 1, "escalationsRemoved": 0, "findingsAdded": 2, "findingsRemoved": 0},
//	  "principals": [                        // those whose permissions changed, by key
//	    {"principal": {"key": "aws_iam_user.dev", "kind": "user", "name": "dev", "arn": "...", "addr": "aws_iam_user.dev", "pos": "main.tf:1:1"},
//	     "change": "changed",                // added, removed or changed
//	     "adminBefore": "no", "adminAfter": "no",   // yes, conditional, no; "" where it does not exist
//	     "gained":   [{"service": "s3", "accessLevel": "Write", "certain": true, "actions": ["s3:PutObject"]}],
//	     "lost": [], "widened": [], "narrowed": []}
//	  ],
//	  "trust": {"added": [{"role": {...}, "kind": "account", "value": "999988887777", "actions": ["sts:AssumeRole"],
//	                       "conditional": false, "external": true, "grows": true}], "removed": []},
//	  "assume": {"added": [{"from": {...}, "role": {...}, "allowed": "yes", "mfa": false, "externalId": false, "grows": true}], "removed": []},
//	  "escalations": {"added": [{"principal": {...}, "target": {...}, "admin": "yes", "allowed": "yes",
//	                             "moves": [{"from": "aws_iam_user.dev", "to": "aws_iam_role.ops", "technique": "...", "name": "...",
//	                                        "allowed": "yes", "actions": ["iam:PassRole", "lambda:CreateFunction"], "via": "..."}],
//	                             "grows": true}], "removed": []},
//	  "findings": {"added": [{"ruleId": "IAM101", "severity": "high", "message": "...",
//	                          "location": {"file": "main.tf", "line": 12, "column": 5}, "path": "...", "fingerprint": "..."}],
//	               "removed": []}
//	}
//
// A principal's key is its ARN when known, else its address; file names
// are relative to the state's folder. Certain actions are allowed on
// every resource no deny names in every request; the others are
// conditional. "widened" lists actions that were conditional and became
// certain, "narrowed" the reverse. An added entry's "grows" is false when
// it only tightens what base had (a condition added, say). Lists are
// always arrays.
func (d *Diff) WriteJSON(w io.Writer, version string, allow []Allow, violations []Violation) error {
	type summary struct {
		PrincipalsAdded    int `json:"principalsAdded"`
		PrincipalsRemoved  int `json:"principalsRemoved"`
		PrincipalsChanged  int `json:"principalsChanged"`
		ActionsGained      int `json:"actionsGained"`
		ActionsLost        int `json:"actionsLost"`
		TrustAdded         int `json:"trustAdded"`
		TrustRemoved       int `json:"trustRemoved"`
		AssumeAdded        int `json:"assumeAdded"`
		AssumeRemoved      int `json:"assumeRemoved"`
		EscalationsAdded   int `json:"escalationsAdded"`
		EscalationsRemoved int `json:"escalationsRemoved"`
		FindingsAdded      int `json:"findingsAdded"`
		FindingsRemoved    int `json:"findingsRemoved"`
	}
	type tool struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	out := struct {
		Version     int                       `json:"version"`
		Tool        tool                      `json:"tool"`
		Base        string                    `json:"base"`
		Head        string                    `json:"head"`
		Grows       bool                      `json:"grows"`
		AllowNew    []string                  `json:"allowNew"`
		Violations  []Violation               `json:"violations"`
		Summary     summary                   `json:"summary"`
		Principals  []*PrincipalChange        `json:"principals"`
		Trust       Changes[TrustChange]      `json:"trust"`
		Assume      Changes[AssumeChange]     `json:"assume"`
		Escalations Changes[EscalationChange] `json:"escalations"`
		Findings    Changes[Finding]          `json:"findings"`
	}{
		Version: JSONVersion, Tool: tool{"iamlint", version}, Base: d.Base, Head: d.Head,
		Grows: d.Grows(), AllowNew: []string{}, Violations: violations, Principals: d.Principals,
		Trust: d.Trust, Assume: d.Assume, Escalations: d.Escalations, Findings: d.Findings,
	}
	for _, a := range allow {
		out.AllowNew = append(out.AllowNew, a.Text)
	}
	if out.Violations == nil {
		out.Violations = []Violation{}
	}
	if out.Principals == nil {
		out.Principals = []*PrincipalChange{}
	}
	s := &out.Summary
	for _, c := range d.Principals {
		switch c.Change {
		case "added":
			s.PrincipalsAdded++
		case "removed":
			s.PrincipalsRemoved++
		default:
			s.PrincipalsChanged++
		}
		s.ActionsGained += count(c.Gained)
		s.ActionsLost += count(c.Lost)
	}
	s.TrustAdded, s.TrustRemoved = len(d.Trust.Added), len(d.Trust.Removed)
	s.AssumeAdded, s.AssumeRemoved = len(d.Assume.Added), len(d.Assume.Removed)
	s.EscalationsAdded, s.EscalationsRemoved = len(d.Escalations.Added), len(d.Escalations.Removed)
	s.FindingsAdded, s.FindingsRemoved = len(d.Findings.Added), len(d.Findings.Removed)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
