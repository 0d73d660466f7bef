package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkCheckSuppressions times `iamlint check` on a Terraform tree of
// 100 policies with findings, plain and then with 100 iamlint:ignore
// directives and a .iamlint.hcl of 20 rule blocks and ignore blocks: issue
// 5 wants both within 10% of each other. Compare the two sub-benchmarks'
// ns/op.
func BenchmarkCheckSuppressions(b *testing.B) {
	for _, withConfig := range []bool{false, true} {
		name := "plain"
		if withConfig {
			name = "100-ignores-20-overrides"
		}
		b.Run(name, func(b *testing.B) {
			dir := b.TempDir()
			var tf strings.Builder
			for i := range 100 {
				ignore := ""
				if withConfig {
					ignore = "  # iamlint:ignore IAM103 break-glass policy, reviewed in SEC-1\n"
				}
				fmt.Fprintf(&tf, `resource "aws_iam_policy" "p%d" {
  name = "p%d"
%s  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "*", Resource = "*" },
      { Effect = "Allow", Action = ["s3:GetObject", "iam:PassRole"], Resource = "*" },
    ]
  })
}

`, i, i, ignore)
			}
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf.String()), 0o644); err != nil {
				b.Fatal(err)
			}
			if withConfig {
				var cfg strings.Builder
				cfg.WriteString("fail_on = \"critical\"\n")
				for _, r := range []string{"IAM301", "IAM302", "IAM303", "IAM304", "IAM305", "IAM306", "IAM307", "IAM308", "IAM309", "IAM310",
					"IAM311", "IAM312", "IAM313", "IAM314", "IAM315", "IAM316", "IAM317", "IAM318"} {
					fmt.Fprintf(&cfg, "rule %q {\n  severity = \"low\"\n}\n", r)
				}
				cfg.WriteString("rule \"IAM11*\" {\n  severity = \"medium\"\n}\nrule \"unscoped-read\" {\n  enabled = false\n}\n")
				cfg.WriteString("ignore {\n  rules  = [\"IAM114\"]\n  paths  = [\"main.tf\"]\n  reason = \"reports read everything, SEC-2\"\n}\n")
				if err := os.WriteFile(filepath.Join(dir, ".iamlint.hcl"), []byte(cfg.String()), 0o644); err != nil {
					b.Fatal(err)
				}
			}
			b.Chdir(dir)
			app := &App{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
			args := []string{"check", "--now", "2026-06-01", "--format", "json", "."}
			if code := app.Run(context.Background(), args); code == ExitFailure {
				b.Fatalf("check exited %d", code)
			}
			b.ResetTimer()
			for b.Loop() {
				app.Run(context.Background(), args)
			}
		})
	}
}
