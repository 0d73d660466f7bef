package reports

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// encoderOutput is what writeJSON must reproduce.
func encoderOutput(t testing.TB, v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// writeJSON writes what encoding/json's indenting Encoder writes, on
// every golden of the package (re-encoded from their decoded values) and
// on values with the corner cases of indentation: empty containers,
// escapes, quotes and brackets inside strings, HTML characters.
func TestWriteJSONMatchesEncoder(t *testing.T) {
	values := []any{
		map[string]any{},
		[]any{},
		map[string]any{"a": []any{}, "b": map[string]any{}, "c": []any{map[string]any{}, []any{[]any{}}}},
		map[string]any{"s": `quote " backslash \ brackets [{}] comma, colon: <html> & é \u2028`, "n": 1.5e300, "t": true, "z": nil},
		"just a string",
		42,
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.golden"))
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if json.Unmarshal(data, &v) == nil {
			values = append(values, v)
			n++
		}
	}
	if n < 4 {
		t.Fatalf("only %d JSON goldens", n)
	}
	for i, v := range values {
		var got bytes.Buffer
		if err := writeJSON(&got, v); err != nil {
			t.Fatal(err)
		}
		if want := encoderOutput(t, v); !bytes.Equal(got.Bytes(), want) {
			t.Errorf("value %d: writeJSON differs from the Encoder:\n%s\nwant:\n%s", i, got.Bytes(), want)
		}
	}
}

// Large outputs are written in chunks and still come out whole.
func TestWriteJSONLarge(t *testing.T) {
	var v []any
	for i := range 20000 {
		v = append(v, map[string]any{"i": i, "s": "x,y:[z]", "l": []any{i, "a"}})
	}
	var got bytes.Buffer
	if err := writeJSON(&got, v); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), encoderOutput(t, v)) {
		t.Error("large output differs from the Encoder's")
	}
}

func FuzzWriteIndented(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":[1,{"b":"c\"]"}]}`, `"x"`, `[[],{}]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var compact bytes.Buffer
		if json.Compact(&compact, []byte(s)) != nil {
			return
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
			t.Skip()
		}
		want.WriteByte('\n')
		var got bytes.Buffer
		if err := writeIndented(&got, compact.Bytes()); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%q: got\n%s\nwant\n%s", s, got.Bytes(), want.Bytes())
		}
	})
}

func BenchmarkWriteJSON(b *testing.B) {
	var v []any
	for i := range 20000 {
		v = append(v, map[string]any{"ruleId": "IAM101", "message": map[string]any{"text": "role x has full administrator access"}, "i": i})
	}
	b.Run("encoder", func(b *testing.B) {
		for b.Loop() {
			encoderOutput(b, v)
		}
	})
	b.Run("writeJSON", func(b *testing.B) {
		for b.Loop() {
			var buf bytes.Buffer
			writeJSON(&buf, v)
		}
	})
}
