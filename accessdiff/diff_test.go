package accessdiff

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iamlint/iamlint/loader"
	"github.com/iamlint/iamlint/rules"
	"github.com/iamlint/iamlint/rules/builtin"
)

// load writes files into dir/name and reads them as a state, as iamlint
// diff does.
func load(t *testing.T, dir, name string, files map[string]string) *State {
	t.Helper()
	root := filepath.Join(dir, name)
	for f, text := range files {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	model, diags := loader.Load(context.Background(), []string{root}, loader.Options{})
	if diags.HasErrors() {
		t.Fatalf("%s: %v", name, diags)
	}
	in := rules.NewInput(model, diags)
	runner := rules.Runner{Rules: rules.Enabled(builtin.All()), Root: root}
	fs, err := runner.Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return &State{Name: name, Root: root, Analysis: in.Analysis(), Findings: fs}
}

func TestParseAllow(t *testing.T) {
	for _, tc := range []struct {
		in, principal, what string
	}{
		{"aws_iam_role.ci:s3:*", "aws_iam_role.ci", "s3:*"},
		{"*:logs:*", "*", "logs:*"},
		{"*:*", "*", "*"},
		{"dana:escalation", "dana", "escalation"},
		{"dana:*", "dana", "*"},
		{"arn:aws:iam::111122223333:role/ci:s3:Get*", "arn:aws:iam::111122223333:role/ci", "s3:Get*"},
		{"arn:aws:iam::111122223333:role/ci:*", "arn:aws:iam::111122223333:role/ci", "*"},
		{"arn:aws:iam::111122223333:user/dev:escalation", "arn:aws:iam::111122223333:user/dev", "escalation"},
		{"arn:aws:iam::444455556666:root:sts:AssumeRole", "arn:aws:iam::444455556666:root", "sts:AssumeRole"},
		{"lambda.amazonaws.com:sts:AssumeRole", "lambda.amazonaws.com", "sts:AssumeRole"},
		{"module.ci.aws_iam_role.deploy[\"prod\"]:iam:PassRole", "module.ci.aws_iam_role.deploy[\"prod\"]", "iam:PassRole"},
	} {
		a, err := ParseAllow(tc.in)
		if err != nil || a.Principal != tc.principal || a.What != tc.what {
			t.Errorf("ParseAllow(%q) = %q, %q, %v; want %q, %q", tc.in, a.Principal, a.What, err, tc.principal, tc.what)
		}
	}
	for _, in := range []string{"dana", ":s3:*", "dana:PassRole", "dana:", ":*", "dana:s3:"} {
		if a, err := ParseAllow(in); err == nil {
			t.Errorf("ParseAllow(%q) = %+v, want an error", in, a)
		}
	}
}

const userPolicy = `resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  name   = "dev"
  user   = aws_iam_user.dev.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [%s] })
}
`

func stmt(actions, resource string) string {
	return `{ Effect = "Allow", Action = [` + actions + `], Resource = "` + resource + `" }`
}

func TestComparePermissions(t *testing.T) {
	dir := t.TempDir()
	f := func(stmts ...string) map[string]string {
		return map[string]string{"main.tf": strings.Replace(userPolicy, "%s", strings.Join(stmts, ", "), 1)}
	}
	base := load(t, dir, "base", f(
		stmt(`"s3:GetObject"`, "arn:aws:s3:::b/*"),
		stmt(`"sqs:SendMessage", "sqs:ReceiveMessage"`, "*"),
	))
	head := load(t, dir, "head", f(
		stmt(`"s3:GetObject"`, "*"), // conditional → certain
		stmt(`"sqs:SendMessage"`, "*"),
		stmt(`"sns:Publish"`, "*"),
	))
	d := Compare(base, head)
	if len(d.Principals) != 1 {
		t.Fatalf("%d principals changed, want 1", len(d.Principals))
	}
	c := d.Principals[0]
	if c.Principal.Key != "aws_iam_user.dev" || c.Change != "changed" {
		t.Errorf("principal %+v, change %s", c.Principal, c.Change)
	}
	want := map[string][]ActionGroup{
		"gained":   {{Service: "sns", AccessLevel: "Write", Certain: true, Actions: []string{"sns:Publish"}}},
		"lost":     {{Service: "sqs", AccessLevel: "Read", Certain: true, Actions: []string{"sqs:ReceiveMessage"}}},
		"widened":  {{Service: "s3", AccessLevel: "Read", Certain: true, Actions: []string{"s3:GetObject"}}},
		"narrowed": {},
	}
	got := map[string][]ActionGroup{"gained": c.Gained, "lost": c.Lost, "widened": c.Widened, "narrowed": c.Narrowed}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	var acts []string
	for _, v := range d.Violations(nil) {
		acts = append(acts, v.Actions...)
	}
	if diff := cmp.Diff([]string{"s3:GetObject", "sns:Publish"}, acts); diff != "" {
		t.Errorf("violations (-want +got):\n%s", diff)
	}
	allow := func(s ...string) []Allow {
		var out []Allow
		for _, x := range s {
			a, err := ParseAllow(x)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, a)
		}
		return out
	}
	if v := d.Violations(allow("dev:sns:*", "*:s3:Get*")); len(v) != 0 {
		t.Errorf("allowed growth reported: %+v", v)
	}
	if v := d.Violations(allow("dev:sns:*")); len(v) != 1 || !slices.Equal(v[0].Actions, []string{"s3:GetObject"}) {
		t.Errorf("violations with sns allowed: %+v", v)
	}
	// Backwards, sns:Publish is lost and s3:GetObject narrowed: neither
	// grows.
	if v := Compare(head, base).Violations(nil); len(v) != 1 || !slices.Equal(v[0].Actions, []string{"sqs:ReceiveMessage"}) {
		t.Errorf("backwards: violations %+v, want sqs:ReceiveMessage only", v)
	}
	var text bytes.Buffer
	if err := d.WriteText(&text, nil, false); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"- s3 Read (conditional): GetObject",
		"+ s3 Read: GetObject",
		"+ sns Write: Publish",
		"- sqs Read: ReceiveMessage",
		"  sqs Write: SendMessage",
	} {
		if !strings.Contains(text.String(), "\n"+line+"\n") {
			t.Errorf("text lacks %q:\n%s", line, text.String())
		}
	}
}

