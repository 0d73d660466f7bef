package reports

import (
	"bytes"
	"encoding/json"
	"io"
)

// writeJSON writes v as encoding/json's Encoder does with SetIndent("",
// "  ") and SetEscapeHTML(false), byte for byte, but faster: the Encoder
// re-scans its output to indent it, which on a report of tens of
// megabytes (the SARIF of a large account) costs more than encoding it.
// Here v is encoded compactly and indented in one pass over the bytes,
// written out in chunks.
func writeJSON(w io.Writer, v any) error {
	var compact bytes.Buffer
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return writeIndented(w, bytes.TrimSuffix(compact.Bytes(), []byte("\n")))
}

// writeIndented writes compact JSON (no white space outside strings) with
// two-space indentation and a final newline, as json.Indent would.
func writeIndented(w io.Writer, src []byte) error {
	const chunk = 64 << 10
	dst := make([]byte, 0, min(len(src)+len(src)/2, 2*chunk))
	depth := 0
	inString, escaped := false, false
	open := false // the last byte opened an object or array
	newline := func() {
		dst = append(dst, '\n')
		for range depth {
			dst = append(dst, ' ', ' ')
		}
	}
	for i, c := range src {
		if inString {
			dst = append(dst, c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		if open {
			open = false
			if c != '}' && c != ']' {
				depth++
				newline()
			} else {
				dst = append(dst, c) // {} and [] stay on one line
				continue
			}
		}
		switch c {
		case '"':
			inString = true
			dst = append(dst, c)
		case '{', '[':
			dst = append(dst, c)
			open = true
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
		if len(dst) >= chunk && i+1 < len(src) {
			if _, err := w.Write(dst); err != nil {
				return err
			}
			dst = dst[:0]
		}
	}
	dst = append(dst, '\n')
	_, err := w.Write(dst)
	return err
}
