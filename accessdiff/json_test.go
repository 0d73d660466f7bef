package accessdiff

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestWriteJSONAsEncoder: writeJSON writes, piece by piece, what an
// Encoder writes of the whole value: nesting, empty and nil lists, empty
// objects, characters the Encoder would escape as HTML.
func TestWriteJSONAsEncoder(t *testing.T) {
	type item struct {
		Name  string            `json:"name"`
		Tags  []string          `json:"tags"`
		Attrs map[string]string `json:"attrs,omitempty"`
	}
	items := []item{{Name: "a<b>&c", Tags: []string{"x", "é"}}, {Name: "d", Attrs: map[string]string{"k": "v"}}, {}}
	var none []item
	whole := struct {
		Version int             `json:"version"`
		Items   []item          `json:"items"`
		Empty   []item          `json:"empty"`
		Nil     []item          `json:"nil"`
		Nested  map[string]any  `json:"nested"`
		Object  struct{}        `json:"object"`
		Ptrs    []*item         `json:"ptrs"`
		Changes Changes[string] `json:"changes"`
	}{
		Version: 1, Items: items, Empty: []item{}, Nil: none,
		Nested: map[string]any{"added": items, "removed": []item{}}, Ptrs: []*item{&items[0]},
		Changes: Changes[string]{Added: []string{"+"}, Removed: []string{}},
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(whole); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	err := writeJSON(&got, jsonObject{
		{"version", 1}, {"items", jsonList(items)}, {"empty", jsonList([]item{})}, {"nil", jsonList(none)},
		{"nested", jsonObject{{"added", jsonList(items)}, {"removed", jsonList([]item{})}}},
		{"object", jsonObject{}}, {"ptrs", jsonList([]*item{&items[0]})},
		{"changes", jsonObject{{"added", jsonList([]string{"+"})}, {"removed", jsonList([]string{})}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("writeJSON wrote\n%s\nwant (as an Encoder)\n%s", got.String(), want.String())
	}
}
