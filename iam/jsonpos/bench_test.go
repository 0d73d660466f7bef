package jsonpos

import (
	"encoding/json"
	"os"
	"testing"
)

// readPolicy returns testdata/policy10k.json: a pretty-printed identity
// policy of about 10 KB with conditions, NotAction and policy variables.
func readPolicy(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile("testdata/policy10k.json")
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func BenchmarkParse10KB(b *testing.B) {
	data := readPolicy(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := Parse(data, Options{Filename: "policy10k.json"}); diags.HasErrors() {
			b.Fatal(diags.Error())
		}
	}
}

// BenchmarkEncodingJSON10KB decodes the same policy with encoding/json into
// an interface value, for comparison; it records no positions.
func BenchmarkEncodingJSON10KB(b *testing.B) {
	data := readPolicy(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	}
}
