package builtin

import "github.com/iamlint/iamlint/rules"

// trustRules returns the 2xx rules: role trust and cross-account access.
func trustRules() []*rules.Rule {
	return []*rules.Rule{}
}
