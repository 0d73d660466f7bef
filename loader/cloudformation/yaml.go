package cloudformation

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"go.yaml.in/yaml/v3"

	"github.com/iamlint/iamlint/iam/jsonpos"
)

// This file turns a YAML template into the same position-carrying tree a
// JSON template parses to, so one evaluator serves both formats.
//
// yaml.Node gives every node the line and column (1-based, counted in
// characters) where it starts — for a tagged node, where the tag starts —
// but no end and no byte offset. A source table supplies both: it maps a
// line and column to a byte offset, and each node's end is found by
// scanning the text from its start according to the node's style (a
// quoted scalar ends at its closing quote, a block scalar after its last
// indented line, a flow collection at its bracket, a block collection
// after its last child). Short-form tags become the long form CloudFormation
// itself expands them to: `!Sub x` is {"Fn::Sub": x}, with the tag as the
// key's range and the whole tagged node as the object's range.

// maxYAMLDepth bounds the nesting converted, as jsonpos.DefaultMaxDepth
// does for JSON: no real template nests that deeply.
const maxYAMLDepth = jsonpos.DefaultMaxDepth

// source locates byte offsets, lines and columns in one YAML text. Line
// breaks are those yaml.v3 counts (LF, CR LF, CR, NEL, LS, PS), so its
// line numbers and ours agree.
type source struct {
	filename string
	data     []byte
	lines    []lineInfo
	bom      int // length of a leading byte order mark (no column)
}

type lineInfo struct {
	start int  // byte offset of the line's first byte
	end   int  // offset of its line break (or len(data))
	ascii bool // every byte < 0x80: columns are byte offsets
}

func newSource(filename string, data []byte) *source {
	s := &source{filename: filename, data: data}
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		s.bom = 3
	}
	start, ascii := 0, true
	for i := 0; i < len(data); {
		c := data[i]
		n := 0 // length of a line break at i
		switch {
		case c == '\n':
			n = 1
		case c == '\r':
			n = 1
			if i+1 < len(data) && data[i+1] == '\n' {
				n = 2
			}
		case c == 0xC2 && i+1 < len(data) && data[i+1] == 0x85:
			n = 2
		case c == 0xE2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xA8 || data[i+2] == 0xA9):
			n = 3
		}
		if n == 0 {
			if c >= 0x80 {
				ascii = false
			}
			i++
			continue
		}
		s.lines = append(s.lines, lineInfo{start: start, end: i, ascii: ascii})
		i += n
		start, ascii = i, true
	}
	s.lines = append(s.lines, lineInfo{start: start, end: len(data), ascii: ascii})
	return s
}

// offset returns the byte offset of a yaml.v3 line and column, clamped to
// the text.
func (s *source) offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(s.lines) {
		return len(s.data)
	}
	li := s.lines[line-1]
	off := li.start
	if line == 1 {
		off += s.bom
	}
	if li.ascii {
		return min(off+max(col-1, 0), li.end)
	}
	for c := 1; c < col && off < li.end; c++ {
		_, n := utf8.DecodeRune(s.data[off:li.end])
		off += n
	}
	return off
}

// pos converts a byte offset into a position.
func (s *source) pos(off int) hcl.Pos {
	off = max(0, min(off, len(s.data)))
	i := sort.Search(len(s.lines), func(i int) bool { return s.lines[i].start > off }) - 1
	i = max(i, 0)
	li := s.lines[i]
	start := li.start
	if i == 0 {
		start = min(s.bom, len(s.data))
	}
	// An offset inside a line break (the LF of CR LF) stays on its line.
	end := min(off, li.end)
	if end < start {
		end = start
	}
	col := 1 + end - start
	if !li.ascii {
		col = 1 + utf8.RuneCount(s.data[start:end])
	}
	return hcl.Pos{Line: i + 1, Column: col, Byte: off}
}

func (s *source) rng(from, to int) hcl.Range {
	if to < from {
		to = from
	}
	return hcl.Range{Filename: s.filename, Start: s.pos(from), End: s.pos(to)}
}

