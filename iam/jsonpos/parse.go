package jsonpos

import (
	"unicode/utf16"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

const (
	// DefaultMaxDepth is the nesting limit used when Options.MaxDepth is
	// zero. Real IAM policies nest fewer than ten levels.
	DefaultMaxDepth = 512

	// MaxInputSize is the largest input Parse accepts, in bytes. AWS caps
	// a policy at a few kilobytes, so anything near this size is not a
	// policy; the limit bounds the memory one stray file can cost.
	MaxInputSize = 64 << 20
)

// Options tell Parse how to name and place the positions it reports.
type Options struct {
	// Filename is copied into every reported range.
	Filename string

	// Base is the position of data[0] in the outer file, for JSON that
	// starts part-way into it (a heredoc, say). A character at inner line
	// 1, column c is reported at (Base.Line, Base.Column+c-1); one at
	// inner line n > 1 at (Base.Line+n-1, c). Byte offsets are
	// Base.Byte+offset. A zero Line or Column counts as 1, so the zero
	// Base means the start of the file.
	Base hcl.Pos

	// Locate, when non-nil, replaces Base: it maps a byte offset in data
	// (0 to len(data) inclusive) to a position in the outer file. Use it
	// when data is the decoded content of an escaped string, for example
	// with the InnerPos method of the string's Value.
	Locate func(offset int) hcl.Pos

	// MaxDepth bounds how deeply arrays and objects may nest. Zero or a
	// negative value means DefaultMaxDepth.
	MaxDepth int
}

// Parse parses data as exactly one JSON value (RFC 8259), optionally
// surrounded by whitespace and preceded by a UTF-8 byte order mark.
//
// Positions follow hcl conventions: lines and columns start at 1, columns
// count Unicode characters, Byte is a 0-based byte offset, and ranges are
// half-open. LF, CR LF and a lone CR each end a line. A leading byte order
// mark is skipped: it occupies bytes 0 to 2 but no column.
//
// Parse is strict where encoding/json is lenient: invalid UTF-8 anywhere is
// an error rather than being replaced. An unpaired UTF-16 surrogate escape
// decodes to U+FFFD, as in encoding/json.
//
// On error Parse returns nil and a single error diagnostic whose Subject is
// the offending text.
func Parse(data []byte, opts Options) (*Value, hcl.Diagnostics) {
	p := parser{
		data:     data,
		filename: opts.Filename,
		base:     opts.Base,
		locate:   opts.Locate,
		maxDepth: opts.MaxDepth,
		line:     1,
	}
	if p.base.Line < 1 {
		p.base.Line = 1
	}
	if p.base.Column < 1 {
		p.base.Column = 1
	}
	if p.maxDepth <= 0 {
		p.maxDepth = DefaultMaxDepth
	}
	if len(data) > MaxInputSize {
		return nil, hcl.Diagnostics{p.errTooLarge()}
	}
	// Strings and numbers without escapes are substrings of this single
	// copy, which saves an allocation per value.
	p.text = string(data)
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		p.i = 3
		p.lineStart = 3
	}
	v, diag := p.run()
	if diag != nil {
		return nil, hcl.Diagnostics{diag}
	}
	return v, nil
}

type parser struct {
	data     []byte
	text     string // data as a string
	filename string
	base     hcl.Pos
	locate   func(int) hcl.Pos
	maxDepth int

	// Scanning state. The column of offset off on the current line is
	// off - lineStart - cont + 1: cont counts the UTF-8 continuation bytes
	// already passed on this line, which can only occur inside strings.
	i         int
	line      int
	lineStart int
	cont      int

	stack   []frame
	elems   []*Value // elements of the open arrays, innermost last
	members []Member // members of the open objects, innermost last
	buf     []byte   // decoded text of a string with escapes
	esc     []escape // escapes of the string being scanned

	// Slabs that values and finished slices are carved from, so that a
	// document costs a handful of allocations rather than one per value.
	vals       []Value
	elemSlab   []*Value
	memberSlab []Member
}

// frame is an open array or object.
type frame struct {
	v     *Value
	open  int // offset of the bracket
	start int // index of its first element or member in elems or members
}

