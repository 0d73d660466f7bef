package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckFileNamedTwice: a file met twice (in a walk and by name) is
// reported once: one finding per problem, one line per warning.
func TestCheckFileNamedTwice(t *testing.T) {
	dir := t.TempDir()
	policy := `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "*",
	  "Condition": {"stringequals": {"aws:PrincipalTag/team": "ops"}}}}`
	if err := os.WriteFile(filepath.Join(dir, "p.json"), []byte(policy), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	stdout, stderr, code := runCLI(t, "check", ".", "p.json")
	if code != ExitFindings || strings.Count(stdout, "IAM302") != 1 || strings.Count(stdout, "warning:") != 1 ||
		!strings.Contains(stdout, "1 finding (1 medium) in 1 of 1 file") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}
