package reports

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestGraphGolden renders testdata/graph.json, a small graph with every
// node and edge kind and labels that need escaping, in each format and
// compares it with golden/graph.<format>.golden (-update rewrites them).
func TestGraphGolden(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "graph.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g Graph
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	for _, format := range GraphFormats() {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteGraph(&buf, format, &g); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", "graph."+format+".golden")
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./reports -update)", err)
			}
			if d := cmp.Diff(string(want), buf.String()); d != "" {
				t.Errorf("graph %s (-want +got):\n%s", format, d)
			}
		})
	}
}

// TestGraphJSONRoundTrip: the JSON form reads back into the same graph.
func TestGraphJSONRoundTrip(t *testing.T) {
	g := &Graph{Title: "t", Nodes: []GraphNode{{ID: "a", Kind: GraphUser, Label: "a<b>"}, {ID: "b", Kind: GraphRole, Label: "b", Admin: true}},
		Edges: []GraphEdge{{From: "a", To: "b", Kind: EdgeEscalation, Label: "x", Conditional: true}}}
	var buf bytes.Buffer
	if err := WriteGraph(&buf, "json", g); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Version int `json:"version"`
		Graph
	}
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Version != 1 || !cmp.Equal(*g, back.Graph) {
		t.Errorf("round trip: version %d, diff %s", back.Version, cmp.Diff(*g, back.Graph))
	}
}

// TestGraphEscaping: labels cannot break out of their quotes, and every
// escalation edge is styled apart.
func TestGraphEscaping(t *testing.T) {
	g := &Graph{Nodes: []GraphNode{{ID: "x", Kind: GraphUser, Label: `a"b\c<d>|e#f`}, {ID: "y", Kind: GraphRole, Label: "y"}},
		Edges: []GraphEdge{{From: "x", To: "y", Kind: EdgeAssume}, {From: "x", To: "y", Kind: EdgeEscalation, Label: `t"1`}}}
	var dot, mmd bytes.Buffer
	if err := WriteGraph(&dot, "dot", g); err != nil {
		t.Fatal(err)
	}
	if err := WriteGraph(&mmd, "mermaid", g); err != nil {
		t.Fatal(err)
	}
	if want := `label="user a\"b\\c<d>|e#f"`; !strings.Contains(dot.String(), want) {
		t.Errorf("dot lacks %s:\n%s", want, dot.String())
	}
	if want := `n1(["user a#quot;b\c#lt;d#gt;#124;e#35;f"])`; !strings.Contains(mmd.String(), want) {
		t.Errorf("mermaid lacks %s:\n%s", want, mmd.String())
	}
	if want := "linkStyle 1 stroke:#d93025"; !strings.Contains(mmd.String(), want) {
		t.Errorf("mermaid lacks %s:\n%s", want, mmd.String())
	}
	if err := WriteGraph(&bytes.Buffer{}, "svg", g); err == nil || !strings.Contains(err.Error(), "dot, mermaid, json") {
		t.Errorf("unknown format: %v", err)
	}
	bad := &Graph{Edges: []GraphEdge{{From: "x", To: "y"}}}
	if err := WriteGraph(&bytes.Buffer{}, "mermaid", bad); err == nil {
		t.Error("an edge to a missing node should be an error")
	}
}
