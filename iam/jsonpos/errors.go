package jsonpos

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// This file builds the diagnostics. Each one names what was found, what was
// expected and, where a common mistake explains the input, how to fix it.

func (p *parser) diag(summary, detail string, subject hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   detail,
		Subject:  subject.Ptr(),
	}
}

// token returns a short description of the text at offset i and its range:
// a whole word or number, one character, or the end of the input.
func (p *parser) token(i int) (string, hcl.Range) {
	d := p.data
	if i >= len(d) {
		return "the end of the input", p.span(len(d), len(d))
	}
	c := d[i]
	switch {
	case c == '"':
		return "a string", p.rng(i, 1, 1)
	case isWordByte(c) || c == '-':
		end := p.runEnd(i)
		return fmt.Sprintf("%q", d[i:end]), p.span(i, end)
	case c >= 0x20 && c < 0x7F:
		return fmt.Sprintf("'%c'", c), p.rng(i, 1, 1)
	case c < 0x80:
		return fmt.Sprintf("the control character U+%04X", c), p.rng(i, 1, 1)
	}
	r, n := utf8.DecodeRune(d[i:])
	if r == utf8.RuneError && n <= 1 {
		return fmt.Sprintf("the byte 0x%02X, which is not valid UTF-8", c), p.rng(i, 1, 1)
	}
	return fmt.Sprintf("'%c' (U+%04X)", r, r), p.rng(i, n, 1)
}

