package builtin

import "github.com/iamlint/iamlint/rules"

// overBroadRules returns the 1xx rules: over-broad grants (IAM101–IAM149) and
// privilege escalation over effective permissions (IAM150–IAM199).
func overBroadRules() []*rules.Rule {
	return []*rules.Rule{}
}
