package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckFileSizeLimit: a file over --max-file-size is not read; it is
// an input error (IAM000, exit 2) naming the file, whether it was named on
// the command line or met in a walk, and the policies beside it are still
// linted.
func TestCheckFileSizeLimit(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	bigPolicy := `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/` + strings.Repeat("x", 2000) + `"}}`
	if err := os.WriteFile(big, []byte(bigPolicy), 0o644); err != nil {
		t.Fatal(err)
	}
	policy := `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "*"}}`
	if err := os.WriteFile(filepath.Join(dir, "p.json"), []byte(policy), 0o644); err != nil {
		t.Fatal(err)
	}

	stdout, stderr, code := runCLI(t, "check", "--max-file-size", "1000", big)
	if out := stdout + stderr; code != ExitFailure || !strings.Contains(out, "IAM000") || !strings.Contains(out, "big.json") || !strings.Contains(out, "--max-file-size") {
		t.Errorf("explicit big file: exit %d, output %q", code, out)
	}
	stdout, stderr, code = runCLI(t, "check", "--max-file-size", "1000", dir)
	if code != ExitFailure || !strings.Contains(stdout, "IAM302") || !strings.Contains(stdout, "big.json") {
		t.Errorf("walk: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	stdout, stderr, code = runCLI(t, "check", dir)
	if code != ExitFindings || strings.Contains(stdout+stderr, "big.json") {
		t.Errorf("default limit: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if _, stderr, code = runCLI(t, "check", "--max-file-size", "0", dir); code != ExitFailure || !strings.Contains(stderr, "--max-file-size") {
		t.Errorf("--max-file-size 0: exit %d, stderr %q", code, stderr)
	}
}
