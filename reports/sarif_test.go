package reports

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/tools/txtar"

	"github.com/iamlint/iamlint/rules"
	"github.com/iamlint/iamlint/rules/builtin"
)

// sarifSchemaFile is the SARIF 2.1.0 JSON schema of the OASIS SARIF
// technical committee: Schemata/sarif-schema-2.1.0.json of
// github.com/oasis-tcs/sarif-spec at commit
// 85971b3e048f61a6d643b95fc6233d073302f5b8 (the 2.1.0 schema with the
// errata of the OASIS Standard, as the committee maintains it; its $id is
// that file on the master branch), committed unchanged (112,785 bytes,
// sha256 ad389db5a66fad5c131178b0e1f18600ac625616cd5ea20a00ee8ee246dc7069)
// so that the tests need no network.
const sarifSchemaFile = "testdata/sarif-schema-2.1.0.json"

// compileSARIFSchema compiles the committed schema, asserting formats (uri,
// uri-reference, date-time) as well.
//
// The file has one defect that a strict validator refuses: in "region",
// the "anyOf" that requires startLine, charOffset or byteOffset sits
// inside "properties", where a schema, not an array, belongs (so lenient
// validators silently ignore it). It is moved, in memory only, up to
// "region" where the committee meant it, so that it is checked too.
func compileSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(sarifSchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	region, _ := doc.(map[string]any)["definitions"].(map[string]any)["region"].(map[string]any)
	props, _ := region["properties"].(map[string]any)
	anyOf, misplaced := props["anyOf"].([]any)
	if !misplaced {
		t.Fatalf("%s: definitions.region.properties.anyOf is no longer there: drop the fix-up", sarifSchemaFile)
	}
	delete(props, "anyOf")
	region["anyOf"] = anyOf
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "https://iamlint.invalid/sarif-schema-2.1.0.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validateSARIF(t *testing.T, sch *jsonschema.Schema, out []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("SARIF output does not validate against %s:\n%v", sarifSchemaFile, err)
	}
}

// TestSARIFSchema validates the golden report and reports with awkward
// names and positions against the official schema.
func TestSARIFSchema(t *testing.T) {
	sch := compileSARIFSchema(t)
	odd := &Report{
		Tool: Tool{Name: "iamlint", Version: "v1.2.3"},
		Rules: []*rules.Rule{
			{Meta: rules.Meta{ID: "IAM101", Slug: "full-admin", Title: "Full admin", Severity: rules.Critical, Rationale: "R."}},
		},
		Findings: []rules.Finding{
			{RuleID: "IAM101", Severity: rules.Critical, Message: "m", Range: rng("dir with space/Café #1.json", 1, 1, 1, 5),
				Related: []rules.Related{
					{Range: hcl.Range{Filename: "arn:aws:iam::aws:policy/AdministratorAccess"}, Message: "the managed policy"},
					{Range: rng("/abs/path/main.tf", 3, 2, 3, 9), Message: "absolute"},
					{Range: rng("a:b.json", 2, 1, 2, 1), Message: "colon in the first segment"},
				}},
			{RuleID: "IAM999", Severity: rules.Info, Message: "a finding in no file"},
		},
		Suppressed: []rules.Finding{
			{RuleID: "IAM101", Severity: rules.Critical, Message: "s", Range: rng("x.tf", 2, 3, 2, 9),
				Suppressed: &rules.Suppressed{Reason: "ok"}},
		},
		Diagnostics: []Diagnostic{{Severity: DiagWarning, Message: "w", Range: &hcl.Range{Filename: "y.tf"}}},
	}
	builtinRules := loadReport(t)
	builtinRules.Rules = builtin.All()
	for name, r := range map[string]*Report{
		"golden":  loadReport(t),
		"builtin": builtinRules, // the descriptors of the real rules
		"empty":   {Tool: Tool{Name: "iamlint", Version: "devel"}},
		"odd":     odd,
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := (SARIF{}).Report(&buf, r); err != nil {
				t.Fatal(err)
			}
			validateSARIF(t, sch, buf.Bytes())
		})
	}

	// The schema check is not vacuous: it rejects a broken log.
	var buf bytes.Buffer
	if err := (SARIF{}).Report(&buf, odd); err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(buf.Bytes(), []byte(`"level": "error"`), []byte(`"level": "fatal"`), 1)
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
	if sch.Validate(inst) == nil {
		t.Error("the schema accepted a result with level fatal")
	}
}

