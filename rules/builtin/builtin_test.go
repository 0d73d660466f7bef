package builtin

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"golang.org/x/tools/txtar"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/managed"
	"github.com/iamlint/iamlint/loader"
	"github.com/iamlint/iamlint/rules"
)

var update = flag.Bool("update", false, "rewrite golden files")

// The rule cases live in testdata/<ID>/*.txtar. The archive comment may
// set the reference date of age-based rules ("now: 2026-01-31"; default
// testNow) and rule options ("option: days = 30", an HCL value). Each archive holds input
// files (policy JSON, Terraform .tf, ...) and a "want" file of
// expectations, one per line:
//
//	policy.json:7:17: IAM301 "unknown service prefix \"s4\""
//
// file:line:column of the finding's start, the rule ID, and a regular
// expression in double quotes that must match the message. The text
// between the quotes is the expression as is: write \" for a quote and
// \( for a parenthesis, as RE2 wants. Every finding of the
// rule must be wanted and every want must be found. A case without want
// lines is a negative case. The archive comment may set the policy kind
// of every standalone document with a line "kind: trust" (default:
// inferred, as the CLI does).
//
// The files are written to a temporary directory and loaded from there
// by loader.Load, each named explicitly, as `iamlint check` loads them;
// positions are relative to that directory.

type want struct {
	file      string
	line, col int
	id        string
	re        *regexp.Regexp
	text      string
}

var wantLine = regexp.MustCompile(`^(\S+):(\d+):(\d+): (IAM\d{3}) "(.*)"$`)

func parseWants(t *testing.T, data []byte) []want {
	t.Helper()
	var out []want
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := wantLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("want line %d: %q is not file:line:col: ID \"regexp\"", i+1, line)
		}
		re, err := regexp.Compile(m[5])
		if err != nil {
			t.Fatalf("want line %d: %v", i+1, err)
		}
		ln, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		out = append(out, want{file: m[1], line: ln, col: col, id: m[4], re: re, text: line})
	}
	return out
}

// testCase is one archive: its input files, load options and wants.
type testCase struct {
	path  string
	files []txtar.File
	opts  loader.Options
	wants []want
	// now and options come from "now: 2026-01-31" and "option: days =
	// 30" lines of the archive comment (HCL values).
	now     time.Time
	options map[string]cty.Value
}

// testNow is the reference date of every rule test that does not set
// one, so that age-based rules give the same findings every day.
var testNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func readCase(t *testing.T, path string) *testCase {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return caseOf(t, path, ar, true)
}

// exampleCase is the case of a rule's Bad or Good example: a JSON policy
// (written to <name>.json), or, when the example starts with a txtar file
// marker ("-- main.tf --"), an archive of files (for rules about accounts,
// credential reports or Terraform) whose comment may set the kind.
func exampleCase(t *testing.T, name, example string) *testCase {
	t.Helper()
	if strings.HasPrefix(example, "-- ") {
		return caseOf(t, name, txtar.Parse([]byte(example)), false)
	}
	return &testCase{path: name, now: testNow, files: []txtar.File{{Name: strings.ToLower(name) + ".json", Data: []byte(example)}}}
}

