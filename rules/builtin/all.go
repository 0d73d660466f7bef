// Package builtin holds iamlint's built-in rules, one file per rule
// (iamNNN_<slug>.go), and All, the list of them.
//
// IDs are IAM plus three digits, grouped by hundreds: 0xx loading (IAM000
// parse error, IAM001 reserved for unsupported constructs, IAM002 invalid
// policy), 1xx privilege escalation and over-broad grants, 2xx trust and
// cross-account access, 3xx hygiene and structure. An ID is never reused or
// renumbered.
//
// Load warnings, such as a value the Terraform loader could not resolve,
// are not findings: an unresolved value is neither wrong nor unsupported,
// and it would fail every `--fail-on info` run. `iamlint check` lists them
// as warnings of the run, after the findings. IAM001 stays reserved for
// constructs the loaders cannot read at all.
package builtin

//go:generate go run ./internal/docgen -out ../../docs/rules

import "github.com/iamlint/iamlint/rules"

// All returns the built-in rules sorted by ID. Each call returns new
// values, so callers may modify them.
func All() []*rules.Rule {
	return []*rules.Rule{
		parseError(),            // IAM000
		invalidPolicy(),         // IAM002
		unknownService(),        // IAM301
		unknownAction(),         // IAM302
		invalidConditionKey(),   // IAM303
		conditionTypeMismatch(), // IAM304
		resourceTypeMismatch(),  // IAM305
		missingVersion(),        // IAM306
		literalPolicyVariable(), // IAM307
	}
}
