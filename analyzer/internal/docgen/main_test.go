package main

import (
	"os"
	"testing"

	"github.com/iamlint/iamlint/analyzer"
)

// TestDocsUpToDate fails when docs/escalation.md does not match the
// technique table: run go generate ./analyzer/...
func TestDocsUpToDate(t *testing.T) {
	got, err := os.ReadFile("../../../docs/escalation.md")
	if err != nil {
		t.Fatalf("%v: run go generate ./analyzer/...", err)
	}
	if string(got) != markdown(analyzer.Techniques()) {
		t.Error("docs/escalation.md is stale: run go generate ./analyzer/...")
	}
	for _, tech := range analyzer.Techniques() {
		if tech.ID == "" || tech.Name == "" || tech.Description == "" || len(tech.Actions) == 0 {
			t.Errorf("technique %q lacks an ID, name, description or actions", tech.ID)
		}
	}
}
