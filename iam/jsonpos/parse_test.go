package jsonpos

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

func TestKindString(t *testing.T) {
	got := []string{Null.String(), Bool.String(), Number.String(), String.String(), Object.String(), Array.String(), Kind(9).String()}
	want := []string{"null", "boolean", "number", "string", "object", "array", "Kind(9)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Kind names (-want +got):\n%s", diff)
	}
}

// TestPositions pins the range of every value and key for inputs covering
// each kind of value, multi-line and single-line layout, multi-byte
// characters, escapes, CR LF, lone CR, tabs and a byte order mark.
func TestPositions(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "multi-line",
			in: "{\n" +
				"  \"Effect\": \"Allow\",\n" +
				"  \"Action\": [\"s3:GetObject\", \"s3:Put*\"],\n" +
				"  \"N\": -1.5e3, \"T\": true, \"F\": false, \"Z\": null,\n" +
				"  \"O\": {}\n" +
				"}\n",
			want: []string{
				"$ object 1:1@0-6:2@124",
				"$.Effect key 2:3@4-2:11@12",
				"$.Effect string 2:13@14-2:20@21",
				"$.Action key 3:3@25-3:11@33",
				"$.Action array 3:13@35-3:40@62",
				"$.Action[0] string 3:14@36-3:28@50",
				"$.Action[1] string 3:30@52-3:39@61",
				"$.N key 4:3@66-4:6@69",
				"$.N number 4:8@71-4:14@77",
				"$.T key 4:16@79-4:19@82",
				"$.T boolean 4:21@84-4:25@88",
				"$.F key 4:27@90-4:30@93",
				"$.F boolean 4:32@95-4:37@100",
				"$.Z key 4:39@102-4:42@105",
				"$.Z null 4:44@107-4:48@111",
				"$.O key 5:3@115-5:6@118",
				"$.O object 5:8@120-5:10@122",
			},
		},
		{
			name: "single-line with multi-byte characters and escapes",
			in:   `{"Sid":"café","Emoji":["😀x", "\u00e9\n"]}`,
			want: []string{
				"$ object 1:1@0-1:42@45",
				"$.Sid key 1:2@1-1:7@6",
				"$.Sid string 1:8@7-1:14@14",
				"$.Emoji key 1:15@15-1:22@22",
				"$.Emoji array 1:23@23-1:41@44",
				"$.Emoji[0] string 1:24@24-1:28@31",
				"$.Emoji[1] string 1:30@33-1:40@43",
			},
		},
		{
			name: "byte order mark, CR LF, lone CR and tab",
			in:   "\xEF\xBB\xBF[\r\n\t1,\r2\r\n]",
			want: []string{
				"$ array 1:1@3-4:2@14",
				"$[0] number 2:2@7-2:3@8",
				"$[1] number 3:1@10-3:2@11",
			},
		},
		{
			name: "scalar with surrounding whitespace",
			in:   " \n  \"x\"  \n",
			want: []string{"$ string 2:3@4-2:6@7"},
		},
		{
			name: "multi-byte characters before a value on the same line",
			in:   "[\"ééé\", 1,\n\"😀\", 2]",
			want: []string{
				"$ array 1:1@0-2:8@24",
				"$[0] string 1:2@1-1:7@9",
				"$[1] number 1:9@11-1:10@12",
				"$[2] string 2:1@14-2:4@20",
				"$[3] number 2:6@22-2:7@23",
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, diags := Parse([]byte(tc.in), Options{Filename: "p.json"})
			if diags.HasErrors() {
				t.Fatalf("Parse: %s", diags.Error())
			}
			if diff := cmp.Diff(tc.want, describe(v)); diff != "" {
				t.Errorf("ranges (-want +got):\n%s", diff)
			}
			checkTree(t, []byte(tc.in), v)
			if v.Range.Filename != "p.json" {
				t.Errorf("Filename = %q", v.Range.Filename)
			}
		})
	}
}