const roles = `resource "aws_iam_role" "target" {
  name = "target"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{
    Effect = "Allow", Principal = { AWS = %s }, Action = "sts:AssumeRole"%s
  }] })
}

resource "aws_iam_role_policy" "target" {
  name   = "t"
  role   = aws_iam_role.target.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sqs:SendMessage", Resource = "*" }] })
}

resource "aws_iam_role" "caller" {
  name = "caller"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_iam_role_policy" "caller" {
  name   = "c"
  role   = aws_iam_role.caller.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "*" }] })
}
`

// TestCompareTrust: a condition added to a trust statement tightens it
// (no growth); a new trusted account grows.
func TestCompareTrust(t *testing.T) {
	dir := t.TempDir()
	f := func(principals, cond string) map[string]string {
		return map[string]string{"main.tf": strings.Replace(strings.Replace(roles, "%s", principals, 1), "%s", cond, 1)}
	}
	caller := `aws_iam_role.caller.arn`
	mfa := `, Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }`
	open := load(t, dir, "open", f(caller, ""))
	tight := load(t, dir, "tight", f(caller, mfa))
	wider := load(t, dir, "wider", f(`[aws_iam_role.caller.arn, "444455556666"]`, ""))

	d := Compare(open, tight)
	if v := d.Violations(nil); len(v) != 0 {
		t.Errorf("a condition added: violations %+v", v)
	}
	if len(d.Trust.Added) != 1 || d.Trust.Added[0].Grows || !d.Trust.Added[0].Conditional {
		t.Errorf("a condition added: trust added %+v", d.Trust.Added)
	}
	if len(d.Assume.Added) != 1 || d.Assume.Added[0].Grows || !d.Assume.Added[0].MFA {
		t.Errorf("a condition added: assume added %+v", d.Assume.Added)
	}
	if v := Compare(tight, open).Violations(nil); len(v) != 2 || v[0].Kind != "trust" || v[1].Kind != "assume" {
		t.Errorf("the condition removed: violations %+v", v)
	}

	d = Compare(open, wider)
	v := d.Violations(nil)
	if len(v) != 1 || v[0].Kind != "trust" || v[0].Principal != "444455556666" {
		t.Fatalf("a new account: violations %+v", v)
	}
	a, _ := ParseAllow("444455556666:sts:AssumeRole")
	if v := d.Violations([]Allow{a}); len(v) != 0 {
		t.Errorf("an allowed account: violations %+v", v)
	}

	// Grows says whether Violations(nil) lists anything.
	for _, pair := range [][2]*State{{open, tight}, {tight, open}, {open, wider}, {wider, open}, {open, open}} {
		d := Compare(pair[0], pair[1])
		if got, want := d.Grows(), len(d.Violations(nil)) > 0; got != want {
			t.Errorf("%s to %s: Grows() = %v, want %v", pair[0].Name, pair[1].Name, got, want)
		}
	}
}

