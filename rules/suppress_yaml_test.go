package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/internal/yamltext"
	"github.com/iamlint/iamlint/loader/cloudformation"
)

// yamlDirectives describes what ScanYAMLSuppressions finds, one line a
// directive: the comment's range, rules, reason and the lines covered.
func yamlDirectives(src string) []string {
	var out []string
	for _, s := range ScanYAMLSuppressions("t.yaml", []byte(src)) {
		covers := "nothing"
		if c := s.Covers; c.Filename != "" {
			covers = fmt.Sprintf("%d:%d-%d:%d", c.Start.Line, c.Start.Column, c.End.Line, c.End.Column)
		}
		out = append(out, fmt.Sprintf("%d:%d-%d:%d %s %q covers %s", s.Range.Start.Line, s.Range.Start.Column, s.Range.End.Line, s.Range.End.Column, strings.Join(s.Rules, ","), s.Reason, covers))
	}
	return out
}

// yamlCases are the cases of TestScanYAMLSuppressions, also the fuzz
// test's seeds.
var yamlCases = []struct {
	name, src string
	want      []string
}{{
	name: "above a resource: the whole resource",
	src: `Resources:
  # iamlint:ignore IAM101,wildcard-resource deploy role, reviewed in SEC-12
  Deploy:
    Type: AWS::IAM::ManagedPolicy
    Properties:

      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: "*"
  # a plain comment, then the next resource
  Other:
    Type: AWS::IAM::Role
`,
	want: []string{`2:3-2:76 IAM101,wildcard-resource "deploy role, reviewed in SEC-12" covers 3:3-11:1`},
}, {
	name: "trailing: its own line",
	src: `Statement:
  - Effect: Allow
    Action: "*"  # iamlint:ignore IAM103 break-glass only
    Resource: "*"
`,
	want: []string{`3:18-3:58 IAM103 "break-glass only" covers 3:5-4:1`},
}, {
	name: "trailing on a sequence entry: the entry",
	src: `Statement:
  - Effect: Allow # iamlint:ignore IAM1* the entry
    Action: "*"
  - Effect: Deny
`,
	want: []string{`2:19-2:51 IAM1* "the entry" covers 2:3-4:1`},
}, {
	name: "above a sequence entry: the entry",
	src: `Statement:
  # iamlint:ignore IAM103 first only
  - Effect: Allow
    Action:
      - "*"

  - Effect: Deny
`,
	want: []string{`2:3-2:37 IAM103 "first only" covers 3:3-6:1`},
}, {
	name: "a key with a sequence at its own indentation",
	src: `PolicyDocument:
  # iamlint:ignore IAM103 every statement
  Statement:
  - Effect: Allow
    Action: "*"
  # between entries
  - Effect: Allow
    Action: iam:*
  Version: "2012-10-17"
`,
	want: []string{`2:3-2:42 IAM103 "every statement" covers 3:3-9:1`},
}, {
	name: "a key with a scalar value does not take the sequence after it",
	src: `# iamlint:ignore IAM103 the key alone
Key: value
- x
`,
	want: []string{`1:1-1:38 IAM103 "the key alone" covers 2:1-3:1`},
}, {
	name: "'#' in text is not a comment",
	src: `Resources:
  Role:
    Properties:
      Description: "a # iamlint:ignore IAM101 in double quotes \" # iamlint:ignore IAM102 x"
      Other: 'it''s # iamlint:ignore IAM101 in single quotes'
      Multi: "starts here
        # iamlint:ignore IAM101 inside a quoted scalar
        ends here"
      Literal: |
        # iamlint:ignore IAM101 inside a literal block scalar

          # iamlint:ignore IAM101 more indented, still inside
      Folded: >-2
         # iamlint:ignore IAM101 inside a folded block scalar
      Arn: !Sub "arn:${AWS::Partition}:s3:::b/#iamlint:ignore IAM101 x"
      Plain: a#iamlint:ignore IAM101 x
      Url: http://x#iamlint:ignore
      Flow: [a, "b # iamlint:ignore IAM101 x", {c: 'd # iamlint:ignore IAM101 x'}]
      Apostrophe: don't # iamlint:ignore IAM105 a real one after a plain it's
      After: ok
`,
	want: []string{`19:25-19:78 IAM105 "a real one after a plain it's" covers 19:7-20:1`},
}, {
	name: "after a block scalar, a comment indented like its key",
	src: `Statement:
  - Description: |
      text
    # iamlint:ignore IAM103 the action
    Action: "*"
  - Sid: x
    Policy: >
      text
  # iamlint:ignore IAM104 the next entry
  - Effect: Allow
`,
	want: []string{
		`4:5-4:39 IAM103 "the action" covers 5:5-6:1`,
		`9:3-9:41 IAM104 "the next entry" covers 10:3-11:1`,
	},
}, {
	name: "a plain scalar continued on more indented lines",
	src: `# iamlint:ignore IAM101 the description
Description: a long
  'description' that goes on # iamlint:ignore IAM102 trailing on a continuation
  and on
Other: 1
`,
	want: []string{
		`1:1-1:40 IAM101 "the description" covers 2:1-5:1`,
		`3:30-3:80 IAM102 "trailing on a continuation" covers 3:3-4:1`,
	},
}, {
	name: "flow collections over several lines",
	src: `Action: [
  # iamlint:ignore IAM103 one element
  "s3:*",
  { a: "#",
    b: 2 }, # iamlint:ignore IAM104 the mapping
]
# iamlint:ignore IAM105 the whole flow
Resource: ["a",
  "b"]
`,
	want: []string{
		`2:3-2:38 IAM103 "one element" covers 3:3-4:1`,
		`5:13-5:48 IAM104 "the mapping" covers 5:5-6:1`,
		`7:1-7:39 IAM105 "the whole flow" covers 8:1-10:1`,
	},
}, {
	name: "no reason, no rule, not a directive, nothing after",
	src: `A: 1 # iamlint:ignore IAM103
B: 2 # iamlint:ignore
C: 3 # iamlint:ignored IAM103 not a directive
D: 4 #iamlint:ignore IAM103 no space after the hash is fine
# iamlint:ignore IAM101 nothing after it
`,
	want: []string{
		`1:6-1:29 IAM103 "" covers 1:1-2:1`,
		`2:6-2:22  "" covers 2:1-3:1`,
		`4:6-4:60 IAM103 "no space after the hash is fine" covers 4:1-5:1`,
		`5:1-5:41 IAM101 "nothing after it" covers nothing`,
	},
}, {
	name: "documents",
	src: `A: |
  text
--- # iamlint:ignore IAM101 the marker line
# iamlint:ignore IAM102 after the marker
B: 1
`,
	want: []string{
		`3:5-3:44 IAM101 "the marker line" covers 3:1-4:1`,
		`4:1-4:41 IAM102 "after the marker" covers 5:1-6:1`,
	},
}, {
	name: "a JSON template has no comments",
	src:  "\xEF\xBB\xBF \n{\"Description\": \"x\n# iamlint:ignore IAM101 x\"}\n",
}, {
	name: "a file without a directive",
	src:  "A: 1 # iamlint:ignor IAM101 x\n",
}}

