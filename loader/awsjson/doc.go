package awsjson

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

// docJSON returns the JSON of the policy document held by v: v itself
// when it is an object, or the document parsed from v when it is a string.
// It returns nil, with the problem added to *diags, when there is no
// document to read.
//
// The IAM API returns documents as URL-encoded JSON strings (RFC 3986, as
// urlencode(json.dumps(doc))); the AWS CLI and most SDKs decode them into
// objects, but raw API output and some tools keep the string, and
// Organizations and resource policies are plain JSON strings. A string
// with a double quote in it is plain JSON (percent-encoding escapes every
// quote); any other string is URL-decoded first, the way the AWS CLI does
// it: %XX escapes only, '+' stays a plus.
//
// Positions in the document are those of the outer file: the parser's
// Locate composes the URL-decoding offset map (sourceOffset) with the
// map from v's decoded text to its source (v.InnerPos, which undoes the
// outer string's JSON escapes; see stringLocator).
func docJSON(path string, v *jsonpos.Value, diags *hcl.Diagnostics) *jsonpos.Value {
	switch v.Kind {
	case jsonpos.Object:
		return v
	case jsonpos.String:
	default:
		*diags = append(*diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Policy document of the wrong type",
			Detail:   "A policy document must be a JSON object, or a string holding one (URL-encoded or not); found " + v.Kind.Phrase() + ".",
			Subject:  v.Range.Ptr(),
		})
		return nil
	}
	s := v.Str
	locate := newStringLocator(v).pos
	var data []byte
	if strings.IndexByte(s, '"') >= 0 {
		data = []byte(s)
	} else {
		dec, esc, bad := percentDecode(s)
		if bad >= 0 {
			end := min(bad+3, len(s))
			*diags = append(*diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid URL encoding",
				Detail: "This policy document is a URL-encoded JSON string, as the IAM API returns it, but " +
					strconv.Quote(s[bad:end]) + " is not a percent-escape (a '%' and two hexadecimal digits).",
				Subject: &hcl.Range{Filename: path, Start: v.InnerPos(bad), End: v.InnerPos(end)},
			})
			return nil
		}
		data = dec
		outer := locate
		locate = func(off int) hcl.Pos { return outer(sourceOffset(esc, off)) }
	}
	doc, d := jsonpos.Parse(data, jsonpos.Options{Filename: path, Locate: locate})
	*diags = append(*diags, d...)
	return doc
}

// stringLocator maps offsets of a string's decoded text to positions in
// the source, like Value.InnerPos, but in time proportional to the
// distance from the offset asked for before.
//
// InnerPos counts the characters between the last escape and the offset
// on every call, so on a long string without escapes — every URL-encoded
// document — a parse that locates each of its values would take time
// quadratic in the document's length. Such a string maps to its source
// byte for byte on one line; the locator counts characters on from the
// previous offset asked for, which the parser asks for in increasing
// order. Strings with escapes keep InnerPos, whose count restarts at
// each escape.
type stringLocator struct {
	v      *jsonpos.Value
	linear bool
	start  hcl.Pos // the position of v.Str[0]
	off    int     // the last offset located, a character boundary
	col    int     // its column, relative to start
}

func newStringLocator(v *jsonpos.Value) *stringLocator {
	l := &stringLocator{v: v, start: v.InnerPos(0)}
	end := v.InnerPos(len(v.Str))
	l.linear = end.Line == l.start.Line && end.Byte-l.start.Byte == len(v.Str)
	return l
}

func (l *stringLocator) pos(off int) hcl.Pos {
	if !l.linear {
		return l.v.InnerPos(off)
	}
	s := l.v.Str
	off = max(0, min(off, len(s)))
	for off > 0 && off < len(s) && !utf8.RuneStart(s[off]) {
		off--
	}
	if off < l.off {
		l.off, l.col = 0, 0
	}
	l.col += utf8.RuneCountInString(s[l.off:off])
	l.off = off
	return hcl.Pos{Line: l.start.Line, Column: l.start.Column + l.col, Byte: l.start.Byte + off}
}