func TestValues(t *testing.T) {
	v, diags := Parse([]byte(`{"s": "a\"b\\c\/d\b\f\n\r\t\u0041\u00e9\ud83d\ude00", "n": -0.5E+10, "t": true, "f": false, "z": null, "a": [], "o": {}}`), Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	type flat struct {
		Kind Kind
		Str  string
		Bool bool
		N    int // members or elements
	}
	var got []flat
	for _, m := range v.Members {
		got = append(got, flat{m.Value.Kind, m.Value.Str, m.Value.Bool, len(m.Value.Members) + len(m.Value.Elems)})
	}
	want := []flat{
		{String, "a\"b\\c/d\b\f\n\r\tAé😀", false, 0},
		{Number, "-0.5E+10", false, 0},
		{Bool, "true", true, 0},
		{Bool, "false", false, 0},
		{Null, "null", false, 0},
		{Array, "", false, 0},
		{Object, "", false, 0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
}

func TestDuplicateKeys(t *testing.T) {
	v, diags := Parse([]byte(`{"Effect": "Allow", "Action": "s3:GetObject", "Effect": "Deny"}`), Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var keys []string
	for _, m := range v.Members {
		keys = append(keys, m.Key+"="+m.Value.Str+"@"+fmtPos(m.KeyRange.Start))
	}
	want := []string{"Effect=Allow@1:2@1", "Action=s3:GetObject@1:21@20", "Effect=Deny@1:47@46"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	if m := v.Lookup("Effect"); m == nil || m.Value.Str != "Allow" {
		t.Errorf("Lookup(Effect) = %+v, want the first member", m)
	}
	if m := v.Lookup("effect"); m != nil {
		t.Errorf("Lookup is case-sensitive, got %+v", m)
	}
	if m := v.Members[1].Value.Lookup("x"); m != nil {
		t.Errorf("Lookup on a string = %+v", m)
	}
	if m := (*Value)(nil).Lookup("x"); m != nil {
		t.Errorf("Lookup on nil = %+v", m)
	}
}

// TestBase parses a heredoc out of a Terraform file: positions must land in
// the outer file, with the column shift applying to the first line only.
func TestBase(t *testing.T) {
	outer := "resource \"aws_iam_policy\" \"p\" {\n" +
		"  policy = <<EOF\n" +
		"{\n" +
		"  \"Statement\": [{\"Action\": \"s3:*\"}]\n" +
		"}\n" +
		"EOF\n" +
		"}\n"
	start := strings.Index(outer, "{\n  \"Statement")
	end := strings.Index(outer, "EOF\n}")
	ref := refPositions([]byte(outer))

	v, diags := Parse([]byte(outer[start:end]), Options{Filename: "main.tf", Base: ref[start]})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	action := v.Lookup("Statement").Value.Elems[0].Lookup("Action")
	if got, want := fmtRange(action.Value.Range), "4:28@78-4:34@84"; got != want {
		t.Errorf("Action range = %s, want %s", got, want)
	}
	// Every range must agree with positions computed over the outer file.
	for _, it := range walk(v) {
		r := itemRange(it)
		if r.Start != ref[r.Start.Byte] || r.End != ref[r.End.Byte] {
			t.Errorf("%s: %s, want %s", it.path, fmtRange(r), fmtRange(hcl.Range{Start: ref[r.Start.Byte], End: ref[r.End.Byte]}))
		}
	}

	// JSON starting mid-line: only its first line is shifted right.
	outer = "policy: {\"A\": 1,\n  \"B\": 2}\n"
	start = strings.Index(outer, "{")
	v, diags = Parse([]byte(outer[start:]), Options{Base: hcl.Pos{Line: 1, Column: start + 1, Byte: start}})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	want := []string{
		"$ object 1:9@8-2:10@26",
		"$.A key 1:10@9-1:13@12",
		"$.A number 1:15@14-1:16@15",
		"$.B key 2:3@19-2:6@22",
		"$.B number 2:8@24-2:9@25",
	}
	if diff := cmp.Diff(want, describe(v)); diff != "" {
		t.Errorf("mid-line ranges (-want +got):\n%s", diff)
	}

	// Errors are placed in the outer file too.
	_, diags = Parse([]byte("{\n  \"a\": 1,\n}"), Options{Filename: "main.tf", Base: hcl.Pos{Line: 10, Column: 5, Byte: 100}})
	if got, want := oneDiag(diags), "Trailing comma at 11:9@110-11:10@111"; got != want {
		t.Errorf("diagnostic = %s, want %s", got, want)
	}
}

// oneDiag renders diags, which should hold exactly one diagnostic.
func oneDiag(diags hcl.Diagnostics) string {
	if len(diags) != 1 {
		return fmt.Sprintf("%d diagnostics: %v", len(diags), diags)
	}
	return fmtDiag(diags[0])
}

// itemRange returns the range of a key or value listed by walk.
func itemRange(it item) hcl.Range {
	if it.key != nil {
		return it.key.KeyRange
	}
	return it.value.Range
}

// TestLocate decodes a policy stored as a JSON string (as returned by
// aws iam get-policy-version) and parses it again with the outer string's
// InnerPos, so that the inner positions land in the outer file.
func TestLocate(t *testing.T) {
	outer := "{\n" +
		"  \"PolicyVersion\": {\n" +
		"    \"Document\": \"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Action\\\":[\\\"s3:Get\\\\u002a\\\",\\n \\\"iam:PassRole\\\"]}]}\",\n" +
		"    \"VersionId\": \"v1\"\n" +
		"  }\n" +
		"}\n"
	ov, diags := Parse([]byte(outer), Options{Filename: "version.json"})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	doc := ov.Lookup("PolicyVersion").Value.Lookup("Document").Value
	if want := `{"Version":"2012-10-17","Statement":[{"Action":["s3:Get\u002a",` + "\n" + ` "iam:PassRole"]}]}`; doc.Str != want {
		t.Fatalf("Document = %q, want %q", doc.Str, want)
	}

	v, diags := Parse([]byte(doc.Str), Options{Filename: "version.json", Locate: doc.InnerPos})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	actions := v.Lookup("Statement").Value.Elems[0].Lookup("Action").Value
	type loc struct{ Range, Text, Inner string }
	var got []loc
	for _, e := range actions.Elems {
		r := e.Range
		got = append(got, loc{fmtRange(r), outer[r.Start.Byte:r.End.Byte], fmtPos(e.InnerPos(len(e.Str) - 1))})
	}
	want := []loc{
		// The '*' came from \u002a, written \\u002a in the outer file,
		// so InnerPos maps it to the first of those backslashes.
		{"3:74@96-3:91@113", `\"s3:Get\\u002a\"`, "3:82@104"},
		// The inner line break is the escape \n; the outer file has
		// no line break there, so the position stays on line 3.
		{"3:95@117-3:111@133", `\"iam:PassRole\"`, "3:108@130"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("actions (-want +got):\n%s", diff)
	}
	if s := actions.Elems[0].Str; s != "s3:Get*" {
		t.Errorf("action = %q", s)
	}
	if got := fmtRange(v.Range); got != "3:18@40-3:115@137" {
		t.Errorf("document range = %s", got)
	}

	// An error in the inner document is reported in the outer file.
	bad := `"{\"Action\": [\"s3:*\",]}"`
	bv, diags := Parse([]byte(bad), Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	_, diags = Parse([]byte(bv.Str), Options{Locate: bv.InnerPos})
	if got, want := oneDiag(diags), "Trailing comma at 1:24@23-1:25@24"; got != want {
		t.Errorf("inner diagnostic = %s, want %s", got, want)
	}
	_, diags = Parse([]byte(`{"a": [`), Options{Locate: func(off int) hcl.Pos { return hcl.Pos{Line: 7, Column: 100 + off, Byte: 1000 + off} }})
	if got, want := oneDiag(diags), "Unclosed array at 7:107@1007-7:107@1007 in 7:106@1006-7:107@1007"; got != want {
		t.Errorf("Locate diagnostic = %s, want %s", got, want)
	}
}

func TestInnerPos(t *testing.T) {
	cases := []struct {
		in   string // a JSON string literal
		off  int
		want string
	}{
		{`"abc"`, 0, "1:2@1"},
		{`"abc"`, 2, "1:4@3"},
		{`"abc"`, 3, "1:5@4"}, // the end maps to the closing quote
		{`"abc"`, 99, "1:5@4"},
		{`"abc"`, -1, "1:2@1"},
		{`"a\nb"`, 1, "1:3@2"}, // the byte from \n maps to its backslash
		{`"a\nb"`, 2, "1:5@4"},
		{`"a\nb"`, 3, "1:6@5"},
		{`"\u00e9x"`, 0, "1:2@1"}, // both bytes of é come from \u00e9
		{`"\u00e9x"`, 1, "1:2@1"},
		{`"\u00e9x"`, 2, "1:8@7"},
		{`"\ud83d\ude00!"`, 3, "1:2@1"}, // a surrogate pair is one escape
		{`"\ud83d\ude00!"`, 4, "1:14@13"},
		{`"\ud800x"`, 2, "1:2@1"}, // unpaired: U+FFFD from the escape
		{`"\ud800x"`, 3, "1:8@7"},
		{`"\ud800\u0041"`, 3, "1:8@7"}, // U+FFFD, then A from its own escape
		{`"éa"`, 1, "1:2@1"},           // inside é: the character's start
		{`"éa"`, 2, "1:3@3"},
		{`"é\"😀\\z"`, 2, "1:3@3"},
		{`"é\"😀\\z"`, 3, "1:5@5"},
		{`"é\"😀\\z"`, 5, "1:5@5"},
		{`"é\"😀\\z"`, 7, "1:6@9"},
		{`"é\"😀\\z"`, 8, "1:8@11"},
	}
	for _, tc := range cases {
		v, diags := Parse([]byte(tc.in), Options{})
		if diags.HasErrors() {
			t.Fatalf("%s: %s", tc.in, diags.Error())
		}
		if got := fmtPos(v.InnerPos(tc.off)); got != tc.want {
			t.Errorf("%s: InnerPos(%d) = %s, want %s", tc.in, tc.off, got, tc.want)
		}
		checkTree(t, []byte(tc.in), v)
	}

	// Not a string: the start of the value.
	v, _ := Parse([]byte(" [1]"), Options{})
	if got := fmtPos(v.InnerPos(1)); got != "1:2@1" {
		t.Errorf("array InnerPos = %s", got)
	}
	if got := (*Value)(nil).InnerPos(0); got != (hcl.Pos{}) {
		t.Errorf("nil InnerPos = %v", got)
	}
}

func TestDepth(t *testing.T) {
	const n = 100_000
	deep := bytes.Repeat([]byte("["), n)
	began := time.Now()
	_, diags := Parse(deep, Options{})
	if len(diags) != 1 || fmtDiag(diags[0]) != "Nesting too deep at 1:513@512-1:514@513" || !strings.Contains(diags[0].Detail, "limit is 512") {
		t.Errorf("100,000 '[': %v", diags)
	}
	if d := time.Since(began); d > time.Second {
		t.Errorf("rejecting deep nesting took %v", d)
	}

	// With a higher limit the same depth parses, without recursion.
	nested := append(bytes.Repeat([]byte(`{"a":[`), n/2), bytes.Repeat([]byte("]}"), n/2)...)
	v, diags := Parse(nested, Options{MaxDepth: n})
	if diags.HasErrors() {
		t.Fatalf("nested %d: %s", n, diags.Error())
	}
	depth := 0
	for ; v != nil; depth++ {
		switch {
		case v.Kind == Object:
			v = v.Members[0].Value
		case len(v.Elems) > 0:
			v = v.Elems[0]
		default:
			v = nil
		}
	}
	if depth != n {
		t.Errorf("depth = %d, want %d", depth, n)
	}
	_, diags = Parse(deep, Options{MaxDepth: n})
	if len(diags) != 1 || diags[0].Summary != "Unclosed array" {
		t.Errorf("unclosed deep input: %v", diags)
	}

	// The limit is inclusive: MaxDepth levels parse, one more does not.
	for _, tc := range []struct {
		max, depth int
		ok         bool
	}{{0, 512, true}, {0, 513, false}, {3, 3, true}, {3, 4, false}, {-1, 512, true}, {1, 1, true}, {1, 2, false}} {
		in := strings.Repeat("[", tc.depth) + strings.Repeat("]", tc.depth)
		_, diags := Parse([]byte(in), Options{MaxDepth: tc.max})
		if ok := !diags.HasErrors(); ok != tc.ok {
			t.Errorf("MaxDepth %d, depth %d: ok = %v, want %v (%v)", tc.max, tc.depth, ok, tc.ok, diags)
		}
	}
}

func TestTooLarge(t *testing.T) {
	data := make([]byte, MaxInputSize+1)
	for i := range data {
		data[i] = ' '
	}
	data[0] = '0'
	_, diags := Parse(data, Options{Filename: "big.json"})
	if len(diags) != 1 || fmtDiag(diags[0]) != "Input too large at 1:1@0-1:1@0" {
		t.Errorf("diagnostics = %v", diags)
	}
}

// validCorpus holds valid JSON, each decoded by both Parse and encoding/json
// and compared. The fuzz target starts from it too.
var validCorpus = []string{
	`null`, `true`, `false`, `0`, `-0`, `1`, `-1`, `0.5`, `-0.0`, `1e5`, `1E+5`, `1e-5`, `-1.25e-300`,
	`123456789012`, `1e400`, `100000000000000000000000000000000000001`,
	`""`, `"x"`, `" "`, `"\"\\\/\b\f\n\r\t"`, `"\u0000\u001f\u007f"`, `"\u00e9\u00E9"`, `"é😀"`,
	`"\ud83d\ude00"`, `"\ud800"`, `"\udc00"`, `"\ud800x"`, `"\ud800\u0041"`, `"\ud800\ud800\udc00"`,
	`"\udc00\ud800"`, `"\uDBFF\uDFFF"`, `"\ufffd\ufeff"`, "\"\u2028\u2029\"", `"\u002a*"`, `"${aws:username}"`,
	`[]`, `{}`, `[[]]`, `[{}]`, `{"":""}`, `{"a":{}}`, `[1,2,3]`, ` [ 1 , [ 2 ] , { } ] `,
	"\t\r\n [\r\n1\r,\n2\t]\r\n", "\xEF\xBB\xBF{}", "\xEF\xBB\xBF 1 ",
	`{"a":1,"a":2}`, `{"Effect":"Allow","Action":["s3:*"],"Resource":"*"}`,
	`{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*"]},"Bool":{"aws:SecureTransport":"true"},"NumericLessThan":{"aws:MultiFactorAuthAge":3600}}}]}`,
	`{"Principal":{"AWS":["arn:aws:iam::123456789012:root"]},"NotAction":"iam:*","Null":null,"T":true,"F":false}`,
}

func TestMatchesEncodingJSON(t *testing.T) {
	for _, in := range validCorpus {
		data := []byte(in)
		v, diags := Parse(data, Options{})
		if diags.HasErrors() {
			t.Errorf("%q: %s", in, diags.Error())
			continue
		}
		want, err := stdDecode(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")))
		if err != nil {
			t.Fatalf("%q: encoding/json: %v", in, err)
		}
		if diff := cmp.Diff(want, toAny(v)); diff != "" {
			t.Errorf("%q (-encoding/json +Parse):\n%s", in, diff)
		}
		checkTree(t, data, v)
	}
}

func TestPolicyFile(t *testing.T) {
	data := readPolicy(t)
	v, diags := Parse(data, Options{Filename: "policy10k.json"})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	want, err := stdDecode(data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, toAny(v)); diff != "" {
		t.Errorf("(-encoding/json +Parse):\n%s", diff)
	}
	checkTree(t, data, v)
}
