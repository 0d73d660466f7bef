package reports

import (
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/rules"
)

// Markdown writes a pull-request comment:
//
//   - a hidden marker (<!-- iamlint -->) by which a workflow finds its
//     previous comment to update it;
//   - a heading with the verdict (❌ something at or above FailOn or a
//     problem of the run, ⚠️ findings below it only, ✅ none) and the
//     summary line of the text format;
//   - a table of the findings per severity;
//   - the most severe findings (at most MaxTop), each with its rule, a
//     file:line link to the commit when Repo names one, its message and
//     logical path;
//   - each escalation path (IAM150, IAM151, IAM152) as a Mermaid flowchart
//     from the principal through each technique to the target, which
//     GitHub draws;
//   - the problems of the run;
//   - the other findings in a collapsed <details> list.
//
// The comment stays under GitHub's limit of 65,536 characters: when the
// list would pass MaxLen it is cut, with a note saying how many findings
// were left out. Suppressed findings are only counted.
type Markdown struct {
	// FailOn is the severity the verdict fails at (check's --fail-on);
	// zero means low.
	FailOn rules.Severity
	// Repo, when complete, turns locations into links.
	Repo GitHubRepo
	// MaxTop is the number of findings shown in full (default 10), MaxLen
	// the size limit in bytes (default 65,536).
	MaxTop, MaxLen int
}

// GitHubRepo names the commit whose files a Markdown report links to:
// SERVER/REPOSITORY/blob/COMMIT/FILE#L1-L2. In GitHub Actions these are
// GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_SHA. File names must be
// relative to the repository root (run iamlint there); others are not
// linked.
type GitHubRepo struct {
	ServerURL  string // https://github.com
	Repository string // owner/name
	Commit     string
}

const (
	// GitHubCommentLimit is the largest comment GitHub accepts, in
	// characters; Markdown counts bytes, which are never fewer.
	GitHubCommentLimit = 65536
	mdMarker           = "<!-- iamlint -->"
	maxDiagrams        = 5  // escalation paths drawn
	maxMDDiagnostics   = 20 // problems of the run listed
)

var sevIcon = map[rules.Severity]string{
	rules.Critical: "🔴", rules.High: "🟠", rules.Medium: "🟡", rules.Low: "🔵", rules.Info: "⚪",
}