// isBreakAt reports the length of a line break at i, or 0.
func (s *source) isBreakAt(i int) int {
	d := s.data
	if i >= len(d) {
		return 0
	}
	switch c := d[i]; {
	case c == '\n':
		return 1
	case c == '\r':
		if i+1 < len(d) && d[i+1] == '\n' {
			return 2
		}
		return 1
	case c == 0xC2 && i+1 < len(d) && d[i+1] == 0x85:
		return 2
	case c == 0xE2 && i+2 < len(d) && d[i+1] == 0x80 && (d[i+2] == 0xA8 || d[i+2] == 0xA9):
		return 3
	}
	return 0
}

// skipSpace skips blanks, line breaks and comments from i.
func (s *source) skipSpace(i int) int {
	d := s.data
	for i < len(d) {
		switch c := d[i]; {
		case c == ' ' || c == '\t' || c == 0xEF && i+2 < len(d) && d[i+1] == 0xBB && d[i+2] == 0xBF:
			if c == 0xEF {
				i += 3
			} else {
				i++
			}
		case c == '#' && (i == 0 || isBlankByte(d[i-1]) || s.isBreakAt(i-1) > 0):
			for i < len(d) && s.isBreakAt(i) == 0 {
				i++
			}
		default:
			if n := s.isBreakAt(i); n > 0 {
				i += n
				continue
			}
			return i
		}
	}
	return i
}

func isBlankByte(c byte) bool { return c == ' ' || c == '\t' }

// skipProperties skips a node's tag and anchor (in either order) and the
// space after them, returning the offset of its content.
func (s *source) skipProperties(i int) int {
	d := s.data
	for i < len(d) && (d[i] == '!' || d[i] == '&') {
		for i < len(d) && !isBlankByte(d[i]) && s.isBreakAt(i) == 0 {
			// A flow indicator ends a tag in flow context ("[!Ref a, b]").
			if i > 0 && (d[i] == ',' || d[i] == ']' || d[i] == '}') {
				break
			}
			i++
		}
		i = s.skipSpace(i)
	}
	return i
}

// lineOf returns the index of the line holding offset i.
func (s *source) lineOf(i int) int {
	return max(sort.Search(len(s.lines), func(k int) bool { return s.lines[k].start > i })-1, 0)
}

// scalarEnd returns the offsets where a scalar's content starts and where
// the scalar ends.
func (s *source) scalarEnd(n *yaml.Node, start int) (content, end int) {
	d := s.data
	content = s.skipProperties(start)
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		if content < len(d) && d[content] == '"' {
			for i := content + 1; i < len(d); i++ {
				switch d[i] {
				case '\\':
					i++
				case '"':
					return content, i + 1
				}
			}
		}
	case n.Style&yaml.SingleQuotedStyle != 0:
		if content < len(d) && d[content] == '\'' {
			for i := content + 1; i < len(d); i++ {
				if d[i] == '\'' {
					if i+1 < len(d) && d[i+1] == '\'' {
						i++
						continue
					}
					return content, i + 1
				}
			}
		}
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return content, s.blockScalarEnd(content)
	default:
		if n.Value == "" {
			// An implicit null (or an empty tagged scalar, "!Ref") has
			// no text: the range is its tag, or empty.
			return start, s.skipPropertiesNoSpace(start)
		}
		if e, ok := s.matchPlain(content, n.Value); ok {
			return content, e
		}
	}
	// Fall back to the rest of the line: never beyond it.
	li := s.lines[s.lineOf(content)]
	e := content
	for e < li.end && !(d[e] == '#' && e > 0 && isBlankByte(d[e-1])) {
		e++
	}
	for e > content && isBlankByte(d[e-1]) {
		e--
	}
	return content, e
}

