package jsonpos

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// FuzzParse checks Parse against encoding/json and against itself:
//
//   - it never panics and returns either a value or exactly one error;
//   - for UTF-8 input, it accepts exactly what json.Valid accepts (the
//     depth limit is set to encoding/json's, 10000, so that agrees too);
//     input with invalid UTF-8 is always rejected;
//   - an accepted value decodes to what encoding/json decodes;
//   - every range, and InnerPos, agrees with positions computed naively;
//   - parsing with Locate set to those naive positions reports the same
//     ranges and diagnostics.
func FuzzParse(f *testing.F) {
	for _, s := range validCorpus {
		f.Add([]byte(s))
	}
	for _, tc := range errorCases {
		f.Add([]byte(tc.in))
	}
	f.Add(readPolicy(f))

	const maxDepth = 10000
	f.Fuzz(func(t *testing.T, data []byte) {
		v, diags := Parse(data, Options{MaxDepth: maxDepth})
		if (v == nil) != (len(diags) == 1) || len(diags) > 1 {
			t.Fatalf("Parse returned value %v with %d diagnostics: %v", v != nil, len(diags), diags)
		}
		ref := refPositions(data)
		lv, ldiags := Parse(data, Options{MaxDepth: maxDepth, Locate: func(off int) hcl.Pos { return ref[off] }})

		body := bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
		valid := json.Valid(body)
		if v == nil {
			d := diags[0]
			if d.Severity != hcl.DiagError || d.Subject == nil || d.Summary == "" || d.Detail == "" {
				t.Fatalf("malformed diagnostic %#v", d)
			}
			if valid && utf8.Valid(data) {
				t.Fatalf("Parse rejected valid JSON %q: %s: %s", data, fmtDiag(d), d.Detail)
			}
			checkDiag(t, data, d)
			if len(ldiags) != 1 || fmtDiag(ldiags[0]) != fmtDiag(d) {
				t.Fatalf("with Locate: %v, without: %s", ldiags, fmtDiag(d))
			}
			return
		}
		if !valid {
			t.Fatalf("Parse accepted %q, which encoding/json rejects", data)
		}
		if !utf8.Valid(data) {
			t.Fatalf("Parse accepted invalid UTF-8 %q", data)
		}
		want, err := stdDecode(body)
		if err != nil {
			t.Fatalf("encoding/json: %v", err)
		}
		if diff := cmp.Diff(want, toAny(v)); diff != "" {
			t.Fatalf("%q (-encoding/json +Parse):\n%s", data, diff)
		}
		checkTree(t, data, v)

		if lv == nil {
			t.Fatalf("with Locate: %v", ldiags)
		}
		if diff := cmp.Diff(describe(v), describe(lv)); diff != "" {
			t.Fatalf("ranges with Locate differ (-Base +Locate):\n%s", diff)
		}
		items, litems := walk(v), walk(lv)
		for i, it := range items {
			if it.value == nil || it.value.Kind != String {
				continue
			}
			for off := 0; off <= len(it.value.Str); off++ {
				if a, b := it.value.InnerPos(off), litems[i].value.InnerPos(off); a != b {
					t.Fatalf("%s: InnerPos(%d) = %s, with Locate %s", it.path, off, fmtPos(a), fmtPos(b))
				}
			}
		}
	})
}
