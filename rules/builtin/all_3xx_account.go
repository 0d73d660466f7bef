package builtin

import "github.com/iamlint/iamlint/rules"

// accountRules returns the account hygiene rules (IAM350–IAM399): root user,
// MFA, credentials and password policy.
func accountRules() []*rules.Rule {
	return []*rules.Rule{
		rootAccessKeys(),            // IAM350
		rootRecentlyUsed(),          // IAM351
		rootWithoutMFA(),            // IAM352
		consoleUserWithoutMFA(),     // IAM353
		adminWithoutMFA(),           // IAM354
		brokenMFACondition(),        // IAM355
		accessKeyNotRotated(),       // IAM360
		unusedCredentials(),         // IAM361
		multipleActiveAccessKeys(),  // IAM362
		consoleUserWithAccessKeys(), // IAM363
		missingPasswordPolicy(),     // IAM370
		passwordMinimumLength(),     // IAM371
		passwordReusePrevention(),   // IAM372
		passwordCharacterClasses(),  // IAM373
		passwordExpiry(),            // IAM374
	}
}