// caseOf reads an archive; needWant says whether it must have a want
// section.
func caseOf(t *testing.T, path string, ar *txtar.Archive, needWant bool) *testCase {
	t.Helper()
	c := &testCase{path: path, now: testNow, options: map[string]cty.Value{}}
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "now:"); ok {
			d, err := time.Parse(time.DateOnly, strings.TrimSpace(v))
			if err != nil {
				t.Fatalf("%s: now: %v", path, err)
			}
			c.now = d
		}
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "option:"); ok {
			name, val, _ := strings.Cut(v, "=")
			expr, diags := hclsyntax.ParseExpression([]byte(strings.TrimSpace(val)), path, hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatalf("%s: option: %v", path, diags)
			}
			cv, diags := expr.Value(nil)
			if diags.HasErrors() {
				t.Fatalf("%s: option: %v", path, diags)
			}
			c.options[strings.TrimSpace(name)] = cv
		}
		if k, ok := strings.CutPrefix(strings.TrimSpace(line), "kind:"); ok {
			kind, ok := iam.ParseKind(strings.TrimSpace(k))
			if !ok || kind == iam.KindUnknown {
				t.Fatalf("%s: unknown kind %q", path, k)
			}
			c.opts.Kind = kind
		}
	}
	sawWant := false
	for _, f := range ar.Files {
		if f.Name == "want" {
			c.wants = parseWants(t, f.Data)
			sawWant = true
			continue
		}
		c.files = append(c.files, f)
	}
	if !sawWant && needWant {
		t.Fatalf("%s has no -- want -- section (leave it empty for a negative case)", path)
	}
	return c
}

// load writes the case's files to a temporary directory, makes it the
// working directory for the rest of the test, and loads every file.
func (c *testCase) load(t *testing.T) *rules.Input {
	t.Helper()
	dir := t.TempDir()
	var names []string
	for _, f := range c.files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, filepath.FromSlash(f.Name))
	}
	t.Chdir(dir)
	return rules.NewInput(loader.Load(context.Background(), names, c.opts))
}

// checkLoaded fails a case whose files did not all load: every file must
// yield a document or a diagnostic, and only IAM000 cases may have load
// errors, so that a case cannot pass because its input was ignored. A
// case with Terraform files that yield nothing is skipped: the Terraform
// loader is not there yet.
func (c *testCase) checkLoaded(t *testing.T, in *rules.Input, ruleID string) {
	t.Helper()
	seen := map[string]bool{}
	for _, f := range in.Files() {
		seen[filepath.ToSlash(f)] = true
	}
	for _, f := range c.files {
		if seen[f.Name] {
			continue
		}
		if strings.HasSuffix(f.Name, ".tf") && !anyTerraform(in) {
			t.Skipf("%s: loader.Load returned nothing for %s; this case needs the Terraform loader (loader/terraform)", c.path, f.Name)
		}
		t.Errorf("%s: the loader found nothing in %s", c.path, f.Name)
	}
	if ruleID == "IAM000" {
		return
	}
	for _, d := range in.Diags {
		if d.Severity == hcl.DiagError {
			t.Errorf("%s: load error: %s", c.path, d.Error())
		}
	}
}

// anyTerraform reports whether the input holds anything from a .tf file.
func anyTerraform(in *rules.Input) bool {
	for _, f := range in.Files() {
		if strings.HasSuffix(f, ".tf") {
			return true
		}
	}
	return false
}

func runRules(t *testing.T, in *rules.Input, rs ...*rules.Rule) []rules.Finding {
	t.Helper()
	return runCase(t, &testCase{now: testNow}, in, rs...)
}

// runCase runs rules with the case's reference date and options.
func runCase(t *testing.T, c *testCase, in *rules.Input, rs ...*rules.Rule) []rules.Finding {
	t.Helper()
	r := rules.Runner{Rules: rs, Now: c.now, Options: func(_ *rules.Rule, name string) (cty.Value, bool) {
		v, ok := c.options[name]
		return v, ok
	}}
	fs, err := r.Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	// Apply the iamlint:ignore directives of the case's HCL files, as
	// `iamlint check` does.
	fs, _ = Suppress(in, fs, nil, All(), rs)
	for _, f := range fs {
		checkMessage(t, f)
	}
	return fs
}

func pos(f rules.Finding) string {
	return fmt.Sprintf("%s:%d:%d: %s %q", f.Range.Filename, f.Range.Start.Line, f.Range.Start.Column, f.RuleID, f.Message)
}

