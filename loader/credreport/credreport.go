// Package credreport reads the IAM credential report (CSV), as
// aws iam get-credential-report returns it (base64-decoded).
//
// Columns are found by their header name, so their order does not matter
// and columns AWS adds later are ignored. Values N/A, no_information and
// not_supported read as empty (or false). Times stay RFC 3339 text. Every
// problem is a diagnostic at the line and column of the cell at fault.
package credreport

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
)

// required are the columns a report must have; §7 of the IAM semantics
// reference lists them. Region, service and certificate rotation columns
// are read when present.
var required = []string{
	"user", "arn", "user_creation_time",
	"password_enabled", "password_last_used", "password_last_changed", "password_next_rotation",
	"mfa_active",
	"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
	"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
	"cert_1_active", "cert_2_active",
}

// maxErrors bounds the row errors reported for one file: past it the file
// is surely not a credential report, and the rest is not read.
const maxErrors = 20

var bom = []byte("\xEF\xBB\xBF")

// IsReport reports whether data's first line is a credential report
// header: one naming the user, arn and user_creation_time columns.
func IsReport(data []byte) bool {
	data = bytes.TrimPrefix(data, bom)
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		data = data[:i]
	} else if len(data) > 4096 {
		return false
	}
	seen := 0
	for _, f := range strings.Split(strings.TrimSuffix(string(data), "\r"), ",") {
		switch strings.Trim(strings.TrimSpace(f), `"`) {
		case "user", "arn", "user_creation_time":
			seen++
		}
	}
	return seen == 3
}

// Load parses the report into one row per user (and the root user, whose
// user is "<root_account>"), in file order. A row that cannot be read —
// a wrong number of fields, no user name, invalid UTF-8, a CSV syntax
// error — is reported and left out; a bad value in a row is reported and
// read as empty.
func Load(path string, data []byte) ([]*iam.CredentialReport, hcl.Diagnostics) {
	off := 0
	if bytes.HasPrefix(data, bom) {
		off = len(bom)
	}
	l := &loader{path: path, data: data[off:], off: off}
	l.lines()
	rows := l.read()
	iam.SortDiagnostics(l.diags)
	return rows, l.diags
}

type loader struct {
	path   string
	data   []byte // the report after any byte order mark
	off    int    // the byte order mark's length, added to byte offsets
	starts []int  // offset in data of each line's first byte
	diags  hcl.Diagnostics
	r      *csv.Reader
	cols   map[string]int
	last   int // the line of the last row read
}

func (l *loader) read() []*iam.CredentialReport {
	l.r = csv.NewReader(bytes.NewReader(l.data))
	l.r.FieldsPerRecord = -1
	l.r.ReuseRecord = true
	header, err := l.r.Read()
	if err != nil {
		if err == io.EOF {
			l.errorf(l.pos(1, 1), l.pos(1, 1), "Empty credential report", "The file has no header line; expected one starting with user,arn,user_creation_time.")
		} else {
			l.csvError(err)
		}
		return nil
	}
	hdrRange := l.rowRange(len(header))
	l.cols = make(map[string]int, len(header))
	for i, h := range header {
		h = strings.TrimSpace(h)
		if _, dup := l.cols[h]; !dup {
			l.cols[h] = i
		}
	}
	var missing []string
	for _, c := range required {
		if _, ok := l.cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		l.errorf(hdrRange.Start, hdrRange.End, "Incomplete credential report header",
			"The header lacks the column(s) %s, which every IAM credential report has.", strings.Join(missing, ", "))
		return nil
	}
	want := len(header)

	var rows []*iam.CredentialReport
	seen := map[string]int{} // user → line of its first row
	errs := 0
	for {
		rec, err := l.r.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			l.last = pe.Line
		} else if len(rec) > 0 {
			l.last, _ = l.r.FieldPos(0)
		}
		if err == nil && len(rec) != want {
			rng := l.rowRange(len(rec))
			l.errorf(rng.Start, rng.End, "Wrong number of fields",
				"Line %d has %d fields; the header has %d, so every row must have %d. The row is skipped.", rng.Start.Line, len(rec), want, want)
			err = errRow
		}
		if err == nil && !validUTF8(rec) {
			rng := l.rowRange(len(rec))
			l.errorf(rng.Start, rng.End, "Invalid UTF-8", "Line %d is not valid UTF-8 text; the row is skipped.", rng.Start.Line)
			err = errRow
		}
		if err != nil {
			if err != errRow {
				l.csvError(err)
			}
			if errs++; errs >= maxErrors {
				p := l.pos(l.last, 1)
				l.errorf(p, p, "Too many errors", "Reading stopped after %d bad rows; this does not look like an IAM credential report.", errs)
				break
			}
			continue
		}
		row := l.row(rec)
		if row == nil {
			continue
		}
		if first, dup := seen[row.User]; dup {
			l.warnf(row.Range.Start, row.Range.End, "Duplicate row", "User %q already has a row at line %d; this one is ignored.", row.User, first)
			continue
		}
		seen[row.User] = row.Range.Start.Line
		rows = append(rows, row)
	}
	return rows
}

