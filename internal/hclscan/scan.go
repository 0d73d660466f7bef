// Package hclscan walks the structure of HCL native syntax byte by byte:
// comments, quoted strings, heredocs, template sequences and the nesting
// of brackets. It allocates nothing and does no grapheme segmentation, so
// it is far cheaper than hclsyntax's lexer when all a caller needs is where
// comments are and where an item ends: the Terraform loader's cuts between
// top-level blocks and the iamlint:ignore scan.
//
// It follows hclsyntax's rules for what it recognises and reports a file
// whose structure it cannot follow (an unterminated string, heredoc or
// comment, an unbalanced bracket) as not ok; callers then fall back on
// hclsyntax, whose diagnostics are the authority.
package hclscan

import "bytes"

// Visitor receives what Scan finds, in source order. A nil field is not
// called.
type Visitor struct {
	// Comment is called for each comment: `#` and `//` comments end
	// before their newline (and the carriage return of a CRLF), `/* */`
	// comments after the `*/`.
	Comment func(start, end int)
	// Code is called at the first byte of code on each line (not
	// whitespace, not a comment, not in a heredoc), with the nesting depth
	// before it.
	Code func(at, depth int)
	// Newline is called at each newline that ends a line of code (not one
	// in a heredoc or a block comment), with the nesting depth
	// there: 0 outside every bracket, brace, parenthesis, string, heredoc
	// and template sequence.
	Newline func(at, depth int)
}

// frame kinds.
const (
	code    = 'c'
	quoted  = 's'
	heredoc = 'h'
)

type frame struct {
	kind  byte
	depth int    // open brackets in a code frame
	id    []byte // heredoc terminator
}

// Scan walks src and reports to v. ok is false when the structure cannot
// be followed to the end; what was reported up to that point stands.
func Scan(src []byte, v Visitor) (ok bool) {
	d := src
	stack := []frame{{kind: code}}
	depth := 0       // total nesting: brackets plus string, heredoc and template frames
	lineCode := true // no code seen yet on this line
	lineStart := true
	heredocs := 0 // open heredocs: no code lines inside them
	// template steps over d[i] in a string or heredoc: over a whole
	// escaped sequence opener ("$${", "%%{"), which stays text, or into
	// the code of a "${" or "%{".
	template := func(i int) int {
		c := d[i]
		if c != '$' && c != '%' || i+1 >= len(d) {
			return 1
		}
		if d[i+1] == c && i+2 < len(d) && d[i+2] == '{' {
			return 3
		}
		if d[i+1] == '{' {
			stack = append(stack, frame{kind: code})
			depth++
			return 2
		}
		return 1
	}
	for i := 0; i < len(d); {
		f := &stack[len(stack)-1]
		c := d[i]
		switch f.kind {
		case code:
			switch {
			case c == ' ' || c == '\t' || c == '\r':
				i++
				continue
			case c == '#' || c == '/' && i+1 < len(d) && d[i+1] == '/':
				j := i
				for j < len(d) && d[j] != '\n' {
					j++
				}
				if v.Comment != nil {
					end := j
					if end < len(d) && end > i && d[end-1] == '\r' {
						end--
					}
					v.Comment(i, end)
				}
				i = j
				continue
			case c == '/' && i+1 < len(d) && d[i+1] == '*':
				end := bytes.Index(d[i+2:], []byte("*/"))
				if end < 0 {
					return false
				}
				if v.Comment != nil {
					v.Comment(i, i+end+4)
				}
				if bytes.IndexByte(d[i:i+end+4], '\n') >= 0 {
					lineCode = true // what follows starts a line
				}
				i += end + 4
				continue
			case c == '\n':
				if v.Newline != nil && heredocs == 0 {
					v.Newline(i, depth)
				}
				lineCode = true
				i++
				continue
			}
			if lineCode {
				lineCode = false
				if v.Code != nil && heredocs == 0 {
					v.Code(i, depth)
				}
			}
			switch {
			case c == '"':
				stack = append(stack, frame{kind: quoted})
				depth++
			case c == '<' && i+1 < len(d) && d[i+1] == '<':
				j := i + 2
				if j < len(d) && d[j] == '-' {
					j++
				}
				k := j
				for k < len(d) && isIdent(d[k]) {
					k++
				}
				if k == j || k >= len(d) || d[k] != '\n' && !(d[k] == '\r' && k+1 < len(d) && d[k+1] == '\n') {
					return false
				}
				stack = append(stack, frame{kind: heredoc, id: d[j:k]})
				depth++
				heredocs++
				for d[k] != '\n' {
					k++
				}
				i = k + 1
				lineStart = true
				continue
			case c == '{' || c == '[' || c == '(':
				f.depth++
				depth++
			case c == '}' || c == ']' || c == ')':
				if f.depth == 0 {
					if len(stack) == 1 || c != '}' {
						return false
					}
					stack = stack[:len(stack)-1] // end of a template sequence
				} else {
					f.depth--
				}
				depth--
			}
			i++
		case quoted:
			switch {
			case c == '\\':
				i += 2
				continue
			case c == '"':
				stack = stack[:len(stack)-1]
				depth--
			case c == '\n':
				return false
			}
			i += template(i)
		case heredoc:
			if lineStart {
				lineStart = false
				j := i
				for j < len(d) && (d[j] == ' ' || d[j] == '\t') {
					j++
				}
				if bytes.HasPrefix(d[j:], f.id) {
					k := j + len(f.id)
					for k < len(d) && (d[k] == ' ' || d[k] == '\t' || d[k] == '\r') {
						k++
					}
					if k == len(d) || d[k] == '\n' {
						stack = stack[:len(stack)-1]
						depth--
						heredocs--
						i = k
						continue
					}
				}
			}
			if c == '\n' {
				lineStart = true
			}
			i += template(i)
		}
	}
	return len(stack) == 1 && stack[0].depth == 0
}

func isIdent(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// TopLevelCuts returns byte offsets, at least size bytes apart, of lines
// that start a top-level item (outside any block, string, heredoc or
// comment, with an identifier first). nil means the file is smaller than
// two pieces or its structure is unclear.
func TopLevelCuts(src []byte, size int) []int {
	if len(src) < 2*size {
		return nil
	}
	var cuts []int
	last := 0
	ok := Scan(src, Visitor{Newline: func(at, depth int) {
		if depth == 0 && at+1 < len(src) && at+1-last >= size && isIdentStart(src[at+1]) {
			cuts = append(cuts, at+1)
			last = at + 1
		}
	}})
	if !ok {
		return nil
	}
	return cuts
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}
