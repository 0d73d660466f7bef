package builtin

import "github.com/iamlint/iamlint/rules"

// grammarRules returns the grammar and validity rules IAM308–IAM349: what
// IAM Access Analyzer's policy validation and IAM itself reject or warn
// about, offline (the first of them, IAM301–IAM307, are in all.go).
func grammarRules() []*rules.Rule {
	return []*rules.Rule{
		invalidARN(),                       // IAM308
		setOperatorSingleValuedKey(),       // IAM309
		multivaluedKeyWithoutSetOperator(), // IAM310
		forAllValuesAbsentKey(),            // IAM311
		invalidSid(),                       // IAM312
		oldVersion(),                       // IAM313
		redundantAction(),                  // IAM314
		redundantResource(),                // IAM315
		redundantStatement(),               // IAM316
		emptyCondition(),                   // IAM317
		policySizeQuota(),                  // IAM318
		trustPolicyAction(),                // IAM319
		trustPrincipalActionMismatch(),     // IAM320
		wildcardInExactCondition(),         // IAM321
		impossibleConditionValue(),         // IAM322
	}
}
