package builtin

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/rules"
)

func parseError() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM000",
			Slug:     "parse-error",
			Title:    "Input file could not be read or parsed",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A file could not be loaded, so nothing in it was analysed: a JSON, HCL
(Terraform) or YAML (CloudFormation) syntax error, a malformed credential
report, a file that cannot be read or is larger than ` + "`--max-file-size`" + `, or a
file named on the command line that is of no kind iamlint reads. The finding
points at the first offending character (or the start of the file) and, where
the mistake is a familiar one (single quotes, comments, a trailing comma,
typographic quotes copied from a web page), says how to fix it.

A file that does not load makes ` + "`iamlint check`" + ` exit with status 2 whatever
` + "`--fail-on`" + ` says; the other files are still analysed. Problems without a
position in a file (a path that does not exist) are reported as errors of the
run instead, with the same exit status. Values the loader could not resolve
(a Terraform variable without a value) are not findings: they are listed as
warnings after the findings.
`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, d := range p.Input.Diags {
				if d.Severity == hcl.DiagError && rules.Located(d) {
					p.Reportf(nil, *d.Subject, "%s", diagMessage(d))
				}
			}
			return nil
		},
	}
}

// diagMessage turns a loader diagnostic into a finding message: its
// detail (or summary) as one lower-case sentence, sentences joined with
// "; ", without the final period.
func diagMessage(d *hcl.Diagnostic) string {
	text := strings.TrimSpace(d.Detail)
	if text == "" {
		text = strings.TrimSpace(d.Summary)
	}
	text = strings.TrimSuffix(text, ".")
	// Split at ". " before a capital letter: "e.g. {" stays whole.
	var parts []string
	for {
		i := strings.Index(text, ". ")
		for i >= 0 {
			if r, _ := utf8.DecodeRuneInString(text[i+2:]); unicode.IsUpper(r) {
				break
			}
			j := strings.Index(text[i+2:], ". ")
			if j < 0 {
				i = -1
				break
			}
			i += 2 + j
		}
		if i < 0 {
			parts = append(parts, lowerFirst(text))
			break
		}
		parts = append(parts, lowerFirst(text[:i]))
		text = text[i+2:]
	}
	return strings.Join(parts, "; ")
}

// isElementName reports whether w names a policy element; a message may
// start with one.
func isElementName(w string) bool {
	switch w {
	case "Version", "Id", "Statement", "Sid", "Effect", "Principal", "NotPrincipal",
		"Action", "NotAction", "Resource", "NotResource", "Condition":
		return true
	}
	return false
}

// lowerFirst lower-cases the first letter unless the first word is a
// policy element name ("Sid") or looks like an acronym or an identifier
// ("AWS", "NotPrincipal").
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(r) {
		return s
	}
	word, _, _ := strings.Cut(s, " ")
	if isElementName(word) {
		return s
	}
	for _, c := range word[n:] {
		if unicode.IsUpper(c) {
			return s
		}
	}
	return string(unicode.ToLower(r)) + s[n:]
}
