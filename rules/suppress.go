package rules

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/iamlint/iamlint/iam/glob"
)

// Suppression silences findings: an `iamlint:ignore` comment in a source
// file, or an entry of the configuration.
type Suppression struct {
	// Rules are the rule IDs, slugs or globs ("IAM1*") it silences.
	Rules []string
	// Reason is the justification; required.
	Reason string
	// Range is the comment (or the configuration entry).
	Range hcl.Range
	// Covers is what the comment applies to: the block or attribute that
	// starts on the line it names (the comment's own line when code
	// precedes it there, else the next line with code), or that line
	// alone when no block or attribute starts there. Findings whose range
	// starts inside it are silenced. Zero for configuration entries.
	Covers hcl.Range
	// Match, for configuration entries, decides which findings an entry
	// covers (by path or address); nil for comments.
	Match func(f *Finding) bool
	// External marks a configuration entry (SARIF's "external" kind),
	// as opposed to a comment in the source ("inSource").
	External bool

	used bool
}

// Used reports whether the suppression silenced a finding in the last
// Suppress call that was given it.
func (s *Suppression) Used() bool { return s.used }

// ignoreDirective is the comment prefix.
const ignoreDirective = "iamlint:ignore"

// ScanSuppressions finds the `iamlint:ignore` comments of an HCL file
// (`# iamlint:ignore IAM101,IAM102 reason`, also with `//` or `/* */`).
// Comments that are not directives are ignored; a directive with no rule
// gets an empty Rules, one without a reason an empty Reason (Suppress
// reports both).
func ScanSuppressions(filename string, src []byte) []*Suppression {
	var out []*Suppression
	if !bytes.Contains(src, []byte(ignoreDirective)) {
		return nil
	}
	// Directives are rare: lex only around each occurrence of the word,
	// from the start of its line, as far as the item it names reaches.
	// A line can only be lexed on its own when it cannot be inside a
	// heredoc or a block comment; a file with either is lexed once whole
	// to tell real comments from text that looks like one.
	var comments map[int]bool
	if bytes.Contains(src, []byte("<<")) || bytes.Contains(src, []byte("/*")) {
		comments = map[int]bool{}
		tokens, _ := hclsyntax.LexConfig(src, filename, hcl.Pos{Line: 1, Column: 1})
		for _, t := range tokens {
			if t.Type == hclsyntax.TokenComment {
				comments[t.Range.Start.Byte] = true
			}
		}
	}
	from := 0
	for {
		i := bytes.Index(src[from:], []byte(ignoreDirective))
		if i < 0 {
			return out
		}
		i += from
		ls := bytes.LastIndexByte(src[:i], '\n') + 1
		from = i + len(ignoreDirective)
		if s := scanAt(filename, src, ls, i); s != nil && (comments == nil || comments[s.Range.Start.Byte]) {
			out = append(out, s)
			if e := s.Range.End.Byte; e > from {
				from = e
			}
		}
	}
}

// scanAt reads the directive whose text is at byte at, on the line that
// starts at byte ls: nil when the text is not in a comment there.
func scanAt(filename string, src []byte, ls, at int) *Suppression {
	line := 1 + bytes.Count(src[:ls], []byte("\n"))
	start := hcl.Pos{Line: line, Column: 1, Byte: ls}
	// Lex a window from the line's start, growing it until the item the
	// directive names is complete (or the file ends).
	for size := 1024; ; size *= 2 {
		end := min(len(src), ls+size)
		tokens, _ := hclsyntax.LexConfig(src[ls:end], filename, start)
		s, complete := directiveIn(tokens, filename, at)
		if complete || end == len(src) {
			return s
		}
	}
}

