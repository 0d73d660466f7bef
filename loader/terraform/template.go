package terraform

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// tmplSrc is a string template — a quoted string, a heredoc or a
// templatefile() file — that may hold a JSON policy.
type tmplSrc struct {
	e   *hclsyntax.TemplateExpr
	ctx *hcl.EvalContext
	raw bool // no backslash escapes (heredocs, template files)

	done   bool
	result docResult
}

// rendered is a template's output with a map back to its source.
type rendered struct {
	text     string
	segs     []seg
	unknowns []hcl.Range // interpolations whose value is not known
	frozen   map[int]hcl.Range
	filename string
}

// seg says where the rendered text from off onwards came from: either a
// run of literal text starting at pos (one line, copied verbatim) or, when
// frozen, an interpolation whose whole output maps to its range.
type seg struct {
	off    int
	pos    hcl.Pos
	frozen bool
	end    hcl.Pos
}

func isQuoted(data []byte, rng hcl.Range) bool {
	return rng.Start.Byte >= 0 && rng.Start.Byte < len(data) && data[rng.Start.Byte] == '"'
}

// render evaluates the template part by part. Literal parts are aligned
// with their source (undoing escapes, $${ and the indentation <<- strips)
// so every byte of output maps to the character that produced it;
// interpolations map to their expression. An interpolation whose value is
// unknown is written as its source, "${var.x}" — quoted and escaped as
// JSON needs where the output is not inside a JSON string — and listed in
// unknowns, so the policy still parses and the values it taints are
// marked unknown.
func (l *loader) render(t *tmplSrc) *rendered {
	r := &rendered{filename: t.e.Range().Filename, frozen: map[int]hcl.Range{}}
	var b strings.Builder
	var js jsonScan
	data := l.files[r.filename]
	for _, part := range t.e.Parts {
		off := b.Len()
		if lit, ok := part.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() {
			s := lit.Val.AsString()
			rng := lit.SrcRange
			var segs []seg
			if rng.Start.Byte >= 0 && rng.End.Byte <= len(data) && rng.Start.Byte <= rng.End.Byte &&
				align(data[rng.Start.Byte:rng.End.Byte], s, rng.Start, !t.raw, off, &segs) {
				r.segs = append(r.segs, segs...)
			} else {
				r.segs = append(r.segs, seg{off: off, pos: rng.Start, frozen: true, end: rng.End})
				r.frozen[rng.Start.Byte] = rng
			}
			b.WriteString(s)
			js.feed(s)
			continue
		}
		rng := part.Range()
		r.segs = append(r.segs, seg{off: off, pos: rng.Start, frozen: true, end: rng.End})
		r.frozen[rng.Start.Byte] = rng
		var text string
		known := false
		if t.ctx != nil {
			if v, diags := part.Value(t.ctx); !diags.HasErrors() && v.IsWhollyKnown() && !v.IsNull() {
				if sv, err := convert.Convert(v, cty.String); err == nil {
					sv, _ = sv.Unmark()
					text, known = sv.AsString(), true
				}
			}
		}
		if !known {
			r.unknowns = append(r.unknowns, rng)
			sym := "${" + l.srcText(rng) + "}"
			q, _ := json.Marshal(sym)
			if js.inStr {
				text = string(q[1 : len(q)-1])
			} else {
				text = string(q)
			}
		}
		b.WriteString(text)
		js.feed(text)
	}
	r.text = b.String()
	return r
}

// locate maps an offset of the rendered text to its source position.
func (r *rendered) locate(off int) hcl.Pos {
	i := sort.Search(len(r.segs), func(i int) bool { return r.segs[i].off > off }) - 1
	if i < 0 {
		if len(r.segs) == 0 {
			return hcl.InitialPos
		}
		return r.segs[0].pos
	}
	s := r.segs[i]
	if s.frozen {
		return s.pos
	}
	end := min(off, len(r.text))
	p := s.pos
	p.Byte += end - s.off
	p.Column += utf8.RuneCountInString(r.text[s.off:end])
	return p
}

// align maps the decoded text dec of a literal template part to its
// source src (starting at start), appending segments whose offsets are
// base plus the offset in dec. It reports false when the two cannot be
// matched, and the caller falls back to the whole part's range.
func align(src []byte, dec string, start hcl.Pos, quoted bool, base int, segs *[]seg) bool {
	i, j := 0, 0
	pos := start
	mark := func() { *segs = append(*segs, seg{off: base + j, pos: pos}) }
	mark()
	for j < len(dec) {
		if i >= len(src) {
			return false
		}
		c := src[i]
		if quoted && c == '\\' {
			n, out := decodeEscape(src[i:])
			if n == 0 || !strings.HasPrefix(dec[j:], out) {
				return false
			}
			mark()
			i += n
			j += len(out)
			pos.Byte += n
			pos.Column += n
			mark()
			continue
		}
		if (c == '$' || c == '%') && i+2 < len(src) && src[i+1] == c && src[i+2] == '{' &&
			j+1 < len(dec) && dec[j] == c && dec[j+1] == '{' {
			// "$${" is written for a literal "${".
			i++
			pos.Byte++
			pos.Column++
			mark()
			continue
		}
		if c == dec[j] {
			if c == '\n' {
				i++
				j++
				pos = hcl.Pos{Line: pos.Line + 1, Column: 1, Byte: pos.Byte + 1}
				mark()
				continue
			}
			_, size := utf8.DecodeRune(src[i:])
			if j+size > len(dec) || string(src[i:i+size]) != dec[j:j+size] {
				return false
			}
			i += size
			j += size
			pos.Byte += size
			pos.Column++
			continue
		}
		switch c {
		case ' ', '\t', '\r':
			// Indentation a <<- heredoc strips, white space a ~ strip
			// marker removes, or a carriage return.
			i++
			pos.Byte++
			pos.Column++
			mark()
			continue
		case '\n':
			i++
			pos = hcl.Pos{Line: pos.Line + 1, Column: 1, Byte: pos.Byte + 1}
			mark()
			continue
		}
		return false
	}
	return true
}

// decodeEscape decodes the escape sequence of a quoted HCL string at the
// start of src, returning the bytes consumed and the text produced.
func decodeEscape(src []byte) (int, string) {
	if len(src) < 2 {
		return 0, ""
	}
	switch src[1] {
	case 'n':
		return 2, "\n"
	case 'r':
		return 2, "\r"
	case 't':
		return 2, "\t"
	case '"':
		return 2, "\""
	case '\\':
		return 2, "\\"
	case 'u', 'U':
		n := 4
		if src[1] == 'U' {
			n = 8
		}
		if len(src) < 2+n {
			return 0, ""
		}
		cp, err := strconv.ParseUint(string(src[2:2+n]), 16, 32)
		if err != nil {
			return 0, ""
		}
		return 2 + n, string(rune(cp))
	}
	return 0, ""
}

// jsonScan follows whether the text written so far ends inside a JSON
// string, to know how to write a placeholder.
type jsonScan struct{ inStr, esc bool }

func (s *jsonScan) feed(text string) {
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case s.inStr && s.esc:
			s.esc = false
		case s.inStr && c == '\\':
			s.esc = true
		case c == '"':
			s.inStr = !s.inStr
		}
	}
}
