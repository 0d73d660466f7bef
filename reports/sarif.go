package reports

import (
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/rules"
)

// SARIF writes the report as a SARIF 2.1.0 log for GitHub code scanning
// and other SARIF viewers: one run whose tool.driver describes every rule
// that ran (title, rationale, examples, documentation link, tags and
// security-severity), one result per finding (suppressed findings
// included, with their suppression), and one invocation whose
// toolExecutionNotifications are the problems of the run.
//
// Locations are relative URIs under the %SRCROOT% base (the folder iamlint
// ran in: run it from the repository root so that GitHub finds the
// files); absolute input paths become file: URIs. Regions use our line and
// column numbers as they are: both start at 1 and count characters
// (columnKind unicodeCodePoints), and endColumn is just past the element.
// partialFingerprints["iamlint/v1"] is the finding's fingerprint, which
// survives edits that move the finding, so alerts keep their identity. The
// output holds no times or machine-specific paths: the same input gives
// the same bytes.
//
// A rule's helpUri is its page of docs/rules for a built-in rule; a
// custom rule links to the first related_resources entry of its
// # METADATA block, or to nothing (see helpURI).
type SARIF struct {
	// Category, when set, is the run's automationDetails.id, which GitHub
	// code scanning takes as the analysis' category: uploads of another
	// category (such as iamlint check's, which has none) keep their
	// alerts. iamlint diff sets "iamlint-diff/".
	Category string
}

const (
	sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// InformationURI is the tool's home page.
	InformationURI = "https://github.com/iamlint/iamlint"
	// ruleDocBase is where the generated rule pages (docs/rules) are
	// published.
	ruleDocBase = "https://github.com/iamlint/iamlint/blob/main/docs/rules/"
	// FingerprintKey names iamlint's fingerprint among a result's
	// partialFingerprints; the version changes if the hash ever does.
	FingerprintKey = "iamlint/v1"
	srcRoot        = "%SRCROOT%"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                `json:"tool"`
	AutomationDetails  *sarifAutomation         `json:"automationDetails,omitempty"`
	Invocations        []sarifInvocation        `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifact `json:"originalUriBaseIds"`
	ColumnKind         string                   `json:"columnKind"`
	Results            []sarifResult            `json:"results"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name,omitempty"`
	ShortDescription     *sarifMultiMsg `json:"shortDescription,omitempty"`
	FullDescription      *sarifMultiMsg `json:"fullDescription,omitempty"`
	Help                 *sarifMultiMsg `json:"help,omitempty"`
	HelpURI              string         `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConf  `json:"defaultConfiguration"`
	Properties           sarifRuleProps `json:"properties"`
}

type sarifMultiMsg struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRuleConf struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	SecuritySeverity string   `json:"security-severity"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	RelatedLocations    []sarifLocation    `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints,omitempty"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
}

type sarifLocation struct {
	ID               *int                   `json:"id,omitempty"`
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
	Message          *sarifMessage          `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI         string        `json:"uri,omitempty"`
	URIBaseID   string        `json:"uriBaseId,omitempty"`
	Description *sarifMessage `json:"description,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifLogicalLocation struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
}

type sarifSuppression struct {
	Kind          string         `json:"kind"`
	Justification string         `json:"justification,omitempty"`
	Location      *sarifLocation `json:"location,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

// Report implements Reporter.
func (s SARIF) Report(w io.Writer, r *Report) error {
	driver := sarifDriver{
		Name:            r.Tool.Name,
		Version:         r.Tool.Version,
		SemanticVersion: semanticVersion(r.Tool.Version),
		InformationURI:  InformationURI,
		Rules:           []sarifRule{},
	}
	// Findings and suppressed findings, in one sorted list.
	all := append(append([]rules.Finding(nil), r.Findings...), r.Suppressed...)
	rules.SortFindings(all)

	index := map[string]int{}
	for _, rule := range r.Rules {
		if _, dup := index[rule.ID]; dup {
			continue
		}
		m := rule.Meta
		if m.Severity == 0 {
			// Not a valid rule; take its findings' severity.
			for _, f := range all {
				if f.RuleID == m.ID {
					m.Severity = f.Severity
					break
				}
			}
		}
		index[rule.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRuleOf(&m))
	}
	results := []sarifResult{}
	for _, f := range all {
		i, ok := index[f.RuleID]
		if !ok {
			// A finding of a rule the report does not describe: describe
			// it by what the finding says.
			i = len(driver.Rules)
			index[f.RuleID] = i
			driver.Rules = append(driver.Rules, sarifRuleOf(&rules.Meta{ID: f.RuleID, Severity: f.Severity}))
		}
		res := sarifResult{
			RuleID:    f.RuleID,
			RuleIndex: i,
			Level:     sarifLevel(f.Severity),
			Message:   sarifMessage{Text: f.Message},
			Locations: []sarifLocation{},
		}
		if loc := sarifLocationOf(f.Range, f.Path); loc.PhysicalLocation != nil || loc.LogicalLocations != nil {
			res.Locations = append(res.Locations, loc)
		}
		for j, rel := range f.Related {
			loc := sarifLocationOf(rel.Range, "")
			id := j + 1
			loc.ID = &id
			loc.Message = &sarifMessage{Text: rel.Message}
			res.RelatedLocations = append(res.RelatedLocations, loc)
		}
		if f.Fingerprint != "" {
			res.PartialFingerprints = map[string]string{FingerprintKey: f.Fingerprint}
		}
		if s := f.Suppressed; s != nil {
			sup := sarifSuppression{Kind: "inSource", Justification: s.Reason}
			if s.External {
				sup.Kind = "external"
			}
			if s.Range.Filename != "" {
				loc := sarifLocationOf(s.Range, "")
				sup.Location = &loc
			}
			res.Suppressions = []sarifSuppression{sup}
		}
		results = append(results, res)
	}

	inv := sarifInvocation{ExecutionSuccessful: true, ToolExecutionNotifications: []sarifNotification{}}
	for _, d := range r.sortedDiagnostics() {
		n := sarifNotification{Level: "warning", Message: sarifMessage{Text: d.Message}}
		if d.Severity == DiagError {
			n.Level = "error"
			inv.ExecutionSuccessful = false
		}
		if d.Range != nil && d.Range.Filename != "" {
			n.Locations = []sarifLocation{sarifLocationOf(*d.Range, "")}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}

	var auto *sarifAutomation
	if s.Category != "" {
		auto = &sarifAutomation{ID: s.Category}
	}
	out := sarifLog{
		Schema:  sarifSchema,
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool:              sarifTool{Driver: driver},
			AutomationDetails: auto,
			Invocations:       []sarifInvocation{inv},
			OriginalURIBaseIDs: map[string]sarifArtifact{srcRoot: {Description: &sarifMessage{
				Text: "The folder iamlint ran in; the URIs of the input files are relative to it.",
			}}},
			ColumnKind: "unicodeCodePoints",
			Results:    results,
		}},
	}
	return writeJSON(w, out)
}

