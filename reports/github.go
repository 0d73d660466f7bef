package reports

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/rules"
)

// GitHub writes GitHub Actions workflow commands, which the runner turns
// into annotations on the pull request's files:
//
//	::error file=main.tf,line=7,col=18,endLine=7,endColumn=32,title=IAM101 full-admin::role "app" has full administrator access…
//
// Critical and high findings are errors, medium warnings, low and info
// notices; the finding's logical path follows its message on a second
// line. Findings come most severe first (then by file and position),
// because GitHub shows only the first annotations of each kind per step.
// Problems of the run are annotations too (title "iamlint"), with their
// position when they have one. Suppressed findings are left out. The last
// line, not a command, is the summary.
//
// Values are escaped as the runner expects: %, CR and LF everywhere, and
// also : and , in the properties.
type GitHub struct{}

// Report implements Reporter.
func (GitHub) Report(w io.Writer, r *Report) error {
	var b bytes.Buffer
	fs := append([]rules.Finding(nil), r.Findings...)
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Severity > fs[j].Severity })
	for _, f := range fs {
		title := f.RuleID
		if slug := r.slug(f.RuleID); slug != "" {
			title += " " + slug
		}
		msg := f.Message
		if f.Path != "" {
			msg += "\n" + f.Path
		}
		ghCommand(&b, ghLevel(f.Severity), &f.Range, title, msg)
	}
	for _, d := range r.sortedDiagnostics() {
		level := "warning"
		if d.Severity == DiagError {
			level = "error"
		}
		ghCommand(&b, level, d.Range, "iamlint", d.Message)
	}
	b.WriteString(summary(r))
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}

// ghLevel maps a severity to a workflow command.
func ghLevel(s rules.Severity) string {
	switch {
	case s >= rules.High:
		return "error"
	case s == rules.Medium:
		return "warning"
	}
	return "notice"
}

// ghCommand writes one command. A range in no file (or in an AWS managed
// policy, named by its ARN) gives no file property.
func ghCommand(b *bytes.Buffer, level string, rng *hcl.Range, title, msg string) {
	var props []string
	if rng != nil && rng.Filename != "" && !strings.HasPrefix(rng.Filename, "arn:") {
		props = append(props, "file="+ghProperty(filepath.ToSlash(rng.Filename)))
		if s := rng.Start; s.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", s.Line))
			if s.Column > 0 {
				props = append(props, fmt.Sprintf("col=%d", s.Column))
			}
			if e := rng.End; e.Line >= s.Line && e.Line > 0 {
				props = append(props, fmt.Sprintf("endLine=%d", e.Line))
				if e.Column > 0 && (e.Line > s.Line || e.Column >= s.Column) {
					props = append(props, fmt.Sprintf("endColumn=%d", e.Column))
				}
			}
		}
	}
	props = append(props, "title="+ghProperty(title))
	fmt.Fprintf(b, "::%s %s::%s\n", level, strings.Join(props, ","), ghData(msg))
}

// ghData escapes a command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
