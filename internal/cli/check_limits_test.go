package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckFileSizeLimit: an oversized file named on the command line is an
// input error naming the file; the same file met in a walk is passed over,
// and the policies beside it are still linted.
func TestCheckFileSizeLimit(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, []byte(`{"Statement": "`+strings.Repeat("x", maxPolicyFileSize)+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	policy := `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "*"}}`
	if err := os.WriteFile(filepath.Join(dir, "p.json"), []byte(policy), 0o644); err != nil {
		t.Fatal(err)
	}

	stdout, stderr, code := runCLI(t, "check", big)
	if out := stdout + stderr; code != ExitFailure || !strings.Contains(out, "big.json") || !strings.Contains(out, "too large") {
		t.Errorf("explicit big file: exit %d, output %q", code, out)
	}
	stdout, stderr, code = runCLI(t, "check", dir)
	if code != ExitFindings || !strings.Contains(stdout, "IAM302") || strings.Contains(stdout+stderr, "big.json") {
		t.Errorf("walk: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}
