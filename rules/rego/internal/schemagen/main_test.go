package main

import (
	"os"
	"testing"
)

// TestSchemaUpToDate fails when docs/rego-input.schema.json does not match
// rules/rego/input.go: run go generate ./rules/...
func TestSchemaUpToDate(t *testing.T) {
	src, err := os.ReadFile("../../input.go")
	if err != nil {
		t.Fatal(err)
	}
	want, err := generate(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../../../docs/rego-input.schema.json")
	if err != nil {
		t.Fatalf("%v: run go generate ./rules/...", err)
	}
	if string(got) != string(want) {
		t.Error("docs/rego-input.schema.json is stale: run go generate ./rules/...")
	}
}
