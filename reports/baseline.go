package reports

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/rules"
)

// BaselineVersion is the version of the baseline file format. Fields may
// be added within a version; renaming or removing one, or changing its
// meaning, makes a new version, and a reader refuses versions it does not
// know.
const BaselineVersion = 1

// Baseline is a record of the findings a project has accepted for now:
// `iamlint check --write-baseline FILE` writes it, `--baseline FILE`
// reports only the findings it does not hold. The file is JSON:
//
//	{
//	  "version": 1,
//	  "tool": {"name": "iamlint", "version": "v0.1.0"},
//	  "findings": [
//	    {
//	      "ruleId": "IAM101",
//	      "fingerprint": "3f2a9c0d1e4b5a67",
//	      "path": "aws_iam_role.app → aws_iam_role_policy.admin → Statement[0] → Action[0]",
//	      "message": "action \"*\" allows every action of every service"
//	    }
//	  ]
//	}
//
// A finding is matched by ruleId and fingerprint only; path and message
// are there for the people who review the file (see rules.Finding for
// what they hold). An entry matches one finding: a rule reporting the same
// fingerprint twice needs two entries. Entries are sorted by path, rule
// and fingerprint, and the file holds no times and no absolute paths from
// the machine that wrote it, so that it diffs well in version control.
//
// Fingerprints hash the logical address of a finding (the document's
// address, its statement, the value at fault), not its line, so a
// baseline survives reformatting and moving code. They hash file names
// as given on the command line, so run check from the same folder with
// the same paths when writing and when using a baseline.
type Baseline struct {
	Version  int             `json:"version"`
	Tool     baselineTool    `json:"tool"`
	Findings []BaselineEntry `json:"findings"`

	// name is the file's name and at the position of each entry's
	// fingerprint (by index), set by ReadBaseline.
	name string
	at   []hcl.Range
}

type baselineTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// BaselineEntry is one accepted finding.
type BaselineEntry struct {
	RuleID      string `json:"ruleId"`
	Fingerprint string `json:"fingerprint"`
	Path        string `json:"path"`
	Message     string `json:"message"`
}

// NewBaseline records findings. Names below dir (the working folder) in
// paths and messages are written relative to it; "" keeps them as they
// are.
func NewBaseline(tool Tool, findings []rules.Finding, dir string) *Baseline {
	b := &Baseline{Version: BaselineVersion, Tool: baselineTool{tool.Name, tool.Version}, Findings: []BaselineEntry{}}
	for _, f := range findings {
		b.Findings = append(b.Findings, BaselineEntry{
			RuleID:      f.RuleID,
			Fingerprint: f.Fingerprint,
			Path:        rules.TrimRoot(dir, f.Path),
			Message:     rules.TrimRoot(dir, f.Message),
		})
	}
	slices.SortStableFunc(b.Findings, func(x, y BaselineEntry) int {
		return cmp.Or(strings.Compare(x.Path, y.Path), strings.Compare(x.RuleID, y.RuleID),
			strings.Compare(x.Fingerprint, y.Fingerprint), strings.Compare(x.Message, y.Message))
	})
	return b
}

// Write writes the baseline as indented JSON.
func (b *Baseline) Write(w io.Writer) error {
	return writeJSON(w, b)
}

// ReadBaseline decodes a baseline file; name is how messages and the
// suppressions of baselined findings refer to it.
func ReadBaseline(name string, data []byte) (*Baseline, error) {
	var b Baseline
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("the baseline %s is not a baseline file: %v", name, err)
	}
	switch {
	case b.Version == 0:
		return nil, fmt.Errorf("the baseline %s has no version: write it with 'iamlint check --write-baseline'", name)
	case b.Version > BaselineVersion:
		return nil, fmt.Errorf("the baseline %s is version %d; this iamlint reads version %d: upgrade iamlint or write the baseline again", name, b.Version, BaselineVersion)
	}
	for i, e := range b.Findings {
		if e.RuleID == "" || e.Fingerprint == "" {
			return nil, fmt.Errorf("the baseline %s: entry %d has no ruleId or fingerprint", name, i+1)
		}
	}
	b.name = name
	b.at = make([]hcl.Range, len(b.Findings))
	for i, e := range b.Findings {
		b.at[i] = locate(name, data, `"`+e.Fingerprint+`"`)
	}
	return &b, nil
}

// locate returns the range of the first occurrence of text in data, or
// the start of the file.
func locate(name string, data []byte, text string) hcl.Range {
	off := bytes.Index(data, []byte(text))
	if off < 0 {
		return hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos}
	}
	pos := func(off int) hcl.Pos {
		line := 1 + bytes.Count(data[:off], []byte("\n"))
		lineStart := bytes.LastIndexByte(data[:off], '\n') + 1
		return hcl.Pos{Line: line, Column: 1 + utf8.RuneCount(data[lineStart:off]), Byte: off}
	}
	return hcl.Range{Filename: name, Start: pos(off), End: pos(off + len(text))}
}

// Apply splits findings into those the baseline does not hold (new ones)
// and those it does, which come back with Suppressed set ("in the
// baseline FILE", an external suppression located at the entry). Each
// entry matches at most one finding. stale lists the entries that matched
// none: findings since fixed, or whose address changed.
func (b *Baseline) Apply(findings []rules.Finding) (kept, baselined []rules.Finding, stale []BaselineEntry) {
	type key struct{ rule, fp string }
	free := map[key][]int{} // unmatched entries by key
	for i, e := range b.Findings {
		k := key{e.RuleID, e.Fingerprint}
		free[k] = append(free[k], i)
	}
	used := make([]bool, len(b.Findings))
	for _, f := range findings {
		k := key{f.RuleID, f.Fingerprint}
		if idx := free[k]; len(idx) > 0 {
			free[k] = idx[1:]
			used[idx[0]] = true
			g := f
			g.Suppressed = &rules.Suppressed{Reason: "in the baseline " + b.name, External: true, Range: b.rangeOf(idx[0])}
			baselined = append(baselined, g)
			continue
		}
		kept = append(kept, f)
	}
	for i, e := range b.Findings {
		if !used[i] {
			stale = append(stale, e)
		}
	}
	return kept, baselined, stale
}

func (b *Baseline) rangeOf(i int) hcl.Range {
	if i < len(b.at) {
		return b.at[i]
	}
	return hcl.Range{Filename: b.name, Start: hcl.InitialPos, End: hcl.InitialPos}
}