// TestCompareDumpReordered: principals of an authorization dump are
// matched by ARN, so a dump listing them in another order compares
// equal, findings included.
func TestCompareDumpReordered(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "examples", "company", "aws", "gaad.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, list := range []string{"UserDetailList", "RoleDetailList", "GroupDetailList", "Policies"} {
		var items []json.RawMessage
		if err := json.Unmarshal(doc[list], &items); err != nil {
			t.Fatal(err)
		}
		slices.Reverse(items)
		if doc[list], err = json.Marshal(items); err != nil {
			t.Fatal(err)
		}
	}
	reordered, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	base := load(t, dir, "base", map[string]string{"gaad.json": string(data)})
	head := load(t, dir, "head", map[string]string{"gaad.json": string(reordered)})
	if len(base.Findings) == 0 {
		t.Fatal("the dump has no findings to match")
	}
	d := Compare(base, head)
	if !d.Empty() {
		var b bytes.Buffer
		d.WriteText(&b, nil, false)
		t.Errorf("a reordered dump differs:\n%s", b.String())
	}
}

// TestBaseDropsState: a Base holds nothing of its state's analysis but
// the permission sets, so that iamlint diff can free the base's analysis
// before it makes the head's.
func TestBaseDropsState(t *testing.T) {
	dir := t.TempDir()
	base := load(t, dir, "base", map[string]string{"main.tf": strings.Replace(userPolicy, "%s", stmt(`"s3:GetObject"`, "*"), 1)})
	head := load(t, dir, "head", map[string]string{"main.tf": strings.Replace(userPolicy, "%s", stmt(`"s3:*"`, "*"), 1)})
	b := NewBase(base)
	if b.s.st != nil || b.s.a != nil || b.s.nodes != nil || b.s.index != nil {
		t.Errorf("the base keeps its state: %+v", b.s)
	}
	if len(b.s.ps) != 1 || !b.s.ps[0].hasPerms {
		t.Fatalf("base principals %+v", b.s.ps)
	}
	d := b.Compare(head)
	if len(d.Principals) != 1 || len(d.Violations(nil)) != 1 {
		t.Errorf("principals %+v, violations %+v", d.Principals, d.Violations(nil))
	}
}

// TestRenderEmpty: no change at all.
func TestRenderEmpty(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"main.tf": strings.Replace(userPolicy, "%s", stmt(`"s3:GetObject"`, "*"), 1)}
	d := Compare(load(t, dir, "a", files), load(t, dir, "b", files))
	var text, md, js bytes.Buffer
	if err := d.WriteText(&text, nil, true); err != nil {
		t.Fatal(err)
	}
	if text.String() != "no access change from a to b\n" {
		t.Errorf("text: %q", text.String())
	}
	if err := d.WriteMarkdown(&md, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "No access change") {
		t.Errorf("markdown:\n%s", md.String())
	}
	if err := d.WriteJSON(&js, "test", nil, nil); err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(js.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"allowNew", "violations", "principals"} {
		if l, ok := out[k].([]any); !ok || len(l) != 0 {
			t.Errorf("%s = %v, want []", k, out[k])
		}
	}
	for _, k := range []string{"trust", "assume", "escalations", "findings"} {
		m, _ := out[k].(map[string]any)
		for _, side := range []string{"added", "removed"} {
			if l, ok := m[side].([]any); !ok || len(l) != 0 {
				t.Errorf("%s.%s = %v, want []", k, side, m[side])
			}
		}
	}
	if out["version"] != float64(JSONVersion) || out["grows"] != false {
		t.Errorf("version %v, grows %v", out["version"], out["grows"])
	}
}

func TestMarkdownEscape(t *testing.T) {
	if got := escape("a|b *c* `d` <e>"); got != `a\|b \*c\* \`+"`"+`d\`+"`"+` \<e\>` {
		t.Errorf("escape = %q", got)
	}
	if got := code("a`b"); got != "a'b" {
		t.Errorf("code = %q", got)
	}
}