// percentDecode undoes percent-encoding. esc lists, for every escape, the
// offset in out of the byte it produced, which is all it takes to map an
// offset of out back to s (see sourceOffset). bad is the offset in s of
// the first malformed escape, or -1.
func percentDecode(s string) (out []byte, esc []int32, bad int) {
	n := strings.Count(s, "%")
	out = make([]byte, 0, max(0, len(s)-2*n))
	esc = make([]int32, 0, n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '%' {
			out = append(out, c)
			continue
		}
		if i+2 >= len(s) || unhex(s[i+1]) < 0 || unhex(s[i+2]) < 0 {
			return nil, nil, i
		}
		esc = append(esc, int32(len(out)))
		out = append(out, byte(unhex(s[i+1])<<4|unhex(s[i+2])))
		i += 2
	}
	return out, esc, -1
}

// sourceOffset maps an offset of percentDecode's output to the offset of
// the text that produced it: each escape before off took three bytes for
// one. A byte produced by an escape maps to its '%'; len(out) maps to
// len(s).
func sourceOffset(esc []int32, off int) int {
	k := sort.Search(len(esc), func(k int) bool { return int(esc[k]) >= off })
	return off + 2*k
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// policyDoc reads the document in v as kind into a model PolicyDocument
// addressed addr, whose range is v's. The findings about the document
// itself — its JSON, its grammar — stay with it in Diags; only a value
// that cannot hold a document at all is reported to d. KindUnknown means:
// infer the kind from the content. Sizes are not measured here: rule
// IAM318 checks them against AWS's quotas.
func (d *decoder) policyDoc(v *jsonpos.Value, kind iam.Kind, addr string) *iam.PolicyDocument {
	pd := &iam.PolicyDocument{Node: iam.Node{Addr: addr, Range: v.Range}}
	if v.Kind != jsonpos.Object && v.Kind != jsonpos.String {
		docJSON(d.path, v, &d.diags)
		return pd
	}
	dv := docJSON(d.path, v, &pd.Diags)
	if dv == nil {
		return pd
	}
	if kind == iam.KindUnknown {
		kind = inferKind(dv)
	}
	var more hcl.Diagnostics
	pd.Doc, more = iam.DecodePolicy(dv, kind)
	pd.Diags = append(pd.Diags, more...)
	return pd
}

// inferKind guesses what a standalone document is, by the rules the
// check command uses (rules.DetectKind), so both read a file alike:
//
//   - trust, when every statement names a Principal, none has Resource or
//     NotResource, every action is an sts action without wildcards and at
//     least one is sts:AssumeRole*;
//   - resource-based, when every statement names a Principal or
//     NotPrincipal;
//   - identity otherwise. An SCP or RCP reads like an identity policy;
//     only the caller's kind (--kind) or its Organizations wrapper tells.
func inferKind(v *jsonpos.Value) iam.Kind {
	var stmts []*jsonpos.Value
	if m := v.Lookup("Statement"); m != nil {
		switch m.Value.Kind {
		case jsonpos.Object:
			stmts = []*jsonpos.Value{m.Value}
		case jsonpos.Array:
			stmts = m.Value.Elems
		}
	}
	if len(stmts) == 0 {
		return iam.KindIdentity
	}
	allPrincipal, trust, assume := true, true, false
	for _, s := range stmts {
		if s.Kind != jsonpos.Object {
			return iam.KindIdentity
		}
		hasP := s.Lookup("Principal") != nil
		if !hasP && s.Lookup("NotPrincipal") == nil {
			allPrincipal = false
		}
		if !hasP || s.Lookup("Resource") != nil || s.Lookup("NotResource") != nil {
			trust = false
		}
		acts := 0
		forStrings(s.Lookup("Action"), func(a string) {
			acts++
			a = strings.ToLower(a)
			if !strings.HasPrefix(a, "sts:") || strings.ContainsAny(a, "*?") {
				trust = false
			}
			if strings.HasPrefix(a, "sts:assumerole") {
				assume = true
			}
		})
		if acts == 0 {
			trust = false
		}
	}
	switch {
	case trust && assume:
		return iam.KindTrust
	case allPrincipal:
		return iam.KindResource
	}
	return iam.KindIdentity
}

// forStrings calls f with the string, or each string of the array, that
// m holds.
func forStrings(m *jsonpos.Member, f func(string)) {
	if m == nil {
		return
	}
	switch m.Value.Kind {
	case jsonpos.String:
		f(m.Value.Str)
	case jsonpos.Array:
		for _, e := range m.Value.Elems {
			if e.Kind == jsonpos.String {
				f(e.Str)
			}
		}
	}
}
