package rules

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

const suppressSrc = `# iamlint:ignore IAM101 the deploy role needs it, reviewed in SEC-12
resource "aws_iam_policy" "deploy" {
  policy = jsonencode({
    Statement = [{
      Action   = "*" // iamlint:ignore wildcard-action,IAM102 break-glass only
      Resource = "*"
    }]
  })
}

resource "aws_iam_role" "x" {
  /* iamlint:ignore IAM2* */
  assume_role_policy = "{}"
  description = <<EOT
# iamlint:ignore IAM101 inside a heredoc: not a comment
EOT
  # iamlint:ignore IAM301 stale: nothing here
  name = "x"
}
# iamlint:ignored IAM101 not a directive
`

func rng(line, col int) hcl.Range {
	return hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: line, Column: col}, End: hcl.Pos{Line: line, Column: col + 3}}
}

func TestScanAndSuppress(t *testing.T) {
	sups := ScanSuppressions("main.tf", []byte(suppressSrc))
	if len(sups) != 4 {
		for _, s := range sups {
			t.Logf("%+v", *s)
		}
		t.Fatalf("found %d directives, want 4 (the heredoc line and iamlint:ignored are not directives)", len(sups))
	}
	if got := sups[0].Covers; got.Start.Line != 2 || got.End.Line != 9 {
		t.Errorf("a directive above a resource covers lines %d-%d, want the resource block 2-9", got.Start.Line, got.End.Line)
	}
	if got := sups[1]; got.Covers.Start.Line != 5 || strings.Join(got.Rules, " ") != "wildcard-action IAM102" || got.Reason != "break-glass only" {
		t.Errorf("trailing directive: %+v", *got)
	}
	metas := map[string]*Meta{
		"IAM101": {ID: "IAM101", Slug: "wildcard-action"},
		"IAM102": {ID: "IAM102", Slug: "wildcard-resource"},
		"IAM201": {ID: "IAM201", Slug: "trust-anyone"},
	}
	lookup := func(id string) *Meta { return metas[id] }
	noReason := &Rule{Meta: Meta{ID: "IAM003", Slug: "ignore-without-reason", Severity: High}}
	unused := &Rule{Meta: Meta{ID: "IAM004", Slug: "unused-ignore", Severity: Low}}
	fs := []Finding{
		{RuleID: "IAM101", Message: "wildcard action", Range: rng(5, 18)},       // silenced by both 0 and 1; 0 wins
		{RuleID: "IAM102", Message: "wildcard resource", Range: rng(6, 18)},     // silenced by 0? no: 0 names IAM101 only
		{RuleID: "IAM201", Message: "trust anyone", Range: rng(13, 3)},          // directive 2 has no reason: stands
		{RuleID: "IAM101", Message: "outside any directive", Range: rng(18, 3)}, // the name attribute: 3 names IAM301
	}
	kept, silenced, problems := Suppress(fs, sups, lookup, noReason, unused)
	var k, s, p []string
	for _, f := range kept {
		k = append(k, f.Message)
	}
	for _, f := range silenced {
		s = append(s, f.Message+" ("+f.Suppressed.Reason+")")
	}
	for _, f := range problems {
		p = append(p, f.RuleID+" "+f.Range.String())
	}
	want := func(what string, got []string, want ...string) {
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	want("kept", k, "wildcard resource", "trust anyone", "outside any directive")
	want("silenced", s, "wildcard action (the deploy role needs it, reviewed in SEC-12)")
	want("problems", p,
		"IAM004 main.tf:5,22-79", // the trailing directive silenced nothing: the one above the block got there first
		"IAM003 main.tf:12,3-29",
		"IAM004 main.tf:17,3-46")
}

func TestMatchRule(t *testing.T) {
	m := &Meta{ID: "IAM101", Slug: "wildcard-action"}
	for pat, want := range map[string]bool{"IAM101": true, "iam101": true, "IAM1*": true, "wildcard-*": true, "IAM2*": false, "IAM10": false} {
		if got := MatchRule(pat, m); got != want {
			t.Errorf("MatchRule(%q) = %v", pat, got)
		}
	}
}

// TestScanLargeItem: a directive covers a block longer than the lexing
// window, and one at the end of a file covers nothing.
func TestScanLargeItem(t *testing.T) {
	var b strings.Builder
	b.WriteString("# iamlint:ignore IAM109 generated policy, reviewed\nresource \"aws_iam_policy\" \"big\" {\n  policy = jsonencode({\n    Statement = [\n")
	for i := range 400 {
		fmt.Fprintf(&b, "      { Effect = \"Allow\", Action = \"s3:GetObject\", Resource = \"arn:aws:s3:::bucket-%d/*\" },\n", i)
	}
	b.WriteString("    ]\n  })\n}\n# iamlint:ignore IAM101 nothing follows\n")
	src := b.String()
	sups := ScanSuppressions("big.tf", []byte(src))
	if len(sups) != 2 {
		t.Fatalf("found %d directives, want 2", len(sups))
	}
	lines := strings.Count(src, "\n")
	if c := sups[0].Covers; c.Start.Line != 2 || c.End.Line != lines-1 {
		t.Errorf("the directive covers lines %d-%d, want 2-%d", c.Start.Line, c.End.Line, lines-1)
	}
	if c := sups[1].Covers; c.Filename != "" {
		t.Errorf("a directive with nothing after it covers %s", c)
	}
}

// Positions are hclsyntax's own, columns counted in grapheme clusters, so
// a directive's range and coverage compare with the loader's ranges; the
// comment ranges agree with the lexer's comment tokens.
func TestScanPositionsMatchLexer(t *testing.T) {
	src := "locals {\n  e = \"é👍🏽\" # iamlint:ignore IAM1* accents before\r\n  /* iamlint:ignore IAM2* block */ f = [\n    1,\n  ]\n}\n"
	sups := ScanSuppressions("x.tf", []byte(src))
	tokens, _ := hclsyntax.LexConfig([]byte(src), "x.tf", hcl.InitialPos)
	var want []hcl.Range
	for _, tok := range tokens {
		if tok.Type == hclsyntax.TokenComment {
			r := tok.Range
			if text := strings.TrimRight(string(tok.Bytes), "\r\n"); len(text) < len(tok.Bytes) {
				r.End = hcl.Pos{Line: r.Start.Line, Column: r.Start.Column + utf8.RuneCountInString(text), Byte: r.Start.Byte + len(text)}
			}
			want = append(want, r)
		}
	}
	if len(sups) != 2 || len(want) != 2 {
		t.Fatalf("got %d directives and %d comment tokens, want 2 and 2", len(sups), len(want))
	}
	for i, s := range sups {
		if s.Range != want[i] {
			t.Errorf("directive %d at %v, the lexer's comment at %v", i, s.Range, want[i])
		}
	}
	if c := sups[0].Covers; c.Start.Line != 2 || c.Start.Column != 3 || c.End.Line != 3 {
		t.Errorf("trailing directive covers %v, want its own line from 2:3", c)
	}
	if c := sups[1].Covers; c.Start.Line != 3 || c.Start.Column != 36 || c.End.Line != 5 {
		t.Errorf("block-comment directive covers %v, want the attribute f from 3:36 to line 5", c)
	}
}

// itemEnds gives what a scan forward from each item gives (the first
// newline after it no deeper than it), on random nestings.
func TestItemEnds(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		var newlines, items []mark
		pos, depth := 0, 0
		for range rnd.IntN(60) {
			pos += 1 + rnd.IntN(5)
			depth = max(0, depth+rnd.IntN(3)-1)
			if rnd.IntN(2) == 0 {
				newlines = append(newlines, mark{pos, depth})
			} else {
				items = append(items, mark{pos, rnd.IntN(depth + 1)})
			}
		}
		eof := pos + 1
		got := itemEnds(items, newlines, eof)
		for i, it := range items {
			want := eof
			for _, n := range newlines {
				if n.at > it.at && n.depth <= it.depth {
					want = n.at
					break
				}
			}
			if got[i] != want {
				t.Fatalf("item %v among %v: end %d, want %d", it, newlines, got[i], want)
			}
		}
	}
}

// Directives stacked above deeply nested blocks, each naming a block
// that runs to the end of the file, are found in one pass (the scan used
// to walk to each item's end).
func TestScanNestedDirectives(t *testing.T) {
	var b strings.Builder
	const n = 3000
	for i := range n {
		fmt.Fprintf(&b, "# iamlint:ignore IAM101 level %d\nb%d {\n", i, i)
	}
	b.WriteString(strings.Repeat("}\n", n))
	sups := ScanSuppressions("deep.tf", []byte(b.String()))
	if len(sups) != n {
		t.Fatalf("found %d directives, want %d", len(sups), n)
	}
	for i, s := range sups {
		if want := 3*n - i; s.Covers.Start.Line != 2*i+2 || s.Covers.End.Line != want {
			t.Fatalf("directive %d covers %d-%d, want %d-%d", i, s.Covers.Start.Line, s.Covers.End.Line, 2*i+2, want)
		}
	}
}
