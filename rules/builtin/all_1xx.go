package builtin

import "github.com/iamlint/iamlint/rules"

// overBroadRules returns the 1xx rules: over-broad grants (IAM101–IAM149) and
// privilege escalation over effective permissions (IAM150–IAM199).
func overBroadRules() []*rules.Rule {
	return []*rules.Rule{
		fullAdmin(),                     // IAM101
		conditionalFullAdmin(),          // IAM102
		wildcardAction(),                // IAM103
		sensitiveServiceWildcard(),      // IAM104
		serviceWildcard(),               // IAM105
		allowNotAction(),                // IAM106
		allowNotResource(),              // IAM107
		unscopedPermissionsManagement(), // IAM108
		unscopedWrite(),                 // IAM109
		unscopedRead(),                  // IAM110
		passRoleAnyRole(),               // IAM111
		passRoleAnyService(),            // IAM112
		assumeAnyRole(),                 // IAM113
		dataExfiltration(),              // IAM114
		credentialsExposure(),           // IAM115
		awsManagedAdminPolicy(),         // IAM116
		userAttachedPolicy(),            // IAM117
		sharedInlinePolicy(),            // IAM118
		escalationToAdmin(),             // IAM150
		roleEscalationToAdmin(),         // IAM151
		escalationToPrincipal(),         // IAM152
	}
}
