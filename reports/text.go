package reports

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/fatih/color"
	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/rules"
)

// Text writes findings for people, grouped by file:
//
//	examples/grammar.json
//	  6:18  medium    IAM301  unknown service prefix "s4" in action "s4:GetObject" (did you mean s3?)
//	      6 |       "Action": ["s4:GetObject"],
//	        |                  ^^^^^^^^^^^^^^
//
//	1 finding (1 medium) in 1 of 3 files
//
// Related locations follow a finding as "= see LINE:COL: message" lines.
// Problems of the run come last, as "error: ..." lines, then the summary.
type Text struct {
	// Color enables ANSI colours (the caller decides: a terminal, and
	// NO_COLOR unset).
	Color bool
	// Quiet prints the summary line only.
	Quiet bool
}

const (
	maxLineRunes = 120 // longer source lines are shown as a window
	maxRelated   = 5   // related locations shown per finding
)

type palette struct {
	file, id, caret, summary, errorWord *color.Color
	sev                                 map[rules.Severity]*color.Color
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
		file:      mk(color.Bold, color.Underline),
		id:        mk(color.Faint),
		caret:     mk(color.FgGreen, color.Bold),
		summary:   mk(color.Bold),
		errorWord: mk(color.FgRed, color.Bold),
		sev: map[rules.Severity]*color.Color{
			rules.Critical: mk(color.FgHiRed, color.Bold),
			rules.High:     mk(color.FgRed),
			rules.Medium:   mk(color.FgYellow),
			rules.Low:      mk(color.FgCyan),
			rules.Info:     mk(color.FgBlue),
		},
	}
}

// Report implements Reporter.
func (t *Text) Report(w io.Writer, r *Report) error {
	var b bytes.Buffer
	p := newPalette(t.Color)
	if t.Quiet {
		b.WriteString(p.summary.Sprint(summary(r)))
		b.WriteByte('\n')
		_, err := w.Write(b.Bytes())
		return err
	}
	fs := r.Findings
	for len(fs) > 0 {
		file := fs[0].Range.Filename
		n := 1
		for n < len(fs) && fs[n].Range.Filename == file {
			n++
		}
		t.file(&b, p, r, file, fs[:n])
		fs = fs[n:]
	}
	for _, d := range r.sortedDiagnostics() {
		word := p.errorWord.Sprint(string(d.Severity))
		loc := ""
		if d.Range != nil {
			loc = posString(*d.Range, true) + ": "
		}
		fmt.Fprintf(&b, "%s: %s%s\n", word, loc, d.Message)
	}
	if len(r.Diagnostics) > 0 {
		b.WriteByte('\n')
	}
	b.WriteString(p.summary.Sprint(summary(r)))
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}

func (t *Text) file(b *bytes.Buffer, p *palette, r *Report, file string, fs []rules.Finding) {
	b.WriteString(p.file.Sprint(file))
	b.WriteByte('\n')
	lines := splitLines(r.source(file))
	width, gutter := 0, 0
	for _, f := range fs {
		width = max(width, len(posString(f.Range, false)))
		gutter = max(gutter, len(fmt.Sprint(f.Range.Start.Line)))
	}
	for _, f := range fs {
		pos := posString(f.Range, false)
		sev := f.Severity.String()
		fmt.Fprintf(b, "  %s%s  %s%s  %s  %s\n",
			pos, strings.Repeat(" ", width-len(pos)),
			p.sev[f.Severity].Sprint(sev), strings.Repeat(" ", len("critical")-len(sev)),
			p.id.Sprint(f.RuleID), f.Message)
		excerpt(b, p, lines, f.Range, gutter)
		for i, rel := range f.Related {
			if i == maxRelated {
				fmt.Fprintf(b, "      = and %d more\n", len(f.Related)-maxRelated)
				break
			}
			fmt.Fprintf(b, "      = see %s: %s\n", posString(rel.Range, rel.Range.Filename != file), rel.Message)
		}
	}
	b.WriteByte('\n')
}

// posString renders "line:col", with the file name in front if asked.
func posString(r hcl.Range, withFile bool) string {
	s := fmt.Sprintf("%d:%d", r.Start.Line, r.Start.Column)
	if withFile && r.Filename != "" {
		s = r.Filename + ":" + s
	}
	return s
}

// splitLines splits source text into lines without their terminators
// (LF, CR LF or a lone CR, as the parser counts them) and without a byte
// order mark.
func splitLines(src []byte) []string {
	if len(src) == 0 {
		return nil
	}
	s := strings.TrimPrefix(string(src), "\uFEFF")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}

// excerpt writes the source line of rng with a caret line under the
// element.
func excerpt(b *bytes.Buffer, p *palette, lines []string, rng hcl.Range, gutter int) {
	ln := rng.Start.Line
	if ln < 1 || ln > len(lines) {
		return
	}
	runes := []rune(lines[ln-1])
	start := max(rng.Start.Column-1, 0)
	if start > len(runes) {
		return
	}
	end := start + 1
	if rng.End.Line == ln && rng.End.Column-1 > start {
		end = rng.End.Column - 1
	}
	end = min(end, max(len(runes), start+1))

	// A window around the element for long lines (minified policies).
	lo, hi := 0, len(runes)
	if len(runes) > maxLineRunes {
		lo = max(0, start-40)
		hi = min(len(runes), lo+maxLineRunes)
		end = min(end, hi)
	}
	var text, pad strings.Builder
	if lo > 0 {
		text.WriteString("…")
		pad.WriteByte(' ')
	}
	for i := lo; i < hi; i++ {
		r := runes[i]
		if r == '\t' {
			text.WriteByte('\t')
		} else if r < 0x20 || r == 0x7f {
			text.WriteRune(utf8.RuneError)
		} else {
			text.WriteRune(r)
		}
		if i < start {
			if r == '\t' {
				pad.WriteByte('\t')
			} else {
				pad.WriteByte(' ')
			}
		}
	}
	if hi < len(runes) {
		text.WriteString("…")
	}
	fmt.Fprintf(b, "    %*d | %s\n", gutter, ln, strings.TrimRight(text.String(), " \t"))
	fmt.Fprintf(b, "    %*s | %s%s\n", gutter, "", pad.String(), p.caret.Sprint(strings.Repeat("^", end-start)))
}

// summary renders the last line: "3 findings (1 high, 2 medium) in 2 of
// 5 files".
func summary(r *Report) string {
	files := plural(r.Files, "file", "files")
	var s string
	switch {
	case r.Files == 0 && len(r.Findings) == 0:
		s = "no policy files found"
	case len(r.Findings) == 0:
		s = "no findings in " + files
	default:
		counts := r.counts()
		var parts []string
		for i := len(rules.Severities()) - 1; i >= 0; i-- {
			sev := rules.Severities()[i]
			if counts[sev] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", counts[sev], sev))
			}
		}
		s = fmt.Sprintf("%s (%s) in %d of %s", plural(len(r.Findings), "finding", "findings"),
			strings.Join(parts, ", "), r.filesWithFindings(), files)
	}
	errs := 0
	for _, d := range r.Diagnostics {
		if d.Severity == DiagError {
			errs++
		}
	}
	if n := len(r.Suppressed); n > 0 {
		s += fmt.Sprintf("; %d suppressed", n)
	}
	if errs > 0 {
		s += "; " + plural(errs, "error", "errors")
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