func rng(file string, l1, c1, l2, c2 int) hcl.Range {
	return hcl.Range{Filename: file, Start: hcl.Pos{Line: l1, Column: c1}, End: hcl.Pos{Line: l2, Column: c2}}
}

// TestSARIFShape checks what GitHub code scanning relies on.
func TestSARIFShape(t *testing.T) {
	var buf bytes.Buffer
	if err := (SARIF{}).Report(&buf, loadReport(t)); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string
						Properties map[string]any
					}
				}
			}
			Results []struct {
				RuleID              string
				RuleIndex           int
				PartialFingerprints map[string]string
				Suppressions        []struct{ Kind, Justification string }
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	suppressed := 0
	for _, res := range run.Results {
		if rule := run.Tool.Driver.Rules[res.RuleIndex]; rule.ID != res.RuleID {
			t.Errorf("result %s: ruleIndex %d names %s", res.RuleID, res.RuleIndex, rule.ID)
		}
		if res.PartialFingerprints[FingerprintKey] == "" {
			t.Errorf("result %s has no %s fingerprint", res.RuleID, FingerprintKey)
		}
		if len(res.Suppressions) > 0 {
			suppressed++
		}
	}
	r := loadReport(t)
	if len(run.Results) != len(r.Findings)+len(r.Suppressed) || suppressed != len(r.Suppressed) {
		t.Errorf("%d results, %d suppressed; want %d and %d", len(run.Results), suppressed, len(r.Findings)+len(r.Suppressed), len(r.Suppressed))
	}
	for _, rule := range run.Tool.Driver.Rules {
		if _, ok := rule.Properties["security-severity"].(string); !ok {
			t.Errorf("rule %s: security-severity is not a string", rule.ID)
		}
	}
}

func TestSecuritySeverityBands(t *testing.T) {
	// GitHub's bands: critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9.
	for _, tc := range []struct {
		sev    rules.Severity
		lo, hi float64
	}{
		{rules.Critical, 9.05, 10}, {rules.High, 7, 8.9}, {rules.Medium, 4, 6.9}, {rules.Low, 0.1, 3.9}, {rules.Info, 0.1, 3.9},
	} {
		var v float64
		if err := json.Unmarshal([]byte(securitySeverity(tc.sev)), &v); err != nil || v < tc.lo || v > tc.hi {
			t.Errorf("%s: security-severity %s outside %.1f–%.1f", tc.sev, securitySeverity(tc.sev), tc.lo, tc.hi)
		}
	}
}

// TestSARIFHelpURIs: every built-in rule's helpUri names a page of
// docs/rules.
func TestSARIFHelpURIs(t *testing.T) {
	for _, r := range builtin.All() {
		uri := sarifRuleOf(&r.Meta).HelpURI
		page, ok := strings.CutPrefix(uri, ruleDocBase)
		if !ok {
			t.Errorf("%s: helpUri %s", r.ID, uri)
			continue
		}
		if _, err := os.Stat(filepath.Join("..", "docs", "rules", page)); err != nil {
			t.Errorf("%s: helpUri %s names no page of docs/rules: %v", r.ID, uri, err)
		}
	}
}

// TestSARIFHelpURICustom: a custom Rego rule has no page of docs/rules;
// it links to its first related_resources entry, or to nothing.
func TestSARIFHelpURICustom(t *testing.T) {
	const ref = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html"
	for _, tc := range []struct {
		name string
		meta rules.Meta
		want string
	}{
		{"custom with references", rules.Meta{ID: "IAM901", Slug: "ci-boundary", Source: "rules/ci.rego",
			References: []string{ref, "https://example.com/second"}}, ref},
		{"custom without references", rules.Meta{ID: "IAM902", Slug: "no-refs", Source: "rules/no_refs.rego"}, ""},
		{"custom with a relative reference", rules.Meta{ID: "IAM903", Slug: "relative", Source: "rules/rel.rego",
			References: []string{"docs/ours.md"}}, ""},
		{"built-in", rules.Meta{ID: "IAM111", Slug: "passrole-any", References: []string{ref}},
			ruleDocBase + "IAM111-passrole-any.md"},
		{"no slug", rules.Meta{ID: "IAM198"}, ""},
		{"not an IAMnnn ID", rules.Meta{ID: "diff/new-access", Slug: "new-access", References: []string{"https://example.com/doc#new-access"}},
			"https://example.com/doc#new-access"},
	} {
		if got := sarifRuleOf(&tc.meta).HelpURI; got != tc.want {
			t.Errorf("%s: helpUri %q, want %q", tc.name, got, tc.want)
		}
	}

	// In a log: the field is omitted, and the log still validates.
	r := &Report{
		Tool: Tool{Name: "iamlint", Version: "test"},
		Rules: []*rules.Rule{
			{Meta: rules.Meta{ID: "IAM901", Slug: "ci-boundary", Title: "CI role without boundary", Severity: rules.High,
				Rationale: "R.", Source: "rules/ci.rego", References: []string{ref}}},
			{Meta: rules.Meta{ID: "IAM902", Slug: "no-refs", Title: "No references", Severity: rules.Low,
				Rationale: "R.", Source: "rules/no_refs.rego"}},
		},
	}
	var buf bytes.Buffer
	if err := (SARIF{}).Report(&buf, r); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, compileSARIFSchema(t), buf.Bytes())
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []map[string]any
				}
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	got := log.Runs[0].Tool.Driver.Rules
	if got[0]["helpUri"] != ref {
		t.Errorf("IAM901: helpUri %v, want %s", got[0]["helpUri"], ref)
	}
	if u, ok := got[1]["helpUri"]; ok {
		t.Errorf("IAM902: helpUri %v, want none", u)
	}
}