// Report implements Reporter.
func (m *Markdown) Report(w io.Writer, r *Report) error {
	maxTop, maxLen := m.MaxTop, m.MaxLen
	if maxTop <= 0 {
		maxTop = 10
	}
	if maxLen <= 0 {
		maxLen = GitHubCommentLimit
	}
	var b strings.Builder
	b.WriteString(mdMarker + "\n")
	fmt.Fprintf(&b, "## %s iamlint: %s\n\n", m.verdict(r), mdEscape(summary(r)))

	counts := r.counts()
	b.WriteString("| Severity | Findings |\n| :-- | --: |\n")
	for i := len(rules.Severities()) - 1; i >= 0; i-- {
		s := rules.Severities()[i]
		fmt.Fprintf(&b, "| %s %s | %d |\n", sevIcon[s], s, counts[s])
	}
	if n := len(r.Suppressed); n > 0 {
		fmt.Fprintf(&b, "| suppressed | %d |\n", n)
	}

	bySev := append([]rules.Finding(nil), r.Findings...)
	sort.SliceStable(bySev, func(i, j int) bool { return bySev[i].Severity > bySev[j].Severity })
	top := bySev[:min(maxTop, len(bySev))]
	if len(top) > 0 {
		title := "Findings"
		if len(top) < len(bySev) {
			title = fmt.Sprintf("Top %d findings", len(top))
		}
		fmt.Fprintf(&b, "\n### %s\n\n| Severity | Rule | Location | Finding |\n| :-- | :-- | :-- | :-- |\n", title)
		for _, f := range top {
			msg := mdEscape(f.Message)
			if f.Path != "" && f.Path != f.Range.Filename {
				msg += "<br><sub>" + mdEscape(f.Path) + "</sub>"
			}
			fmt.Fprintf(&b, "| %s %s | %s | %s | %s |\n", sevIcon[f.Severity], f.Severity, m.ruleName(r, f.RuleID), m.link(f.Range), msg)
		}
	}

	m.escalations(&b, r, bySev)

	if len(r.Diagnostics) > 0 {
		b.WriteString("\n### Problems of the run\n\n")
		ds := r.sortedDiagnostics()
		for i, d := range ds {
			if i == maxMDDiagnostics {
				fmt.Fprintf(&b, "- and %d more\n", len(ds)-i)
				break
			}
			loc := ""
			if d.Range != nil && d.Range.Filename != "" {
				loc = " " + m.link(*d.Range)
			}
			fmt.Fprintf(&b, "- **%s**%s: %s\n", d.Severity, loc, mdEscape(d.Message))
		}
	}

	footer := fmt.Sprintf("\n<sub>%s %s</sub>\n", mdEscape(r.Tool.Name), mdEscape(r.Tool.Version))
	if len(top) < len(r.Findings) {
		// The rest, in file order.
		rest := restOf(r.Findings, top)
		open := fmt.Sprintf("\n<details>\n<summary>%d more %s</summary>\n\n", len(rest), pluralWord(len(rest), "finding", "findings"))
		const closing = "\n</details>\n"
		b.WriteString(open)
		for i, f := range rest {
			line := fmt.Sprintf("- %s %s %s %s: %s\n", sevIcon[f.Severity], f.Severity, m.ruleName(r, f.RuleID), m.link(f.Range), mdEscape(f.Message))
			note := fmt.Sprintf("- … and %d more, left out to keep this comment under GitHub's size limit: see the SARIF or JSON report\n", len(rest)-i)
			// Room for this line, and for the note should the next one
			// not fit.
			if b.Len()+len(line)+len(note)+len(closing)+len(footer) > maxLen {
				b.WriteString(note)
				break
			}
			b.WriteString(line)
		}
		b.WriteString(closing)
	}
	b.WriteString(footer)

	out := b.String()
	if len(out) > maxLen {
		// The fixed sections alone are too long (very long messages):
		// cut at a line.
		const note = "\n\n… cut to keep this comment under GitHub's size limit: see the SARIF or JSON report\n"
		cut := max(maxLen-len(note), 0)
		if i := strings.LastIndexByte(out[:cut], '\n'); i >= 0 {
			cut = i
		}
		out = out[:cut] + note
	}
	_, err := io.WriteString(w, out)
	return err
}

// restOf returns the findings of all that are not in top (a subset of
// them), in the order of all.
func restOf(all, top []rules.Finding) []rules.Finding {
	type key struct {
		id, fp, msg string
		rng         hcl.Range
	}
	k := func(f *rules.Finding) key { return key{f.RuleID, f.Fingerprint, f.Message, f.Range} }
	in := map[key]int{}
	for i := range top {
		in[k(&top[i])]++
	}
	var out []rules.Finding
	for i := range all {
		if in[k(&all[i])] > 0 {
			in[k(&all[i])]--
			continue
		}
		out = append(out, all[i])
	}
	return out
}

// verdict is the heading's icon.
func (m *Markdown) verdict(r *Report) string {
	failOn := m.FailOn
	if failOn == 0 {
		failOn = rules.Low
	}
	for _, d := range r.Diagnostics {
		if d.Severity == DiagError {
			return "❌"
		}
	}
	for _, f := range r.Findings {
		if f.Severity >= failOn {
			return "❌"
		}
	}
	if len(r.Findings) > 0 {
		return "⚠️"
	}
	return "✅"
}

// ruleName renders "`IAM101` full-admin".
func (m *Markdown) ruleName(r *Report, id string) string {
	s := "`" + id + "`"
	if slug := r.slug(id); slug != "" {
		s += " " + mdEscape(slug)
	}
	return s
}