// skipPropertiesNoSpace returns the end of a node's tag and anchor without
// the space after them (the end of "!Ref" in an empty "!Ref").
func (s *source) skipPropertiesNoSpace(i int) int {
	d := s.data
	end := i
	for i < len(d) && (d[i] == '!' || d[i] == '&') {
		for i < len(d) && !isBlankByte(d[i]) && s.isBreakAt(i) == 0 && d[i] != ',' && d[i] != ']' && d[i] != '}' {
			i++
		}
		end = i
		for i < len(d) && isBlankByte(d[i]) {
			i++
		}
	}
	return end
}

// matchPlain matches a plain scalar's value against the source from i,
// where a run of spaces and line breaks in the value (folding) matches any
// run of blanks and breaks in the source. It returns the end offset.
func (s *source) matchPlain(i int, value string) (int, bool) {
	d := s.data
	j := 0
	for j < len(value) {
		if value[j] == ' ' || value[j] == '\n' {
			k := i
			for k < len(d) && (isBlankByte(d[k]) || s.isBreakAt(k) > 0) {
				k += max(s.isBreakAt(k), 1)
			}
			if k == i {
				return 0, false
			}
			i = k
			for j < len(value) && (value[j] == ' ' || value[j] == '\n') {
				j++
			}
			continue
		}
		if i >= len(d) || d[i] != value[j] {
			return 0, false
		}
		i++
		j++
	}
	return i, true
}

// blockScalarEnd returns the end of a literal or folded scalar whose
// header ("|", ">-", "|2") starts at i: the end of its last line that is
// indented at least as much as its first non-empty line.
func (s *source) blockScalarEnd(i int) int {
	ln := s.lineOf(i)
	end := s.lines[ln].end
	// Trailing comment on the header line is not content.
	for e := i; e < s.lines[ln].end; e++ {
		if s.data[e] == '#' && e > i && isBlankByte(s.data[e-1]) {
			break
		}
		if !isBlankByte(s.data[e]) {
			end = e + 1
		}
	}
	indent := -1
	for k := ln + 1; k < len(s.lines); k++ {
		li := s.lines[k]
		w := 0
		for li.start+w < li.end && s.data[li.start+w] == ' ' {
			w++
		}
		blank := true
		for e := li.start + w; e < li.end; e++ {
			if !isBlankByte(s.data[e]) {
				blank = false
				break
			}
		}
		if blank {
			continue
		}
		if indent < 0 {
			indent = w
		}
		if w < indent || w == 0 {
			break
		}
		e := li.end
		for e > li.start && isBlankByte(s.data[e-1]) {
			e--
		}
		end = e
	}
	return end
}

// flowEnd returns the offset just after the closing bracket of a flow
// collection whose last child ends at i (or whose opening bracket is at i
// when it is empty).
func (s *source) flowEnd(i int, closer byte) int {
	d := s.data
	for i < len(d) {
		i = s.skipSpace(i)
		if i >= len(d) {
			break
		}
		switch d[i] {
		case closer:
			return i + 1
		case ',':
			i++
		default:
			return i
		}
	}
	return min(i, len(d))
}

// converter builds jsonpos trees from yaml.Node trees.
type converter struct {
	src   *source
	diags hcl.Diagnostics
	// badTags are the key ranges of unknown short-form tags, reported
	// here so the evaluator does not report them again.
	badTags map[hcl.Pos]bool
	// literal holds, for block scalars, where their content lines are,
	// so a JSON policy written as a "|" string keeps exact positions.
	literal map[*jsonpos.Value]*blockInfo
}

type blockInfo struct {
	firstLine int // index of the first content line
	indent    int
}

func (c *converter) errorf(rng hcl.Range, summary, format string, args ...any) {
	c.diags = append(c.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: rng.Ptr()})
}

// shortForms maps a short-form tag to its long-form key.
var shortForms = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition",
	"!Base64": "Fn::Base64", "!Cidr": "Fn::Cidr", "!FindInMap": "Fn::FindInMap",
	"!GetAtt": "Fn::GetAtt", "!GetAZs": "Fn::GetAZs", "!ImportValue": "Fn::ImportValue",
	"!Join": "Fn::Join", "!Select": "Fn::Select", "!Split": "Fn::Split", "!Sub": "Fn::Sub",
	"!Transform": "Fn::Transform", "!And": "Fn::And", "!Equals": "Fn::Equals", "!If": "Fn::If",
	"!Not": "Fn::Not", "!Or": "Fn::Or", "!ToJsonString": "Fn::ToJsonString", "!Length": "Fn::Length",
}