// TestSARIFCategory: a category becomes the run's automationDetails.id;
// without one there is none.
func TestSARIFCategory(t *testing.T) {
	sch := compileSARIFSchema(t)
	for category, want := range map[string]string{"": "", "iamlint-diff/": "iamlint-diff/"} {
		var buf bytes.Buffer
		if err := (SARIF{Category: category}).Report(&buf, loadReport(t)); err != nil {
			t.Fatal(err)
		}
		validateSARIF(t, sch, buf.Bytes())
		var log struct {
			Runs []struct {
				AutomationDetails *struct{ ID string }
			}
		}
		if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		got := ""
		if a := log.Runs[0].AutomationDetails; a != nil {
			got = a.ID
		}
		if got != want {
			t.Errorf("category %q: automationDetails.id %q, want %q", category, got, want)
		}
	}
}

func TestSemanticVersion(t *testing.T) {
	for v, want := range map[string]string{
		"v1.2.3": "1.2.3", "1.2.3": "1.2.3", "v0.0.0-20240101000000-abcdef123456": "0.0.0-20240101000000-abcdef123456",
		"devel": "", "test": "", "v1.2": "", "": "",
	} {
		if got := semanticVersion(v); got != want {
			t.Errorf("semanticVersion(%q) = %q, want %q", v, got, want)
		}
	}
}

func TestArtifactURI(t *testing.T) {
	for name, want := range map[string]string{
		"main.tf":          "main.tf",
		"./infra/main.tf":  "infra/main.tf",
		"../up/p.json":     "../up/p.json",
		"a b/Café.json":    "a%20b/Caf%C3%A9.json",
		"a:b.json":         "./a:b.json",
		"/abs/x.json":      "file:///abs/x.json",
		"dir/100%.json":    "dir/100%25.json",
		"dir/#hash?q.json": "dir/%23hash%3Fq.json",
	} {
		if got := artifactOf(name).URI; got != want {
			t.Errorf("artifactOf(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestE2ESARIFValid validates the SARIF logs of the end-to-end scenarios
// (testdata/e2e, want.txt): check's, and iamlint diff's with its results
// of changes of access, written to standard output or to a file.
func TestE2ESARIFValid(t *testing.T) {
	wants, err := filepath.Glob(filepath.Join("..", "testdata", "e2e", "*", "want.txt"))
	if err != nil {
		t.Fatal(err)
	}
	sch := compileSARIFSchema(t)
	var diff bool
	n := 0
	for _, want := range wants {
		a, err := txtar.ParseFile(want)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			if !bytes.Contains(f.Data, []byte(`"$schema": "`+sarifSchema+`"`)) {
				continue
			}
			n++
			diff = diff || bytes.Contains(f.Data, []byte(`"id": "iamlint-diff/"`))
			t.Run(filepath.Base(filepath.Dir(want))+"/"+f.Name, func(t *testing.T) { validateSARIF(t, sch, f.Data) })
		}
	}
	if n == 0 || !diff {
		t.Errorf("%d SARIF logs in the scenarios, none of iamlint diff: the test checks nothing", n)
	}
}

// TestGoldenSARIFValid validates the committed golden file itself.
func TestGoldenSARIFValid(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "golden", "sarif.golden"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"version": "2.1.0"`) {
		t.Fatal("sarif.golden is not a SARIF 2.1.0 log")
	}
	validateSARIF(t, compileSARIFSchema(t), data)
}
