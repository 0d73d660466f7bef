package builtin

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

// FuzzRules runs every rule on arbitrary input: no rule may fail or
// panic, and every finding must have a message and a range in the file.
//
//	go test ./rules/builtin -run '^$' -fuzz FuzzRules -fuzztime 60s
func FuzzRules(f *testing.F) {
	cases, _ := filepath.Glob(filepath.Join("testdata", "IAM*", "*.txtar"))
	for _, c := range cases {
		ar, err := txtar.ParseFile(c)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range ar.Files {
			if file.Name != "want" {
				f.Add(file.Data)
			}
		}
	}
	for _, r := range All() {
		f.Add([]byte(r.Bad))
	}
	if data, err := os.ReadFile(filepath.Join("..", "..", "examples", "grammar-mistakes.json")); err == nil {
		f.Add(data)
	}
	all := All()
	f.Fuzz(func(t *testing.T, data []byte) {
		r := rules.Runner{Rules: all}
		fs, err := r.Run(context.Background(), standalone("f.json", data, iam.KindIdentity))
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range fs {
			if fd.Message == "" || fd.Range.Filename != "f.json" || fd.Range.Start.Byte > len(data) {
				t.Fatalf("bad finding %+v", fd)
			}
		}
	})
}