// sarifRuleOf describes a rule: its title as the short description, the
// first paragraph of its rationale as the full description, its
// documentation page (the text of `iamlint explain`) as help, and the
// link of helpURI.
func sarifRuleOf(m *rules.Meta) sarifRule {
	sr := sarifRule{
		ID:                   m.ID,
		Name:                 m.Slug,
		DefaultConfiguration: sarifRuleConf{Level: sarifLevel(m.Severity)},
		Properties: sarifRuleProps{
			Tags:             append([]string{"security"}, ruleCategories(m.ID)...),
			SecuritySeverity: securitySeverity(m.Severity),
		},
	}
	if m.Title != "" {
		sr.ShortDescription = &sarifMultiMsg{Text: m.Title}
	}
	if p := firstParagraph(m.Rationale); p != "" {
		sr.FullDescription = &sarifMultiMsg{Text: plainText(p), Markdown: p}
	}
	if m.Rationale != "" {
		var text strings.Builder
		text.WriteString(plainText(strings.TrimSpace(m.Rationale)))
		if bad := strings.TrimSpace(m.Bad); bad != "" {
			text.WriteString("\n\nAvoid:\n\n" + bad)
		}
		if good := strings.TrimSpace(m.Good); good != "" {
			text.WriteString("\n\nPrefer:\n\n" + good)
		}
		sr.Help = &sarifMultiMsg{Text: text.String(), Markdown: m.Markdown()}
	}
	sr.HelpURI = helpURI(m)
	return sr
}

// helpURI is the link to a rule's documentation: the page of docs/rules
// for a built-in rule (an IAMnnn ID, a slug, and no Source). Any other
// rule — a custom Rego rule, whose Source names its module, or a kind of
// result iamlint diff reports — links to its first reference (a custom
// rule's first related_resources entry) when that is an absolute URL,
// and otherwise to nothing rather than to a page that does not exist.
func helpURI(m *rules.Meta) string {
	if _, ok := ruleNumber(m.ID); ok && m.Source == "" && m.Slug != "" {
		return ruleDocBase + url.PathEscape(m.DocFile())
	}
	if len(m.References) > 0 {
		if u, err := url.Parse(m.References[0]); err == nil && u.IsAbs() && u.Host != "" {
			return u.String()
		}
	}
	return ""
}

