package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func render(t *testing.T, cases []*Case) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf, cases); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDeterministic(t *testing.T) {
	var a, b []*Case
	for i := 0; i < 200; i++ {
		a = append(a, generate(1, i))
		b = append(b, generate(1, i))
	}
	if !bytes.Equal(render(t, a), render(t, b)) {
		t.Fatal("same seed and index gave different cases")
	}
	if bytes.Equal(render(t, a[:1]), render(t, []*Case{generate(2, 0)})) {
		t.Fatal("seeds 1 and 2 gave the same first case")
	}
}

func TestOutputIsOneCasePerLine(t *testing.T) {
	var cases []*Case
	for i := 0; i < 20; i++ {
		cases = append(cases, generate(7, i))
	}
	out := render(t, cases)
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(cases)+2 || lines[0] != "[" || lines[len(lines)-1] != "]" {
		t.Fatalf("want [, %d case lines, ]; got %d lines", len(cases), len(lines))
	}
	var back []map[string]any
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
}

// TestAvoidsKnownDeviations checks that generated cases stay clear of the
// constructs where the oracle and AWS's documentation disagree.
func TestAvoidsKnownDeviations(t *testing.T) {
	for i := 0; i < 3000; i++ {
		c := generate(1, i)
		req := c.Request
		if req.Resource != "*" && strings.ContainsAny(req.Resource, "*?") {
			t.Errorf("%s: wildcard in request resource %q", c.ID, req.Resource)
		}
		if strings.HasSuffix(req.Principal, ":root") {
			t.Errorf("%s: root user as caller", c.ID)
		}
		if !strings.HasPrefix(req.Principal, "arn:") && len(c.SCPs) > 0 {
			t.Errorf("%s: SCPs with a service principal caller", c.ID)
		}
		all := append([]*Doc{}, c.IdentityPolicies...)
		for _, d := range []*Doc{c.PermissionBoundary, c.ResourcePolicy, c.SessionPolicy} {
			if d != nil {
				all = append(all, d)
			}
		}
		for _, lv := range c.SCPs {
			all = append(all, lv...)
		}
		for _, lv := range c.RCPs {
			for _, d := range lv {
				all = append(all, d)
				for _, s := range d.Statement {
					if s.Effect != "Deny" || s.Principal != "*" || s.NotAction != nil || s.Action == "*" {
						t.Errorf("%s: RCP statement the oracle rejects: %+v", c.ID, s)
					}
				}
			}
		}
		for _, d := range all {
			raw, _ := json.Marshal(d)
			text := string(raw)
			if d.Version != "2012-10-17" && strings.Contains(text, "${") {
				t.Errorf("%s: policy variable in a %q document", c.ID, d.Version)
			}
			if strings.Contains(text, "0.0.0.0/0") {
				t.Errorf("%s: 0.0.0.0/0", c.ID)
			}
			for _, s := range d.Statement {
				for _, p := range append(strs(s.Resource), strs(s.NotResource)...) {
					checkPattern(t, c.ID, p)
				}
				for _, p := range strs(s.NotResource) {
					if strings.Contains(p, "${") {
						t.Errorf("%s: policy variable in NotResource %q", c.ID, p)
					}
				}
			}
		}
		if c.SessionPolicy != nil && c.ResourcePolicy != nil {
			for _, s := range c.ResourcePolicy.Statement {
				if s.Effect != "Allow" {
					continue
				}
				raw, _ := json.Marshal(s.Principal)
				if strings.Contains(string(raw), req.Principal) || strings.Contains(string(raw), `"*"`) {
					t.Errorf("%s: resource policy grants the session (or *) while a session policy is present", c.ID)
				}
			}
		}
	}
}

func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	}
	return nil
}

// checkPattern: six segments, and no wildcard before the first '/' or ':'
// of the resource part (S3 excepted, whose resource part has no type).
func checkPattern(t *testing.T, id, p string) {
	t.Helper()
	if p == "*" {
		return
	}
	parts := strings.SplitN(p, ":", 6)
	if len(parts) < 6 {
		t.Errorf("%s: resource pattern with fewer than six segments: %q", id, p)
		return
	}
	if parts[2] == "s3" {
		return
	}
	res := parts[5]
	if i := strings.IndexAny(res, "/:"); i >= 0 && strings.ContainsAny(res[:i], "*?") {
		t.Errorf("%s: wildcard in the resource-type part: %q", id, p)
	}
}
