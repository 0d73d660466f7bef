// Package reports renders the result of a run: the findings, the problems
// of the run itself, and a summary. Every format implements Reporter and
// prints the same Report.
//
//   - text: for people; findings grouped by file, each with the source line
//     and a caret under the element, and a summary line.
//   - json: for programs; a versioned schema documented on JSON.
//   - sarif: SARIF 2.1.0 for GitHub code scanning and other viewers.
//   - github: GitHub Actions workflow commands (annotations).
//   - markdown: a pull-request comment, with escalation paths drawn as
//     Mermaid diagrams.
//   - gitlab-sast, gitlab-codequality: GitLab CI's security (SAST) and
//     Code Quality reports.
package reports

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/rules"
)

// Reporter writes a report in one format.
type Reporter interface {
	Report(w io.Writer, r *Report) error
}

// Report is what a run produced.
type Report struct {
	Tool Tool
	// Findings, sorted by file, line, column and rule ID.
	Findings []rules.Finding
	// Suppressed are the findings an iamlint:ignore comment or a
	// configuration ignore block silenced (Finding.Suppressed says
	// which); they do not count towards the exit status.
	Suppressed []rules.Finding
	// Diagnostics are problems of the run itself, not of the policies: a
	// path that cannot be read, a rule that failed.
	Diagnostics []Diagnostic
	// Files is the number of input files analysed.
	Files int
	// Source returns the content of a file named by a finding's range, for
	// quoting source lines, or nil when there is none to quote (a nil
	// Source quotes nothing). See FileSource.
	Source func(filename string) []byte
	// Rules describes the rules that ran (for slugs and titles).
	Rules []*rules.Rule
	// Timing is how long the phases of the run took (the JSON format
	// reports it).
	Timing Timing
	// Start is when the run started (the gitlab-sast format reports it,
	// with Start + Timing.Total as its end).
	Start time.Time
}

// Tool names the program and the IAM data embedded in it.
type Tool struct {
	Name    string
	Version string
	// ServiceReference and ManagedPolicies say which embedded data the
	// run used: the AWS service authorization reference (iam/catalog)
	// and the AWS managed policies (iam/managed).
	ServiceReference, ManagedPolicies DataVersion
}

// DataVersion names the version of a data set embedded in the tool.
type DataVersion struct {
	Package string // the npm package the data is built from
	Version string // its exact version
	// Date is YYYY-MM-DD: the day the service reference was published,
	// or the newest policy update among the managed policies.
	Date string
}

// Timing is how long the phases of a run took.
type Timing struct {
	// Load is reading the inputs and building the model.
	Load time.Duration
	// Analysis is computing the facts of the model: the access graph,
	// effective permissions, role assumption and escalation paths.
	Analysis time.Duration
	// Rules is running the rules and applying suppressions.
	Rules time.Duration
	// Total is the whole run up to the report, reading the
	// configuration, compiling custom rules and reading the baseline
	// included.
	Total time.Duration
}

// Diagnostic is a problem of the run.
type Diagnostic struct {
	Severity DiagSeverity
	Message  string
	Range    *hcl.Range // nil when the problem has no position
}

// DiagSeverity is the severity of a Diagnostic.
type DiagSeverity string

// Diagnostic severities.
const (
	DiagError   DiagSeverity = "error"
	DiagWarning DiagSeverity = "warning"
)

// Options configure reporters; each format reads the fields that concern
// it.
type Options struct {
	// Color enables ANSI colours in the text format.
	Color bool
	// Quiet makes the text format print only its summary line.
	Quiet bool
	// FailOn is the severity at which the markdown verdict fails (zero:
	// low).
	FailOn rules.Severity
	// Repo makes the markdown format link locations to a commit.
	Repo GitHubRepo
}

// Formats lists the format names New accepts.
func Formats() []string {
	return []string{"text", "json", "sarif", "github", "markdown", "gitlab-sast", "gitlab-codequality"}
}

// New returns the reporter for a format name.
func New(format string, opts Options) (Reporter, error) {
	switch format {
	case "text":
		return &Text{Color: opts.Color, Quiet: opts.Quiet}, nil
	case "json":
		return JSON{}, nil
	case "sarif":
		return SARIF{}, nil
	case "github":
		return GitHub{}, nil
	case "markdown":
		return &Markdown{FailOn: opts.FailOn, Repo: opts.Repo}, nil
	case "gitlab-sast":
		return GitLabSAST{}, nil
	case "gitlab-codequality":
		return GitLabCodeQuality{}, nil
	}
	return nil, fmt.Errorf("unknown format %q (want %s)", format, orList(Formats()))
}

// orList renders "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// source returns the content of a file, or nil.
func (r *Report) source(filename string) []byte {
	if r.Source == nil {
		return nil
	}
	return r.Source(filename)
}

// FileSource returns a Report.Source that reads files from disk when a
// reporter first asks for them and keeps them for later findings. Names
// that are not regular files (the ARN an AWS managed policy's positions
// refer to) and files over maxSize bytes yield nil. Reading later than
// the loader did, it may quote a file edited in between; the positions
// stay those of the run.
func FileSource(maxSize int64) func(filename string) []byte {
	var mu sync.Mutex
	cache := map[string][]byte{}
	return func(name string) []byte {
		mu.Lock()
		defer mu.Unlock()
		if src, ok := cache[name]; ok {
			return src
		}
		var src []byte
		if st, err := os.Stat(name); err == nil && st.Mode().IsRegular() && st.Size() <= maxSize {
			src, _ = os.ReadFile(name)
		}
		cache[name] = src
		return src
	}
}

// counts returns the number of findings per severity.
func (r *Report) counts() map[rules.Severity]int {
	c := map[rules.Severity]int{}
	for _, f := range r.Findings {
		c[f.Severity]++
	}
	return c
}

// filesWithFindings counts the distinct files of the findings.
func (r *Report) filesWithFindings() int {
	seen := map[string]bool{}
	for _, f := range r.Findings {
		seen[f.Range.Filename] = true
	}
	return len(seen)
}

// slug returns the slug of a rule ID, or "".
func (r *Report) slug(id string) string {
	if m := r.meta(id); m != nil {
		return m.Slug
	}
	return ""
}

// meta returns the metadata of a rule ID, or nil.
func (r *Report) meta(id string) *rules.Meta {
	for _, rule := range r.Rules {
		if rule.ID == id {
			return &rule.Meta
		}
	}
	return nil
}

// sortedDiagnostics orders diagnostics by position (those without one
// first), then message.
func (r *Report) sortedDiagnostics() []Diagnostic {
	ds := append([]Diagnostic(nil), r.Diagnostics...)
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Range, ds[j].Range
		switch {
		case a == nil && b != nil:
			return true
		case a != nil && b == nil:
			return false
		case a != nil && b != nil && a.Filename != b.Filename:
			return a.Filename < b.Filename
		case a != nil && b != nil && a.Start.Byte != b.Start.Byte:
			return a.Start.Byte < b.Start.Byte
		}
		return ds[i].Message < ds[j].Message
	})
	return ds
}
