package reports

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// The gitlab-sast report has what GitLab's security report schema 15
// requires of a SAST report: the scan's analyzer and scanner, type, times
// and status, and for each vulnerability a unique id, a name, a severity
// of the schema's list, at least one identifier and a file location.
func TestGitLabSASTRequirements(t *testing.T) {
	r := loadReport(t)
	var buf bytes.Buffer
	if err := (GitLabSAST{}).Report(&buf, r); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Version string
		Scan    struct {
			Analyzer, Scanner struct {
				ID, Name, Version string
				Vendor            struct{ Name string }
			}
			Type, Status string
			StartTime    string `json:"start_time"`
			EndTimeField string `json:"end_time"`
			Messages     []struct{ Level, Value string }
		}
		Vulnerabilities []struct {
			ID, Name, Description, Severity string
			Identifiers                     []struct{ Type, Name, Value, URL string }
			Location                        struct {
				File      string
				StartLine int `json:"start_line"`
				EndLine   int `json:"end_line"`
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^15\.\d+\.\d+$`).MatchString(out.Version) {
		t.Errorf("version %q is not a schema 15 version", out.Version)
	}
	for _, tool := range []struct{ ID, Name, Version, Vendor string }{
		{out.Scan.Analyzer.ID, out.Scan.Analyzer.Name, out.Scan.Analyzer.Version, out.Scan.Analyzer.Vendor.Name},
		{out.Scan.Scanner.ID, out.Scan.Scanner.Name, out.Scan.Scanner.Version, out.Scan.Scanner.Vendor.Name},
	} {
		if tool.ID == "" || tool.Name == "" || tool.Version == "" || tool.Vendor == "" {
			t.Errorf("analyzer or scanner incomplete: %+v", tool)
		}
	}
	if out.Scan.Type != "sast" || out.Scan.Status != "success" {
		t.Errorf("scan type %q, status %q", out.Scan.Type, out.Scan.Status)
	}
	start, err1 := time.Parse(glTime, out.Scan.StartTime)
	end, err2 := time.Parse(glTime, out.Scan.EndTimeField)
	if err1 != nil || err2 != nil || end.Before(start) {
		t.Errorf("times %q to %q", out.Scan.StartTime, out.Scan.EndTimeField)
	}
	if out.Scan.StartTime != "2026-06-01T09:59:59" || out.Scan.EndTimeField != "2026-06-01T10:00:00" {
		t.Errorf("times %q to %q, want the run's start and start + total", out.Scan.StartTime, out.Scan.EndTimeField)
	}
	if len(out.Scan.Messages) != len(r.Diagnostics) {
		t.Errorf("%d messages for %d diagnostics", len(out.Scan.Messages), len(r.Diagnostics))
	}
	if len(out.Vulnerabilities) != len(r.Findings) || len(r.Suppressed) == 0 {
		t.Fatalf("%d vulnerabilities for %d findings (suppressed ones left out; the fixture has %d)", len(out.Vulnerabilities), len(r.Findings), len(r.Suppressed))
	}
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	severities := []string{"Info", "Unknown", "Low", "Medium", "High", "Critical"}
	ids := map[string]bool{}
	for i, v := range out.Vulnerabilities {
		if !uuid.MatchString(v.ID) || ids[v.ID] {
			t.Errorf("vulnerability %d: id %q not a fresh UUID", i, v.ID)
		}
		ids[v.ID] = true
		if v.Name == "" || len(v.Name) > 255 || v.Description == "" || !slices.Contains(severities, v.Severity) {
			t.Errorf("vulnerability %d: name %q, severity %q", i, v.Name, v.Severity)
		}
		if len(v.Identifiers) == 0 || v.Identifiers[0].Type == "" || v.Identifiers[0].Name == "" || v.Identifiers[0].Value != r.Findings[i].RuleID {
			t.Errorf("vulnerability %d: identifiers %+v", i, v.Identifiers)
		}
		f := r.Findings[i]
		inFile := f.Range.Filename != "" && !strings.HasPrefix(f.Range.Filename, "arn:")
		if inFile && (v.Location.File == "" || v.Location.StartLine != f.Range.Start.Line || v.Location.EndLine < v.Location.StartLine) {
			t.Errorf("vulnerability %d: location %+v for %v", i, v.Location, f.Range)
		}
	}
}

// The gitlab-codequality report is the Code Climate issue list GitLab
// reads: each issue with a description, a check name, a unique
// fingerprint, one of the five severities and a path with a first line.
// Findings in no file cannot be shown there and are left out.
func TestGitLabCodeQualityRequirements(t *testing.T) {
	r := loadReport(t)
	managed := r.Findings[0]
	managed.Range.Filename, managed.Fingerprint = "arn:aws:iam::aws:policy/AdministratorAccess", "managed"
	r.Findings = append(r.Findings, managed)
	var buf bytes.Buffer
	if err := (GitLabCodeQuality{}).Report(&buf, r); err != nil {
		t.Fatal(err)
	}
	var issues []struct {
		Type, Description, Severity, Fingerprint string
		CheckName                                string `json:"check_name"`
		Location                                 struct {
			Path  string
			Lines struct{ Begin, End int }
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &issues); err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, f := range r.Findings {
		if f.Range.Filename != "" && !strings.HasPrefix(f.Range.Filename, "arn:") {
			want++
		}
	}
	if len(issues) != want || want == len(r.Findings) {
		t.Fatalf("%d issues, want %d (of %d findings: the fixture must have one in no file)", len(issues), want, len(r.Findings))
	}
	fps := map[string]bool{}
	for i, is := range issues {
		if is.Type != "issue" || is.Description == "" || is.CheckName == "" || fps[is.Fingerprint] || len(is.Fingerprint) != 32 {
			t.Errorf("issue %d: %+v", i, is)
		}
		fps[is.Fingerprint] = true
		if !slices.Contains([]string{"info", "minor", "major", "critical", "blocker"}, is.Severity) {
			t.Errorf("issue %d: severity %q", i, is.Severity)
		}
		if is.Location.Path == "" || strings.HasPrefix(is.Location.Path, "./") || is.Location.Lines.Begin < 1 || is.Location.Lines.End < is.Location.Lines.Begin {
			t.Errorf("issue %d: location %+v", i, is.Location)
		}
	}
}
