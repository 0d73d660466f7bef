package rules

import (
	"bytes"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/internal/yamltext"
)

// This file finds iamlint:ignore comments in YAML CloudFormation templates.
//
// A hand-written line scanner, not a YAML parser: a template that does not
// parse still gets its directives (the loader reports the syntax error),
// and no tree is built: one pass over the lines, then one over the
// directives. It follows
// YAML's lexical rules far enough to tell a comment from a '#' in text —
// quoted scalars (across lines), block scalars, plain scalars continued on
// more indented lines, flow collections — and records for each line its
// indentation and whether it starts an item, which is all that finding a
// directive's item needs: in YAML an item is its first line and the more
// indented lines after it.
//
// Positions follow the CloudFormation loader (loader/cloudformation):
// lines are broken where yaml.v3 breaks them (LF, CR LF, CR, NEL, LS, PS)
// and columns are 1-based counts of characters, not of bytes or grapheme
// clusters, with a leading byte order mark not counted; so a finding's
// range and a directive's coverage compare.

// isYAMLTemplateFile reports whether a file name has an extension of a
// YAML CloudFormation template (.yaml, .yml, .template; the loader reads
// them whatever their case). A JSON template may also have one: its text
// tells, and ScanYAMLSuppressions finds no comment in it.
func isYAMLTemplateFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".template":
		return true
	}
	return false
}

// ScanYAMLSuppressions finds the `iamlint:ignore` comments of a YAML
// CloudFormation template, as ScanSuppressions does for HCL: the directive
// `# iamlint:ignore IAM101,IAM102 reason` covers the item that starts on
// the line it names — its own line when content precedes the comment
// there, else the next line with content. The item is that line and every
// following line indented more than it (a mapping key with its value
// block, a "- " sequence entry with the entry), together with the lines
// that continue a quoted, block or plain scalar or a flow collection begun
// in it; a key with nothing after its colon also covers a sequence written
// at its own indentation ("Statement:" then "- Effect: Allow"). A line
// inside a flow collection or quoted scalar begun on an earlier line is
// covered alone, or up to the end of a flow collection or quoted scalar
// that it opens.
//
// A '#' is a comment only at the start of a line or after a space or tab,
// outside quoted and block scalars ('|', '>'). A file whose first
// non-blank character is '{' or '[' is JSON, which has no comments.
func ScanYAMLSuppressions(filename string, src []byte) []*Suppression {
	if !bytes.Contains(src, []byte(ignoreDirective)) {
		return nil
	}
	bom := 0
	if bytes.HasPrefix(src, []byte("\xEF\xBB\xBF")) {
		bom = 3
	}
	if t := bytes.TrimLeft(src[bom:], " \t\r\n"); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return nil
	}
	y := scanYAML(src)
	var out []*Suppression
	var last []int
	next := 0 // the next line with content after the last comment alone on its line
	for _, c := range y.comments {
		text, ok := directive(string(src[c.start:c.end]))
		if !ok {
			continue
		}
		s := &Suppression{Range: hcl.Range{Filename: filename, Start: y.pos(c.start), End: y.pos(c.end)}}
		s.Rules, s.Reason = directiveRules(text)
		// The line it names: its own when content precedes it there,
		// else the next line with content.
		from := c.line
		if l := y.lines[from]; l.first < 0 || l.first >= c.start {
			for next = max(next, from+1); next < len(y.lines) && y.lines[next].first < 0; next++ {
			}
			from = next
		}
		if from < len(y.lines) {
			if last == nil {
				last = y.itemEnds()
			}
			to := last[from]
			end := hcl.Pos{Line: to + 2, Column: 1, Byte: len(src)}
			if to+1 < len(y.lines) {
				end.Byte = y.lines[to+1].start
			}
			s.Covers = hcl.Range{Filename: filename, Start: y.pos(y.lines[from].first), End: end}
		}
		out = append(out, s)
	}
	return out
}

// directiveRules splits the text after `iamlint:ignore` into the rules it
// names (comma-separated, before the first space) and the reason.
func directiveRules(text string) (names []string, reason string) {
	list, reason, _ := strings.Cut(strings.TrimSpace(text), " ")
	for _, r := range strings.Split(list, ",") {
		if r = strings.TrimSpace(r); r != "" {
			names = append(names, r)
		}
	}
	return names, strings.TrimSpace(reason)
}

// yamlLineKind says what a line of a template is to the item search.
type yamlLineKind uint8

const (
	// yamlItem is a line whose first content is in block context: it may
	// start an item, and ends the items indented as much or more.
	yamlItem yamlLineKind = iota
	// yamlCont is a line that starts inside a quoted scalar or a flow
	// collection, or continues a plain scalar: it belongs to the item of
	// an earlier line whatever its indentation.
	yamlCont
	// yamlBlock is a line of a block scalar's content.
	yamlBlock
	// yamlDoc is a document marker, "---" or "...": it ends every item.
	yamlDoc
)

