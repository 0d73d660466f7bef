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
	"github.com/iamlint/iamlint/internal/yamltext"
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

// source locates byte offsets, lines and columns in one YAML text, as
// yaml.v3 counts them (see yamltext).
type source struct {
	filename string
	*yamltext.Text
}

func newSource(filename string, data []byte) *source {
	return &source{filename: filename, Text: yamltext.New(data)}
}

// offset returns the byte offset of a yaml.v3 line and column, clamped to
// the text.
func (s *source) offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(s.Lines) {
		return len(s.Data)
	}
	li := s.Lines[line-1]
	off := li.Start
	if line == 1 {
		off += s.BOM
	}
	if li.ASCII {
		return min(off+max(col-1, 0), li.End)
	}
	for c := 1; c < col && off < li.End; c++ {
		_, n := utf8.DecodeRune(s.Data[off:li.End])
		off += n
	}
	return off
}

func (s *source) rng(from, to int) hcl.Range {
	if to < from {
		to = from
	}
	return hcl.Range{Filename: s.filename, Start: s.Pos(from), End: s.Pos(to)}
}

// skipSpace skips blanks, line breaks and comments from i.
func (s *source) skipSpace(i int) int {
	d := s.Data
	for i < len(d) {
		switch c := d[i]; {
		case c == ' ' || c == '\t' || c == 0xEF && i+2 < len(d) && d[i+1] == 0xBB && d[i+2] == 0xBF:
			if c == 0xEF {
				i += 3
			} else {
				i++
			}
		case c == '#' && (i == 0 || isBlankByte(d[i-1]) || yamltext.Break(s.Data, i-1) > 0):
			for i < len(d) && yamltext.Break(s.Data, i) == 0 {
				i++
			}
		default:
			if n := yamltext.Break(s.Data, i); n > 0 {
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
	d := s.Data
	for i < len(d) && (d[i] == '!' || d[i] == '&') {
		for i < len(d) && !isBlankByte(d[i]) && yamltext.Break(s.Data, i) == 0 {
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

// scalarEnd returns the offsets where a scalar's content starts and where
// the scalar ends.
func (s *source) scalarEnd(n *yaml.Node, start int) (content, end int) {
	d := s.Data
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
	li := s.Lines[s.LineOf(content)]
	e := content
	for e < li.End && !(d[e] == '#' && e > 0 && isBlankByte(d[e-1])) {
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
	d := s.Data
	end := i
	for i < len(d) && (d[i] == '!' || d[i] == '&') {
		for i < len(d) && !isBlankByte(d[i]) && yamltext.Break(s.Data, i) == 0 && d[i] != ',' && d[i] != ']' && d[i] != '}' {
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
	d := s.Data
	j := 0
	for j < len(value) {
		if value[j] == ' ' || value[j] == '\n' {
			k := i
			for k < len(d) && (isBlankByte(d[k]) || yamltext.Break(s.Data, k) > 0) {
				k += max(yamltext.Break(s.Data, k), 1)
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
	ln := s.LineOf(i)
	end := s.Lines[ln].End
	// Trailing comment on the header line is not content.
	for e := i; e < s.Lines[ln].End; e++ {
		if s.Data[e] == '#' && e > i && isBlankByte(s.Data[e-1]) {
			break
		}
		if !isBlankByte(s.Data[e]) {
			end = e + 1
		}
	}
	indent := -1
	for k := ln + 1; k < len(s.Lines); k++ {
		li := s.Lines[k]
		w := 0
		for li.Start+w < li.End && s.Data[li.Start+w] == ' ' {
			w++
		}
		blank := true
		for e := li.Start + w; e < li.End; e++ {
			if !isBlankByte(s.Data[e]) {
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
		e := li.End
		for e > li.Start && isBlankByte(s.Data[e-1]) {
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
	d := s.Data
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
	ln := c.src.LineOf(header) + 1
	for k := ln; k < len(c.src.Lines); k++ {
		li := c.src.Lines[k]
		w := 0
		for li.Start+w < li.End && c.src.Data[li.Start+w] == ' ' {
			w++
		}
		if li.Start+w < li.End {
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
			if ln >= len(s.Lines) {
				return c.constant(v)
			}
			li := s.Lines[ln]
			if text == "" {
				starts, srcs = append(starts, off), append(srcs, li.Start+min(b.indent, li.End-li.Start))
			} else {
				at := li.Start + b.indent
				if at+len(text) > li.End || string(s.Data[at:at+len(text)]) != text {
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
			return s.Pos(srcs[k] + o - starts[k])
		}
	}
	// Verbatim text ending at (or one quote before) the end of the range.
	end := v.Range.End.Byte
	for _, q := range []int{0, 1} {
		at := end - q - len(str)
		if at >= v.Range.Start.Byte && at >= 0 && end-q <= len(s.Data) && string(s.Data[at:end-q]) == str && s.LineOf(at) == s.LineOf(max(end-q-1, at)) {
			return func(o int) hcl.Pos { return s.Pos(at + max(0, min(o, len(str)))) }
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
	if off, ok := locateYAMLError(src.Data, msg); ok {
		r := src.rng(off, off)
		// Cover the character before the cut: the token that failed.
		if off > 0 {
			_, n := utf8.DecodeLastRune(src.Data[:off])
			r = src.rng(off-n, off)
		}
		d.Subject = &r
		return d
	}
	line = max(1, min(line, len(src.Lines)))
	li := src.Lines[line-1]
	from := li.Start
	for from < li.End && isBlankByte(src.Data[from]) {
		from++
	}
	r := src.rng(from, li.End)
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
