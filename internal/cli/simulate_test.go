package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	app := &App{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	code = app.Run(context.Background(), args)
	return out.String(), errb.String(), code
}

// TestSimulateConformance runs the conformance suite end to end through
// `iamlint simulate --cases`: every case must print one JSON line with
// "ok": true, and the command must exit 0.
func TestSimulateConformance(t *testing.T) {
	files, err := filepath.Glob("../../testdata/conformance/*/*.json")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../../testdata/conformance/*.json")
	files = append(files, more...)
	if len(files) < 3 {
		t.Fatalf("found only %d case files", len(files))
	}
	total := 0
	for _, f := range files {
		stdout, stderr, code := runCLI(t, "simulate", "--cases", f)
		if code != 0 {
			t.Errorf("%s: exit %d; stderr: %s", f, code, stderr)
		}
		sc := bufio.NewScanner(strings.NewReader(stdout))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var line struct {
				ID       string `json:"id"`
				Decision string `json:"decision"`
				OK       *bool  `json:"ok"`
			}
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
				t.Fatalf("%s: bad output line %q: %v", f, sc.Text(), err)
			}
			if line.OK == nil || !*line.OK {
				t.Errorf("%s: case %s decided %s, against its expectation", f, line.ID, line.Decision)
			}
			total++
		}
	}
	if total < 1000 {
		t.Errorf("only %d cases ran through the CLI", total)
	}
	t.Logf("%d cases through simulate --cases", total)
}

func TestSimulateMismatchExitsOne(t *testing.T) {
	dir := t.TempDir()
	cases := `[{"id":"wrong","expect":"Allowed","identityPolicies":[],"request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}}]`
	path := filepath.Join(dir, "cases.json")
	if err := os.WriteFile(path, []byte(cases), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, code := runCLI(t, "simulate", "--cases", path)
	if code != ExitFindings || !strings.Contains(stdout, `"decision":"ImplicitlyDenied"`) || !strings.Contains(stdout, `"ok":false`) {
		t.Errorf("exit %d, output %s", code, stdout)
	}
}

func TestSimulateOneRequest(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	policy := write("p.json", `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`)
	boundary := write("b.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)

	stdout, stderr, code := runCLI(t, "simulate", "--policy", policy, "--boundary", boundary,
		"--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k", "--context", "aws:SourceIp=10.1.2.3")
	if code != 0 || !strings.HasPrefix(stdout, "Allowed:") || !strings.Contains(stdout, "p.json:1:") || !strings.Contains(stdout, "(Read)") {
		t.Errorf("allowed: exit %d\n%s%s", code, stdout, stderr)
	}
	stdout, _, _ = runCLI(t, "simulate", "--policy", policy, "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k",
		"--context", "aws:SourceIp=192.168.0.1", "--format", "json")
	if !strings.Contains(stdout, `"decision":"ImplicitlyDenied"`) {
		t.Errorf("outside the CIDR: %s", stdout)
	}
	_, stderr, code = runCLI(t, "simulate", "--policy", write("bad.json", `{"Statement": [}`), "--action", "s3:GetObject")
	if code != ExitFailure || !strings.Contains(stderr, "bad.json:1:") {
		t.Errorf("malformed policy: exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = runCLI(t, "simulate", "--policy", policy)
	if code != ExitFailure || !strings.Contains(stderr, "--action") {
		t.Errorf("missing --action: exit %d, stderr %q", code, stderr)
	}
}
