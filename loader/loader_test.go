package loader

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLoadRoutesEachFileOnce: a file met in a walk and named again is
// loaded once; a file a walk passed over as of no known kind is still
// reported when named; skipped folders are not searched; files over the
// size limit are reported with a position.
func TestLoadRoutesEachFileOnce(t *testing.T) {
	dir := t.TempDir()
	policy := write(t, dir, "p.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`)
	other := write(t, dir, "config.json", `{"region": "eu-west-1"}`)
	write(t, dir, "node_modules/x/p.json", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
	write(t, dir, ".terraform/modules/m/main.tf", `resource "aws_iam_user" "u" { name = "hidden" }`)
	write(t, dir, "big.json", `{"Statement":"`+strings.Repeat("x", 2000)+`"}`)

	m, diags := Load(context.Background(), []string{dir, policy, other}, Options{MaxFileSize: 1000})
	if len(m.Documents) != 1 || m.Documents[0].Addr != policy {
		t.Errorf("documents: %d (want p.json once)", len(m.Documents))
	}
	if len(m.Users) != 0 {
		t.Error("a module cached under .terraform was loaded")
	}
	var got []string
	for _, d := range diags {
		if d.Subject == nil {
			t.Errorf("diagnostic without position: %v", d)
			continue
		}
		got = append(got, filepath.Base(d.Subject.Filename)+" "+d.Summary)
	}
	want := map[string]bool{"big.json File too large": true, "config.json Unknown JSON file": true}
	if len(got) != len(want) {
		t.Errorf("diagnostics %v, want %v", got, want)
	}
	for _, g := range got {
		if !want[g] {
			t.Errorf("unexpected diagnostic %q", g)
		}
	}
}

func TestKindByPath(t *testing.T) {
	for _, c := range []struct {
		rule, file string
		match      bool
	}{
		{"scps=scp", "scps/a.json", true},
		{"scps/=scp", "scps/sub/a.json", true},
		{"scps=scp", "other/scps.json", false},
		{"org/*/scp-*.json=scp", "org/prod/scp-deny.json", true},
		{"org/*/scp-*.json=scp", "org/prod/deny.json", false},
		{"scp", "anything.json", true},
	} {
		pk, err := ParsePathKind(c.rule)
		if err != nil {
			t.Fatalf("%s: %v", c.rule, err)
		}
		opts := Options{KindByPath: []PathKind{pk}}
		if got := opts.kindFor(c.file) != 0; got != c.match {
			t.Errorf("%s on %s: match %v, want %v", c.rule, c.file, got, c.match)
		}
	}
	for _, bad := range []string{"scps=role", "[=scp", "nonsense"} {
		if _, err := ParsePathKind(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// A workload in one input runs with a role and instance profile another
// input declares: Load keeps the workloads of every input and links them.
func TestLoadLinksWorkloadsAcrossInputs(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "tf/main.tf", `provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::111122223333:role/app"
}

resource "aws_instance" "web" {
  iam_instance_profile = "app"
}
`)
	write(t, dir, "gaad.json", `{"RoleDetailList": [{
  "Path": "/", "RoleName": "app", "RoleId": "AROAEXAMPLE", "Arn": "arn:aws:iam::111122223333:role/app",
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]}, "Action": "sts:AssumeRole"}]},
  "InstanceProfileList": [{"Path": "/", "InstanceProfileName": "app", "InstanceProfileId": "AIPAEXAMPLE", "Arn": "arn:aws:iam::111122223333:instance-profile/app", "Roles": []}],
  "RolePolicyList": [], "AttachedManagedPolicies": []
}]}`)
	write(t, dir, "stack.yaml", `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Job:
    Type: AWS::Glue::Job
    Properties:
      Name: etl
      Role: arn:aws:iam::111122223333:role/app
      Command: {Name: glueetl}
`)
	m, diags := Load(context.Background(), []string{dir}, Options{})
	for _, d := range diags {
		t.Errorf("unexpected diagnostic: %s: %s", d.Summary, d.Detail)
	}
	if len(m.Roles) != 1 || len(m.InstanceProfiles) != 1 || len(m.Workloads) != 3 {
		t.Fatalf("%d roles, %d instance profiles, %d workloads", len(m.Roles), len(m.InstanceProfiles), len(m.Workloads))
	}
	var got []string
	for _, w := range m.Workloads {
		s := w.Addr[strings.LastIndex(w.Addr, string(filepath.Separator))+1:] + " " + w.ARN
		if w.Role == m.Roles[0] {
			s += " role"
		}
		if w.Profile == m.InstanceProfiles[0] {
			s += " profile"
		}
		got = append(got, s)
	}
	want := []string{ // by address: the template's is its path
		"stack.yaml#Resources.Job arn:aws:glue:${AWS::Region}:${AWS::AccountId}:job/etl role",
		"aws_instance.web arn:aws:ec2:eu-west-1:111122223333:instance/${aws_instance.web.id} profile",
		"aws_lambda_function.api arn:aws:lambda:eu-west-1:111122223333:function:api role",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("workloads:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestLoadExclude: a walk leaves out the files and folders Exclude names;
// a file named on the command line is read all the same.
func TestLoadExclude(t *testing.T) {
	dir := t.TempDir()
	keep := write(t, dir, "keep.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`)
	skipped := write(t, dir, "legacy/old.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
	write(t, dir, "skip.json", `not json at all`)
	exclude := func(p string) bool {
		b := filepath.Base(p)
		return b == "legacy" || b == "skip.json"
	}
	m, diags := Load(context.Background(), []string{dir}, Options{Exclude: exclude})
	if len(diags) != 0 || len(m.Documents) != 1 || m.Documents[0].Addr != keep {
		t.Errorf("walk with exclusions: %d documents, diagnostics %v", len(m.Documents), diags)
	}
	m, _ = Load(context.Background(), []string{skipped}, Options{Exclude: exclude})
	if len(m.Documents) != 1 {
		t.Errorf("an excluded file named on the command line was not read")
	}
}
