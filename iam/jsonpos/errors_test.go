package jsonpos

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// errorCases lists malformed inputs with the single diagnostic each must
// produce: summary, subject (and context) as line:column@byte, and a part
// of the detail. The fuzz target starts from these inputs too.
var errorCases = []struct {
	name   string
	in     string
	opts   Options
	want   string // fmtDiag of the diagnostic
	detail string // a substring of its Detail
}{
	{"empty", "", Options{}, "Empty JSON input at 1:1@0-1:1@0", "input is empty"},
	{"only whitespace", "  \n ", Options{}, "Empty JSON input at 2:2@4-2:2@4", "only whitespace"},
	{"only a byte order mark", "\xEF\xBB\xBF", Options{}, "Empty JSON input at 1:1@3-1:1@3", "input is empty"},

	{"unexpected character", "@", Options{}, "Unexpected character at 1:1@0-1:2@1", "but found '@'"},
	{"colon in array", "[1, :]", Options{}, "Unexpected character at 1:5@4-1:6@5", "Expected a JSON value"},
	{"non-ASCII character", "[ é]", Options{}, "Unexpected character at 1:3@2-1:4@4", "'é' (U+00E9)"},
	{"no-break space", "[\u00a0]", Options{}, "Unexpected character at 1:2@1-1:3@3", "(U+00A0)"},
	{"control character", "\x01", Options{}, "Unexpected character at 1:1@0-1:2@1", "control character U+0001"},
	{"typographic quote", "{“a”: 1}", Options{}, "Typographic quote at 1:2@1-1:3@4", "straight double quotes"},
	{"single quote", "{'a': 1}", Options{}, "Single-quoted string at 1:2@1-1:3@2", "double quotes"},
	{"line comment", "{\n  // x\n}", Options{}, "Comments are not allowed in JSON at 2:3@4-2:5@6", "remove the comment"},
	{"block comment", `{"a":1 /* c */}`, Options{}, "Comments are not allowed in JSON at 1:8@7-1:10@9", "Sid"},
	{"hash comment", "# policy\n{}", Options{}, "Comments are not allowed in JSON at 1:1@0-1:2@1", "no comment syntax"},
	{"comment after value", "{} // end", Options{}, "Comments are not allowed in JSON at 1:4@3-1:6@5", "remove the comment"},

	{"unquoted key", `{Effect: "Allow"}`, Options{}, "Invalid object key at 1:2@1-1:8@7", `write "Effect" instead of Effect`},
	{"number key", `{1: 2}`, Options{}, "Invalid object key at 1:2@1-1:3@2", `write "1"`},
	{"bracket for key", `{]`, Options{}, "Invalid object key at 1:2@1-1:3@2", "but found ']'"},
	{"bad second key", `{"a":1,"b\q":2}`, Options{}, "Invalid escape sequence at 1:10@9-1:12@11", `\q is not a JSON escape`},
	{"bad key string", `{"a\q": 1}`, Options{}, "Invalid escape sequence at 1:4@3-1:6@5", `\q is not a JSON escape`},

	{"unterminated string", `["abc`, Options{}, "Unterminated string at 1:2@1-1:6@5", "before the end of the input"},
	{"unterminated string at line end", "{\"a\": \"abc\n}", Options{}, "Unterminated string at 1:7@6-1:11@10", "end of the line"},
	{"unterminated string at CR", "[\"é\r]", Options{}, "Unterminated string at 1:2@1-1:4@4", "end of the line"},
	{"unterminated after backslash", `"ab\`, Options{}, "Unterminated string at 1:1@0-1:5@4", "end of the input"},
	{"invalid escape", `"a\qb"`, Options{}, "Invalid escape sequence at 1:3@2-1:5@4", `\q is not a JSON escape`},
	{"escaped single quote", `"it\'s"`, Options{}, "Invalid escape sequence at 1:4@3-1:6@5", `write \\ for a literal backslash`},
	{"escaped non-ASCII", `"\é"`, Options{}, "Invalid escape sequence at 1:2@1-1:4@4", `\é is not`},
	{"escaped tab character", "\"\\\t\"", Options{}, "Invalid escape sequence at 1:2@1-1:3@2", "byte 0x09"},
	{"short unicode escape", `"\u12G4"`, Options{}, "Invalid escape sequence at 1:2@1-1:6@5", `\u12 is not a valid escape`},
	{"unicode escape at end", `"\u12`, Options{}, "Invalid escape sequence at 1:2@1-1:6@5", "four hexadecimal digits"},
	{"tab in string", "\"a\tb\"", Options{}, "Control character in string at 1:3@2-1:4@3", `write it as \t`},
	{"form feed in string", "\"\f\"", Options{}, "Control character in string at 1:2@1-1:3@2", `write it as \f`},
	{"control byte in string", "\"é\x01\"", Options{}, "Control character in string at 1:3@3-1:4@4", `write it as \u0001`},
	{"invalid UTF-8 in string", "\"a\xffb\"", Options{}, "Invalid UTF-8 at 1:3@2-1:4@3", "0xFF is not valid UTF-8"},
	{"invalid UTF-8 after multi-byte", "\"é\xff\"", Options{}, "Invalid UTF-8 at 1:3@3-1:4@4", "0xFF"},
	{"truncated UTF-8", "\"\xe2\x82\"", Options{}, "Invalid UTF-8 at 1:2@1-1:3@2", "0xE2"},
	{"UTF-8 surrogate", "\"\xed\xa0\x80\"", Options{}, "Invalid UTF-8 at 1:2@1-1:3@2", "0xED"},
	{"invalid UTF-8 outside string", "[\xff]", Options{}, "Invalid UTF-8 at 1:2@1-1:3@2", "0xFF"},
	{"Latin-1 key", "{\"caf\xe9\": 1}", Options{}, "Invalid UTF-8 at 1:6@5-1:7@6", "Latin-1"},

	{"leading zero", "01", Options{}, "Invalid number at 1:1@0-1:3@2", "leading zero"},
	{"negative leading zero", "[-01]", Options{}, "Invalid number at 1:2@1-1:5@4", "leading zero"},
	{"lone minus", "-", Options{}, "Invalid number at 1:1@0-1:2@1", "minus sign must be followed by a digit"},
	{"minus word", "[-a]", Options{}, "Invalid number at 1:2@1-1:4@3", "minus sign"},
	{"no fraction digits", "1.", Options{}, "Invalid number at 1:1@0-1:3@2", "decimal point"},
	{"no fraction digits before exponent", "1.e5", Options{}, "Invalid number at 1:1@0-1:5@4", "decimal point"},
	{"no exponent digits", "1e", Options{}, "Invalid number at 1:1@0-1:3@2", "exponent"},
	{"signed exponent without digits", "[1e+]", Options{}, "Invalid number at 1:2@1-1:5@4", "exponent"},
	{"plus sign", "+1", Options{}, "Invalid number at 1:1@0-1:3@2", "cannot start with '+'"},
	{"bare fraction", ".5", Options{}, "Invalid number at 1:1@0-1:3@2", "0.5"},
	{"hexadecimal", "0x1F", Options{}, "Invalid number at 1:1@0-1:5@4", "decimal"},
	{"two decimal points", "1.5.3", Options{}, "Invalid number at 1:1@0-1:6@5", "decimal"},
	{"letters after digits", "[12abc]", Options{}, "Invalid number at 1:2@1-1:7@6", "Quote the value"},

	{"capitalised literal", "True", Options{}, "Invalid literal at 1:1@0-1:5@4", "write true instead of True"},
	{"Python None", `{"a": None}`, Options{}, "Invalid literal at 1:7@6-1:11@10", "write null"},
	{"NaN", "[NaN]", Options{}, "Invalid number at 1:2@1-1:5@4", "no NaN value"},
	{"bare word", `{"Effect": Allow}`, Options{}, "Unquoted string at 1:12@11-1:17@16", `"Allow"`},
	{"truncated literal", "nul", Options{}, "Unquoted string at 1:1@0-1:4@3", "bare word nul"},
	{"literal run-on", "[truex]", Options{}, "Unquoted string at 1:2@1-1:7@6", "truex"},

	{"missing colon", `{"a" 1}`, Options{}, "Missing colon at 1:6@5-1:7@6 in 1:2@1-1:7@6", `after the object key "a", but found "1"`},
	{"missing colon and value", `{"a"}`, Options{}, "Missing colon at 1:5@4-1:6@5 in 1:2@1-1:6@5", "found '}'"},
	{"invalid UTF-8 for colon", "{\"a\" \xff}", Options{}, "Missing colon at 1:6@5-1:7@6 in 1:2@1-1:7@6", "0xFF, which is not valid UTF-8"},
	{"equals for colon", `{"a" = 1}`, Options{}, "Missing colon at 1:6@5-1:7@6 in 1:2@1-1:7@6", "found '='"},
	{"missing comma in array", "[1 2]", Options{}, "Missing comma at 1:4@3-1:5@4", "Expected ',' or ']' after the array element"},
	{"missing comma in object", "{\"a\": 1\n \"b\": 2}", Options{}, "Missing comma at 2:2@9-2:3@10", "found a string"},
	{"semicolon", `{"a": 1; "b": 2}`, Options{}, "Missing comma at 1:8@7-1:9@8", "found ';'"},

	{"trailing comma in array", "[1,]", Options{}, "Trailing comma at 1:3@2-1:4@3", "trailing comma is not allowed in JSON"},
	{"trailing comma in object", "{\n  \"a\": 1,\n}", Options{}, "Trailing comma at 2:9@10-2:10@11", "remove the ',' before '}'"},
	{"trailing comma before blank lines", "[\"é\",\r\n\r\n]", Options{}, "Trailing comma at 1:5@5-1:6@6", "before ']'"},

	{"unclosed array", "[1, 2", Options{}, "Unclosed array at 1:6@5-1:6@5 in 1:1@0-1:6@5", "opened at line 1, column 1"},
	{"unclosed inner array", "{\"a\": [1,\n", Options{}, "Unclosed array at 2:1@10-2:1@10 in 1:7@6-2:1@10", "Add the missing ']'"},
	{"unclosed object", `{"a": 1`, Options{}, "Unclosed object at 1:8@7-1:8@7 in 1:1@0-1:8@7", "Add the missing '}'"},
	{"unclosed object after key", `{"a" `, Options{}, "Unclosed object at 1:6@5-1:6@5 in 1:1@0-1:6@5", "object opened at line 1, column 1"},
	{"unclosed object after colon", `{"a":`, Options{}, "Unclosed object at 1:6@5-1:6@5 in 1:1@0-1:6@5", "object"},
	{"unclosed empty object", "{", Options{}, "Unclosed object at 1:2@1-1:2@1 in 1:1@0-1:2@1", "object"},
	{"unclosed after comma", "[\n1,", Options{}, "Unclosed array at 2:3@4-2:3@4 in 1:1@0-2:3@4", "array"},

	{"mismatched bracket", "[1}", Options{}, "Mismatched bracket at 1:3@2-1:4@3 in 1:1@0-1:4@3", "close the array opened at line 1, column 1, but found '}'"},
	{"mismatched brace", "{\"a\":1\n]", Options{}, "Mismatched bracket at 2:1@7-2:2@8 in 1:1@0-2:2@8", "Expected ',' or '}'"},

	{"missing value after colon", `{"a":}`, Options{}, "Missing value at 1:6@5-1:7@6", "after ':', but found '}'"},
	{"missing value after comma", "[1,,2]", Options{}, "Missing value at 1:4@3-1:5@4", "after ','"},
	{"comma first", "[,1]", Options{}, "Missing value at 1:2@1-1:3@2", "after '['"},
	{"comma after colon", `{"a": ,}`, Options{}, "Missing value at 1:7@6-1:8@7", "after ':'"},
	{"wrong closer after comma", "[1,}", Options{}, "Missing value at 1:4@3-1:5@4", "after ','"},
	{"stray closer", "}", Options{}, "Unexpected character at 1:1@0-1:2@1", "found '}'"},

	{"two objects", "{} {}", Options{}, "Extra data after JSON value at 1:4@3-1:5@4", "ends at line 1, column 3, but '{' follows"},
	{"two numbers", "1 2", Options{}, "Extra data after JSON value at 1:3@2-1:4@3", `but "2" follows`},
	{"two strings on two lines", "\"a\"\n\"b\"", Options{}, "Extra data after JSON value at 2:1@4-2:2@5", "a string follows"},
	{"extra bracket", "{}]", Options{}, "Extra data after JSON value at 1:3@2-1:4@3", "']'"},

	{"too deep", "[[[1]]]", Options{MaxDepth: 2}, "Nesting too deep at 1:3@2-1:4@3", "the limit is 2"},
	{"too deep in object", `{"a": {"b": {}}}`, Options{MaxDepth: 2}, "Nesting too deep at 1:13@12-1:14@13", "more than 2 levels"},
}

func TestErrors(t *testing.T) {
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Filename = "bad.json"
			v, diags := Parse([]byte(tc.in), tc.opts)
			if v != nil {
				t.Errorf("Parse returned a value with errors")
			}
			if len(diags) != 1 {
				t.Fatalf("got %d diagnostics, want 1: %v", len(diags), diags)
			}
			d := diags[0]
			if got := fmtDiag(d); got != tc.want {
				t.Errorf("diagnostic\n got: %s\nwant: %s\ndetail: %s", got, tc.want, d.Detail)
			}
			if !strings.Contains(d.Detail, tc.detail) {
				t.Errorf("detail %q does not contain %q", d.Detail, tc.detail)
			}
			if d.Severity != hcl.DiagError || d.Subject.Filename != "bad.json" {
				t.Errorf("severity %v, filename %q", d.Severity, d.Subject.Filename)
			}
			if d.Context != nil && (d.Context.Start.Byte > d.Subject.Start.Byte || d.Context.End.Byte < d.Subject.End.Byte) {
				t.Errorf("context %s does not contain subject %s", fmtRange(*d.Context), fmtRange(*d.Subject))
			}
			checkDiag(t, []byte(tc.in), d)
		})
	}
}

// checkDiag verifies that the ranges of a diagnostic agree with the
// reference positions of data, which was parsed with the zero Base.
func checkDiag(t testing.TB, data []byte, d *hcl.Diagnostic) {
	t.Helper()
	ref := refPositions(data)
	for _, r := range []*hcl.Range{d.Subject, d.Context} {
		if r == nil {
			continue
		}
		if r.Start.Byte < 0 || r.End.Byte > len(data) || r.Start.Byte > r.End.Byte {
			t.Errorf("%s: range %s out of bounds", d.Summary, fmtRange(*r))
			continue
		}
		if r.Start != ref[r.Start.Byte] || r.End != ref[r.End.Byte] {
			t.Errorf("%s: range %s, want %s", d.Summary, fmtRange(*r), fmtRange(hcl.Range{Start: ref[r.Start.Byte], End: ref[r.End.Byte]}))
		}
	}
}
