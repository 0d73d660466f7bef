// Package builtin holds iamlint's built-in rules, one file per rule
// (iamNNN_<slug>.go), and All, the list of them.
//
// IDs are IAM plus three digits, grouped by hundreds: 0xx loading (IAM000
// parse error, IAM001 reserved for unsupported constructs, IAM002 invalid
// policy, IAM003 and IAM004 iamlint:ignore directives), 1xx privilege escalation and over-broad grants (IAM101–IAM149
// statement-level least privilege, IAM150–IAM199 escalation and effective
// permissions), 2xx trust and cross-account access, 3xx hygiene and
// structure (IAM301–IAM349 grammar and structure, IAM350–IAM399 root, MFA,
// credentials and password policy). An ID is never reused or renumbered.
//
// Load warnings, such as a value the Terraform loader could not resolve,
// are not findings: an unresolved value is neither wrong nor unsupported,
// and it would fail every `--fail-on info` run. `iamlint check` lists them
// as warnings of the run, after the findings. IAM001 stays reserved for
// constructs the loaders cannot read at all.
package builtin

//go:generate go run ./internal/docgen -out ../../docs/rules

import (
	"slices"
	"strings"

	"github.com/iamlint/iamlint/rules"
)

// All returns the built-in rules sorted by ID. Each call returns new
// values, so callers may modify them. The rules are listed by category,
// one function per category, each in its own file.
func All() []*rules.Rule {
	all := slices.Concat(loadRules(), overBroadRules(), trustRules(), structureRules(), grammarRules(), accountRules())
	slices.SortFunc(all, func(a, b *rules.Rule) int { return strings.Compare(a.ID, b.ID) })
	return all
}

// loadRules are the 0xx rules: inputs that did not load, policies AWS
// would reject.
func loadRules() []*rules.Rule {
	return []*rules.Rule{
		parseError(),          // IAM000
		invalidPolicy(),       // IAM002
		ignoreWithoutReason(), // IAM003
		unusedIgnore(),        // IAM004
	}
}

// structureRules are the grammar and structure rules (IAM301–IAM349):
// what Access Analyzer's policy validation reports, offline.
func structureRules() []*rules.Rule {
	return []*rules.Rule{
		unknownService(),        // IAM301
		unknownAction(),         // IAM302
		invalidConditionKey(),   // IAM303
		conditionTypeMismatch(), // IAM304
		resourceTypeMismatch(),  // IAM305
		missingVersion(),        // IAM306
		literalPolicyVariable(), // IAM307
	}
}
