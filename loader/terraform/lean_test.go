package terraform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// leanCases are folders to load both ways: every fixture, the cases in
// testdata/lean (references from locals, outputs, modules and resources
// iamlint does not model; module folders used by several instances and
// roots; syntax errors; duplicate blocks; indented blocks and CRLF), a
// generated configuration large enough to be parsed in pieces, and the
// benchmark corpus when it is present (not with -short).
func leanCases(t *testing.T) map[string]string {
	cases := map[string]string{}
	for _, base := range []string{fixtures, filepath.Join("testdata", "lean")} {
		ents, err := os.ReadDir(base)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if e.IsDir() {
				cases[filepath.Join(base, e.Name())] = filepath.Join(base, e.Name())
			}
		}
	}
	cases["generated"] = generatedConfig(t)
	if dir := corpusDir(); dir != "" && !testing.Short() {
		cases["corpus"] = dir
	}
	return cases
}

// generatedConfig writes a configuration with files of over 100 kB, so
// they are parsed in pieces, each block made of the forms policies take.
func generatedConfig(t *testing.T) string {
	dir := t.TempDir()
	var roles, docs strings.Builder
	for i := range 200 {
		fmt.Fprintf(&roles, `resource "aws_iam_role" "r%d" {
  name               = "role-%d"
  assume_role_policy = data.aws_iam_policy_document.trust%d.json
  tags               = merge(local.tags, { n = "%d" })
}

resource "aws_iam_role_policy" "r%d" {
  role = aws_iam_role.r%d.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "s3:${local.verbs[%d %% 2]}"], Resource = "arn:aws:s3:::b%d/*" }]
  })
}

resource "aws_iam_policy" "p%d" {
  name   = "p%d"
  policy = <<-EOT
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "${aws_iam_role.r%d.arn}"}]}
  EOT
}

resource "aws_iam_role_policy_attachment" "a%d" {
  role       = aws_iam_role.r%d.name
  policy_arn = aws_iam_policy.p%d.arn
}

`, i, i, i, i, i, i, i, i, i, i, i, i, i, i)
		fmt.Fprintf(&docs, `data "aws_iam_policy_document" "trust%d" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

`, i)
	}
	files := map[string]string{
		"roles.tf": roles.String(),
		"docs.tf":  docs.String(),
		"main.tf":  "locals {\n  tags  = { team = \"x\" }\n  verbs = [\"PutObject\", \"DeleteObject\"]\n}\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func loadBoth(t *testing.T, root string, keepAll bool) string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".tf") {
			if dir := filepath.Dir(p); len(dirs) == 0 || dirs[len(dirs)-1] != dir {
				dirs = append(dirs, dir)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(dirs)
	m, diags := load(context.Background(), dirs, Options{Roots: []string{root}}, keepAll)
	return dump(root, m, diags)
}

// Dropping syntax trees and values as soon as nothing will read them,
// parsing blocks again when they are evaluated and parsing them ahead on
// another goroutine do not change what a load returns: the same model and
// diagnostics as keeping everything, with one core or several.
func TestLeanLoadSameResult(t *testing.T) {
	for name, dir := range leanCases(t) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			want := loadBoth(t, dir, true)
			if d := cmp.Diff(want, loadBoth(t, dir, false)); d != "" {
				t.Errorf("lean load differs from keeping everything (-keep +lean):\n%s", d)
			}
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
			if d := cmp.Diff(want, loadBoth(t, dir, false)); d != "" {
				t.Errorf("lean load on one core differs from keeping everything (-keep +lean):\n%s", d)
			}
		})
	}
}

// A block parsed again from its text gives the tree the parse of its file
// gave, ranges included.
func TestBlocksParseAgain(t *testing.T) {
	for name, dir := range leanCases(t) {
		err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(p, ".tf") {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			file, diags := hclsyntax.ParseConfig(data, p, hcl.InitialPos)
			if diags.HasErrors() {
				return nil
			}
			for _, b := range file.Body.(*hclsyntax.Body).Blocks {
				if b.Type != "resource" && b.Type != "data" || len(b.Labels) != 2 {
					continue
				}
				d := &resDecl{data: b.Type == "data", key: b.Labels[0] + "." + b.Labels[1], defRange: b.DefRange(),
					start: b.TypeRange.Start, end: b.CloseBraceRange.End, src: data[b.TypeRange.Start.Byte:b.CloseBraceRange.End.Byte]}
				if d.srcRange() != b.Range() {
					t.Errorf("%s: %s: range %s, want %s", name, d.key, d.srcRange(), b.Range())
				}
				if again := d.parse(); !reflect.DeepEqual(again, b) {
					t.Errorf("%s: %s at %s parses differently on its own", name, d.key, b.DefRange())
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
