package rego

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/iamlint/iamlint/loader"
	"github.com/iamlint/iamlint/rules"
)

// TestInputMatchesSchema validates the input document of every example
// (the rule fixtures included) against docs/rego-input.schema.json, which
// forbids properties it does not list: a field added to the Go types
// without regenerating the schema fails here.
func TestInputMatchesSchema(t *testing.T) {
	f, err := os.Open("../../docs/rego-input.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("rego-input.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("rego-input.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	m, diags := loader.Load(context.Background(), []string{"../../examples"}, loader.Options{})
	in := rules.NewInput(m, diags)
	input := BuildInput(in, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), AllSections)
	if len(input.Principals) < 20 || len(input.Escalations) == 0 || len(input.Assumptions) == 0 {
		t.Fatalf("the examples' input document is too small to check the schema: %d principals", len(input.Principals))
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(input); err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Errorf("the examples' input document does not match the schema:\n%v", err)
	}
	// A partial document (sections not built are null) is valid too.
	buf.Reset()
	if err := json.NewEncoder(&buf).Encode(BuildInput(in, time.Now(), SectionPrincipals)); err != nil {
		t.Fatal(err)
	}
	inst, _ = jsonschema.UnmarshalJSON(&buf)
	if err := schema.Validate(inst); err != nil {
		t.Errorf("a partial input document does not match the schema:\n%v", err)
	}
}

// TestRunInputMatchesBuildInput checks that the input document of a rule
// run (lazy sections, shared terms) is the one inspect prints.
func TestRunInputMatchesBuildInput(t *testing.T) {
	m, diags := loader.Load(context.Background(), []string{"../../examples"}, loader.Options{})
	in := rules.NewInput(m, diags)
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range []Sections{AllSections, SectionPrincipals | SectionDocuments, 0} {
		want, err := json.Marshal(BuildInput(in, now, s))
		if err != nil {
			t.Fatal(err)
		}
		v, err := ast.JSONWithOpt(runInput(in, now, s), ast.JSONOpt{CopyMaps: true})
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var w, g any
		if err := json.Unmarshal(want, &w); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(w, g); d != "" {
			t.Errorf("sections %08b: the run's input differs from BuildInput's (-want +got):\n%s", s, d)
		}
	}
}

// TestWriteInput checks that the streamed document is BuildInput's.
func TestWriteInput(t *testing.T) {
	for _, path := range []string{"../../examples", "../../examples/rego/fixtures/ci_roles"} {
		m, diags := loader.Load(context.Background(), []string{path}, loader.Options{})
		in := rules.NewInput(m, diags)
		now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		var want, got bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(BuildInput(in, now, AllSections)); err != nil {
			t.Fatal(err)
		}
		if err := WriteInput(&got, in, now); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want.String(), got.String()); d != "" {
			t.Errorf("%s: WriteInput differs from BuildInput (-want +got):\n%s", path, d)
		}
	}
}