// value converts one node, returning the value and its end offset.
func (c *converter) value(n *yaml.Node, depth int) (*jsonpos.Value, int) {
	start := c.src.offset(n.Line, n.Column)
	if depth > maxYAMLDepth {
		c.errorf(c.src.rng(start, start), "Template nested too deeply", "The template nests more than %d levels; no CloudFormation template does.", maxYAMLDepth)
		return &jsonpos.Value{Kind: jsonpos.Null, Str: "null", Range: c.src.rng(start, start)}, start
	}
	var v *jsonpos.Value
	var end int
	switch n.Kind {
	case yaml.ScalarNode:
		v, end = c.scalar(n, start)
	case yaml.MappingNode:
		v, end = c.mapping(n, start, depth)
	case yaml.SequenceNode:
		v, end = c.sequence(n, start, depth)
	case yaml.AliasNode:
		end = start + 1 + len(n.Value)
		rng := c.src.rng(start, end)
		c.errorf(rng, "Unsupported YAML alias", "CloudFormation does not support YAML aliases (*%s); write the value out.", n.Value)
		return &jsonpos.Value{Kind: jsonpos.Null, Str: "null", Range: rng}, end
	default:
		rng := c.src.rng(start, start)
		return &jsonpos.Value{Kind: jsonpos.Null, Str: "null", Range: rng}, start
	}
	tag := n.Tag
	if n.Style&yaml.TaggedStyle == 0 || strings.HasPrefix(tag, "!!") || tag == "!" {
		return v, end
	}
	// A short-form intrinsic: wrap the untagged value.
	tagEnd := start + len(tag)
	keyRange := c.src.rng(start, min(tagEnd, end))
	key, ok := shortForms[tag]
	if !ok {
		key = "Fn::" + strings.TrimPrefix(tag, "!")
		c.errorf(keyRange, "Unknown YAML tag", "%s is not a CloudFormation intrinsic function; the short forms are !Ref, !Sub, !GetAtt, !Join, !Select, !Split, !If, !Equals, !And, !Or, !Not, !FindInMap, !ImportValue, !Base64, !GetAZs, !Cidr, !Condition, !Transform.", tag)
		c.badTags[keyRange.Start] = true
	}
	return &jsonpos.Value{
		Kind:    jsonpos.Object,
		Range:   c.src.rng(start, end),
		Members: []jsonpos.Member{{Key: key, KeyRange: keyRange, Value: v}},
	}, end
}

// yamlNumber matches the YAML 1.2 core schema's decimal numbers, the only
// form JSON shares; other numbers (0x1F, .inf) keep their text as strings.
var yamlNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)

func (c *converter) scalar(n *yaml.Node, start int) (*jsonpos.Value, int) {
	content, end := c.src.scalarEnd(n, start)
	v := &jsonpos.Value{Kind: jsonpos.String, Str: n.Value, Range: c.src.rng(content, end)}
	if n.Style&yaml.TaggedStyle != 0 && !strings.HasPrefix(n.Tag, "!!") {
		// The value inside a short form is a plain string whatever it
		// looks like ("!Ref 123" names the logical ID "123").
		if n.Style&yaml.LiteralStyle != 0 {
			c.noteBlock(v, content)
		}
		return v, end
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
		switch n.ShortTag() {
		case "!!int", "!!float":
			if yamlNumber.MatchString(n.Value) {
				v.Kind = jsonpos.Number
			}
		case "!!bool":
			if b, err := strconv.ParseBool(strings.ToLower(n.Value)); err == nil {
				v.Kind, v.Bool, v.Str = jsonpos.Bool, b, strconv.FormatBool(b)
			}
		case "!!null":
			v.Kind, v.Str = jsonpos.Null, "null"
		}
	}
	if n.Style&yaml.LiteralStyle != 0 {
		c.noteBlock(v, content)
	}
	return v, end
}