func (p *parser) run() (*Value, *hcl.Diagnostic) {
	p.skipWS()
	if p.i >= len(p.data) {
		return nil, p.errEmpty()
	}
	d := p.data
	for {
		// A value starts at p.i, after any whitespace.
		if p.i >= len(d) {
			return nil, p.errUnclosed(p.top())
		}
		var v *Value
		var diag *hcl.Diagnostic
		switch c := d[p.i]; {
		case c == '{' || c == '[':
			if len(p.stack) >= p.maxDepth {
				return nil, p.errDepth()
			}
			kind, closer := Array, byte(']')
			if c == '{' {
				kind, closer = Object, '}'
			}
			nv := p.newValue(kind)
			nv.Range.Start = p.pos(p.i)
			start := len(p.elems)
			if kind == Object {
				start = len(p.members)
			}
			p.stack = append(p.stack, frame{v: nv, open: p.i, start: start})
			p.i++
			p.skipWS()
			if p.i < len(d) && d[p.i] == closer {
				v = p.close()
				break
			}
			if kind == Object {
				if diag := p.key(); diag != nil {
					return nil, diag
				}
			}
			continue
		case c == '"':
			v = p.newValue(String)
			var str *strMap
			v.Str, v.Range, str, diag = p.scanString()
			v.str = str
		case c == '-' || c >= '0' && c <= '9':
			v, diag = p.number()
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			v, diag = p.word()
		default:
			diag = p.errValue()
		}
		if diag != nil {
			return nil, diag
		}

		// v is complete: hand it to the enclosing array or object and
		// move past the separator that follows, closing containers as
		// their brackets come.
		for {
			if len(p.stack) == 0 {
				p.skipWS()
				if p.i < len(d) {
					return nil, p.errExtra(v)
				}
				return v, nil
			}
			f := p.top()
			closer := byte(']')
			if f.v.Kind == Object {
				closer = '}'
				p.members[len(p.members)-1].Value = v
			} else {
				p.elems = append(p.elems, v)
			}
			p.skipWS()
			if p.i >= len(d) {
				return nil, p.errUnclosed(f)
			}
			c := d[p.i]
			if c == closer {
				v = p.close()
				continue
			}
			if c != ',' {
				if c == '}' || c == ']' {
					return nil, p.errMismatch(f)
				}
				return nil, p.errMissingComma(f)
			}
			comma, cm := p.i, p.mark()
			p.i++
			p.skipWS()
			if p.i < len(d) && d[p.i] == closer {
				return nil, p.errTrailingComma(cm, comma, f)
			}
			if f.v.Kind == Object {
				if diag := p.key(); diag != nil {
					return nil, diag
				}
			}
			break
		}
	}
}

func (p *parser) top() *frame { return &p.stack[len(p.stack)-1] }

// close finishes the innermost container, whose closing bracket is at p.i.
func (p *parser) close() *Value {
	f := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	v := f.v
	if v.Kind == Array {
		if n := len(p.elems) - f.start; n > 0 {
			v.Elems = p.allocElems(n)
			copy(v.Elems, p.elems[f.start:])
			clear(p.elems[f.start:])
			p.elems = p.elems[:f.start]
		}
	} else if n := len(p.members) - f.start; n > 0 {
		v.Members = p.allocMembers(n)
		copy(v.Members, p.members[f.start:])
		clear(p.members[f.start:])
		p.members = p.members[:f.start]
	}
	p.i++
	v.Range.End = p.pos(p.i)
	return v
}

// key scans an object key and the colon after it, leaving p.i at the start
// of the member's value. The member is pushed with a nil Value.
func (p *parser) key() *hcl.Diagnostic {
	d := p.data
	if p.i >= len(d) {
		return p.errUnclosed(p.top())
	}
	if d[p.i] != '"' {
		return p.errKey()
	}
	var m Member
	var diag *hcl.Diagnostic
	m.Key, m.KeyRange, _, diag = p.scanString()
	if diag != nil {
		return diag
	}
	p.members = append(p.members, m)
	p.skipWS()
	if p.i >= len(d) {
		return p.errUnclosed(p.top())
	}
	if d[p.i] != ':' {
		return p.errColon(m)
	}
	p.i++
	p.skipWS()
	return nil
}

// skipWS moves past JSON whitespace, counting line ends.
func (p *parser) skipWS() {
	d, i := p.data, p.i
	for i < len(d) {
		switch d[i] {
		case ' ', '\t':
			i++
		case '\n':
			i++
			p.newline(i)
		case '\r':
			i++
			if i < len(d) && d[i] == '\n' {
				i++
			}
			p.newline(i)
		default:
			p.i = i
			return
		}
	}
	p.i = i
}

func (p *parser) newline(start int) {
	p.line++
	p.lineStart = start
	p.cont = 0
}

// pos returns the outer position of offset off, which must lie on the
// current line with no unaccounted multi-byte characters before it.
func (p *parser) pos(off int) hcl.Pos { return p.posAt(p.mark(), off) }

