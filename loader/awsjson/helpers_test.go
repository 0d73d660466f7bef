package awsjson

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

const testdata = "../../testdata/awsjson"

// loadFile reads a fixture and loads it under its base name, so addresses
// read "gaad.json#...".
func loadFile(t testing.TB, name string, docKind iam.Kind) ([]byte, *iam.Model, hcl.Diagnostics) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testdata, name))
	if err != nil {
		t.Fatal(err)
	}
	m, diags := loadBytes(t, name, data, docKind)
	return data, m, diags
}

// loadBytes parses, detects and loads data as the loader does.
func loadBytes(t testing.TB, name string, data []byte, docKind iam.Kind) (*iam.Model, hcl.Diagnostics) {
	t.Helper()
	v, diags := jsonpos.Parse(data, jsonpos.Options{Filename: name})
	if diags.HasErrors() {
		t.Fatalf("%s: %s", name, diags.Error())
	}
	kind := Detect(v)
	if kind == Unknown {
		t.Fatalf("%s: not detected", name)
	}
	return Load(name, v, kind, docKind)
}

// docs lists every policy document in the model.
func docs(m *iam.Model) []*iam.PolicyDocument {
	var out []*iam.PolicyDocument
	add := func(ps ...*iam.PolicyDocument) {
		for _, p := range ps {
			if p != nil {
				out = append(out, p)
			}
		}
	}
	inl := func(ips []*iam.InlinePolicy) {
		for _, ip := range ips {
			add(&ip.PolicyDocument)
		}
	}
	for _, u := range m.Users {
		inl(u.Inline)
	}
	for _, g := range m.Groups {
		inl(g.Inline)
	}
	for _, r := range m.Roles {
		inl(r.Inline)
		add(r.Trust)
	}
	for _, p := range m.Policies {
		for _, v := range p.Versions {
			add(&v.PolicyDocument)
		}
	}
	for _, o := range m.OrgPolicies {
		add(&o.PolicyDocument)
	}
	for _, d := range m.Documents {
		add(&d.PolicyDocument)
	}
	return out
}

// allDiags is every problem found: the load's and the documents' own,
// as "line:col severity: summary" lines in position order.
func allDiags(m *iam.Model, diags hcl.Diagnostics) []string {
	all := append(hcl.Diagnostics{}, diags...)
	for _, d := range docs(m) {
		all = append(all, d.Diags...)
	}
	iam.SortDiagnostics(all)
	out := []string{}
	for _, d := range all {
		out = append(out, fmtDiag(d))
	}
	return out
}

func fmtDiag(d *hcl.Diagnostic) string {
	sev := "error"
	if d.Severity == hcl.DiagWarning {
		sev = "warning"
	}
	pos := "-"
	if d.Subject != nil {
		pos = fmtPos(d.Subject.Start)
	}
	return fmt.Sprintf("%s %s: %s", pos, sev, d.Summary)
}

func fmtPos(p hcl.Pos) string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

func fmtRange(r hcl.Range) string { return fmtPos(r.Start) + "-" + fmtPos(r.End) }

// values lists every string of a document that carries a range, with it.
func values(doc *iam.Document) []iam.Value {
	var out []iam.Value
	for _, s := range doc.Statements {
		for _, l := range []iam.List{s.Action, s.NotAction, s.Resource, s.NotResource} {
			out = append(out, l.Values...)
		}
		for _, p := range []*iam.Principal{s.Principal, s.NotPrincipal} {
			if p != nil {
				for _, e := range p.Entries {
					out = append(out, e.Values...)
				}
			}
		}
		for _, c := range s.Condition.Clauses {
			out = append(out, c.Values...)
		}
	}
	return out
}

// checkSource checks that r covers the text that, once its layers of
// encoding are undone (a JSON string's escapes, then URL-encoding),
// reads as the JSON string want, and that its line and column agree with
// its byte offsets.
func checkSource(t *testing.T, data []byte, r hcl.Range, want string) {
	t.Helper()
	if r.Start.Byte < 0 || r.End.Byte > len(data) || r.Start.Byte > r.End.Byte {
		t.Errorf("range %s (bytes %d-%d) is outside the file", fmtRange(r), r.Start.Byte, r.End.Byte)
		return
	}
	for _, p := range []hcl.Pos{r.Start, r.End} {
		if got := posOf(data, p.Byte); got != p {
			t.Errorf("position %s@%d: line and column should be %s", fmtPos(p), p.Byte, fmtPos(got))
		}
	}
	src := string(data[r.Start.Byte:r.End.Byte])
	if strings.Contains(src, `\`) {
		var s string
		if err := json.Unmarshal([]byte(`"`+src+`"`), &s); err != nil {
			t.Errorf("%s: %q is not JSON string content: %v", fmtRange(r), src, err)
			return
		}
		src = s
	}
	if !strings.Contains(src, `"`) && strings.Contains(src, "%") {
		s, err := url.PathUnescape(src)
		if err != nil {
			t.Errorf("%s: %q is not URL-encoded: %v", fmtRange(r), src, err)
			return
		}
		src = s
	}
	q, _ := json.Marshal(want)
	if src != string(q) {
		t.Errorf("%s covers %s, want %s", fmtRange(r), src, q)
	}
}

// posOf computes the position of a byte offset naively.
func posOf(data []byte, off int) hcl.Pos {
	line, col := 1, 1
	for _, r := range string(data[:off]) {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return hcl.Pos{Line: line, Column: col, Byte: off}
}
