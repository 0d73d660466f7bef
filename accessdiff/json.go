package accessdiff

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strings"
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
	allowNew := []string{}
	for _, a := range allow {
		allowNew = append(allowNew, a.Text)
	}
	if violations == nil {
		violations = []Violation{}
	}
	principals := d.Principals
	if principals == nil {
		principals = []*PrincipalChange{}
	}
	var s summary
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
	changes := func(added, removed jsonValue) jsonObject {
		return jsonObject{{"added", added}, {"removed", removed}}
	}
	return writeJSON(w, jsonObject{
		{"version", JSONVersion}, {"tool", tool{"iamlint", version}}, {"base", d.Base}, {"head", d.Head},
		{"grows", d.Grows()}, {"allowNew", allowNew}, {"violations", jsonList(violations)}, {"summary", s},
		{"principals", jsonList(principals)},
		{"trust", changes(jsonList(d.Trust.Added), jsonList(d.Trust.Removed))},
		{"assume", changes(jsonList(d.Assume.Added), jsonList(d.Assume.Removed))},
		{"escalations", changes(jsonList(d.Escalations.Added), jsonList(d.Escalations.Removed))},
		{"findings", changes(jsonList(d.Findings.Added), jsonList(d.Findings.Removed))},
	})
}

// A jsonValue is written by writeJSON: a jsonObject or a jsonArray piece
// by piece, anything else with encoding/json.
type jsonValue = any

// jsonObject is an object's fields, in order; their names need no
// escaping.
type jsonObject []struct {
	name  string
	value jsonValue
}

// jsonArray is a list written element by element.
type jsonArray struct {
	n  int
	at func(i int) jsonValue
}

// jsonList makes list a jsonArray (a nil list is null, as encoding/json
// writes it).
func jsonList[T any](list []T) jsonValue {
	if list == nil {
		return list
	}
	return jsonArray{len(list), func(i int) jsonValue { return list[i] }}
}

// writeJSON writes v followed by a newline exactly as an Encoder with
// SetIndent("", "  ") and SetEscapeHTML(false) writes the value v stands
// for, but one field or list element at a time: the diff of two large
// states can list millions of actions, which the Encoder would hold
// whole, twice (encoded, then indented), before writing the first byte.
func writeJSON(w io.Writer, v jsonValue) error {
	jw := &jsonWriter{w: bufio.NewWriter(w), encs: map[int]*json.Encoder{}}
	jw.value(v, 0)
	jw.write("\n")
	if jw.err != nil {
		return jw.err
	}
	return jw.w.Flush()
}

type jsonWriter struct {
	w    *bufio.Writer
	buf  bytes.Buffer
	encs map[int]*json.Encoder // by depth
	err  error
}

func (jw *jsonWriter) write(s string) {
	if jw.err == nil {
		_, jw.err = jw.w.WriteString(s)
	}
}

// value writes v at a depth of nesting (its first line unindented, as
// the value of a field or after the indentation of a list element).
func (jw *jsonWriter) value(v jsonValue, depth int) {
	indent := strings.Repeat("  ", depth)
	switch v := v.(type) {
	case jsonObject:
		if len(v) == 0 {
			jw.write("{}")
			return
		}
		jw.write("{\n")
		for i, f := range v {
			jw.write(indent + "  \"" + f.name + "\": ") // names are plain identifiers
			jw.value(f.value, depth+1)
			jw.write(separator(i, len(v)))
		}
		jw.write(indent + "}")
	case jsonArray:
		if v.n == 0 {
			jw.write("[]")
			return
		}
		jw.write("[\n")
		for i := range v.n {
			jw.write(indent + "  ")
			jw.value(v.at(i), depth+1)
			jw.write(separator(i, v.n))
		}
		jw.write(indent + "]")
	default:
		enc := jw.encs[depth]
		if enc == nil {
			enc = json.NewEncoder(&jw.buf)
			enc.SetIndent(indent, "  ")
			enc.SetEscapeHTML(false)
			jw.encs[depth] = enc
		}
		jw.buf.Reset()
		if err := enc.Encode(v); err != nil {
			jw.err = err
			return
		}
		if jw.err == nil {
			_, jw.err = jw.w.Write(bytes.TrimSuffix(jw.buf.Bytes(), []byte("\n")))
		}
	}
}

// separator ends the i-th of n lines of an object or list.
func separator(i, n int) string {
	if i < n-1 {
		return ",\n"
	}
	return "\n"
}
