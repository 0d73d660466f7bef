package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
)

var escalationExample = filepath.Join("..", "..", "examples", "escalation")

// An administrator's table is summarised in text, not printed row by row,
// and complete in JSON.
func TestAccessAdministrator(t *testing.T) {
	got := runScenario([]string{"access", "ops-automation", escalationExample})
	out := string(got.Files[0].Data)
	if !strings.HasPrefix(string(got.Comment), "exit 0") {
		t.Fatalf("%s%s", got.Comment, got.Files[1].Data)
	}
	n := catalog.Default().NumActions()
	for _, want := range []string{"administrator: yes", "list them with --service PREFIX or --action PATTERN", "Allow * on *"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%.2000s", want, out)
		}
	}
	if strings.Contains(out, "s3:GetObject ") {
		t.Errorf("an administrator's rows were printed:\n%.2000s", out)
	}

	got = runScenario([]string{"access", "--format", "json", "ops-automation", escalationExample})
	var res struct {
		Admin   string `json:"admin"`
		Actions []struct {
			Action  string `json:"action"`
			Allowed string `json:"allowed"`
		} `json:"actions"`
	}
	if err := json.Unmarshal(got.Files[0].Data, &res); err != nil {
		t.Fatal(err)
	}
	if res.Admin != "yes" || len(res.Actions) != n {
		t.Errorf("JSON: admin %q, %d actions, want yes and %d", res.Admin, len(res.Actions), n)
	}
}

// The example's developers reach administrator in two moves; the support
// user, who looks the same, does not.
func TestPathsExample(t *testing.T) {
	for _, c := range []struct {
		who  string
		want []string
	}{
		{"dana", []string{
			"escalation: administrator (conditional) in 2 moves",
			"1. user dana —[sts-assume-role: assume the role]→ role ci-release  (conditional, needs MFA)",
			"2. role ci-release —[iam-passrole-lambda: create a Lambda function with the role and run it]→ role ops-automation  (yes)",
			"escalation/ci.tf:46:3  identity: aws_iam_role.ci_release → aws_iam_role_policy.ci_release",
		}},
		{"sam", []string{"escalation: none."}},
	} {
		got := runScenario([]string{"paths", c.who, escalationExample})
		out := string(got.Files[0].Data)
		for _, w := range c.want {
			if !strings.Contains(out, filepath.FromSlash(w)) {
				t.Errorf("paths %s lacks %q:\n%s", c.who, w, out)
			}
		}
	}
}

func TestHopsText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a.json#U[1] → a.json#U[1].G[0] → a.json#G[0] → arn:aws:iam::aws:policy/X", "a.json#U[1] → #U[1].G[0] → #G[0] → arn:aws:iam::aws:policy/X"},
		{"aws_iam_user.a → aws_iam_policy.p", "aws_iam_user.a → aws_iam_policy.p"},
		{"a.json#U[1] → b.json#P[0]", "a.json#U[1] → b.json#P[0]"},
	} {
		var hops []analyzer.Hop
		for _, a := range strings.Split(c.in, " → ") {
			hops = append(hops, analyzer.Hop{Src: &iam.Node{Addr: a}})
		}
		if got := hopsText(hops); got != c.want {
			t.Errorf("hopsText(%s) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestCloseNames(t *testing.T) {
	if d := editDistance("dana", "danna"); d != 1 {
		t.Errorf("editDistance = %d", d)
	}
	if d := editDistance("", "abc"); d != 3 {
		t.Errorf("editDistance = %d", d)
	}
}
