package cli

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseOutputs(t *testing.T) {
	for _, tc := range []struct {
		format  string
		outputs []string
		want    []reportOutput
		err     string
	}{
		{format: "text", want: []reportOutput{{format: "text"}}},
		{format: "text", outputs: []string{"sarif=a.sarif"}, want: []reportOutput{{"sarif", "a.sarif"}, {format: "text"}}},
		{format: "text, sarif", outputs: []string{"sarif=a.sarif", "markdown=c.md"},
			want: []reportOutput{{"sarif", "a.sarif"}, {"markdown", "c.md"}, {format: "text"}}},
		{format: "sarif", outputs: []string{"sarif=a.sarif"}, want: []reportOutput{{"sarif", "a.sarif"}}},
		{format: "json,json", want: []reportOutput{{format: "json"}}},
		{format: "text,sarif", err: "only one format can go to standard output"},
		{format: "xml", err: `unknown format "xml"`},
		{format: "text,", err: "empty format name"},
		{format: "text", outputs: []string{"sarif"}, err: "want FORMAT=FILE"},
		{format: "text", outputs: []string{"pdf=x"}, err: `unknown format "pdf"`},
		{format: "text", outputs: []string{"sarif=x", "json=x"}, err: "x is written twice"},
	} {
		got, err := parseOutputs(tc.format, tc.outputs)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q %q: error %v, want %q", tc.format, tc.outputs, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q %q: %v", tc.format, tc.outputs, err)
			continue
		}
		if d := cmp.Diff(tc.want, got, cmp.AllowUnexported(reportOutput{})); d != "" {
			t.Errorf("%q %q (-want +got):\n%s", tc.format, tc.outputs, d)
		}
	}
}

// An output file appears whole or not at all: a failed render leaves the
// previous file and no temporary file behind; a written one is readable
// by others (0644, as os.WriteFile would make it).
func TestWriteFileAtomically(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out.sarif")
	if err := os.WriteFile(name, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := writeFileAtomically(name, func(w io.Writer) error {
		io.WriteString(w, "half a rep")
		return errors.New("render failed")
	})
	var re renderError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a renderError", err)
	}
	if b, _ := os.ReadFile(name); string(b) != "old" {
		t.Errorf("a failed render changed the file: %q", b)
	}
	if err := writeFileAtomically(name, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(name); string(b) != "new" {
		t.Errorf("file holds %q, want new", b)
	}
	if st, err := os.Stat(name); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, %v", st.Mode(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	if err := writeFileAtomically(filepath.Join(dir, "no", "such", "dir.json"), func(io.Writer) error { return nil }); err == nil || strings.Contains(err.Error(), ".tmp") {
		t.Errorf("missing folder: %v (must not name the temporary file)", err)
	}
}
