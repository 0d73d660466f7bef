package cloudformation

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"go.yaml.in/yaml/v3"

	"github.com/iamlint/iamlint/iam/jsonpos"
)

// yamlRanges converts YAML and lists every value under the top-level
// mapping as "key: line:col-line:col source text".
func yamlRanges(t *testing.T, src string) []string {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	c := &converter{src: newSource("t.yaml", []byte(src)), badTags: map[hcl.Pos]bool{}, literal: map[*jsonpos.Value]*blockInfo{}}
	v, _ := c.value(doc.Content[0], 0)
	if len(c.diags) > 0 {
		t.Fatalf("diagnostics: %v", c.diags)
	}
	var out []string
	for _, m := range v.Members {
		r := m.Value.Range
		out = append(out, fmt.Sprintf("%s: %d:%d-%d:%d %q", m.Key, r.Start.Line, r.Start.Column, r.End.Line, r.End.Column, src[r.Start.Byte:r.End.Byte]))
	}
	return out
}

func TestYAMLRanges(t *testing.T) {
	src := "plain: s3:GetObject   # comment\n" +
		"double: \"a\\\"b\"\n" +
		"single: 'it''s'\n" +
		"folded: plain\n  continued\n" +
		"unicode: 日本/é\n" +
		"literal: |\n  line one\n    indented\n\n  last\nnext: 1\n" +
		"flow: {Effect: Allow, Action: [a, \"b\"] }\n" +
		"seq:\n  - x\n  - y: 1\nempty:\n" +
		"tagged: !GetAtt\n  [R, Arn]\n" +
		"crlf: a\r\nafter: b\r\n"
	want := []string{
		`plain: 1:8-1:20 "s3:GetObject"`,
		`double: 2:9-2:15 "\"a\\\"b\""`,
		`single: 3:9-3:16 "'it''s'"`,
		"folded: 4:9-5:12 \"plain\\n  continued\"",
		`unicode: 6:10-6:14 "日本/é"`,
		"literal: 7:10-11:7 \"|\\n  line one\\n    indented\\n\\n  last\"",
		`next: 12:7-12:8 "1"`,
		`flow: 13:7-13:41 "{Effect: Allow, Action: [a, \"b\"] }"`,
		"seq: 15:3-16:9 \"- x\\n  - y: 1\"",
		`empty: 17:7-17:7 ""`,
		"tagged: 18:9-19:11 \"!GetAtt\\n  [R, Arn]\"",
		`crlf: 20:7-20:8 "a"`,
		`after: 21:8-21:9 "b"`,
	}
	if d := cmp.Diff(want, yamlRanges(t, src)); d != "" {
		t.Errorf("ranges (-want +got):\n%s", d)
	}
}

// A literal block keeps exact positions for the JSON inside it; other
// strings map verbatim text exactly and fall back to their start.
func TestLocateString(t *testing.T) {
	src := "a: |\n  {\"x\":\n   \"yz\"}\nb: 'pl''ain'\nc: text\n"
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	c := &converter{src: newSource("t.yaml", []byte(src)), badTags: map[hcl.Pos]bool{}, literal: map[*jsonpos.Value]*blockInfo{}}
	v, _ := c.value(doc.Content[0], 0)
	pos := func(key string, off int) string {
		p := c.locateString(v.Lookup(key).Value)(off)
		return fmt.Sprintf("%d:%d", p.Line, p.Column)
	}
	for _, tt := range []struct {
		key  string
		off  int
		want string
	}{
		{"a", 0, "2:3"}, // "{"
		{"a", 7, "3:4"}, // the quote before yz
		{"b", 2, "4:4"}, // not verbatim: its start
		{"c", 2, "5:6"}, // "x" of text
	} {
		if got := pos(tt.key, tt.off); got != tt.want {
			t.Errorf("%s offset %d at %s, want %s", tt.key, tt.off, got, tt.want)
		}
	}
}
