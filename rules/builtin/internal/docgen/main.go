// Command docgen writes docs/rules from the built-in rules' metadata: one
// page per rule and an index. Run it with go generate ./rules/...
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/iamlint/iamlint/rules"
	"github.com/iamlint/iamlint/rules/builtin"
)

func main() {
	out := flag.String("out", "docs/rules", "output `directory`")
	flag.Parse()
	if err := write(*out, builtin.All()); err != nil {
		fmt.Fprintln(os.Stderr, "docgen:", err)
		os.Exit(1)
	}
}

func write(dir string, rs []*rules.Rule) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := map[string]string{"README.md": rules.IndexMarkdown(rs)}
	for _, r := range rs {
		files[r.DocFile()] = r.Markdown()
	}
	// Remove pages of rules that no longer exist.
	old, err := filepath.Glob(filepath.Join(dir, "IAM*.md"))
	if err != nil {
		return err
	}
	for _, f := range old {
		if _, ok := files[filepath.Base(f)]; !ok {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}
