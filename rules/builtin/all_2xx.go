package builtin

import "github.com/iamlint/iamlint/rules"

// trustRules returns the 2xx rules: role trust and cross-account access.
func trustRules() []*rules.Rule {
	return []*rules.Rule{
		roleAssumableByAnyone(),              // IAM201
		roleAssumableByAnyoneConditionally(), // IAM202
		crossAccountTrustWithoutExternalID(), // IAM203
		githubOIDCAnyOwner(),                 // IAM204
		githubOIDCAnyRepository(),            // IAM205
		githubOIDCAnyRef(),                   // IAM206
		webIdentityTrustUnrestricted(),       // IAM207
		samlTrustWithoutAudience(),           // IAM208
		serviceTrustConfusedDeputy(),         // IAM209
		adminRoleTrustsAccount(),             // IAM210
		adminRoleTrustWithoutMFA(),           // IAM211
	}
}