// mark is the line state at some point of the scan, kept so that a position
// passed earlier can be reported after the scan has moved on.
type mark struct{ line, lineStart, cont int }

func (p *parser) mark() mark { return mark{p.line, p.lineStart, p.cont} }

// posAt returns the outer position of offset off on the line described by m.
func (p *parser) posAt(m mark, off int) hcl.Pos {
	if p.locate != nil {
		return p.locate(off)
	}
	col := off - m.lineStart - m.cont + 1
	if m.line == 1 {
		return hcl.Pos{Line: p.base.Line, Column: p.base.Column + col - 1, Byte: p.base.Byte + off}
	}
	return hcl.Pos{Line: p.base.Line + m.line - 1, Column: col, Byte: p.base.Byte + off}
}

// rng returns the range of n bytes forming runes characters from off.
func (p *parser) rng(off, n, runes int) hcl.Range {
	start := p.pos(off)
	end := start
	if p.locate != nil {
		end = p.locate(off + n)
	} else {
		end.Column += runes
		end.Byte += n
	}
	return hcl.Range{Filename: p.filename, Start: start, End: end}
}

// span returns the range from offset a to offset b on the current line;
// any multi-byte characters between them must already be counted.
func (p *parser) span(a, b int) hcl.Range {
	return hcl.Range{Filename: p.filename, Start: p.pos(a), End: p.pos(b)}
}

func (p *parser) newValue(k Kind) *Value {
	if len(p.vals) == 0 {
		p.vals = make([]Value, p.slabSize(valueChunk))
	}
	v := &p.vals[0]
	p.vals = p.vals[1:]
	v.Kind = k
	v.Range.Filename = p.filename
	return v
}

func (p *parser) allocElems(n int) []*Value {
	if n > len(p.elemSlab) {
		p.elemSlab = make([]*Value, max(n, p.slabSize(elemChunk)))
	}
	s := p.elemSlab[:n:n]
	p.elemSlab = p.elemSlab[n:]
	return s
}

func (p *parser) allocMembers(n int) []Member {
	if n > len(p.memberSlab) {
		p.memberSlab = make([]Member, max(n, p.slabSize(memberChunk)))
	}
	s := p.memberSlab[:n:n]
	p.memberSlab = p.memberSlab[n:]
	return s
}

// Values, members and element pointers are carved from slabs of at most
// these many entries: few enough that the unused tail of the last slab
// wastes little, many enough that a policy needs only a few allocations.
const (
	valueChunk  = 64
	memberChunk = 64
	elemChunk   = 256
)

// slabSize returns the size of the next slab: at most limit, and no more
// than the rest of the input could plausibly need, guessing one value per
// 16 bytes (minified policies run to about 20, pretty-printed ones to 35).
func (p *parser) slabSize(limit int) int {
	return max(4, min(limit, (len(p.data)-p.i)/16))
}

// plain marks the bytes that a string may contain without special
// handling: printable ASCII other than the quote and the backslash.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// scanString scans the string whose opening quote is at p.i and leaves p.i
// just past its closing quote.
func (p *parser) scanString() (string, hcl.Range, *strMap, *hcl.Diagnostic) {
	d := p.data
	quote := p.i
	quotePos := p.pos(quote)
	cont0 := p.cont
	i := quote + 1
	seg := i // start of source text not yet copied into buf
	escaped := false
	p.esc = p.esc[:0]
	for {
		for i < len(d) && plain[d[i]] {
			i++
		}
		if i >= len(d) {
			return "", hcl.Range{}, nil, p.errUnterminated(quotePos, i)
		}
		switch c := d[i]; {
		case c == '"':
			var s string
			if escaped {
				p.buf = append(p.buf, d[seg:i]...)
				s = string(p.buf)
			} else {
				s = p.text[quote+1 : i]
			}
			i++
			p.i = i
			r := hcl.Range{Filename: p.filename, Start: quotePos, End: p.pos(i)}
			var m *strMap
			if escaped || p.locate != nil {
				m = &strMap{locate: p.locate, off: quote}
				if escaped {
					m.esc = append([]escape(nil), p.esc...)
				}
			}
			return s, r, m, nil
		case c == '\\':
			if !escaped {
				escaped = true
				p.buf = p.buf[:0]
			}
			p.buf = append(p.buf, d[seg:i]...)
			e := escape{
				dec: int32(len(p.buf)),
				src: int32(i - quote),
				col: int32(i - quote - (p.cont - cont0)),
			}
			n, diag := p.unescape(i, quotePos)
			if diag != nil {
				return "", hcl.Range{}, nil, diag
			}
			e.srcLen = uint8(n)
			e.decLen = uint8(len(p.buf) - int(e.dec))
			p.esc = append(p.esc, e)
			i += n
			seg = i
		case c < 0x20:
			if c == '\n' || c == '\r' {
				return "", hcl.Range{}, nil, p.errUnterminated(quotePos, i)
			}
			return "", hcl.Range{}, nil, p.errControl(i)
		default:
			r, n := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && n <= 1 {
				return "", hcl.Range{}, nil, p.errUTF8(i)
			}
			p.cont += n - 1
			i += n
		}
	}
}

