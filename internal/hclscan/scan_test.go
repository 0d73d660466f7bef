package hclscan

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// tricky holds what a byte scanner gets wrong first: braces and comment
// markers inside strings, heredocs and template sequences, escapes.
var tricky = []string{
	"# block { not a brace\nresource \"a\" \"b\" {\n  name = \"p-${local.x[\"}\"]}-\\\"1\" # c\n}\n",
	"x = <<-EOT\n  # not a comment ${jsonencode({a = \"}\"})} //\n  EOT_NOT_END\n  EOT\ny = 1 // after\n",
	"a = \"$${not.interp} %%{not} # \\\" // /*\" /* a\nblock */ b = 2\n",
	"l = [\n  1, # one\n  {\n    k = \"v\" // two\n  },\n]\n",
	"m = {\n  for k, v in var.x : k => v\n  if v != \"#\"\n}\n",
	"t = \"${x}${y}\"\r\nu = 1\r\n# crlf comment\r\n",
	"h = <<EOT\nline ${\n  foo(1)\n} end\nEOT\n",
	"k = \"%{ if a }#%{ endif }\"\n",
	"p = jsonencode({\n  Statement = [\n    { Effect = \"Allow\", Action = \"*\" }, # iamlint:ignore IAM103 why\n  ]\n})\n",
	"/* a */ /* b */ c = 1 # d\n",
}

type events struct {
	Comments [][2]int
	Codes    [][2]int
	Newlines [][2]int
}

func scanAll(src []byte) (events, bool) {
	var e events
	ok := Scan(src, Visitor{
		Comment: func(s, end int) { e.Comments = append(e.Comments, [2]int{s, end}) },
		Code:    func(at, d int) { e.Codes = append(e.Codes, [2]int{at, d}) },
		Newline: func(at, d int) { e.Newlines = append(e.Newlines, [2]int{at, d}) },
	})
	return e, ok
}

// lexed derives the same events from hclsyntax's tokens, the authority.
// Lines inside a heredoc's body are left out: Scan reports no code there.
func lexed(src []byte) (events, bool) {
	tokens, diags := hclsyntax.LexConfig(src, "x.tf", hcl.InitialPos)
	if diags.HasErrors() {
		return events{}, false
	}
	var e events
	depth, heredocs := 0, 0
	line := 0
	for _, t := range tokens {
		switch t.Type {
		case hclsyntax.TokenComment:
			end := t.Range.End.Byte
			if bytes.HasSuffix(t.Bytes, []byte("\n")) {
				end--
				e.Newlines = append(e.Newlines, [2]int{end, depth})
				if end > t.Range.Start.Byte && src[end-1] == '\r' {
					end--
				}
			}
			e.Comments = append(e.Comments, [2]int{t.Range.Start.Byte, end})
			continue
		case hclsyntax.TokenNewline:
			if heredocs == 0 {
				e.Newlines = append(e.Newlines, [2]int{t.Range.End.Byte - 1, depth})
			}
			continue
		case hclsyntax.TokenEOF:
			continue
		}
		if heredocs == 0 && t.Range.Start.Line != line {
			line = t.Range.Start.Line
			e.Codes = append(e.Codes, [2]int{t.Range.Start.Byte, depth})
		}
		switch t.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenOQuote,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			depth++
		case hclsyntax.TokenOHeredoc:
			depth++
			heredocs++
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenCQuote,
			hclsyntax.TokenTemplateSeqEnd:
			depth--
		case hclsyntax.TokenCHeredoc:
			depth--
			heredocs--
			line = t.Range.Start.Line // the terminator's line is not code
		}
	}
	return e, true
}

func sources(t *testing.T) map[string][]byte {
	out := map[string][]byte{}
	for i, s := range tricky {
		out[strings.Repeat("t", i+1)] = []byte(s)
	}
	for _, root := range []string{"../../testdata", "../../examples"} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".hcl")) {
				if b, err := os.ReadFile(p); err == nil {
					out[p] = b
				}
			}
			return nil
		})
	}
	if len(out) < 50 {
		t.Fatalf("only %d sources: the walk found too few files", len(out))
	}
	return out
}

// Scan agrees with hclsyntax's lexer on every file of the repository and
// on the tricky cases: the same comments, the same first code byte of each
// line, the same newlines at the same depths.
func TestScanAgreesWithLexer(t *testing.T) {
	compared := 0
	for name, src := range sources(t) {
		want, ok := lexed(src)
		if !ok {
			continue // a deliberately broken testdata file
		}
		got, sok := scanAll(src)
		if !sok {
			// Only a file that does not parse may be refused.
			if _, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos); !diags.HasErrors() {
				t.Errorf("%s: Scan could not follow a file that parses", name)
			}
			continue
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: (-lexer +scan)\n%s", name, d)
		}
		compared++
	}
	if compared < 50 {
		t.Errorf("compared only %d files", compared)
	}
}

func FuzzScan(f *testing.F) {
	for _, s := range tricky {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		src := []byte(s)
		got, ok := scanAll(src) // must not panic or hang, whatever the input
		if !ok {
			return
		}
		want, lok := lexed(src)
		if !lok || !utf8.Valid(src) {
			// hclsyntax segments invalid UTF-8 into grapheme clusters
			// that can swallow a '#'; such a file is not valid HCL.
			return
		}
		// A file hclsyntax lexes without error and Scan follows to the end
		// has the same comments.
		if d := cmp.Diff(want.Comments, got.Comments); d != "" {
			t.Errorf("(-lexer +scan)\n%s", d)
		}
	})
}

// Files whose structure the quick scan cannot follow are not cut.
func TestTopLevelCutsRefuses(t *testing.T) {
	big := strings.Repeat("x = 1\n", 3000)
	if TopLevelCuts([]byte(big), 1024) == nil {
		t.Fatal("a plain file is not cut")
	}
	for _, src := range []string{
		big + "x = \"unterminated\n",
		big + "x = <<EOT\nnever ends\n",
		big + "x = { a = 1\n",
		big + "/* unterminated comment\n",
		big + "x = ]\n",
	} {
		if cuts := TopLevelCuts([]byte(src), 1024); cuts != nil {
			t.Errorf("cut a file it cannot follow: %q...", src[len(big):])
		}
	}
}

// Cuts fall only before top-level items, at least size bytes apart.
func TestTopLevelCuts(t *testing.T) {
	var b strings.Builder
	for range 200 {
		b.WriteString("resource \"a\" \"b\" {\n  x = <<EOT\nnot_top = 1\nEOT\n  # c\n}\n")
	}
	src := []byte(b.String())
	cuts := TopLevelCuts(src, 512)
	if len(cuts) < 5 {
		t.Fatalf("got %d cuts", len(cuts))
	}
	last := 0
	for _, c := range cuts {
		if !bytes.HasPrefix(src[c:], []byte("resource ")) || c-last < 512 {
			t.Errorf("bad cut at %d: %q", c, src[c:min(len(src), c+12)])
		}
		last = c
	}
}
