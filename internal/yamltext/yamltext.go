// Package yamltext locates byte offsets in YAML text as yaml.v3 counts
// lines and columns: line breaks are LF, CR LF, CR, NEL, LS and PS, and
// columns are 1-based counts of characters, with a leading byte order mark
// not counted. The CloudFormation loader places nodes with it and the
// iamlint:ignore scan of YAML templates places comments with it, so their
// positions compare.
package yamltext

import (
	"sort"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// Break returns the length of a line break at d[i], or 0 (also when i is
// past the end).
func Break(d []byte, i int) int {
	if i < 0 || i >= len(d) {
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

// Line is one line of a text.
type Line struct {
	Start int  // offset of the line's first byte
	End   int  // offset of its line break, or the end of the text
	ASCII bool // every byte < 0x80: columns are byte counts
}

// Text is a text split into lines.
type Text struct {
	Data  []byte
	Lines []Line // at least one
	BOM   int    // length of a leading byte order mark, which has no column
}

// New splits data into lines.
func New(data []byte) *Text {
	t := &Text{Data: data}
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		t.BOM = 3
	}
	n := 1 // lines, counted first: a table grown by appends costs more
	for i := 0; i < len(data); i++ {
		if b := Break(data, i); b > 0 {
			n++
			i += b - 1
		}
	}
	t.Lines = make([]Line, 0, n)
	start, ascii := 0, true
	for i := 0; i < len(data); {
		b := Break(data, i)
		if b == 0 {
			if data[i] >= utf8.RuneSelf {
				ascii = false
			}
			i++
			continue
		}
		t.Lines = append(t.Lines, Line{Start: start, End: i, ASCII: ascii})
		i += b
		start, ascii = i, true
	}
	t.Lines = append(t.Lines, Line{Start: start, End: len(data), ASCII: ascii})
	return t
}

// LineOf returns the index of the line holding offset off.
func (t *Text) LineOf(off int) int {
	return max(sort.Search(len(t.Lines), func(k int) bool { return t.Lines[k].Start > off })-1, 0)
}

// Pos converts a byte offset, clamped to the text, into a position. An
// offset inside a line break (the LF of CR LF) stays on its line.
func (t *Text) Pos(off int) hcl.Pos {
	off = max(0, min(off, len(t.Data)))
	k := t.LineOf(off)
	li := t.Lines[k]
	start := li.Start
	if k == 0 {
		start = min(t.BOM, len(t.Data))
	}
	end := max(min(off, li.End), start)
	col := 1 + end - start
	if !li.ASCII {
		col = 1 + utf8.RuneCount(t.Data[start:end])
	}
	return hcl.Pos{Line: k + 1, Column: col, Byte: off}
}
