package terraform

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/iamlint/iamlint/internal/hclscan"
)

// A large file parsed in pieces gives exactly the ranges of a whole parse,
// whatever the blocks hold: heredocs with braces, strings with
// interpolations and escaped quotes, comments.
func TestParseInPieces(t *testing.T) {
	var b strings.Builder
	for i := range 400 {
		fmt.Fprintf(&b, "# block %d { not a brace\n", i)
		fmt.Fprintf(&b, "resource \"aws_iam_policy\" \"p%d\" {\n", i)
		fmt.Fprintf(&b, "  name = \"p-${local.x[\"}\"]}-\\\"%d\"\n", i)
		b.WriteString("  /* } */\n  policy = <<-EOT\n    {\"Statement\": [{\"Resource\": \"${jsonencode({a = \"}\"})}\"}]}\n    EOT_NOT_END\n  EOT\n")
		b.WriteString("  tags = { a = \"é\" } // }\n}\n\n")
	}
	data := []byte(b.String())
	if cuts := hclscan.TopLevelCuts(data, chunkSize); len(cuts) < 2 {
		t.Fatalf("expected the file to be cut, got %d cuts", len(cuts))
	}
	pieces := parseFiles([]source{{name: "big.tf", data: data}})[0]
	whole, diags := hclsyntax.ParseConfig(data, "big.tf", hcl.InitialPos)
	if diags.HasErrors() || pieces.diags.HasErrors() {
		t.Fatalf("parse errors: %v / %v", diags, pieces.diags)
	}
	if d := cmp.Diff(ranges(whole.Body.(*hclsyntax.Body)), ranges(pieces.body)); d != "" {
		t.Errorf("ranges differ (-whole +pieces):\n%s", d)
	}
}

func ranges(b *hclsyntax.Body) []string {
	var out []string
	for _, blk := range b.Blocks {
		out = append(out, blk.DefRange().String(), blk.Range().String())
		for _, name := range sortedAttrNames(blk.Body) {
			a := blk.Body.Attributes[name]
			hclsyntax.VisitAll(a.Expr, func(n hclsyntax.Node) hcl.Diagnostics {
				out = append(out, n.Range().String())
				return nil
			})
		}
	}
	return out
}