// compare reports unexpected findings and unmatched wants.
func compare(t *testing.T, fs []rules.Finding, wants []want) {
	t.Helper()
	used := make([]bool, len(wants))
	for _, f := range fs {
		ok := false
		for i, w := range wants {
			if used[i] || w.file != f.Range.Filename || w.line != f.Range.Start.Line ||
				w.col != f.Range.Start.Column || w.id != f.RuleID || !w.re.MatchString(f.Message) {
				continue
			}
			used[i], ok = true, true
			break
		}
		if !ok {
			t.Errorf("unexpected finding %s", pos(f))
		}
	}
	for i, w := range wants {
		if !used[i] {
			t.Errorf("no finding for want %s", w.text)
		}
	}
}

// checkMessage enforces the message style: one sentence, no trailing
// period, starting with a lower-case word (a quoted value, an acronym
// such as AWS, an identifier such as NotPrincipal or a policy element name
// such as Sid may start it too).
func checkMessage(t *testing.T, f rules.Finding) {
	t.Helper()
	m := f.Message
	switch {
	case m == "":
		t.Errorf("%s: empty message", pos(f))
	case strings.HasSuffix(m, "."):
		t.Errorf("%s: message ends with a period", pos(f))
	case strings.ContainsAny(m, "\n\r"):
		t.Errorf("%s: message spans lines", pos(f))
	}
	r, n := utf8.DecodeRuneInString(m)
	word, _, _ := strings.Cut(m, " ")
	if unicode.IsUpper(r) && !strings.ContainsFunc(word[n:], unicode.IsUpper) && !isElementName(word) {
		t.Errorf("%s: message starts with a capitalised word", pos(f))
	}
	if f.Fingerprint == "" || f.Path == "" {
		t.Errorf("%s: no fingerprint or path", pos(f))
	}
}

func TestRules(t *testing.T) {
	for _, rule := range All() {
		t.Run(rule.ID, func(t *testing.T) {
			paths, err := filepath.Glob(filepath.Join("testdata", rule.ID, "*.txtar"))
			if err != nil {
				t.Fatal(err)
			}
			positive, negative := 0, 0
			for _, path := range paths {
				c := readCase(t, path)
				if len(c.wants) > 0 {
					positive++
				} else {
					negative++
				}
				t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
					for _, w := range c.wants {
						if w.id != rule.ID {
							t.Errorf("want %s names another rule", w.text)
						}
					}
					in := c.load(t)
					c.checkLoaded(t, in, rule.ID)
					compare(t, runCase(t, c, in, rule), c.wants)
				})
			}
			if positive == 0 || negative == 0 {
				t.Errorf("%s needs at least one positive and one negative case in testdata/%s (has %d and %d)",
					rule.ID, rule.ID, positive, negative)
			}
		})
	}
}

// TestExamples runs each rule on its own Bad snippet, which must report it,
// and every rule on each Good snippet, which must be clean. The snippets
// are loaded from files, as `iamlint check` would read them.
func TestExamples(t *testing.T) {
	all := rules.Enabled(All())
	for _, rule := range All() {
		t.Run(rule.ID, func(t *testing.T) {
			bad := exampleCase(t, "Bad", rule.Bad)
			if fs := runCase(t, bad, bad.load(t), rule); len(fs) == 0 {
				t.Errorf("the Bad example does not report %s", rule.ID)
			}
			good := exampleCase(t, "Good", rule.Good)
			in := good.load(t)
			good.checkLoaded(t, in, "")
			for _, f := range runCase(t, good, in, all...) {
				t.Errorf("the Good example reports %s", pos(f))
			}
		})
	}
}

// standalone builds the input of one standalone JSON document without the
// loader, for inputs the loader would not take as a policy (TestNoPanics,
// FuzzRules) and for the AWS managed policies (which the rules skip when
// they come through the loader).
func standalone(name string, data []byte, kind iam.Kind) *rules.Input {
	doc, diags := iam.ParsePolicy(data, iam.ParseOptions{Filename: name, Kind: kind})
	if doc == nil {
		return rules.NewInput(nil, diags)
	}
	m := &iam.Model{Documents: []*iam.StandaloneDocument{{
		PolicyDocument: iam.PolicyDocument{Node: iam.Node{Addr: name, Range: doc.Range}, Doc: doc, Diags: diags},
		Kind:           kind,
	}}}
	return rules.NewInput(m, nil)
}

