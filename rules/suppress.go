package rules

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/apparentlymart/go-textseg/v15/textseg"
	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam/glob"
	"github.com/iamlint/iamlint/internal/hclscan"
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
//
// The file is walked once by hclscan, not lexed: a directive's item is
// found from the first code on its line or the next, and ends at the first
// newline back at that depth. A file whose structure cannot be followed to
// the end (it does not parse; the loader reports it) keeps the directives
// found before the trouble.
func ScanSuppressions(filename string, src []byte) []*Suppression {
	if !bytes.Contains(src, []byte(ignoreDirective)) {
		return nil
	}
	var comments [][2]int
	var codes, newlines []mark
	hclscan.Scan(src, hclscan.Visitor{
		Comment: func(start, end int) {
			if bytes.Contains(src[start:end], []byte(ignoreDirective)) {
				comments = append(comments, [2]int{start, end})
			}
		},
		Code:    func(at, depth int) { codes = append(codes, mark{at, depth}) },
		Newline: func(at, depth int) { newlines = append(newlines, mark{at, depth}) },
	})
	if len(comments) == 0 {
		return nil
	}
	lines := newLineIndex(src)
	var out []*Suppression
	var items []mark
	var itemOf []int // index in items of each suppression's item, or -1
	for _, c := range comments {
		text, ok := directive(string(src[c[0]:c[1]]))
		if !ok {
			continue
		}
		s := &Suppression{Range: hcl.Range{Filename: filename, Start: lines.pos(c[0]), End: lines.pos(c[1])}}
		s.Rules, s.Reason = directiveRules(text)
		// The item it names starts with the first code of its own line
		// when code precedes the comment there, else of the next line
		// with code.
		i := sort.Search(len(codes), func(i int) bool { return codes[i].at >= lines.start(c[0]) })
		if i < len(codes) && codes[i].at >= c[0] {
			i = sort.Search(len(codes), func(i int) bool { return codes[i].at >= c[1] })
		}
		if i < len(codes) {
			itemOf = append(itemOf, len(items))
			items = append(items, codes[i])
		} else {
			itemOf = append(itemOf, -1)
		}
		out = append(out, s)
	}
	ends := itemEnds(items, newlines, len(src))
	for k, s := range out {
		if itemOf[k] < 0 {
			continue
		}
		item, end := items[itemOf[k]], ends[itemOf[k]]
		first, last := lines.pos(item.at), lines.pos(end)
		if last.Line == first.Line {
			// A one-line item: to the end of its line.
			last = hcl.Pos{Line: last.Line + 1, Column: 1, Byte: min(end+1, len(src))}
		}
		s.Covers = hcl.Range{Filename: filename, Start: first, End: last}
	}
	return out
}

// mark is a position in a file with the nesting depth there.
type mark struct{ at, depth int }

// itemEnds returns where each item ends: the first newline after it at
// its depth or shallower (eof when there is none). One sweep from the end
// of the file keeps the newlines no nearer one hides (one hides another
// when it is at least as shallow), their depths rising towards the
// nearest, so each item's end is a binary search: O((newlines + items)
// log newlines) however many directives name large items.
func itemEnds(items, newlines []mark, eof int) []int {
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return items[order[a]].at > items[order[b]].at })
	ends := make([]int, len(items))
	var stack []mark // bottom: farthest and shallowest; top: nearest
	next := len(newlines) - 1
	for _, i := range order {
		for ; next >= 0 && newlines[next].at > items[i].at; next-- {
			n := newlines[next]
			for len(stack) > 0 && stack[len(stack)-1].depth >= n.depth {
				stack = stack[:len(stack)-1]
			}
			stack = append(stack, n)
		}
		// The nearest kept newline no deeper than the item.
		k := sort.Search(len(stack), func(k int) bool { return stack[k].depth > items[i].depth }) - 1
		ends[i] = eof
		if k >= 0 {
			ends[i] = stack[k].at
		}
	}
	return ends
}

// lineIndex turns byte offsets into positions as hclsyntax counts them:
// columns in grapheme clusters.
type lineIndex struct {
	src    []byte
	starts []int // byte offset of each line's start
}

func newLineIndex(src []byte) lineIndex {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return lineIndex{src: src, starts: starts}
}

// start is the offset of the start of the line holding offset at.
func (x lineIndex) start(at int) int { return x.starts[x.line(at)] }

func (x lineIndex) line(at int) int {
	return sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > at }) - 1
}