// sarifLevel maps a severity to a SARIF level: critical and high are
// errors, medium a warning, low and info notes.
func sarifLevel(s rules.Severity) string {
	switch {
	case s >= rules.High:
		return "error"
	case s == rules.Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity is the CVSS-like score GitHub code scanning reads from
// a rule's properties to rank security alerts. GitHub maps a score above
// 9.0 to critical, 7.0–8.9 to high, 4.0–6.9 to medium and 0.1–3.9 to low.
// Each of our severities takes a value inside the band of the same name,
// away from its edges, so that GitHub shows the severity iamlint reports;
// info, which GitHub has no band for, sits at the bottom of low.
func securitySeverity(s rules.Severity) string {
	return bySeverity(s, "9.5", "8.0", "5.5", "3.0", "1.0")
}

// bySeverity names a severity in another scheme, given the names of
// critical, high, medium, low and info in that order; an unknown severity
// takes info's.
func bySeverity(s rules.Severity, critical, high, medium, low, info string) string {
	switch s {
	case rules.Critical:
		return critical
	case rules.High:
		return high
	case rules.Medium:
		return medium
	case rules.Low:
		return low
	}
	return info
}

// ruleNumber returns the number of an ID of iamlint's scheme, IAM and
// three digits.
func ruleNumber(id string) (int, bool) {
	var n int
	if len(id) != 6 || !strings.HasPrefix(id, "IAM") {
		return 0, false
	}
	if _, err := fmt.Sscanf(id[3:], "%03d", &n); err != nil {
		return 0, false
	}
	return n, true
}

// ruleCategories returns the category tags of a rule ID, from the ranges
// of the ID scheme (see rules/builtin); none for an ID outside it.
func ruleCategories(id string) []string {
	n, ok := ruleNumber(id)
	if !ok {
		return nil
	}
	switch {
	case n < 100:
		return []string{"input"}
	case n < 150:
		return []string{"least-privilege"}
	case n < 200:
		return []string{"privilege-escalation"}
	case n < 300:
		return []string{"trust"}
	case n < 350:
		return []string{"policy-grammar"}
	case n < 400:
		return []string{"account-hygiene"}
	}
	return nil
}

// sarifLocationOf locates a range: a physical location for a file, with
// the logical path when given. A range in no file, or in an AWS managed
// policy (named by its ARN), has only a logical location.
func sarifLocationOf(rng hcl.Range, path string) sarifLocation {
	var loc sarifLocation
	name := rng.Filename
	if path != "" {
		loc.LogicalLocations = []sarifLogicalLocation{{FullyQualifiedName: path}}
	}
	if name == "" || strings.HasPrefix(name, "arn:") {
		if name != "" && path == "" {
			loc.LogicalLocations = []sarifLogicalLocation{{FullyQualifiedName: name}}
		}
		return loc
	}
	pl := &sarifPhysicalLocation{ArtifactLocation: artifactOf(name)}
	if rng.Start.Line > 0 {
		reg := &sarifRegion{StartLine: rng.Start.Line, StartColumn: max(rng.Start.Column, 0)}
		if e := rng.End; e.Line > rng.Start.Line || (e.Line == rng.Start.Line && e.Column >= rng.Start.Column) {
			reg.EndLine, reg.EndColumn = e.Line, max(e.Column, 0)
		}
		pl.Region = reg
	}
	loc.PhysicalLocation = pl
	return loc
}

// artifactOf names a file: a relative URI under %SRCROOT% for a relative
// path, a file: URI for an absolute one. Characters URIs do not allow are
// percent-encoded.
func artifactOf(name string) sarifArtifact {
	p := filepath.ToSlash(name)
	if filepath.IsAbs(name) || strings.HasPrefix(p, "/") {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // C:/x
		}
		return sarifArtifact{URI: (&url.URL{Scheme: "file", Path: p}).String()}
	}
	p = strings.TrimPrefix(p, "./")
	// URL.String writes "./" before a first segment holding a colon, so
	// that it is not read as a scheme.
	return sarifArtifact{URI: (&url.URL{Path: p}).String(), URIBaseID: srcRoot}
}

// firstParagraph returns the first paragraph of Markdown text, its lines
// joined.
func firstParagraph(md string) string {
	md = strings.TrimSpace(md)
	if i := strings.Index(md, "\n\n"); i >= 0 {
		md = md[:i]
	}
	return strings.Join(strings.Fields(md), " ")
}

// plainText drops the Markdown emphasis and code marks the rationales use.
func plainText(md string) string {
	return strings.NewReplacer("**", "", "`", "").Replace(md)
}

var semverRE = regexp.MustCompile(`^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$`)

// semanticVersion returns the version without its "v" when it is a
// semantic version ("v1.2.3" → "1.2.3"), else "" ("devel", "test").
func semanticVersion(v string) string {
	if m := semverRE.FindStringSubmatch(v); m != nil {
		return m[1]
	}
	return ""
}