// link renders a location as `file:line:col`, linked to the commit when
// Repo names one and the file is relative to the repository.
func (m *Markdown) link(rng hcl.Range) string {
	file := filepath.ToSlash(rng.Filename)
	label := posString(hcl.Range{Filename: file, Start: rng.Start}, true)
	if rng.Start.Line == 0 {
		label = file
	}
	text := "`" + strings.ReplaceAll(label, "`", "'") + "`"
	g := m.Repo
	file = strings.TrimPrefix(file, "./")
	if g.ServerURL == "" || g.Repository == "" || g.Commit == "" || file == "" ||
		strings.HasPrefix(file, "/") || filepath.IsAbs(rng.Filename) || file == ".." || strings.HasPrefix(file, "../") || strings.HasPrefix(file, "arn:") {
		return text
	}
	segs := strings.Split(file, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	u := strings.TrimSuffix(g.ServerURL, "/") + "/" + g.Repository + "/blob/" + url.PathEscape(g.Commit) + "/" + strings.Join(segs, "/")
	if l := rng.Start.Line; l > 0 {
		u += fmt.Sprintf("#L%d", l)
		if e := rng.End.Line; e > l {
			u += fmt.Sprintf("-L%d", e)
		}
	}
	return "[" + text + "](" + u + ")"
}

// escalationRules are the rules whose findings' paths are escalation
// chains: "principal → technique → principal → ...".
var escalationRules = map[string]bool{"IAM150": true, "IAM151": true, "IAM152": true}

// escalations draws the escalation paths of the findings (most severe
// first), one Mermaid flowchart each.
func (m *Markdown) escalations(b *strings.Builder, r *Report, fs []rules.Finding) {
	var drawn []string
	n := 0
	for _, f := range fs {
		if !escalationRules[f.RuleID] {
			continue
		}
		hops := strings.Split(f.Path, " → ")
		if len(hops) < 3 || len(hops)%2 == 0 {
			continue
		}
		if contains(drawn, f.Path) {
			continue
		}
		n++
		if len(drawn) == maxDiagrams {
			continue
		}
		drawn = append(drawn, f.Path)
		if len(drawn) == 1 {
			b.WriteString("\n### Escalation paths\n")
		}
		fmt.Fprintf(b, "\n%s %s at %s: %s\n\n", sevIcon[f.Severity], m.ruleName(r, f.RuleID), m.link(f.Range), mdEscape(f.Message))
		b.WriteString("```mermaid\nflowchart LR\n")
		last := 0
		for i := 0; i < len(hops); i += 2 {
			label := hops[i]
			if i == len(hops)-1 && f.RuleID != "IAM152" {
				label += "\nadministrator"
			}
			last = i/2 + 1
			fmt.Fprintf(b, "  n%d[\"%s\"]\n", last, mermaidText(label))
		}
		for i := 1; i < len(hops); i += 2 {
			fmt.Fprintf(b, "  n%d ==>|\"%s\"| n%d\n", i/2+1, mermaidText(hops[i]), i/2+2)
		}
		b.WriteString("  classDef principal fill:#e8f0fe,stroke:#1a73e8\n")
		b.WriteString("  classDef target fill:#fce8e6,stroke:#d93025,stroke-width:3px\n")
		fmt.Fprintf(b, "  class n1 principal\n  class n%d target\n", last)
		b.WriteString("```\n")
	}
	if n > len(drawn) {
		fmt.Fprintf(b, "\nand %d more escalation %s; `iamlint paths PRINCIPAL` prints each.\n", n-len(drawn), pluralWord(n-len(drawn), "path", "paths"))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// mdEscape escapes text for Markdown (a table cell or a list item): the
// punctuation that starts emphasis, code, links or HTML, and the table
// separator, get a backslash; line breaks become spaces.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '~':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n', '\r':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
