package rego

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/iamlint/iamlint/rules/builtin"
)

// askRule reports the roles that may write to S3, asking the analyzer.
var askRule = header("IAM901", "s3_writers") + `findings contains f if {
	some p in input.principals
	iamlint.holds(p.id, "s3:PutObject") != "no"
	f := {"msg": sprintf("%s writes to S3", [p.name]), "node": p.id}
}
`

func TestRulesTest(t *testing.T) {
	writeFiles(t, map[string]string{
		"r/s3_writers.rego":       askRule,
		"r/fixtures/acct/main.tf": model,
		"r/s3_writers_test.rego": `package iamlint.rules.s3_writers_test

import data.iamlint.rules.s3_writers

findings := fs if {
	fs := s3_writers.findings with input as data.fixtures.acct
}

test_app_writes if {
	{f.node | some f in findings} == {"aws_iam_role.app"}
}

test_wrong if {
	print("the findings:", findings)
	count(findings) == 2
}

test_direct if {
	iamlint.allows("aws_iam_role.app", "s3:PutObject", "arn:aws:s3:::b/k") == "yes" with input as data.fixtures.acct
}

test_no_fixture if {
	iamlint.allows("aws_iam_role.app", "s3:PutObject", "*") == "yes"
}

test_input_by_hand if {
	count(s3_writers.findings) == 0 with input as {"principals": {}}
}
`,
	})
	results, err := Test(context.Background(), []string{"r"}, TestOptions{Known: builtin.All()})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range results {
		name := r.Name[strings.LastIndexByte(r.Name, '.')+1:]
		switch {
		case r.Err != nil:
			got[name] = "error: " + r.Err.Error()
		case r.Pass:
			got[name] = "pass " + r.Fixture
		default:
			got[name] = "fail " + r.Fixture + " " + strings.TrimSpace(string(r.Output))
		}
	}
	want := map[string]string{
		"test_app_writes":    "pass acct",
		"test_wrong":         `^fail acct the findings: \{\{"msg": "app writes to S3"`,
		"test_direct":        "pass acct",
		"test_no_fixture":    `^error: .*iamlint\.allows needs a model: in a test, set input to a fixture`,
		"test_input_by_hand": "pass ",
	}
	for name, re := range want {
		if !regexp.MustCompile(re).MatchString(got[name]) && got[name] != re {
			t.Errorf("%s: %q, want %s", name, got[name], re)
		}
	}
	if len(got) != len(want) {
		t.Errorf("results %v", got)
	}
}

func TestRulesTestErrors(t *testing.T) {
	rule := map[string]string{"r/s3_writers.rego": askRule, "r/fixtures/acct/main.tf": model, "r/fixtures/other/main.tf": model}
	for _, tc := range []struct {
		name, test, want string
	}{
		{"two fixtures", "test_x if {\n\tdata.fixtures.acct == data.fixtures.other\n}\n",
			`r/a_test\.rego:3:1: data\.p\.test_x uses the fixtures acct and other: a test uses one fixture`},
		{"through a helper", "h(x) := x if x == data.fixtures.acct\n\nk := data.fixtures.other\n\ntest_x if {\n\th(k)\n}\n",
			`uses the fixtures acct and other`},
		{"missing fixture", "test_x if {\n\tdata.fixtures.nope\n}\n",
			`r/a_test\.rego:3:1: data\.p\.test_x uses the fixture "nope", but there is no folder fixtures/nope in r`},
		{"variable fixture", "test_x if {\n\tsome k\n\tdata.fixtures[k]\n}\n",
			`names a fixture with a variable`},
		{"syntax", "test_x if {\n", `r/a_test\.rego:\d+(:\d+)?: unexpected eof`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"r/a_test.rego": "package p\n\n" + tc.test}
			for k, v := range rule {
				files[k] = v
			}
			writeFiles(t, files)
			_, err := Test(context.Background(), []string{"r"}, TestOptions{Known: builtin.All()})
			if err == nil || !regexp.MustCompile(tc.want).MatchString(err.Error()) {
				t.Errorf("error %v, want a match for %s", err, tc.want)
			}
		})
	}
}
