package reports

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/iamlint/iamlint/rules"
)

// GitLab CI reads two report kinds that fit findings on code (a job
// publishes them with artifacts:reports:sast and
// artifacts:reports:codequality):
//
//   - gitlab-sast, a security report of type "sast" (schema 15): the
//     findings appear in the merge request's security widget and the
//     vulnerability report, as GitLab's own IaC scanning shows them;
//   - gitlab-codequality, the Code Climate issue list GitLab's Code
//     Quality widget reads, available on every GitLab tier.
//
// Both list the findings that count (not suppressed ones), located by
// file and line relative to the folder iamlint ran in, which in GitLab CI
// is the project's root. Findings in no file (an AWS managed policy named
// by its ARN) are left out of Code Quality, which requires a path.

// GitLabSASTVersion is the version of GitLab's security report schema the
// gitlab-sast format follows.
const GitLabSASTVersion = "15.0.6"

// GitLabSAST writes a GitLab security report of type sast.
type GitLabSAST struct{}

type glReport struct {
	Version         string            `json:"version"`
	Scan            glScan            `json:"scan"`
	Vulnerabilities []glVulnerability `json:"vulnerabilities"`
}

type glScan struct {
	Analyzer  glTool      `json:"analyzer"`
	Scanner   glTool      `json:"scanner"`
	Type      string      `json:"type"`
	StartTime string      `json:"start_time"`
	EndTime   string      `json:"end_time"`
	Status    string      `json:"status"`
	Messages  []glMessage `json:"messages,omitempty"`
}

type glTool struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	URL     string   `json:"url,omitempty"`
	Version string   `json:"version"`
	Vendor  glVendor `json:"vendor"`
}

type glVendor struct {
	Name string `json:"name"`
}

type glMessage struct {
	Level string `json:"level"`
	Value string `json:"value"`
}

type glVulnerability struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Severity    string         `json:"severity"`
	Identifiers []glIdentifier `json:"identifiers"`
	Location    glLocation     `json:"location"`
}

type glIdentifier struct {
	Type  string `json:"type"`
	Name  string `json:"name"`
	Value string `json:"value"`
	URL   string `json:"url,omitempty"`
}

type glLocation struct {
	File      string `json:"file,omitempty"`
	StartLine int    `json:"start_line,omitempty"`
	EndLine   int    `json:"end_line,omitempty"`
}

// glTime is the schema's time format: UTC, to the second, no zone.
const glTime = "2006-01-02T15:04:05"

// Report implements Reporter.
func (GitLabSAST) Report(w io.Writer, r *Report) error {
	tool := glTool{ID: "iamlint", Name: r.Tool.Name, URL: InformationURI, Version: r.Tool.Version, Vendor: glVendor{Name: "iamlint"}}
	out := glReport{
		Version: GitLabSASTVersion,
		Scan: glScan{
			Analyzer:  tool,
			Scanner:   tool,
			Type:      "sast",
			StartTime: r.Start.UTC().Format(glTime),
			EndTime:   r.Start.Add(r.Timing.Total).UTC().Format(glTime),
			Status:    "success",
		},
		Vulnerabilities: []glVulnerability{},
	}
	for _, d := range r.sortedDiagnostics() {
		level := "warn"
		if d.Severity == DiagError {
			level = "fatal"
		}
		msg := d.Message
		if d.Range != nil {
			msg = d.Range.String() + ": " + msg
		}
		out.Scan.Messages = append(out.Scan.Messages, glMessage{Level: level, Value: msg})
	}
	for _, f := range r.Findings {
		m := r.meta(f.RuleID)
		v := glVulnerability{
			ID:          glUUID(f.Fingerprint),
			Name:        f.RuleID,
			Description: f.Message,
			Severity:    glSeverity(f.Severity),
			Identifiers: []glIdentifier{{Type: "iamlint_rule", Name: f.RuleID, Value: f.RuleID}},
		}
		if m != nil {
			if m.Title != "" {
				v.Name = m.Title
			}
			v.Identifiers[0].Name = strings.TrimSpace(m.ID + " " + m.Slug)
			v.Identifiers[0].URL = helpURI(m)
		}
		if f.Path != "" {
			v.Description += "\n\nPath: " + f.Path
		}
		if name := f.Range.Filename; name != "" && !strings.HasPrefix(name, "arn:") {
			v.Location = glLocation{File: glPath(name), StartLine: f.Range.Start.Line, EndLine: max(f.Range.End.Line, f.Range.Start.Line)}
		}
		out.Vulnerabilities = append(out.Vulnerabilities, v)
	}
	return writeJSON(w, out)
}

// GitLabCodeQuality writes GitLab's Code Quality report.
type GitLabCodeQuality struct{}

type cqIssue struct {
	Type        string     `json:"type"`
	CheckName   string     `json:"check_name"`
	Description string     `json:"description"`
	Categories  []string   `json:"categories"`
	Severity    string     `json:"severity"`
	Fingerprint string     `json:"fingerprint"`
	Location    cqLocation `json:"location"`
}

type cqLocation struct {
	Path  string  `json:"path"`
	Lines cqLines `json:"lines"`
}

type cqLines struct {
	Begin int `json:"begin"`
	End   int `json:"end,omitempty"`
}

// Report implements Reporter.
func (GitLabCodeQuality) Report(w io.Writer, r *Report) error {
	issues := []cqIssue{}
	for _, f := range r.Findings {
		name := f.Range.Filename
		if name == "" || strings.HasPrefix(name, "arn:") {
			continue
		}
		check := f.RuleID
		if slug := r.slug(f.RuleID); slug != "" {
			check += " " + slug
		}
		issues = append(issues, cqIssue{
			Type:        "issue",
			CheckName:   check,
			Description: f.RuleID + ": " + f.Message,
			Categories:  []string{"Security"},
			Severity:    cqSeverity(f.Severity),
			Fingerprint: glFingerprint(f.Fingerprint),
			Location:    cqLocation{Path: glPath(name), Lines: cqLines{Begin: max(f.Range.Start.Line, 1), End: max(f.Range.End.Line, f.Range.Start.Line, 1)}},
		})
	}
	return writeJSON(w, issues)
}

// glPath is a finding's file as GitLab links it: relative, with forward
// slashes and no leading "./".
func glPath(name string) string {
	return strings.TrimPrefix(filepath.ToSlash(name), "./")
}

// glFingerprint makes a finding's fingerprint into the hexadecimal digest
// GitLab expects (it compares fingerprints between pipelines).
func glFingerprint(fp string) string {
	sum := sha256.Sum256([]byte(fp))
	return hex.EncodeToString(sum[:16])
}

// glUUID is a stable identifier in UUID form (version 8: derived by the
// tool) from a finding's fingerprint.
func glUUID(fp string) string {
	sum := sha256.Sum256([]byte(fp))
	sum[6] = sum[6]&0x0f | 0x80
	sum[8] = sum[8]&0x3f | 0x80
	h := hex.EncodeToString(sum[:16])
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}

func glSeverity(s rules.Severity) string {
	if s < rules.Info || s > rules.Critical {
		return "Unknown"
	}
	return bySeverity(s, "Critical", "High", "Medium", "Low", "Info")
}

// cqSeverity maps severities onto Code Quality's five: critical findings
// block, info findings inform.
func cqSeverity(s rules.Severity) string {
	return bySeverity(s, "blocker", "critical", "major", "minor", "info")
}