// noteBlock records where a literal block scalar's lines are.
func (c *converter) noteBlock(v *jsonpos.Value, header int) {
	ln := c.src.lineOf(header) + 1
	for k := ln; k < len(c.src.lines); k++ {
		li := c.src.lines[k]
		w := 0
		for li.start+w < li.end && c.src.data[li.start+w] == ' ' {
			w++
		}
		if li.start+w < li.end {
			c.literal[v] = &blockInfo{firstLine: ln, indent: w}
			return
		}
	}
}

func (c *converter) mapping(n *yaml.Node, start, depth int) (*jsonpos.Value, int) {
	v := &jsonpos.Value{Kind: jsonpos.Object}
	end := start
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		val, vend := c.value(vn, depth+1)
		end = max(end, vend)
		if kn.Kind != yaml.ScalarNode {
			k, kend := c.value(kn, depth+1)
			end = max(end, kend)
			c.errorf(k.Range, "Invalid key", "Template keys must be strings; this key is %s.", yamlKind(kn))
			continue
		}
		if kn.Tag == "!!merge" {
			k, _ := c.scalar(kn, c.src.offset(kn.Line, kn.Column))
			c.errorf(k.Range, "Unsupported YAML merge key", "CloudFormation does not support YAML merge keys (<<); write the keys out.")
			continue
		}
		ks := c.src.offset(kn.Line, kn.Column)
		kc, kend := c.src.scalarEnd(kn, ks)
		end = max(end, kend)
		v.Members = append(v.Members, jsonpos.Member{Key: kn.Value, KeyRange: c.src.rng(kc, kend), Value: val})
		// A tagged key ("!Ref x: y") is meaningless in a template.
		if kn.Style&yaml.TaggedStyle != 0 && !strings.HasPrefix(kn.Tag, "!!") {
			c.errorf(c.src.rng(ks, kend), "Invalid key", "A key cannot be an intrinsic function (%s).", kn.Tag)
		}
	}
	if n.Style&yaml.FlowStyle != 0 {
		if len(n.Content) == 0 {
			end = c.src.skipProperties(start) + 1
		}
		end = c.src.flowEnd(end, '}')
	}
	if len(n.Content) == 0 && n.Style&yaml.FlowStyle == 0 {
		end = c.src.skipPropertiesNoSpace(start)
	}
	v.Range = c.src.rng(start, end)
	return v, end
}

func (c *converter) sequence(n *yaml.Node, start, depth int) (*jsonpos.Value, int) {
	v := &jsonpos.Value{Kind: jsonpos.Array}
	end := start
	for _, en := range n.Content {
		e, eend := c.value(en, depth+1)
		v.Elems = append(v.Elems, e)
		end = max(end, eend)
	}
	if n.Style&yaml.FlowStyle != 0 {
		if len(n.Content) == 0 {
			end = c.src.skipProperties(start) + 1
		}
		end = c.src.flowEnd(end, ']')
	}
	if len(n.Content) == 0 && n.Style&yaml.FlowStyle == 0 {
		end = c.src.skipPropertiesNoSpace(start)
	}
	v.Range = c.src.rng(start, end)
	return v, end
}

func yamlKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a sequence"
	case yaml.AliasNode:
		return "an alias"
	}
	return "a scalar"
}