var errRow = errors.New("bad row")

func validUTF8(rec []string) bool {
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return false
		}
	}
	return true
}

// row converts one record, whose length matches the header.
func (l *loader) row(rec []string) *iam.CredentialReport {
	c := &cells{l: l, rec: rec}
	user := c.text("user")
	rng := l.rowRange(len(rec))
	if user == "" {
		l.errorf(rng.Start, rng.End, "Missing user", "Line %d has no user name; the row is skipped.", rng.Start.Line)
		return nil
	}
	row := &iam.CredentialReport{
		Node:                iam.Node{Addr: l.path + "#" + user, Range: rng},
		User:                user,
		ARN:                 c.text("arn"),
		UserCreationTime:    c.date("user_creation_time"),
		PasswordEnabled:     c.boolean("password_enabled"),
		PasswordLastUsed:    c.date("password_last_used"),
		PasswordLastChanged: c.date("password_last_changed"),
		PasswordNextRotate:  c.date("password_next_rotation"),
		MFAActive:           c.boolean("mfa_active"),
		Cert1Active:         c.boolean("cert_1_active"),
		Cert2Active:         c.boolean("cert_2_active"),
	}
	if _, ok := iam.ParseARN(row.ARN); !ok {
		s, e := c.cellRange("arn")
		l.warnf(s, e, "Invalid ARN", "The arn of %s is %q, which is not an ARN; the row cannot be joined to its user.", user, row.ARN)
	}
	for k := range row.AccessKeys {
		p := "access_key_" + strconv.Itoa(k+1) + "_"
		row.AccessKeys[k] = iam.CredentialKey{
			Active:          c.boolean(p + "active"),
			LastRotated:     c.date(p + "last_rotated"),
			LastUsedDate:    c.date(p + "last_used_date"),
			LastUsedRegion:  c.text(p + "last_used_region"),
			LastUsedService: c.text(p + "last_used_service"),
		}
	}
	return row
}

// cells reads the values of one record by column name.
type cells struct {
	l   *loader
	rec []string
}

// text returns the value of column name, "" for the report's words for
// none and for a column the header lacks.
func (c *cells) text(name string) string {
	i, ok := c.l.cols[name]
	if !ok {
		return ""
	}
	switch s := strings.TrimSpace(c.rec[i]); s {
	case "N/A", "no_information", "not_supported":
		return ""
	default:
		return s
	}
}

func (c *cells) boolean(name string) bool {
	switch s := c.text(name); strings.ToLower(s) {
	case "true":
		return true
	case "", "false":
		return false
	default:
		start, end := c.cellRange(name)
		c.l.warnf(start, end, "Invalid value", "%s is %q; expected true or false. It is read as false.", name, s)
		return false
	}
}

func (c *cells) date(name string) string {
	s := c.text(name)
	if s == "" {
		return ""
	}
	if _, err := time.Parse(time.RFC3339, s); err != nil {
		start, end := c.cellRange(name)
		c.l.warnf(start, end, "Invalid date", "%s is %q, which is not an RFC 3339 time such as 2024-05-01T12:00:00+00:00; it is ignored.", name, s)
		return ""
	}
	return s
}

