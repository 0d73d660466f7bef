package cli

import (
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
