package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// gitInit makes a repository in dir with the files of the diff-text
// scenario's base under infra/ committed, and returns a function that
// runs git there.
func gitInit(t *testing.T, e2e, dir string) func(args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=iamlint", "-c", "user.email=iamlint@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("init", "-q", "-b", "main")
	copyFile(t, filepath.Join(e2e, "diff-text", "base", "main.tf"), filepath.Join(dir, "infra", "main.tf"))
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("not an input\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run("add", ".")
	run("commit", "-q", "-m", "base")
	return run
}

func e2eDir(t *testing.T) string {
	t.Helper()
	d, err := filepath.Abs(filepath.Join("..", "..", "testdata", "e2e"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDiffGitBase compares the working tree with HEAD: the same answer as
// the two folders of the diff-text scenario, the repository left as it
// was, the temporary tree removed.
func TestDiffGitBase(t *testing.T) {
	e2e := e2eDir(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	repo := filepath.Join(t.TempDir(), "repo")
	if err := os.MkdirAll(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	git := gitInit(t, e2e, repo)
	copyFile(t, filepath.Join(e2e, "diff-text", "head", "main.tf"), filepath.Join(repo, "infra", "main.tf"))
	statusBefore := git("status", "--porcelain")
	worktrees := git("worktree", "list")

	t.Chdir(repo)
	got := runScenario([]string{"diff", "--git-base", "HEAD", "--format", "json", "infra"})
	if !strings.HasPrefix(string(got.Comment), "exit 1") {
		t.Fatalf("diff --git-base HEAD:\n%s", txtar.Format(got))
	}
	var out struct {
		Base, Head  string
		Escalations struct{ Added []json.RawMessage }
		Findings    struct {
			Added, Removed []struct{ Location struct{ File string } }
		}
		Violations []struct{ Kind string }
	}
	if err := json.Unmarshal(got.Files[0].Data, &out); err != nil {
		t.Fatal(err)
	}
	if out.Base != "HEAD" || out.Head != "working tree" || len(out.Escalations.Added) != 1 || len(out.Violations) != 4 {
		t.Errorf("base %q, head %q, %d escalations added, %d violations; want HEAD, working tree, 1, 4\n%s",
			out.Base, out.Head, len(out.Escalations.Added), len(out.Violations), got.Files[0].Data)
	}
	for _, f := range append(out.Findings.Added, out.Findings.Removed...) {
		if f.Location.File != "infra/main.tf" {
			t.Errorf("a finding in %q, want infra/main.tf", f.Location.File)
		}
	}
	if len(out.Findings.Removed) != 0 {
		t.Errorf("%d findings removed; the base's findings should all match the head's", len(out.Findings.Removed))
	}
	if s := git("status", "--porcelain"); s != statusBefore {
		t.Errorf("git status changed:\n%s\nwas\n%s", s, statusBefore)
	}
	if s := git("worktree", "list"); s != worktrees {
		t.Errorf("git worktree list changed:\n%s", s)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "iamlint-diff-*")); len(left) > 0 {
		t.Errorf("temporary trees left: %v", left)
	}

	// From a subfolder, with the default path; the same text as the
	// folders of the diff-text scenario, but for the names of the states.
	t.Chdir(filepath.Join(repo, "infra"))
	got = runScenario([]string{"diff", "--git-base", "main"})
	want, err := txtar.ParseFile(filepath.Join(e2e, "diff-text", "want.txt"))
	if err != nil {
		t.Fatal(err)
	}
	wantOut := strings.Replace(strings.Replace(string(want.Files[0].Data), "--- base\n", "--- main\n", 1), "+++ head\n", "+++ working tree\n", 1)
	if s := string(got.Files[0].Data); s != wantOut || !strings.HasPrefix(string(got.Comment), "exit 1") {
		t.Errorf("diff --git-base main in infra/:\n%s\nwant\n%s", txtar.Format(got), wantOut)
	}

	// A folder the revision does not have is empty there; a clean tree
	// has no change.
	copyFile(t, filepath.Join(repo, "infra", "main.tf"), filepath.Join(repo, "new", "main.tf"))
	git("checkout", "-q", "--", "infra/main.tf")
	t.Chdir(repo)
	got = runScenario([]string{"diff", "--git-base", "HEAD", "infra"})
	if s := string(txtar.Format(got)); s != "exit 0\n-- stdout --\nno access change from HEAD to working tree\n-- stderr --\n" {
		t.Errorf("clean infra:\n%s", s)
	}
	got = runScenario([]string{"diff", "--git-base", "HEAD", "new"})
	if s := string(txtar.Format(got)); !strings.HasPrefix(s, "exit 1") || !strings.Contains(s, "@@ user dev (aws_iam_user.dev) added @@") {
		t.Errorf("a new folder:\n%s", s)
	}
}

func TestDiffGitErrors(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	e2e := e2eDir(t)
	outside := t.TempDir()
	t.Chdir(outside)
	got := runScenario([]string{"diff", "--git-base", "HEAD"})
	if s := string(txtar.Format(got)); !strings.HasPrefix(s, "exit 2") || !strings.Contains(s, "--git-base works in a git work tree") {
		t.Errorf("outside a repository:\n%s", s)
	}
	repo := t.TempDir()
	gitInit(t, e2e, repo)
	t.Chdir(repo)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"diff", "--git-base", "no-such-branch"}, "--git-base no-such-branch: no such commit"},
		{[]string{"diff", "--git-base", "--help=x"}, "not a revision"},
		{[]string{"diff", "--git-base", "HEAD", outside}, "is outside the git work tree"},
		{[]string{"diff", "--format", "xml", "a", "b"}, `unknown format "xml"`},
		{[]string{"diff", "--allow-new", "dev", "a", "b"}, "--allow-new dev: no colon"},
		{[]string{"diff", "README.md", "infra"}, "README.md is not a folder"},
	} {
		got := runScenario(tc.args)
		if s := string(txtar.Format(got)); !strings.HasPrefix(s, "exit 2") || !strings.Contains(s, tc.want) {
			t.Errorf("iamlint %s:\n%s\nwant exit 2 and %q", strings.Join(tc.args, " "), s, tc.want)
		}
	}
}

func TestDiffColour(t *testing.T) {
	base, head := filepath.Join(e2eDir(t), "diff-text", "base"), filepath.Join(e2eDir(t), "diff-text", "head")
	for _, tc := range []struct {
		terminal bool
		noColor  string
		want     bool
	}{
		{false, "", false},
		{true, "", true},
		{true, "1", false},
	} {
		var stdout bytes.Buffer
		app := &App{Stdout: &stdout, Stderr: &bytes.Buffer{}, IsTerminal: tc.terminal,
			Getenv: func(k string) string {
				if k == "NO_COLOR" {
					return tc.noColor
				}
				return ""
			}}
		app.Run(context.Background(), []string{"diff", base, head})
		if got := strings.Contains(stdout.String(), "\x1b["); got != tc.want {
			t.Errorf("terminal=%v NO_COLOR=%q: colour = %v, want %v", tc.terminal, tc.noColor, got, tc.want)
		}
	}
}

// TestDiffCustomRules: diff runs the custom rules of --rules as those of
// the configuration's rules_dirs (the diff-rego scenario), and none with
// --no-config alone; mistakes in them are a usage failure.
func TestDiffCustomRules(t *testing.T) {
	t.Chdir(filepath.Join(e2eDir(t), "diff-rego"))
	const finding = "IAM951  role reports has no owner tag"
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"diff", "base", "head"}, true},
		{[]string{"diff", "--no-config", "--rules", "rules", "base", "head"}, true},
		{[]string{"diff", "--no-config", "base", "head"}, false},
	} {
		got := string(txtar.Format(runScenario(tc.args)))
		if !strings.HasPrefix(got, "exit 0") || strings.Contains(got, finding) != tc.want {
			t.Errorf("iamlint %s:\n%s\nwant exit 0, finding %v", strings.Join(tc.args, " "), got, tc.want)
		}
	}

	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, "bad.rego"), []byte("package iamlint.rules.bad\n\nfindings contains x if {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"diff", "--no-config", "--rules", bad, "base", "head"},
		{"diff", "--rule-timeout", "0s", "base", "head"},
		{"diff", "--config", "missing.hcl", "base", "head"},
	} {
		got := string(txtar.Format(runScenario(args)))
		if !strings.HasPrefix(got, "exit 2") {
			t.Errorf("iamlint %s:\n%s\nwant exit 2", strings.Join(args, " "), got)
		}
	}
}