// directiveIn finds the directive at byte at among tokens and what it
// covers; complete is false when the tokens end before the covered item
// does (the window was too small).
func directiveIn(tokens hclsyntax.Tokens, filename string, at int) (*Suppression, bool) {
	ci := -1
	for i, t := range tokens {
		if t.Type == hclsyntax.TokenComment && t.Range.Start.Byte <= at && at < t.Range.End.Byte {
			ci = i
			break
		}
		if t.Range.Start.Byte > at {
			break
		}
	}
	if ci < 0 {
		return nil, true
	}
	t := tokens[ci]
	text, ok := directive(string(t.Bytes))
	if !ok {
		return nil, true
	}
	s := &Suppression{Range: commentRange(t)}
	rules, reason, _ := strings.Cut(strings.TrimSpace(text), " ")
	for _, r := range strings.Split(rules, ",") {
		if r = strings.TrimSpace(r); r != "" {
			s.Rules = append(s.Rules, r)
		}
	}
	s.Reason = strings.TrimSpace(reason)
	// The item it names starts with the first code token of its own line
	// when code precedes the comment there, else of the next line with
	// code.
	first := -1
	for i := range ci {
		if isCode(tokens[i]) && tokens[i].Range.Start.Line == t.Range.Start.Line {
			first = i
			break
		}
	}
	if first < 0 {
		for i := ci + 1; i < len(tokens); i++ {
			if isCode(tokens[i]) {
				first = i
				break
			}
		}
	}
	if first < 0 {
		// No code after it in the window: complete only at the end of
		// the file, which the caller knows.
		return s, false
	}
	cov, complete := coverage(tokens, first, filename, tokens[first].Range.Start.Line)
	s.Covers = cov
	return s, complete
}

func isCode(t hclsyntax.Token) bool {
	switch t.Type {
	case hclsyntax.TokenComment, hclsyntax.TokenNewline, hclsyntax.TokenEOF:
		return false
	}
	return true
}

// commentRange is a comment token's range without the newline that a
// line comment's token includes.
func commentRange(t hclsyntax.Token) hcl.Range {
	r := t.Range
	if b := t.Bytes; len(b) > 0 && b[len(b)-1] == '\n' {
		trimmed := strings.TrimRight(string(b), "\r\n")
		r.End = hcl.Pos{Line: r.Start.Line, Column: r.Start.Column + len([]rune(trimmed)), Byte: r.Start.Byte + len(trimmed)}
	}
	return r
}

// directive returns the text after `iamlint:ignore` in a comment token.
func directive(comment string) (string, bool) {
	c := strings.TrimSpace(comment)
	switch {
	case strings.HasPrefix(c, "#"):
		c = c[1:]
	case strings.HasPrefix(c, "//"):
		c = c[2:]
	case strings.HasPrefix(c, "/*"):
		c = strings.TrimSuffix(c[2:], "*/")
	}
	c = strings.TrimSpace(c)
	if !strings.HasPrefix(c, ignoreDirective) {
		return "", false
	}
	rest := c[len(ignoreDirective):]
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return "", false // "iamlint:ignored", say
	}
	return rest, true
}

// coverage is the extent of the block or attribute that starts with
// tokens[i] on line: up to the first newline outside brackets, braces,
// parentheses, quotes, heredocs and template sequences, so a block covers
// its body and an attribute its whole (possibly multi-line) value.
func coverage(tokens hclsyntax.Tokens, i int, filename string, line int) (hcl.Range, bool) {
	r := hcl.Range{Filename: filename, Start: tokens[i].Range.Start, End: hcl.Pos{Line: line + 1, Column: 1}}
	depth := 0
	for _, t := range tokens[i:] {
		switch t.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenOQuote,
			hclsyntax.TokenOHeredoc, hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			depth++
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenCQuote,
			hclsyntax.TokenCHeredoc, hclsyntax.TokenTemplateSeqEnd:
			depth--
		case hclsyntax.TokenNewline, hclsyntax.TokenEOF, hclsyntax.TokenComment:
			// A line comment's token holds the newline that ends its line.
			if t.Type == hclsyntax.TokenComment && !bytes.HasSuffix(t.Bytes, []byte("\n")) {
				continue
			}
			if depth <= 0 {
				r.End = t.Range.Start
				if t.Type == hclsyntax.TokenComment || r.End.Line == line {
					// Extend an item to the end of its last line.
					r.End = hcl.Pos{Line: t.Range.Start.Line + 1, Column: 1}
				}
				// An EOF token ends the window, not necessarily the item.
				return r, t.Type != hclsyntax.TokenEOF || depth == 0
			}
		}
	}
	return r, false
}

