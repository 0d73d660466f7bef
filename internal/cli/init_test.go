package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamlint/iamlint/config"
	"github.com/iamlint/iamlint/rules/builtin"
)

func TestInit(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		app := &App{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
		code := app.Run(context.Background(), args)
		return code, out.String() + errb.String()
	}
	if code, out := run("init", dir); code != 0 || !strings.Contains(out, "wrote") {
		t.Fatalf("init: exit %d: %s", code, out)
	}
	file := filepath.Join(dir, config.FileName)
	if _, diags := config.Load(file, builtin.All()); len(diags) > 0 {
		t.Errorf("the written file has problems: %s", diags)
	}
	if err := os.WriteFile(file, []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out := run("init", dir); code != ExitFailure || !strings.Contains(out, "--force") {
		t.Errorf("init over an existing file: exit %d: %s", code, out)
	}
	if got, _ := os.ReadFile(file); string(got) != "# mine\n" {
		t.Error("init overwrote an existing file without --force")
	}
	if code, _ := run("init", "--force", dir); code != 0 {
		t.Errorf("init --force: exit %d", code)
	}
	if got, _ := os.ReadFile(file); string(got) != config.Template {
		t.Error("init --force did not replace the file")
	}
}
