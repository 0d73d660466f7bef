package terraform

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// A call of a function iamlint lacks is a warning whose suggestion is the
// same on every run (hclsyntax's own depends on map order): the closest
// name, ties broken alphabetically; none when nothing is close.
func TestUnknownFunctionSuggestion(t *testing.T) {
	dir := t.TempDir()
	src := `resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = tost(["s3:GetObject"]), Resource = frobnicate_everything(1) }]
  })
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		`There is no function named "tost". Did you mean "toset"? iamlint does not implement it; values depending on it are unknown.`: "",
		`There is no function named "frobnicate_everything". iamlint does not implement it; values depending on it are unknown.`:      "",
	}
	for range 20 {
		_, diags := Load(context.Background(), []string{dir}, Options{})
		got := 0
		for _, d := range diags {
			if d.Summary != "Unsupported function" {
				continue
			}
			if _, ok := want[d.Detail]; !ok {
				t.Fatalf("unexpected detail %q", d.Detail)
			}
			got++
		}
		if got != 2 {
			t.Fatalf("got %d unsupported-function warnings, want 2: %v", got, diags)
		}
	}
}