func (x lineIndex) pos(at int) hcl.Pos {
	l := x.line(at)
	prefix := x.src[x.starts[l]:at]
	col := len(prefix)
	for _, b := range prefix {
		if b >= utf8.RuneSelf {
			if n, err := textseg.TokenCount(prefix, textseg.ScanGraphemeClusters); err == nil {
				col = n
			}
			break
		}
	}
	return hcl.Pos{Line: l + 1, Column: col + 1, Byte: at}
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
	if !strings.ContainsAny(pattern, "*?") {
		return strings.EqualFold(pattern, m.ID) || strings.EqualFold(pattern, m.Slug)
	}
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
	idx := indexSuppressions(sups)
	var cands []int
	for i := range fs {
		f := &fs[i]
		m := lookup(f.RuleID)
		var by *Suppression
		cands = idx.candidates(f, cands[:0])
		for _, k := range cands {
			s := sups[k]
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

// suppressionIndex finds the suppressions that may cover a finding
// without trying each: configuration entries are always candidates,
// comments only those of the finding's file whose coverage starts at or
// before it.
type suppressionIndex struct {
	external []int
	byFile   map[string]*fileSuppressions
}

// fileSuppressions are one file's comments sorted by where their coverage
// starts, with the furthest end among each prefix: a backward walk stops
// once nothing earlier reaches the finding.
type fileSuppressions struct {
	order  []int // indices into the suppressions, by Covers.Start
	start  []hcl.Pos
	maxEnd []hcl.Pos
}

func indexSuppressions(sups []*Suppression) suppressionIndex {
	x := suppressionIndex{byFile: map[string]*fileSuppressions{}}
	for i, s := range sups {
		switch {
		case s.Match != nil:
			x.external = append(x.external, i)
		case s.Covers.Filename != "":
			fsup := x.byFile[s.Covers.Filename]
			if fsup == nil {
				fsup = &fileSuppressions{}
				x.byFile[s.Covers.Filename] = fsup
			}
			fsup.order = append(fsup.order, i)
		}
	}
	for _, fsup := range x.byFile {
		sort.SliceStable(fsup.order, func(a, b int) bool {
			return posLT(sups[fsup.order[a]].Covers.Start, sups[fsup.order[b]].Covers.Start)
		})
		fsup.maxEnd = make([]hcl.Pos, len(fsup.order))
		for k, i := range fsup.order {
			end := sups[i].Covers.End
			if k > 0 && posLT(end, fsup.maxEnd[k-1]) {
				end = fsup.maxEnd[k-1]
			}
			fsup.maxEnd[k] = end
		}
		fsup.start = make([]hcl.Pos, len(fsup.order))
		for k, i := range fsup.order {
			fsup.start[k] = sups[i].Covers.Start
		}
	}
	return x
}

// candidates appends to dst, in the suppressions' own order, those that
// may cover f.
func (x suppressionIndex) candidates(f *Finding, dst []int) []int {
	dst = append(dst, x.external...)
	if fsup := x.byFile[f.Range.Filename]; fsup != nil {
		// The last suppression starting at or before the finding.
		k := sort.Search(len(fsup.order), func(k int) bool { return posLT(f.Range.Start, fsup.start[k]) }) - 1
		for ; k >= 0 && posLT(f.Range.Start, fsup.maxEnd[k]); k-- {
			dst = append(dst, fsup.order[k])
		}
	}
	slices.Sort(dst)
	return dst
}

func valid(s *Suppression) bool { return len(s.Rules) > 0 && s.Reason != "" }

func metaFinding(r *Rule, rng hcl.Range, msg string) Finding {
	f := Finding{RuleID: r.ID, Severity: r.Severity, Message: msg, Range: rng, Path: rng.Filename}
	f.Fingerprint = fingerprint(r.ID, rng.Filename, msg)
	return f
}

// SourceSuppressions scans the HCL files (Terraform .tf and .hcl) and YAML
// CloudFormation templates among an input's Files for iamlint:ignore
// directives. Files that cannot be read are skipped: the loader has
// reported them already.
func SourceSuppressions(in *Input) []*Suppression {
	var out []*Suppression
	for _, f := range in.Files() {
		scan := ScanSuppressions
		if ext := strings.ToLower(filepath.Ext(f)); ext != ".tf" && ext != ".hcl" {
			if !isYAMLTemplateFile(f) {
				continue
			}
			scan = ScanYAMLSuppressions
		}
		src, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		out = append(out, scan(f, src)...)
	}
	return out
}