// mistake recognises input at offset i that is a familiar slip from another
// language (single quotes, comments, typographic quotes) or invalid UTF-8,
// and returns a diagnostic for it, or nil.
func (p *parser) mistake(i int) *hcl.Diagnostic {
	d := p.data
	if i >= len(d) {
		return nil
	}
	switch c := d[i]; {
	case c == '\'':
		return p.diag("Single-quoted string",
			"JSON strings and object keys must be enclosed in double quotes (\"), not single quotes.",
			p.rng(i, 1, 1))
	case c == '#' || c == '/' && i+1 < len(d) && (d[i+1] == '/' || d[i+1] == '*'):
		n := 1
		if c == '/' {
			n = 2
		}
		return p.diag("Comments are not allowed in JSON",
			"JSON has no comment syntax; remove the comment. To annotate an IAM statement, use its Sid.",
			p.rng(i, n, n))
	case c >= 0x80:
		r, n := utf8.DecodeRune(d[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			return p.errUTF8(i)
		case r == '\u201C' || r == '\u201D' || r == '\u2018' || r == '\u2019':
			return p.diag("Typographic quote",
				fmt.Sprintf("Found '%c' (U+%04X). JSON strings must use straight double quotes (\"); typographic quotes often come from copying text out of a word processor or web page.", r, r),
				p.rng(i, n, 1))
		}
	}
	return nil
}

func (p *parser) errTooLarge() *hcl.Diagnostic {
	return p.diag("Input too large",
		fmt.Sprintf("The input is %d bytes; at most %d bytes (64 MiB) of JSON are accepted. IAM policies are limited to a few kilobytes, so this is probably not a policy document.", len(p.data), MaxInputSize),
		p.span(0, 0))
}

func (p *parser) errEmpty() *hcl.Diagnostic {
	return p.diag("Empty JSON input",
		"Expected a JSON value, such as a policy document {\"Version\": \"2012-10-17\", \"Statement\": [...]}, but the input is empty or holds only whitespace.",
		p.span(p.i, p.i))
}

func (p *parser) errDepth() *hcl.Diagnostic {
	return p.diag("Nesting too deep",
		fmt.Sprintf("Arrays and objects are nested more than %d levels deep here; the limit is %d. IAM policies nest only a few levels, so check that this is the file you meant.", p.maxDepth, p.maxDepth),
		p.rng(p.i, 1, 1))
}

// errValue reports the text at p.i, where a value should start.
func (p *parser) errValue() *hcl.Diagnostic {
	if diag := p.mistake(p.i); diag != nil {
		return diag
	}
	d := p.data
	c := d[p.i]
	switch {
	case c == '+':
		return p.errNumber(p.i, "A JSON number cannot start with '+'; remove the plus sign.")
	case c == '.':
		return p.errNumber(p.i, "A JSON number needs a digit before the decimal point, as in 0.5.")
	}
	found, r := p.token(p.i)
	if len(p.stack) > 0 && (c == ',' || c == '}' || c == ']') {
		after := "','"
		if f := p.top(); f.v.Kind == Object {
			after = "':'"
		} else if len(p.elems) == f.start {
			after = "'['"
		}
		return p.diag("Missing value",
			fmt.Sprintf("Expected a value after %s, but found %s. Add the missing value, or remove the extra separator.", after, found),
			r)
	}
	return p.diag("Unexpected character",
		fmt.Sprintf("Expected a JSON value (an object, array, string, number, true, false or null), but found %s.", found),
		r)
}

// errKey reports the text at p.i, where an object key should start.
func (p *parser) errKey() *hcl.Diagnostic {
	if diag := p.mistake(p.i); diag != nil {
		return diag
	}
	found, r := p.token(p.i)
	detail := fmt.Sprintf("Expected an object key in double quotes, such as \"Effect\", but found %s.", found)
	if c := p.data[p.i]; isWordByte(c) || c == '-' {
		w := p.text[p.i:p.runEnd(p.i)]
		detail = fmt.Sprintf("Object keys must be strings in double quotes: write \"%s\" instead of %s.", w, w)
	}
	return p.diag("Invalid object key", detail, r)
}

func (p *parser) errColon(m Member) *hcl.Diagnostic {
	found, r := p.token(p.i)
	diag := p.diag("Missing colon",
		fmt.Sprintf("Expected ':' after the object key %q, but found %s. Separate each key from its value with a colon.", m.Key, found),
		r)
	diag.Context = hcl.RangeBetween(m.KeyRange, r).Ptr()
	return diag
}

func (p *parser) errMissingComma(f *frame) *hcl.Diagnostic {
	if diag := p.mistake(p.i); diag != nil {
		return diag
	}
	found, r := p.token(p.i)
	what, closer := "array element", ']'
	if f.v.Kind == Object {
		what, closer = "object member", '}'
	}
	return p.diag("Missing comma",
		fmt.Sprintf("Expected ',' or '%c' after the %s, but found %s. Separate %ss with commas.", closer, what, found, what),
		r)
}

func (p *parser) errTrailingComma(m mark, comma int, f *frame) *hcl.Diagnostic {
	closer := ']'
	if f.v.Kind == Object {
		closer = '}'
	}
	start := p.posAt(m, comma)
	end := start
	if p.locate != nil {
		end = p.locate(comma + 1)
	} else {
		end.Column++
		end.Byte++
	}
	return p.diag("Trailing comma",
		fmt.Sprintf("A trailing comma is not allowed in JSON; remove the ',' before '%c'.", closer),
		hcl.Range{Filename: p.filename, Start: start, End: end})
}

// bracket returns the range of the opening bracket of f.
func (p *parser) bracket(f *frame) hcl.Range {
	r := hcl.Range{Filename: p.filename, Start: f.v.Range.Start, End: f.v.Range.Start}
	if p.locate != nil {
		r.End = p.locate(f.open + 1)
	} else {
		r.End.Column++
		r.End.Byte++
	}
	return r
}

func (p *parser) errUnclosed(f *frame) *hcl.Diagnostic {
	what, closer := "array", ']'
	if f.v.Kind == Object {
		what, closer = "object", '}'
	}
	open := f.v.Range.Start
	diag := p.diag("Unclosed "+what,
		fmt.Sprintf("The input ends before the %s opened at line %d, column %d is closed. Add the missing '%c', or look for a missing bracket or quote earlier in the %s.", what, open.Line, open.Column, closer, what),
		p.span(len(p.data), len(p.data)))
	diag.Context = hcl.RangeBetween(p.bracket(f), *diag.Subject).Ptr()
	return diag
}

func (p *parser) errMismatch(f *frame) *hcl.Diagnostic {
	what, closer := "array", ']'
	if f.v.Kind == Object {
		what, closer = "object", '}'
	}
	open := f.v.Range.Start
	r := p.rng(p.i, 1, 1)
	diag := p.diag("Mismatched bracket",
		fmt.Sprintf("Expected ',' or '%c' to continue or close the %s opened at line %d, column %d, but found '%c'.", closer, what, open.Line, open.Column, p.data[p.i]),
		r)
	diag.Context = hcl.RangeBetween(p.bracket(f), r).Ptr()
	return diag
}

func (p *parser) errExtra(v *Value) *hcl.Diagnostic {
	if diag := p.mistake(p.i); diag != nil {
		return diag
	}
	found, r := p.token(p.i)
	end := v.Range.End
	return p.diag("Extra data after JSON value",
		fmt.Sprintf("The JSON value ends at line %d, column %d, but %s follows. A document holds exactly one value: remove the extra text, or wrap several values in an array.", end.Line, end.Column, found),
		r)
}

func (p *parser) errUnterminated(quote hcl.Pos, i int) *hcl.Diagnostic {
	detail := "The string has no closing quote before the end of the input. Add the closing \"."
	if i < len(p.data) {
		detail = "The string has no closing quote before the end of the line. Add the closing \"; a line break inside a string must be written as \\n."
	}
	return p.diag("Unterminated string", detail,
		hcl.Range{Filename: p.filename, Start: quote, End: p.pos(i)})
}

func (p *parser) errControl(i int) *hcl.Diagnostic {
	c := p.data[i]
	esc := fmt.Sprintf(`\u%04x`, c)
	switch c {
	case '\t':
		esc = `\t`
	case '\b':
		esc = `\b`
	case '\f':
		esc = `\f`
	}
	return p.diag("Control character in string",
		fmt.Sprintf("The string contains the control character U+%04X, which JSON requires to be escaped; write it as %s.", c, esc),
		p.rng(i, 1, 1))
}

func (p *parser) errUTF8(i int) *hcl.Diagnostic {
	return p.diag("Invalid UTF-8",
		fmt.Sprintf("The byte 0x%02X is not valid UTF-8. JSON text must be encoded as UTF-8; convert the file (it may be Latin-1 or UTF-16).", p.data[i]),
		p.rng(i, 1, 1))
}

func (p *parser) errEscape(i int) *hcl.Diagnostic {
	d := p.data
	c := d[i+1]
	var what string
	var r hcl.Range
	switch size := 0; {
	case c >= 0x20 && c < 0x7F:
		what, r = p.text[i:i+2]+" is not a JSON escape.", p.rng(i, 2, 2)
	case c >= 0x80 && utf8.FullRune(d[i+1:]):
		_, size = utf8.DecodeRune(d[i+1:])
		what, r = p.text[i:i+1+size]+" is not a JSON escape.", p.rng(i, 1+size, 2)
	default:
		what, r = fmt.Sprintf("A backslash followed by byte 0x%02X is not a JSON escape.", c), p.rng(i, 1, 1)
	}
	return p.diag("Invalid escape sequence",
		what+" The escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; write \\\\ for a literal backslash.",
		r)
}

func (p *parser) errUnicodeEscape(i int) *hcl.Diagnostic {
	d := p.data
	j := i + 2
	for j < len(d) && j < i+6 && isHex(d[j]) {
		j++
	}
	return p.diag("Invalid escape sequence",
		fmt.Sprintf("%s is not a valid escape: \\u must be followed by exactly four hexadecimal digits, as in \\u00e9.", p.text[i:j]),
		p.span(i, j))
}

// runEnd returns the end of the word or number-like run that starts at i
// (at least one byte), so that a diagnostic can cover all of it.
func (p *parser) runEnd(i int) int {
	i++
	for i < len(p.data) && isNumberish(p.data[i]) {
		i++
	}
	return i
}

func isHex(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// errNumber reports a malformed number starting at offset start; the
// subject covers everything that looks like part of it.
func (p *parser) errNumber(start int, detail string) *hcl.Diagnostic {
	end := p.runEnd(start)
	return p.diag("Invalid number",
		fmt.Sprintf("%s is not a valid JSON number. %s", p.text[start:end], detail),
		p.span(start, end))
}

// errWord reports the bare word p.text[start:end].
func (p *parser) errWord(start, end int) *hcl.Diagnostic {
	w := p.text[start:end]
	r := p.span(start, end)
	switch lw := strings.ToLower(w); lw {
	case "true", "false", "null":
		return p.diag("Invalid literal",
			fmt.Sprintf("JSON literals are lower case: write %s instead of %s.", lw, w), r)
	case "none", "nil", "undefined":
		return p.diag("Invalid literal",
			fmt.Sprintf("%s is not a JSON value; write null.", w), r)
	case "nan", "infinity", "inf":
		return p.diag("Invalid number",
			fmt.Sprintf("JSON has no %s value; use a finite number, or a string.", w), r)
	}
	return p.diag("Unquoted string",
		fmt.Sprintf("Expected a JSON value, but found the bare word %s. If it is meant to be a string, enclose it in double quotes: \"%s\".", w, w),
		r)
}