func TestScanYAMLSuppressions(t *testing.T) {
	for _, tt := range yamlCases {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, yamlDirectives(tt.src)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			// Line breaks CR LF, CR, NEL, LS, PS give the same lines and
			// columns, and never make a comment of text.
			for _, br := range []string{"\r\n", "\r", "\u0085", "\u2028"} {
				if d := cmp.Diff(tt.want, yamlDirectives(strings.ReplaceAll(tt.src, "\n", br))); d != "" {
					t.Errorf("with %q line breaks (-want +got):\n%s", br, d)
				}
			}
		})
	}
}

// TestSuppressYAML: the directives of a template silence the findings at
// the loader's ranges for the elements they name — lines and columns
// counted alike, after a byte order mark, CR LF line breaks and characters
// beyond ASCII — and Suppress reports a directive without a reason (IAM003)
// and one that silences nothing (IAM004), as it does HCL's.
func TestSuppressYAML(t *testing.T) {
	src := "\xEF\xBB\xBFAWSTemplateFormatVersion: \"2010-09-09\"\r\n" +
		"Resources:\r\n" +
		"  Policy:\r\n" +
		"    Type: AWS::IAM::ManagedPolicy\r\n" +
		"    Properties:\r\n" +
		"      Description: \"ünïcödé 👍🏽\"\r\n" +
		"      PolicyDocument:\r\n" +
		"        Version: \"2012-10-17\"\r\n" +
		"        # iamlint:ignore IAM103 every statement\r\n" +
		"        Statement:\r\n" +
		"        - Effect: Allow\r\n" +
		"          Action: [\"s3:*\", \"ü:x\"] # iamlint:ignore IAM101 only this line — ünïcödé\r\n" +
		"          Resource: \"*\"\r\n" +
		"        - {Effect: Allow, Action: \"é\", Resource: \"*\"} # iamlint:ignore IAM101\r\n" +
		"  # iamlint:ignore IAM102 stale\r\n" +
		"  Bucket:\r\n" +
		"    Type: AWS::S3::Bucket\r\n"
	model, diags := cloudformation.Load("t.yaml", []byte(src))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var fs []Finding
	for _, p := range model.Policies {
		for _, s := range p.Default.Doc.Statements {
			for _, a := range s.Action.Values {
				fs = append(fs, Finding{RuleID: "IAM101", Message: a.Text, Range: a.Range}, Finding{RuleID: "IAM103", Message: a.Text, Range: a.Range})
			}
		}
	}
	if len(fs) != 6 {
		t.Fatalf("%d findings, want 6 (three actions, two rules)", len(fs))
	}
	sups := ScanYAMLSuppressions("t.yaml", []byte(src))
	lookup := func(id string) *Meta { return &Meta{ID: id} }
	kept, silenced, problems := Suppress(fs, sups, lookup, &Rule{Meta: Meta{ID: "IAM003"}}, &Rule{Meta: Meta{ID: "IAM004"}})
	var got []string
	for _, f := range kept {
		got = append(got, "kept "+f.RuleID+" "+f.Message)
	}
	for _, f := range silenced {
		got = append(got, "silenced "+f.RuleID+" "+f.Message+" by "+f.Suppressed.Range.String())
	}
	for _, f := range problems {
		got = append(got, f.RuleID+" "+f.Range.String())
	}
	want := []string{
		"kept IAM101 é",
		"silenced IAM101 s3:* by t.yaml:12,35-83",
		"silenced IAM103 s3:* by t.yaml:9,9-48",
		"silenced IAM101 ü:x by t.yaml:12,35-83",
		"silenced IAM103 ü:x by t.yaml:9,9-48",
		"silenced IAM103 é by t.yaml:9,9-48",
		"IAM003 t.yaml:14,55-78",
		"IAM004 t.yaml:15,3-32",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	// The trailing directive starts where the loader's column count puts
	// it: after the same number of characters as the action before it.
	act := fs[2].Range // "ü:x"
	if c := sups[1].Range.Start; c.Line != act.Start.Line || c.Column != act.End.Column+2 || c.Byte != strings.Index(src, "# iamlint:ignore IAM101") {
		t.Errorf("directive at %d:%d (byte %d), the action %q ends at %d:%d", c.Line, c.Column, c.Byte, "ü:x", act.End.Line, act.End.Column)
	}
}

func TestIsYAMLTemplateFile(t *testing.T) {
	for name, want := range map[string]bool{"a.yaml": true, "b/c.YML": true, "s.template": true, "main.tf": false, "p.json": false, "yaml": false} {
		if got := isYAMLTemplateFile(name); got != want {
			t.Errorf("isYAMLTemplateFile(%q) = %v", name, got)
		}
	}
}

// FuzzScanYAMLSuppressions: no input makes the scanner panic, and every
// range it returns lies within the file, starts before it ends, and names
// a comment holding the directive.
func FuzzScanYAMLSuppressions(f *testing.F) {
	for _, tt := range yamlCases {
		f.Add(tt.src)
	}
	f.Add("A: \"x\n# iamlint:ignore IAM101 x\"\nB: |\n  # iamlint:ignore\n--- |\n# iamlint:ignore IAM1 x\n")
	f.Add("\xEF\xBB\xBF- [a, {b: 'c''d\r\n# iamlint:ignore IAM1 x'}]\r\n  # iamlint:ignore IAM2 y\r- \u0085x: >2\u2028 # iamlint:ignore")
	f.Add("K:\n- a # iamlint:ignore IAM1 r\n- \"\\\n# iamlint:ignore IAM1 r\"\n? k\n: v # iamlint:ignore IAM1 r\n")
	f.Fuzz(func(t *testing.T, src string) {
		lines := len(yamltext.New([]byte(src)).Lines)
		inFile := func(what string, r hcl.Range) {
			if r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte > r.End.Byte ||
				r.Start.Line < 1 || r.End.Line > lines+1 || posLT(r.End, r.Start) ||
				r.Start.Column < 1 || r.End.Column < 1 {
				t.Fatalf("%s %v (%d-%d) outside the %d bytes, %d lines of %q", what, r, r.Start.Byte, r.End.Byte, len(src), lines, src)
			}
		}
		y := scanYAML([]byte(src))
		ends := y.itemEnds()
		for k, l := range y.lines {
			if want := naiveItemEnd(y, k); l.first >= 0 && ends[k] != want {
				t.Fatalf("the item of line %d ends on line %d, want %d, in %q", k+1, ends[k]+1, want+1, src)
			}
		}
		for _, s := range ScanYAMLSuppressions("f.yaml", []byte(src)) {
			inFile("comment", s.Range)
			if c := src[s.Range.Start.Byte:s.Range.End.Byte]; c[0] != '#' || !strings.Contains(c, ignoreDirective) {
				t.Fatalf("comment %q is not a directive", c)
			}
			if s.Covers.Filename != "" {
				inFile("coverage", s.Covers)
			}
		}
	})
}

// naiveItemEnd is what itemEnds computes, by a walk from the item's first
// line.
func naiveItemEnd(y *yamlScan, from int) int {
	to, l := from, y.lines[from]
	if l.kind != yamlItem {
		for n := from; n+1 < len(y.lines) && y.lines[n].endNest > l.startNest; {
			n++
			if y.lines[n].first >= 0 {
				to = n
			}
		}
		return to
	}
	for n := from + 1; n < len(y.lines); n++ {
		m := y.lines[n]
		if m.first < 0 || m.kind == yamlCont || m.kind == yamlBlock {
			if m.first >= 0 {
				to = n
			}
			continue
		}
		if m.kind == yamlDoc || m.indent < l.indent || m.indent == l.indent && !(l.emptyKey && m.dash) {
			break
		}
		to = n
	}
	return to
}