// locateString returns, for a string in a YAML template, a function that
// maps byte offsets of its text to the template: exact for text copied
// verbatim from one line and for literal block scalars, otherwise the
// string's start (never "no position").
func (c *converter) locateString(v *jsonpos.Value) func(int) hcl.Pos {
	s := c.src
	str := v.Str
	if b := c.literal[v]; b != nil {
		lines := strings.SplitAfter(str, "\n")
		starts := make([]int, 0, len(lines)) // offset of each decoded line
		srcs := make([]int, 0, len(lines))   // source offset of its first byte
		off, ln := 0, b.firstLine
		for _, l := range lines {
			if l == "" {
				continue
			}
			text := strings.TrimSuffix(l, "\n")
			if ln >= len(s.lines) {
				return c.constant(v)
			}
			li := s.lines[ln]
			if text == "" {
				starts, srcs = append(starts, off), append(srcs, li.start+min(b.indent, li.end-li.start))
			} else {
				at := li.start + b.indent
				if at+len(text) > li.end || string(s.data[at:at+len(text)]) != text {
					return c.constant(v)
				}
				starts, srcs = append(starts, off), append(srcs, at)
			}
			off += len(l)
			ln++
		}
		return func(o int) hcl.Pos {
			k := sort.SearchInts(starts, o+1) - 1
			if k < 0 {
				return v.Range.Start
			}
			return s.pos(srcs[k] + o - starts[k])
		}
	}
	// Verbatim text ending at (or one quote before) the end of the range.
	end := v.Range.End.Byte
	for _, q := range []int{0, 1} {
		at := end - q - len(str)
		if at >= v.Range.Start.Byte && at >= 0 && end-q <= len(s.data) && string(s.data[at:end-q]) == str && s.lineOf(at) == s.lineOf(max(end-q-1, at)) {
			return func(o int) hcl.Pos { return s.pos(at + max(0, min(o, len(str)))) }
		}
	}
	return c.constant(v)
}

func (c *converter) constant(v *jsonpos.Value) func(int) hcl.Pos {
	start := v.Range.Start
	return func(int) hcl.Pos { return start }
}

// yamlErrorLine matches the position yaml.v3 puts in its messages.
var yamlErrorLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a yaml.v3 error into a diagnostic. yaml.v3 reports a
// line only (for some errors the line of the enclosing construct), so the
// column is found by parsing prefixes of the text: the shortest prefix
// that fails with the same message ends at the offending token. When that
// search does not reproduce the error, the diagnostic covers the reported
// line.
func syntaxError(src *source, err error) *hcl.Diagnostic {
	msg := err.Error()
	line := 0
	if m := yamlErrorLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "YAML syntax error", Detail: upperFirst(msg) + "."}
	if off, ok := locateYAMLError(src.data, msg); ok {
		r := src.rng(off, off)
		// Cover the character before the cut: the token that failed.
		if off > 0 {
			_, n := utf8.DecodeLastRune(src.data[:off])
			r = src.rng(off-n, off)
		}
		d.Subject = &r
		return d
	}
	line = max(1, min(line, len(src.lines)))
	li := src.lines[line-1]
	from := li.start
	for from < li.end && isBlankByte(src.data[from]) {
		from++
	}
	r := src.rng(from, li.end)
	d.Subject = &r
	return d
}

// locateYAMLError finds the shortest prefix of data, cut at a rune
// boundary, whose parse fails with the message msg (a binary search: once
// the offending token is in the prefix, longer prefixes fail the same way).
func locateYAMLError(data []byte, msg string) (int, bool) {
	if strings.Contains(msg, "end of stream") || strings.Contains(msg, "unknown anchor") {
		return 0, false
	}
	fails := func(n int) bool {
		var node yaml.Node
		err := safeUnmarshal(data[:n], &node)
		if err == nil {
			return false
		}
		m := err.Error()
		if sm := yamlErrorLine.FindStringSubmatch(m); sm != nil {
			m = sm[2]
		}
		return m == msg
	}
	n := sort.Search(len(data)+1, func(n int) bool {
		for n < len(data) && n > 0 && !utf8.RuneStart(data[n]) {
			n++
		}
		return fails(n)
	})
	for n < len(data) && n > 0 && !utf8.RuneStart(data[n]) {
		n++
	}
	if n > len(data) || !fails(n) {
		return 0, false
	}
	return n, true
}

// safeUnmarshal parses YAML into a node, turning a panic in the parser
// into an error.
func safeUnmarshal(data []byte, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: parser failure: %v", r)
		}
	}()
	return yaml.Unmarshal(data, n)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}
