package jsonpos

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// refPositions computes, the slow and obvious way, the position of every
// byte offset 0..len(data) under the package's conventions: LF, CR LF and
// a lone CR end lines, columns count runes (an invalid byte counts as one),
// and a leading byte order mark takes no column.
func refPositions(data []byte) []hcl.Pos {
	pos := make([]hcl.Pos, len(data)+1)
	line, col := 1, 1
	i := 0
	if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		for ; i < 3; i++ {
			pos[i] = hcl.Pos{Line: 1, Column: 1, Byte: i}
		}
	}
	for i < len(data) {
		_, n := utf8.DecodeRune(data[i:])
		for k := 0; k < n; k++ {
			pos[i+k] = hcl.Pos{Line: line, Column: col, Byte: i + k}
		}
		switch {
		case data[i] == '\n' || data[i] == '\r' && (i+1 >= len(data) || data[i+1] != '\n'):
			line, col = line+1, 1
		default:
			col++
		}
		i += n
	}
	pos[len(data)] = hcl.Pos{Line: line, Column: col, Byte: len(data)}
	return pos
}

// fmtPos and fmtRange write positions compactly as line:column@byte.
func fmtPos(p hcl.Pos) string { return fmt.Sprintf("%d:%d@%d", p.Line, p.Column, p.Byte) }

func fmtRange(r hcl.Range) string { return fmtPos(r.Start) + "-" + fmtPos(r.End) }

// item is one value or key visited by walk, with its path from the root.
type item struct {
	path  string
	key   *Member // set when the item is an object key
	value *Value  // set when the item is a value
}

// walk lists every value and key of v in source order, without recursion
// so that it copes with the deepest inputs the tests build.
func walk(v *Value) []item {
	var out []item
	stack := []item{{path: "$", value: v}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		out = append(out, it)
		if it.value == nil {
			continue
		}
		switch it.value.Kind {
		case Object:
			for i := len(it.value.Members) - 1; i >= 0; i-- {
				m := &it.value.Members[i]
				p := it.path + "." + m.Key
				stack = append(stack, item{path: p, value: m.Value}, item{path: p + " key", key: m})
			}
		case Array:
			for i := len(it.value.Elems) - 1; i >= 0; i-- {
				stack = append(stack, item{path: fmt.Sprintf("%s[%d]", it.path, i), value: it.value.Elems[i]})
			}
		}
	}
	return out
}

// describe renders every value and key of v with its range, one per line.
func describe(v *Value) []string {
	var out []string
	for _, it := range walk(v) {
		if it.key != nil {
			out = append(out, fmt.Sprintf("%s %s", it.path, fmtRange(it.key.KeyRange)))
			continue
		}
		out = append(out, fmt.Sprintf("%s %s %s", it.path, it.value.Kind, fmtRange(it.value.Range)))
	}
	return out
}

// toAny converts v to the shape encoding/json decodes into with UseNumber;
// for duplicate keys the last one wins, as there.
func toAny(v *Value) any {
	switch v.Kind {
	case Null:
		return nil
	case Bool:
		return v.Bool
	case Number:
		return json.Number(v.Str)
	case String:
		return v.Str
	case Object:
		m := make(map[string]any, len(v.Members))
		for _, mem := range v.Members {
			m[mem.Key] = toAny(mem.Value)
		}
		return m
	case Array:
		a := make([]any, len(v.Elems))
		for i, e := range v.Elems {
			a[i] = toAny(e)
		}
		return a
	}
	panic(fmt.Sprintf("bad kind %d", v.Kind))
}

// stdDecode decodes data with encoding/json, keeping numbers as written.
func stdDecode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// checkTree verifies properties every successful parse must have, for data
// parsed with the zero Options: each range agrees with refPositions, each
// string's source text decodes (by encoding/json) to its Str, each number's
// source is its Str, and InnerPos of every character of a string lands on
// that character or on the escape that produced it.
func checkTree(t testing.TB, data []byte, v *Value) {
	t.Helper()
	ref := refPositions(data)
	checkRange := func(what string, r hcl.Range) bool {
		t.Helper()
		if r.Start.Byte < 0 || r.End.Byte > len(data) || r.Start.Byte > r.End.Byte {
			t.Errorf("%s: range %s out of bounds", what, fmtRange(r))
			return false
		}
		if r.Start != ref[r.Start.Byte] || r.End != ref[r.End.Byte] {
			t.Errorf("%s: range %s, want %s", what, fmtRange(r), fmtRange(hcl.Range{Start: ref[r.Start.Byte], End: ref[r.End.Byte]}))
			return false
		}
		return true
	}
	checkString := func(what string, r hcl.Range, s string) {
		t.Helper()
		src := data[r.Start.Byte:r.End.Byte]
		var want string
		if err := json.Unmarshal(src, &want); err != nil || want != s {
			t.Errorf("%s: source %q decodes to %q (%v), Str is %q", what, src, want, err, s)
		}
	}
	for _, it := range walk(v) {
		if it.key != nil {
			if checkRange(it.path, it.key.KeyRange) {
				checkString(it.path, it.key.KeyRange, it.key.Key)
			}
			continue
		}
		val := it.value
		if !checkRange(it.path, val.Range) {
			continue
		}
		src := string(data[val.Range.Start.Byte:val.Range.End.Byte])
		switch val.Kind {
		case Number, Bool, Null:
			if src != val.Str {
				t.Errorf("%s: source %q, Str %q", it.path, src, val.Str)
			}
		case String:
			checkString(it.path, val.Range, val.Str)
			for off := 0; off <= len(val.Str); off++ {
				p := val.InnerPos(off)
				if p.Byte <= val.Range.Start.Byte || p.Byte >= val.Range.End.Byte || p != ref[p.Byte] {
					t.Errorf("%s: InnerPos(%d) = %s, outside the string or off its character", it.path, off, fmtPos(p))
					continue
				}
				switch {
				case off == len(val.Str):
					if p.Byte != val.Range.End.Byte-1 {
						t.Errorf("%s: InnerPos(len) = %s, want the closing quote", it.path, fmtPos(p))
					}
				case data[p.Byte] != '\\':
					r, _ := utf8.DecodeRuneInString(val.Str[off:])
					got, _ := utf8.DecodeRune(data[p.Byte:])
					if !utf8.RuneStart(val.Str[off]) {
						break // mid-character: maps to the character's start, checked below
					}
					if got != r {
						t.Errorf("%s: InnerPos(%d) = %s holds %q, want %q", it.path, off, fmtPos(p), got, r)
					}
				}
			}
		}
	}
}

// fmtDiag renders a diagnostic for comparison in tests.
func fmtDiag(d *hcl.Diagnostic) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", d.Summary)
	if d.Subject != nil {
		fmt.Fprintf(&b, " at %s", fmtRange(*d.Subject))
	}
	if d.Context != nil {
		fmt.Fprintf(&b, " in %s", fmtRange(*d.Context))
	}
	return b.String()
}
