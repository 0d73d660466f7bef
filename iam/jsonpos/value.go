// Package jsonpos parses JSON while keeping the source range of every value,
// object key and character, so that findings about IAM policies can point at
// an exact file:line:column.
//
// Policies are often embedded in another file: a Terraform heredoc, or a JSON
// string inside another JSON document. Options.Base and Options.Locate let
// the parser report positions in that outer file, and Value.InnerPos maps a
// byte offset in a decoded string back to the outer source, which is what a
// nested Parse needs for its own Locate.
//
// The parser is iterative, so nesting depth costs heap memory rather than
// goroutine stack, and it tracks lines and columns while it scans: the cost
// is linear in the input however it is laid out.
package jsonpos

import (
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// Kind is the JSON type of a Value.
type Kind uint8

// The JSON types, in the order RFC 8259 lists the literal names first.
const (
	Null Kind = iota
	Bool
	Number
	String
	Object
	Array
)

// String returns the JSON name of the kind, as used in messages such as
// "expected a string, found an array".
func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Object:
		return "object"
	case Array:
		return "array"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Phrase names the kind with its article, for messages: "an object",
// "an array", "a string", "null".
func (k Kind) Phrase() string {
	switch k {
	case Object, Array:
		return "an " + k.String()
	case Null:
		return "null"
	}
	return "a " + k.String()
}

// Value is one parsed JSON value with its source range.
type Value struct {
	Kind Kind
	Bool bool // the value of a Bool (declared here, beside Kind, to save padding)
	// Range covers the whole value; for a string it includes both quotes,
	// for an object or array both brackets.
	Range hcl.Range
	// Str is the decoded text of a String, the literal text of a Number as
	// written (never reformatted), "true"/"false" for a Bool and "null" for
	// Null. It is empty for objects and arrays.
	Str string
	// Members holds an object's members in source order. Duplicate keys
	// are all kept, so callers can report them. Nil for an empty object.
	Members []Member
	// Elems holds an array's elements. Nil for an empty array.
	Elems []*Value

	// str is set for strings whose decoded offsets do not map to the
	// source by plain arithmetic: those with escapes, and every string
	// parsed with Options.Locate.
	str *strMap
}

// Member is one "key": value pair of an object.
type Member struct {
	Key      string
	KeyRange hcl.Range // includes the quotes
	Value    *Value
}

// strMap records how the decoded text of a string lines up with its source.
type strMap struct {
	locate func(int) hcl.Pos // Options.Locate, or nil
	off    int               // offset of the opening quote in the parsed data
	esc    []escape          // the escapes, in order
}

// escape describes one escape sequence (or a surrogate pair written as two)
// in a string. src and col are relative to the opening quote: the byte
// offset and the column offset of the backslash. Escape sequences are ASCII,
// so their length in bytes is also their width in columns.
type escape struct {
	dec    int32 // offset in the decoded text of the first byte produced
	src    int32
	col    int32
	srcLen uint8 // 2, 6 or 12 source bytes
	decLen uint8 // 1 to 4 decoded bytes
}

// Lookup returns the first member of an object whose key is exactly key
// (case-sensitive), or nil if there is none or v is not an object.
func (v *Value) Lookup(key string) *Member {
	if v == nil {
		return nil
	}
	for i := range v.Members {
		if v.Members[i].Key == key {
			return &v.Members[i]
		}
	}
	return nil
}

// InnerPos returns the source position of the character that produced the
// byte at offset in the decoded string v.Str. A byte produced by an escape
// maps to the escape's backslash; an offset inside a multi-byte character
// maps to that character. Offsets are clamped to [0, len(v.Str)], and
// len(v.Str) maps to the closing quote, so InnerPos(start) and InnerPos(end)
// give the half-open source range of v.Str[start:end].
//
// The result is in the same coordinates as v.Range: the outer file when the
// string was parsed with Options.Base or Options.Locate. Passing InnerPos as
// Options.Locate to a second Parse of v.Str reports that inner document's
// positions in the outer file.
//
// For values other than strings InnerPos returns v.Range.Start.
func (v *Value) InnerPos(offset int) hcl.Pos {
	if v == nil {
		return hcl.Pos{}
	}
	if v.Kind != String {
		return v.Range.Start
	}
	s := v.Str
	offset = max(0, min(offset, len(s)))
	for offset > 0 && offset < len(s) && !utf8.RuneStart(s[offset]) {
		offset--
	}

	// Start from the opening quote, or from just after the last escape
	// that begins at or before offset; the text in between is copied
	// verbatim from the source.
	src, col, dec := 1, 1, 0
	if v.str != nil {
		esc := v.str.esc
		k := sort.Search(len(esc), func(k int) bool { return int(esc[k].dec) > offset }) - 1
		if k >= 0 {
			e := esc[k]
			if offset < int(e.dec)+int(e.decLen) {
				return v.relPos(int(e.src), int(e.col))
			}
			src = int(e.src) + int(e.srcLen)
			col = int(e.col) + int(e.srcLen)
			dec = int(e.dec) + int(e.decLen)
		}
	}
	return v.relPos(src+offset-dec, col+utf8.RuneCountInString(s[dec:offset]))
}

// relPos converts a byte and column offset from a string's opening quote
// into a position. JSON strings cannot span lines, so without Locate the
// offsets simply add to the start of the range.
func (v *Value) relPos(src, col int) hcl.Pos {
	if v.str != nil && v.str.locate != nil {
		return v.str.locate(v.str.off + src)
	}
	st := v.Range.Start
	return hcl.Pos{Line: st.Line, Column: st.Column + col, Byte: st.Byte + src}
}
