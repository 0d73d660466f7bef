package builtin

import "github.com/iamlint/iamlint/rules"

// accountRules returns the account hygiene rules (IAM350–IAM399): root user,
// MFA, credentials and password policy.
func accountRules() []*rules.Rule {
	return []*rules.Rule{}
}