var (
	idPattern   = regexp.MustCompile(`^IAM\d{3}$`)
	slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// TestRegistry checks the metadata of every rule and the shape of the
// package: sorted IDs, one file and one testdata directory per rule.
func TestRegistry(t *testing.T) {
	all := All()
	ids := map[string]bool{}
	slugs := map[string]bool{}
	for i, r := range all {
		if i > 0 && all[i-1].ID >= r.ID {
			t.Errorf("All is not sorted by ID: %s before %s", all[i-1].ID, r.ID)
		}
		if !idPattern.MatchString(r.ID) {
			t.Errorf("%q: ID is not IAM and three digits", r.ID)
		}
		if ids[r.ID] {
			t.Errorf("%s: duplicate ID", r.ID)
		}
		ids[r.ID] = true
		if !slugPattern.MatchString(r.Slug) {
			t.Errorf("%s: slug %q is not lower-case words joined by '-'", r.ID, r.Slug)
		}
		if slugs[r.Slug] {
			t.Errorf("%s: duplicate slug %q", r.ID, r.Slug)
		}
		slugs[r.Slug] = true
		switch {
		case r.Title == "":
			t.Errorf("%s: no Title", r.ID)
		case utf8.RuneCountInString(r.Title) > 60:
			t.Errorf("%s: Title longer than 60 characters", r.ID)
		case strings.HasSuffix(r.Title, "."):
			t.Errorf("%s: Title ends with a period", r.ID)
		}
		if r.Severity < rules.Info || r.Severity > rules.Critical {
			t.Errorf("%s: invalid severity", r.ID)
		}
		for name, v := range map[string]string{"Since": r.Since, "Rationale": r.Rationale, "Bad": r.Bad, "Good": r.Good} {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: empty %s", r.ID, name)
			}
		}
		if len(r.References) == 0 {
			t.Errorf("%s: no References", r.ID)
		}
		for _, ref := range r.References {
			if !strings.HasPrefix(ref, "https://") {
				t.Errorf("%s: reference %q is not an https URL", r.ID, ref)
			}
		}
		if r.Check == nil {
			t.Errorf("%s: no Check", r.ID)
		}
		for _, o := range r.Options {
			if _, err := o.DefaultValue(); err != nil || o.Name == "" || o.Description == "" {
				t.Errorf("%s: option %q: name, description and a default of its type are required (%v)", r.ID, o.Name, err)
			}
		}
		file := strings.ToLower(r.ID) + "_" + strings.ReplaceAll(r.Slug, "-", "_") + ".go"
		if _, err := os.Stat(file); err != nil {
			t.Errorf("%s: the rule belongs in %s", r.ID, file)
		}
		if st, err := os.Stat(filepath.Join("testdata", r.ID)); err != nil || !st.IsDir() {
			t.Errorf("%s: no testdata/%s directory", r.ID, r.ID)
		}
	}
	dirs, _ := filepath.Glob(filepath.Join("testdata", "IAM*"))
	for _, d := range dirs {
		if !ids[filepath.Base(d)] {
			t.Errorf("%s belongs to no rule", d)
		}
	}
	files, _ := filepath.Glob("iam*_*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		id := strings.ToUpper(f[:6])
		if !ids[id] {
			t.Errorf("%s belongs to no rule in All", f)
		}
	}
}