type yamlLine struct {
	start, end int // offsets of the line's first byte (after a byte order mark) and of its line break
	indent     int // leading spaces
	first      int // offset of the first content (not blank, not a comment); -1 if none
	kind       yamlLineKind
	dash       bool // the first content is a sequence entry "- "
	emptyKey   bool // the first content is a mapping key with nothing after its ':'
	// Open flow collections and quoted scalars at the line's start and end.
	startNest, endNest int
}

type yamlComment struct {
	line       int
	start, end int // from the '#' to the end of the comment's text
}

type yamlScan struct {
	src      []byte
	text     *yamltext.Text
	lines    []yamlLine
	comments []yamlComment // those holding "iamlint:ignore"
}

func isYAMLBlank(c byte) bool { return c == ' ' || c == '\t' }

// scanYAML splits src into lines and walks them once.
func scanYAML(src []byte) *yamlScan {
	text := yamltext.New(src)
	y := &yamlScan{src: src, text: text, lines: make([]yamlLine, len(text.Lines))}
	for k, l := range text.Lines {
		y.lines[k] = yamlLine{start: l.Start, end: l.End}
	}
	y.lines[0].start = min(text.BOM, y.lines[0].end) // columns start after a byte order mark
	var w yamlWalker
	w.y = y
	for k := range y.lines {
		w.line(k)
	}
	return y
}

// yamlWalker is the state carried from line to line.
type yamlWalker struct {
	y     *yamlScan
	quote byte // '"' or '\'' inside a quoted scalar, else 0
	flow  int  // open flow collections
	// atNode: the next content starts a node (so a quote opens a quoted
	// scalar); carried across lines in flow context.
	atNode bool
	// A block scalar's content is every following line indented more
	// than blockOwner (the key, entry or document owning it), and blank
	// lines.
	block      bool
	blockOwner int
	// A plain scalar ending a line continues on the next lines indented
	// more than plainOwner.
	plain      bool
	plainOwner int
}

func (w *yamlWalker) line(k int) {
	y, d := w.y, w.y.src
	l := &y.lines[k]
	l.first = -1
	for l.start+l.indent < l.end && d[l.start+l.indent] == ' ' {
		l.indent++
	}
	p := l.start + l.indent
	for p < l.end && isYAMLBlank(d[p]) {
		p++
	}
	blank := p == l.end
	doc := w.quote == 0 && l.indent == 0 && isDocMarker(d[l.start:l.end])
	l.startNest = w.flow
	if w.quote != 0 {
		l.startNest++
	}
	if w.block {
		if !doc && (blank || l.indent > w.blockOwner) {
			l.kind = yamlBlock
			if !blank {
				l.first = p
			}
			l.endNest = l.startNest
			return
		}
		w.block = false
	}
	lastIndicator := -1 // column of the key, entry or '?' owning what follows
	switch {
	case doc:
		l.kind, w.flow, w.plain, w.atNode = yamlDoc, 0, false, true
		l.first = l.start
		p = l.start + 3
	case w.quote != 0 || w.flow > 0:
		l.kind = yamlCont
	case w.plain && !blank && d[p] != '#' && l.indent > w.plainOwner:
		l.kind, w.atNode = yamlCont, false
	default:
		l.kind, w.plain, w.atNode = yamlItem, false, true
	}
	var (
		nodeCol   = l.indent // column where the current node starts
		lastPlain = l.kind == yamlCont && w.plain
		colonEnd  = false // the line so far ends with a block mapping ':'
		comment   = false
		quoteEnd  = -1 // offset just after the last closing quote
		header    = false
	)
	col := func(i int) int { return i - l.start }
	for i := p; i < l.end; {
		c := d[i]
		if w.quote != 0 {
			i = w.inQuote(i, l.end)
			if w.quote == 0 {
				quoteEnd = i
			}
			continue
		}
		if isYAMLBlank(c) {
			i++
			continue
		}
		if c == '#' && (i == l.start || isYAMLBlank(d[i-1])) {
			e := l.end
			for e > i && isYAMLBlank(d[e-1]) {
				e--
			}
			if bytes.Contains(d[i:e], []byte(ignoreDirective)) {
				y.comments = append(y.comments, yamlComment{line: k, start: i, end: e})
			}
			comment = true
			break
		}
		if l.first < 0 {
			l.first = i
			l.dash = w.flow == 0 && l.kind == yamlItem && c == '-' && indicatorAt(d, i, l.end)
		}
		next := i + 1
		switch {
		case w.flow > 0 && (c == '[' || c == '{'):
			w.flow++
			w.atNode, lastPlain = true, false
		case w.flow > 0 && (c == ']' || c == '}'):
			w.flow--
			w.atNode, lastPlain = false, false
		case w.flow > 0 && c == ',':
			w.atNode, lastPlain = true, false
		case c == ':' && (indicatorAt(d, i, l.end) || w.flow > 0 && (w.atNode || quoteEnd == i || next < l.end && strings.IndexByte(",[]{}", d[next]) >= 0)):
			if w.flow == 0 {
				lastIndicator = nodeCol
				if w.atNode {
					lastIndicator = col(i) // ": value" of a "?" key
				}
				colonEnd = true
			}
			w.atNode, lastPlain = true, false
		case w.atNode && w.flow == 0 && (c == '-' || c == '?') && indicatorAt(d, i, l.end):
			lastIndicator = col(i)
		case w.atNode && (c == '!' || c == '&'):
			// A tag or an anchor: the node follows it.
			for next < l.end && !isYAMLBlank(d[next]) && (w.flow == 0 || strings.IndexByte(",[]{}", d[next]) < 0) {
				next++
			}
			colonEnd = false
		case w.atNode && (c == '"' || c == '\''):
			w.quote, nodeCol = c, col(i)
			w.atNode, lastPlain, colonEnd = false, false, false
		case w.atNode && (c == '[' || c == '{'):
			w.flow++
			colonEnd = false
		case w.atNode && w.flow == 0 && (c == '|' || c == '>'):
			// A block scalar header; its content starts on the next line.
			header = true
			w.blockOwner = lastIndicator
			if lastIndicator < 0 {
				w.blockOwner = col(i) - 1
				if l.kind == yamlDoc {
					w.blockOwner = -1
				}
			}
			for next < l.end && !isYAMLBlank(d[next]) {
				next++
			}
			w.atNode, lastPlain, colonEnd = false, false, false
		default:
			if w.atNode {
				nodeCol, w.atNode = col(i), false
				if w.flow == 0 && lastIndicator >= 0 {
					w.plainOwner = lastIndicator
				} else if w.flow == 0 && l.kind == yamlItem {
					w.plainOwner = col(i) - 1
				}
			}
			lastPlain, colonEnd = true, false
		}
		i = next
	}
	l.endNest = w.flow
	if w.quote != 0 {
		l.endNest++
	}
	l.emptyKey = l.kind == yamlItem && !l.dash && colonEnd && w.flow == 0
	w.block = header && w.quote == 0 && w.flow == 0
	w.plain = lastPlain && !comment && w.flow == 0 && w.quote == 0
	if w.flow == 0 && w.quote == 0 {
		w.atNode = true
	}
}

