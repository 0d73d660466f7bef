package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestBaselineSurvivesEdits writes a baseline, then edits the
// configuration the way refactors do — reformatting, moving a resource to
// another file, reordering statements and the values of a list, adding
// blank lines and comments — and checks that the baseline still holds
// every finding, while a new problem is reported.
func TestBaselineSurvivesEdits(t *testing.T) {
	dir := t.TempDir()
	write := func(files map[string]string) {
		t.Helper()
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".tf") {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
		for name, text := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	const role = `resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
`
	write(map[string]string{"main.tf": role + `
resource "aws_iam_role_policy" "app" {
  name = "app"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Buckets", Effect = "Allow", Action = "s3:*", Resource = "*" },
      { Sid = "Queues", Effect = "Allow", Action = ["sqs:SendMessage", "sqs:ReceiveMessage"], Resource = "*" },
    ]
  })
}

data "aws_iam_policy_document" "tables" {
  statement {
    sid       = "Tables"
    actions   = ["dynamodb:PutItem", "dynamodb:DeleteItem"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "tables" {
  name   = "tables"
  role   = aws_iam_role.app.id
  policy = data.aws_iam_policy_document.tables.json
}
`})
	t.Chdir(dir)
	got := runScenario([]string{"check", "--no-config", "--write-baseline", "baseline.json", "."})
	if s := string(txtar.Format(got)); !strings.HasPrefix(s, "exit 0") || !strings.Contains(s, "recorded") {
		t.Fatalf("--write-baseline:\n%s", s)
	}
	before := runScenario([]string{"check", "--no-config", "."})
	if !strings.HasPrefix(string(before.Comment), "exit 1") {
		t.Fatalf("the configuration has no findings to baseline:\n%s", txtar.Format(before))
	}

	// The same policies, edited: the policy document moved to its own
	// file, statements and list values reordered, everything reformatted.
	edited := map[string]string{
		"roles.tf": "# Roles.\n\n\n" + role,
		"policies.tf": `
data "aws_iam_policy_document" "tables" {
  # Table writes.
  statement {
    sid = "Tables"
    resources = [
      "*",
    ]
    actions = [
      "dynamodb:DeleteItem",
      "dynamodb:PutItem",
    ]
  }
}
`,
		"main.tf": `resource "aws_iam_role_policy" "tables" {
  role   = aws_iam_role.app.id
  name   = "tables"
  policy = data.aws_iam_policy_document.tables.json
}

resource "aws_iam_role_policy" "app" {
  role = aws_iam_role.app.id
  name = "app"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Queues"
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:SendMessage"]
        Resource = "*"
      },
      {
        Sid      = "Buckets"
        Effect   = "Allow"
        Action   = "s3:*"
        Resource = "*"
      },
    ]
  })
}
`,
	}
	write(edited)
	got = runScenario([]string{"check", "--no-config", "--baseline", "baseline.json", "."})
	s := string(txtar.Format(got))
	if !strings.HasPrefix(s, "exit 0") || !strings.Contains(s, "no findings in 3 files") || strings.Contains(s, "warning") {
		t.Errorf("after the edits, with the baseline:\n%s", s)
	}

	// A new problem is reported; the others stay suppressed.
	edited["main.tf"] = strings.Replace(edited["main.tf"], `"sqs:SendMessage"]`, `"sqs:SendMessage", "iam:PassRole"]`, 1)
	write(edited)
	got = runScenario([]string{"check", "--no-config", "--baseline", "baseline.json", "--format", "json", "."})
	s = string(txtar.Format(got))
	if !strings.HasPrefix(s, "exit 1") || !strings.Contains(s, `"ruleId": "IAM111"`) || !strings.Contains(s, `"justification": "in the baseline baseline.json"`) {
		t.Errorf("a new finding:\n%s", s)
	}
}

func TestBaselineUsage(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("p.json", []byte(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("bad.json", []byte(`{"version": 9, "findings": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "--baseline", "missing.json", "p.json"}, "--baseline: open missing.json"},
		{[]string{"check", "--baseline", "bad.json", "p.json"}, "the baseline bad.json is version 9"},
		{[]string{"check", "--baseline", "bad.json", "--write-baseline", "b.json", "p.json"}, "exclude each other"},
		{[]string{"check", "--write-baseline", "-", "missing.json", "p.json"}, "error: Cannot read path"},
	} {
		got := runScenario(tc.args)
		s := string(txtar.Format(got))
		if !strings.HasPrefix(s, "exit 2") || !strings.Contains(s, tc.want) {
			t.Errorf("iamlint %s:\n%s\nwant exit 2 and %q", strings.Join(tc.args, " "), s, tc.want)
		}
	}
}