// unescape decodes the escape sequence at d[i] (a backslash) onto p.buf and
// returns its length in the source.
func (p *parser) unescape(i int, quotePos hcl.Pos) (int, *hcl.Diagnostic) {
	d := p.data
	if i+1 >= len(d) {
		return 0, p.errUnterminated(quotePos, len(d))
	}
	var c byte
	switch d[i+1] {
	case '"', '\\', '/':
		c = d[i+1]
	case 'b':
		c = '\b'
	case 'f':
		c = '\f'
	case 'n':
		c = '\n'
	case 'r':
		c = '\r'
	case 't':
		c = '\t'
	case 'u':
		r, ok := hex4(d, i+2)
		if !ok {
			return 0, p.errUnicodeEscape(i)
		}
		n := 6
		if utf16.IsSurrogate(r) {
			// A high surrogate followed by an escaped low surrogate
			// is one character; anything else is U+FFFD, and a
			// following escape is decoded on its own.
			r2, ok := rune(0), false
			if i+7 < len(d) && d[i+6] == '\\' && d[i+7] == 'u' {
				r2, ok = hex4(d, i+8)
			}
			if pair := utf16.DecodeRune(r, r2); ok && pair != utf8.RuneError {
				r, n = pair, 12
			} else {
				r = utf8.RuneError
			}
		}
		p.buf = utf8.AppendRune(p.buf, r)
		return n, nil
	default:
		return 0, p.errEscape(i)
	}
	p.buf = append(p.buf, c)
	return 2, nil
}

// hex4 decodes the four hexadecimal digits at d[i:].
func hex4(d []byte, i int) (rune, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	var r rune
	for _, c := range d[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// number scans a number at p.i, checking the RFC 8259 grammar
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *parser) number() (*Value, *hcl.Diagnostic) {
	d := p.data
	start, i := p.i, p.i
	if d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
		if i < len(d) && isDigit(d[i]) {
			return nil, p.errNumber(start, "A number cannot have a leading zero; write it without the zero, or as a string if it is an identifier such as an account ID.")
		}
	case i < len(d) && isDigit(d[i]):
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	default:
		return nil, p.errNumber(start, "A minus sign must be followed by a digit.")
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || !isDigit(d[i]) {
			return nil, p.errNumber(start, "A decimal point must be followed by at least one digit.")
		}
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || !isDigit(d[i]) {
			return nil, p.errNumber(start, "An exponent must have at least one digit.")
		}
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	}
	if i < len(d) && isNumberish(d[i]) {
		return nil, p.errNumber(start, "A JSON number is written in decimal: an optional minus sign, digits, an optional fraction and an optional exponent (for example -1.5e3). Quote the value if it is meant to be a string.")
	}
	v := p.newValue(Number)
	v.Str = p.text[start:i]
	v.Range = p.span(start, i)
	p.i = i
	return v, nil
}

// isNumberish reports whether c may continue something the user meant as a
// number, so that an error can cover all of it.
func isNumberish(c byte) bool {
	return isDigit(c) || isWordByte(c) || c == '.' || c == '+' || c == '-'
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_' || c == '$'
}

// word scans a bare word at p.i, which must be true, false or null.
func (p *parser) word() (*Value, *hcl.Diagnostic) {
	start := p.i
	end := p.wordEnd(start)
	var v *Value
	switch w := p.text[start:end]; w {
	case "true", "false":
		v = p.newValue(Bool)
		v.Bool = w == "true"
		v.Str = w
	case "null":
		v = p.newValue(Null)
		v.Str = w
	default:
		return nil, p.errWord(start, end)
	}
	v.Range = p.span(start, end)
	p.i = end
	return v, nil
}

func (p *parser) wordEnd(i int) int {
	for i < len(p.data) && isWordByte(p.data[i]) {
		i++
	}
	return i
}