// inQuote scans a quoted scalar from i to its closing quote (clearing
// w.quote) or to the line's end, returning where it stopped.
func (w *yamlWalker) inQuote(i, end int) int {
	d := w.y.src
	for ; i < end; i++ {
		switch d[i] {
		case '\\':
			if w.quote == '"' {
				i++ // an escape; at the line's end, an escaped line break
			}
		case w.quote:
			if w.quote == '\'' && i+1 < end && d[i+1] == '\'' {
				i++
				continue
			}
			w.quote = 0
			return i + 1
		}
	}
	return end
}

// indicatorAt reports whether the character at i is followed by a blank
// or the end of the line, as "- ", "? " and ": " indicators are.
func indicatorAt(d []byte, i, end int) bool { return i+1 >= end || isYAMLBlank(d[i+1]) }

// isDocMarker reports whether a line is a document marker, "---" or "...",
// alone or followed by a blank.
func isDocMarker(line []byte) bool {
	return len(line) >= 3 && (string(line[:3]) == "---" || string(line[:3]) == "...") && (len(line) == 3 || isYAMLBlank(line[3]))
}

// itemEnds returns, for each line with content, the last line of the item
// that starts on it. An item that starts in block context ends before the
// next such line indented as little or less — except a sequence entry at
// the indentation of a key with an empty value, which belongs to the key;
// other items end on the line where the flow collections and quoted
// scalars open are back to those open at their start.
//
// One pass with a stack of open items for each kind, so that a file of
// many nested directives takes linear time: with a block line's key
// 2×indent (+1 for a "- " entry), a block item is closed by the first later
// block line whose key is at most its threshold — its own key, +1 for a key
// with a value (which an entry at its indentation ends).
func (y *yamlScan) itemEnds() []int {
	n := len(y.lines)
	last := make([]int, n)
	lastContent := -1
	type open struct{ line, threshold int }
	var blocks, others []open
	closeBlocks := func(key, before int) {
		for len(blocks) > 0 && blocks[len(blocks)-1].threshold >= key {
			last[blocks[len(blocks)-1].line] = before
			blocks = blocks[:len(blocks)-1]
		}
	}
	for m, l := range y.lines {
		if l.first >= 0 && l.kind != yamlBlock && l.kind != yamlCont {
			key := 2 * l.indent
			if l.kind == yamlDoc {
				key = -1
			} else if l.dash {
				key++
			}
			closeBlocks(key, lastContent)
		}
		if l.first >= 0 {
			lastContent = m
		}
		if l.kind == yamlItem {
			if l.first >= 0 {
				t := 2 * l.indent
				if l.dash || !l.emptyKey {
					t++
				}
				blocks = append(blocks, open{m, t})
			}
			continue
		}
		others = append(others, open{m, l.startNest})
		for len(others) > 0 && others[len(others)-1].threshold >= l.endNest {
			last[others[len(others)-1].line] = lastContent
			others = others[:len(others)-1]
		}
	}
	closeBlocks(-1, lastContent)
	for _, o := range others {
		last[o.line] = lastContent
	}
	return last
}

// pos converts a byte offset into a position as the CloudFormation loader
// counts it.
func (y *yamlScan) pos(off int) hcl.Pos { return y.text.Pos(off) }