// TestDocs checks that docs/rules matches the metadata.
func TestDocs(t *testing.T) {
	dir := filepath.Join("..", "..", "docs", "rules")
	all := All()
	want := map[string]string{"README.md": rules.IndexMarkdown(all)}
	for _, r := range all {
		want[r.DocFile()] = r.Markdown()
	}
	for name, text := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("docs/rules/%s: %v; run go generate ./rules/...", name, err)
			continue
		}
		if d := cmp.Diff(text, string(got)); d != "" {
			t.Errorf("docs/rules/%s is stale; run go generate ./rules/... (-want +got):\n%s", name, d)
		}
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	for _, p := range pages {
		if _, ok := want[filepath.Base(p)]; !ok {
			t.Errorf("docs/rules/%s belongs to no rule; run go generate ./rules/...", filepath.Base(p))
		}
	}
}

// TestManagedPolicies runs every rule over the AWS managed policies, real
// policies written by AWS, and compares the findings with
// testdata/managed.golden. The file is a precision check: each line should
// be a real problem (AWS's policies have some) or a gap in the service
// reference, never a misreading by a rule. Rewrite it with -update and
// review the diff.
func TestManagedPolicies(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	m := &iam.Model{}
	for _, name := range managed.Names() {
		p, _ := managed.Lookup(name)
		in := standalone(name, p.Document, iam.KindIdentity)
		m.Documents = append(m.Documents, in.Model.Documents...)
	}
	in := rules.NewInput(m, nil)
	var b strings.Builder
	for _, f := range runRules(t, in, rules.Enabled(All())...) {
		fmt.Fprintf(&b, "%s %s: %s\n", f.RuleID, f.Range.Filename, f.Message)
	}
	golden := filepath.Join("testdata", "managed.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v; run go test ./rules/builtin -run TestManagedPolicies -update", err)
	}
	if d := cmp.Diff(string(want), b.String()); d != "" {
		t.Errorf("findings on AWS managed policies changed (-want +got); review and rerun with -update:\n%s", d)
	}
}

// TestNoPanics feeds every rule odd but well-formed documents.
func TestNoPanics(t *testing.T) {
	docs := []string{
		`{}`, `[]`, `"x"`, `{"Statement": null}`, `{"Statement": []}`, `{"Statement": [1, "x", null]}`,
		`{"Statement": {"Effect": "Allow"}}`,
		`{"Statement": [{"Effect": "Allow", "Action": [], "Resource": []}]}`,
		`{"Statement": [{"Effect": "Allow", "Action": ["", ":", "::", "*:*", "s3:", ":x", "s3:*:*"], "Resource": ["", "arn:", "arn:::::", "${", "${}", "arn:aws:s3:::${aws:username"]}]}`,
		`{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"": "", ":": [], "aws:": [1, true, null]}, "Null": {"x": {}}, "Bogus": {"a": "b"}}}]}`,
		`{"Statement": [{"Effect": "Allow", "Principal": "*", "NotPrincipal": {"AWS": []}, "NotAction": "*", "NotResource": "*"}]}`,
	}
	all := All()
	kinds := []iam.Kind{iam.KindUnknown, iam.KindIdentity, iam.KindResource, iam.KindTrust, iam.KindSCP}
	for i, d := range docs {
		for _, kind := range kinds {
			r := rules.Runner{Rules: all}
			if _, err := r.Run(context.Background(), standalone(fmt.Sprintf("doc%d.json", i), []byte(d), kind)); err != nil {
				t.Errorf("doc %d as %s: %v", i, kind, err)
			}
		}
	}
}

func TestDiagMessage(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Every statement needs \"Effect\".", "every statement needs \"Effect\""},
		{"AWS rejects it. Keep one and merge the values.", "AWS rejects it; keep one and merge the values"},
		{"Condition must be an object, e.g. {\"a\": 1}; found a string.", "Condition must be an object, e.g. {\"a\": 1}; found a string"},
		{"NotPrincipal is not allowed.", "NotPrincipal is not allowed"},
		{"Policy element names are case-sensitive.", "policy element names are case-sensitive"},
	} {
		if got := diagMessage(&hcl.Diagnostic{Detail: tc.in}); got != tc.want {
			t.Errorf("diagMessage(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