// TestDiffOutputs: diff takes check's --format and --output.
func TestDiffOutputs(t *testing.T) {
	t.Chdir(filepath.Join(e2eDir(t), "diff-text"))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"diff", "--format", "text,json", "base", "head"}, "only one format can go to standard output"},
		{[]string{"diff", "--output", "sarif", "base", "head"}, "want FORMAT=FILE"},
		{[]string{"diff", "--output", "github=x.txt", "base", "head"}, `unknown format "github" (want text, json, markdown, sarif)`},
	} {
		got := string(txtar.Format(runScenario(tc.args)))
		if !strings.HasPrefix(got, "exit 2") || !strings.Contains(got, tc.want) {
			t.Errorf("iamlint %s:\n%s\nwant exit 2 and %q", strings.Join(tc.args, " "), got, tc.want)
		}
	}

	// Two formats, each to its file, nothing on standard output.
	dir := t.TempDir()
	js, md := filepath.Join(dir, "diff.json"), filepath.Join(dir, "diff.md")
	got := runScenario([]string{"diff", "--format", "json", "--output", "json=" + js, "--output", "markdown=" + md, "base", "head"})
	if !strings.HasPrefix(string(got.Comment), "exit 1") || len(got.Files[0].Data) != 0 {
		t.Errorf("outputs to files:\n%s", txtar.Format(got))
	}
	for _, f := range []string{js, md} {
		if data, err := os.ReadFile(f); err != nil || len(data) == 0 {
			t.Errorf("%s: %v, %d bytes", f, err, len(data))
		}
	}
}
