package accessdiff

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// markdownDiffLines is how many lines of the permission diff a comment
// shows before folding the rest away.
const markdownDiffLines = 400

// WriteMarkdown writes the diff as a pull-request comment: a verdict, a
// table of counts, the violations, the new escalation paths and trust
// relationships, the permission diff in a ```diff block (GitHub colours
// it), and the findings added and removed.
func (d *Diff) WriteMarkdown(w io.Writer, violations []Violation) error {
	var b bytes.Buffer
	b.WriteString("## iamlint: access changes\n\n")
	fmt.Fprintf(&b, "Comparing `%s` with `%s`.\n\n", code(d.Base), code(d.Head))
	switch {
	case d.Empty():
		b.WriteString("✅ **No access change.**\n")
		_, err := w.Write(b.Bytes())
		return err
	case len(violations) > 0:
		fmt.Fprintf(&b, "❌ **Access grows**: %d %s no `--allow-new` entry permits.\n\n", len(violations), plural(len(violations), "change", "changes"))
	case d.Grows():
		b.WriteString("⚠️ **Access grows**, as `--allow-new` permits.\n\n")
	case !d.AccessChanged():
		b.WriteString("✅ **No access change.**\n\n")
	default:
		b.WriteString("✅ **Access does not grow.**\n\n")
	}

	var added, removed, changed, gained, lost int
	for _, c := range d.Principals {
		switch c.Change {
		case "added":
			added++
		case "removed":
			removed++
		default:
			changed++
		}
		gained += count(c.Gained)
		lost += count(c.Lost)
	}
	b.WriteString("| | added | removed |\n| --- | ---: | ---: |\n")
	row := func(name string, a, r int) {
		if a+r > 0 {
			fmt.Fprintf(&b, "| %s | %d | %d |\n", name, a, r)
		}
	}
	row("principals", added, removed)
	if gained+lost > 0 {
		fmt.Fprintf(&b, "| actions (%d %s changed) | %d | %d |\n", changed+added+removed, plural(changed+added+removed, "principal", "principals"), gained, lost)
	}
	row("trust relationships", len(d.Trust.Added), len(d.Trust.Removed))
	row("role assumption", len(d.Assume.Added), len(d.Assume.Removed))
	row("escalation paths", len(d.Escalations.Added), len(d.Escalations.Removed))
	row("findings", len(d.Findings.Added), len(d.Findings.Removed))
	b.WriteString("\n")

	if len(violations) > 0 {
		b.WriteString("### Not allowed\n\n")
		for _, v := range violations {
			fmt.Fprintf(&b, "- %s\n", escape(v.Detail))
		}
		b.WriteString("\n")
	}
	if len(d.Escalations.Added)+len(d.Escalations.Removed) > 0 {
		b.WriteString("### Escalation paths\n\n")
		for _, e := range d.Escalations.Added {
			writeEscalationMD(&b, "➕", e)
		}
		for _, e := range d.Escalations.Removed {
			writeEscalationMD(&b, "➖", e)
		}
		b.WriteString("\n")
	}
	list := func(title string, added, removed []string) {
		if len(added)+len(removed) == 0 {
			return
		}
		fmt.Fprintf(&b, "### %s\n\n", title)
		for _, s := range added {
			fmt.Fprintf(&b, "- ➕ %s\n", escape(s))
		}
		for _, s := range removed {
			fmt.Fprintf(&b, "- ➖ %s\n", escape(s))
		}
		b.WriteString("\n")
	}
	list("Trust relationships", mapList(d.Trust.Added, trustText), mapList(d.Trust.Removed, trustText))
	list("Role assumption", mapList(d.Assume.Added, assumeText), mapList(d.Assume.Removed, assumeText))

	if len(d.Principals) > 0 {
		var diff bytes.Buffer
		p := newPalette(false)
		for _, c := range d.Principals {
			d.writeUnified(&diff, p, c)
		}
		lines := strings.SplitAfter(strings.TrimSuffix(diff.String(), "\n"), "\n")
		b.WriteString("### Permissions\n\n")
		if len(lines) > 40 {
			b.WriteString("<details><summary>Permission changes by principal</summary>\n\n")
		}
		fence := "```"
		for strings.Contains(diff.String(), fence) {
			fence += "`"
		}
		b.WriteString(fence + "diff\n")
		for i, l := range lines {
			if i == markdownDiffLines {
				fmt.Fprintf(&b, "… %d more lines: run iamlint diff for all of them\n", len(lines)-i)
				break
			}
			b.WriteString(l)
		}
		b.WriteString("\n" + fence + "\n")
		if len(lines) > 40 {
			b.WriteString("\n</details>\n")
		}
		b.WriteString("\n")
	}
	if len(d.Findings.Added)+len(d.Findings.Removed) > 0 {
		b.WriteString("### Findings\n\n| | severity | rule | location | message |\n| --- | --- | --- | --- | --- |\n")
		for _, f := range d.Findings.Added {
			writeFindingMD(&b, "➕", f)
		}
		for _, f := range d.Findings.Removed {
			writeFindingMD(&b, "➖", f)
		}
		b.WriteString("\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

func writeEscalationMD(b *bytes.Buffer, mark string, e EscalationChange) {
	fmt.Fprintf(b, "- %s **%s**: %s\n", mark, escape(e.Principal.String()), escape(escalationHeadline(e)))
	for _, m := range e.Moves {
		acts := make([]string, len(m.Actions))
		for i, a := range m.Actions {
			acts[i] = "`" + code(a) + "`"
		}
		fmt.Fprintf(b, "  - `%s` → `%s`: %s (%s)\n", code(m.From), code(m.To), escape(m.Name), strings.Join(acts, ", "))
	}
}

func writeFindingMD(b *bytes.Buffer, mark string, f Finding) {
	fmt.Fprintf(b, "| %s | %s | %s | `%s` | %s |\n", mark, f.Severity, f.RuleID, code(f.Location.String()), cell(f.Message))
}

// escape makes text safe in Markdown prose: it neutralises the
// characters that would start emphasis, links, HTML or code.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>|#", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cell is escape for a table cell, on one line.
func cell(s string) string { return strings.ReplaceAll(escape(s), "\n", " ") }

// code makes text safe inside a `code span`: backticks cannot be escaped
// there, so they become quotes.
func code(s string) string { return strings.ReplaceAll(s, "`", "'") }