// covers reports whether a finding starts inside the suppression's
// coverage.
func (s *Suppression) covers(f *Finding) bool {
	if s.Match != nil {
		return s.Match(f)
	}
	c, r := s.Covers, f.Range
	if c.Filename == "" || r.Filename != c.Filename {
		return false
	}
	return posLE(c.Start, r.Start) && posLT(r.Start, c.End)
}

func posLE(a, b hcl.Pos) bool { return a.Line < b.Line || (a.Line == b.Line && a.Column <= b.Column) }
func posLT(a, b hcl.Pos) bool { return a.Line < b.Line || (a.Line == b.Line && a.Column < b.Column) }

// MatchRule reports whether a rule ID, slug or glob over either names a
// rule, ignoring case.
func MatchRule(pattern string, m *Meta) bool {
	return glob.MatchFold(pattern, m.ID) || glob.MatchFold(pattern, m.Slug)
}

// Suppressed records why a finding was silenced.
type Suppressed struct {
	Reason string
	// External is true for a configuration entry, false for a comment.
	External bool
	// Range is the comment or entry.
	Range hcl.Range
}

// Suppress splits findings into those that stand and those a suppression
// silences (their Suppressed field set), and reports the suppressions'
// own problems as findings of ruleNoReason (a directive without a rule or
// a reason: it silences nothing) and ruleUnused (a directive that
// silenced nothing), when those rules are given. lookup resolves a
// finding's rule ID to its metadata.
func Suppress(fs []Finding, sups []*Suppression, lookup func(id string) *Meta, ruleNoReason, ruleUnused *Rule) (kept, silenced, problems []Finding) {
	for _, s := range sups {
		s.used = false
	}
	for i := range fs {
		f := &fs[i]
		m := lookup(f.RuleID)
		var by *Suppression
		for _, s := range sups {
			if !valid(s) || !s.covers(f) {
				continue
			}
			for _, pat := range s.Rules {
				if (m != nil && MatchRule(pat, m)) || strings.EqualFold(pat, f.RuleID) {
					by = s
					break
				}
			}
			if by != nil {
				break
			}
		}
		if by == nil {
			kept = append(kept, *f)
			continue
		}
		by.used = true
		g := *f
		g.Suppressed = &Suppressed{Reason: by.Reason, External: by.External, Range: by.Range}
		silenced = append(silenced, g)
	}
	for _, s := range sups {
		switch {
		case !valid(s) && ruleNoReason != nil:
			what := "names no rule and gives no reason"
			if len(s.Rules) > 0 {
				what = "of " + strings.Join(s.Rules, ",") + " gives no reason"
			}
			problems = append(problems, metaFinding(ruleNoReason, s.Range, "this iamlint:ignore "+what+", so it silences nothing: write `iamlint:ignore IAMnnn why it is acceptable`"))
		case valid(s) && !s.used && ruleUnused != nil:
			problems = append(problems, metaFinding(ruleUnused, s.Range, "this iamlint:ignore of "+strings.Join(s.Rules, ",")+" silences no finding: remove it"))
		}
	}
	return kept, silenced, problems
}

func valid(s *Suppression) bool { return len(s.Rules) > 0 && s.Reason != "" }

func metaFinding(r *Rule, rng hcl.Range, msg string) Finding {
	f := Finding{RuleID: r.ID, Severity: r.Severity, Message: msg, Range: rng, Path: rng.Filename}
	f.Fingerprint = fingerprint(r.ID, rng.Filename, msg)
	return f
}

// SourceSuppressions scans the HCL files of an input (Terraform .tf and
// .hcl files among Input.Files) for iamlint:ignore directives. Files that
// cannot be read are skipped: the loader has reported them already.
func SourceSuppressions(in *Input) []*Suppression {
	var out []*Suppression
	for _, f := range in.Files() {
		if ext := filepath.Ext(f); ext != ".tf" && ext != ".hcl" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		out = append(out, ScanSuppressions(f, src)...)
	}
	return out
}
