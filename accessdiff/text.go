package accessdiff

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/fatih/color"
	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/iamlint/iamlint/iam/catalog"
)

// diffContext is how many unchanged summary lines show around a change.
const diffContext = 3

type palette struct {
	add, del, hunk, head, bold *color.Color
}

func newPalette(on bool) *palette {
	mk := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c
	}
	return &palette{
		add:  mk(color.FgGreen),
		del:  mk(color.FgRed),
		hunk: mk(color.FgCyan),
		head: mk(color.Bold),
		bold: mk(color.Bold),
	}
}

// WriteText writes the diff for people: a unified diff of the changed
// principals' permission summaries, then the trust relationships,
// can-assume edges, escalation paths and findings added (+) and removed
// (-), and a verdict on the violations (see Violations). color enables
// ANSI colours.
//
//	--- base
//	+++ head
//	@@ user dana (aws_iam_user.dana) @@
//	+ iam Write: PassRole
//	  s3 Read: GetObject
//	+ s3 Write: all 57 actions
//
//	escalation paths
//	+ user dana (aws_iam_user.dana): administrator (yes) in 1 move
//	      user dana —[lambda-create-function: ...]→ role ops (iam:PassRole, lambda:CreateFunction)
func (d *Diff) WriteText(w io.Writer, violations []Violation, colour bool) error {
	var b bytes.Buffer
	p := newPalette(colour)
	if d.Empty() {
		fmt.Fprintf(&b, "no access change from %s to %s\n", d.Base, d.Head)
		_, err := w.Write(b.Bytes())
		return err
	}
	if len(d.Principals) > 0 {
		b.WriteString(p.del.Sprint("--- "+d.Base) + "\n")
		b.WriteString(p.add.Sprint("+++ "+d.Head) + "\n")
		for _, c := range d.Principals {
			d.writeUnified(&b, p, c)
		}
	}
	section := func(title string, added, removed []string) {
		if len(added)+len(removed) == 0 {
			return
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s\n", p.head.Sprint(title))
		for _, s := range added {
			b.WriteString(p.add.Sprint(indentLines("+ ", s)) + "\n")
		}
		for _, s := range removed {
			b.WriteString(p.del.Sprint(indentLines("- ", s)) + "\n")
		}
	}
	section("trust relationships", mapList(d.Trust.Added, trustText), mapList(d.Trust.Removed, trustText))
	section("role assumption", mapList(d.Assume.Added, assumeText), mapList(d.Assume.Removed, assumeText))
	section("escalation paths", mapList(d.Escalations.Added, escalationText), mapList(d.Escalations.Removed, escalationText))
	section("findings", mapList(d.Findings.Added, findingText), mapList(d.Findings.Removed, findingText))

	fmt.Fprintf(&b, "\n%s\n", p.bold.Sprint(d.summaryLine()))
	switch {
	case len(violations) > 0:
		fmt.Fprintf(&b, "%s\n", p.del.Sprint(fmt.Sprintf("access grows beyond --allow-new: %d %s", len(violations), plural(len(violations), "change", "changes"))))
		for _, v := range violations {
			fmt.Fprintf(&b, "  %s\n", v.Detail)
		}
	case d.Grows():
		b.WriteString("access grows, as --allow-new permits\n")
	case !d.AccessChanged():
		fmt.Fprintf(&b, "no access change from %s to %s\n", d.Base, d.Head)
	default:
		b.WriteString("access does not grow\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

func mapList[T any](list []T, f func(T) string) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = f(x)
	}
	return out
}

// indentLines prefixes the first line of s with prefix and the others
// with as many spaces.
func indentLines(prefix, s string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+strings.Repeat(" ", len(prefix)))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Grows reports whether any access grows, allowed or not: whether
// Violations(nil) is not empty, without listing what grows.
func (d *Diff) Grows() bool {
	n := catalog.Default().NumActions()
	for _, c := range d.Principals {
		for i := range c.grows.All() {
			if i < n {
				return true
			}
		}
	}
	return slices.ContainsFunc(d.Trust.Added, func(t TrustChange) bool { return t.Grows && len(t.Actions) > 0 }) ||
		slices.ContainsFunc(d.Assume.Added, func(x AssumeChange) bool { return x.Grows }) ||
		slices.ContainsFunc(d.Escalations.Added, func(e EscalationChange) bool { return e.Grows })
}

// summaryLine counts the changes: "1 principal added, 2 changed (+143
// actions, -2); 1 trust relationship added; ...".
func (d *Diff) summaryLine() string {
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
	var parts []string
	if len(d.Principals) > 0 {
		var ps []string
		if added > 0 {
			ps = append(ps, fmt.Sprintf("%d added", added))
		}
		if removed > 0 {
			ps = append(ps, fmt.Sprintf("%d removed", removed))
		}
		if changed > 0 {
			ps = append(ps, fmt.Sprintf("%d changed", changed))
		}
		parts = append(parts, fmt.Sprintf("principals: %s (+%d -%d actions)", strings.Join(ps, ", "), gained, lost))
	}
	pair := func(name string, a, r int) {
		if a+r > 0 {
			parts = append(parts, fmt.Sprintf("%s: +%d -%d", name, a, r))
		}
	}
	pair("trust relationships", len(d.Trust.Added), len(d.Trust.Removed))
	pair("role assumption", len(d.Assume.Added), len(d.Assume.Removed))
	pair("escalation paths", len(d.Escalations.Added), len(d.Escalations.Removed))
	pair("findings", len(d.Findings.Added), len(d.Findings.Removed))
	return strings.Join(parts, "; ")
}

func count(gs []ActionGroup) int {
	n := 0
	for _, g := range gs {
		n += len(g.Actions)
	}
	return n
}

// writeUnified writes one principal's summary lines as a unified diff
// with diffContext lines of context; "…" marks lines left out.
func (d *Diff) writeUnified(b *bytes.Buffer, p *palette, c *PrincipalChange) {
	note := ""
	if c.Change != "changed" {
		note = " " + c.Change
	}
	fmt.Fprintf(b, "%s\n", p.hunk.Sprintf("@@ %s%s @@", c.Principal, note))
	type line struct {
		op   diffmatchpatch.Operation
		text string
	}
	var lines []line
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // a minimal diff, the same on every run
	cat := catalog.Default()
	before, after := joinLines(summary(cat, c.before)), joinLines(summary(cat, c.after))
	x, y, table := dmp.DiffLinesToChars(before, after)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(x, y, false), table)
	for _, df := range diffs {
		for _, t := range strings.SplitAfter(df.Text, "\n") {
			if t != "" {
				lines = append(lines, line{df.Type, strings.TrimSuffix(t, "\n")})
			}
		}
	}
	// Keep the lines within diffContext of a change.
	keep := make([]bool, len(lines))
	for i, l := range lines {
		if l.op == diffmatchpatch.DiffEqual {
			continue
		}
		for j := max(0, i-diffContext); j <= min(len(lines)-1, i+diffContext); j++ {
			keep[j] = true
		}
	}
	skipped := false
	for i, l := range lines {
		if !keep[i] {
			if !skipped {
				b.WriteString("   …\n")
				skipped = true
			}
			continue
		}
		skipped = false
		switch l.op {
		case diffmatchpatch.DiffInsert:
			b.WriteString(p.add.Sprint("+ "+l.text) + "\n")
		case diffmatchpatch.DiffDelete:
			b.WriteString(p.del.Sprint("- "+l.text) + "\n")
		default:
			b.WriteString("  " + l.text + "\n")
		}
	}
}

func joinLines(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

func trustText(t TrustChange) string { return fmt.Sprintf("%s trusts %s", t.Role, trustee(t)) }

func assumeText(x AssumeChange) string {
	return fmt.Sprintf("%s may assume %s (%s)", x.From, x.Role, assumeNotes(x))
}

func escalationText(e EscalationChange) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", e.Principal, escalationHeadline(e))
	for _, m := range e.Moves {
		fmt.Fprintf(&b, "\n    %s —[%s: %s]→ %s (%s)", m.From, m.Technique, m.Name, m.To, strings.Join(m.Actions, ", "))
		if m.Via != "" {
			fmt.Fprintf(&b, " via %s", m.Via)
		}
	}
	return b.String()
}

func findingText(f Finding) string {
	return fmt.Sprintf("%s  %s  %s  %s", f.Location, f.Severity, f.RuleID, f.Message)
}