// cellRange is the source range of column name in the current record.
func (c *cells) cellRange(name string) (hcl.Pos, hcl.Pos) {
	return c.l.fieldRange(c.l.cols[name])
}

// lines indexes the start of every line, so csv's line and byte column
// can become a byte offset and a character column.
func (l *loader) lines() {
	l.starts = append(l.starts[:0], 0)
	for i, c := range l.data {
		if c == '\n' {
			l.starts = append(l.starts, i+1)
		}
	}
}

// pos converts a csv position (1-based line, 1-based byte column) to an
// hcl position (character column, byte offset in the whole file).
func (l *loader) pos(line, col int) hcl.Pos {
	line = max(1, min(line, len(l.starts)))
	start := l.starts[line-1]
	b := min(start+max(col, 1)-1, len(l.data))
	return hcl.Pos{Line: line, Column: 1 + utf8.RuneCount(l.data[start:b]), Byte: l.off + b}
}

// fieldRange is the source range of field i of the record just read,
// quotes included.
func (l *loader) fieldRange(i int) (hcl.Pos, hcl.Pos) {
	line, col := l.r.FieldPos(i)
	start := l.pos(line, col)
	end := fieldEnd(l.data, start.Byte-l.off)
	return start, l.posOf(end)
}

// rowRange is the range of the record just read, which has n fields: from
// column 1 of its first line to the end of its last field.
func (l *loader) rowRange(n int) hcl.Range {
	if n == 0 {
		p := l.pos(l.last, 1)
		return hcl.Range{Filename: l.path, Start: p, End: p}
	}
	line, _ := l.r.FieldPos(0)
	start := l.pos(line, 1)
	_, end := l.fieldRange(n - 1)
	return hcl.Range{Filename: l.path, Start: start, End: end}
}

// posOf is the position of byte offset b of data.
func (l *loader) posOf(b int) hcl.Pos {
	lo, hi := 0, len(l.starts)
	for lo < hi { // the last line starting at or before b
		mid := (lo + hi) / 2
		if l.starts[mid] <= b {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	line := max(lo, 1)
	return l.pos(line, b-l.starts[line-1]+1)
}

// fieldEnd returns the offset just past the field starting at offset i:
// after the closing quote of a quoted field, else before the next comma
// or line end.
func fieldEnd(data []byte, i int) int {
	if i < len(data) && data[i] == '"' {
		for j := i + 1; j < len(data); j++ {
			if data[j] == '"' {
				if j+1 < len(data) && data[j+1] == '"' {
					j++
					continue
				}
				return j + 1
			}
		}
		return len(data)
	}
	for j := i; j < len(data); j++ {
		switch data[j] {
		case ',', '\n':
			return j
		case '\r':
			if j+1 == len(data) || data[j+1] == '\n' {
				return j
			}
		}
	}
	return len(data)
}

// csvError reports an error from the CSV reader at its position.
func (l *loader) csvError(err error) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		p := l.pos(pe.Line, pe.Column)
		l.errorf(p, p, "Invalid CSV", "%s.", upperFirst(pe.Err.Error()))
		return
	}
	p := l.pos(1, 1)
	l.errorf(p, p, "Cannot read credential report", "%s.", upperFirst(err.Error()))
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (l *loader) errorf(start, end hcl.Pos, summary, format string, args ...any) {
	l.diag(hcl.DiagError, start, end, summary, format, args...)
}

func (l *loader) warnf(start, end hcl.Pos, summary, format string, args ...any) {
	l.diag(hcl.DiagWarning, start, end, summary, format, args...)
}

func (l *loader) diag(sev hcl.DiagnosticSeverity, start, end hcl.Pos, summary, format string, args ...any) {
	l.diags = append(l.diags, &hcl.Diagnostic{
		Severity: sev,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  &hcl.Range{Filename: l.path, Start: start, End: end},
	})
}
