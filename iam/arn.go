package iam

import "strings"

// ARN is an Amazon Resource Name split into its six components. The
// resource component keeps any further ':' and '/' characters.
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// ParseARN splits s into components. ok is false when s does not start
// with "arn:" or has fewer than six colon-separated parts.
func ParseARN(s string) (ARN, bool) {
	parts, ok := splitARN(s)
	if !ok {
		return ARN{}, false
	}
	return ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}, true
}

func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// splitARN splits at the first five colons. A ${...} run is one token:
// the colons of a policy variable or of a symbolic value from a template
// ("${AWS::AccountId}") do not separate components.
func splitARN(s string) ([6]string, bool) {
	var parts [6]string
	if !strings.HasPrefix(s, "arn:") {
		return parts, false
	}
	rest := s
	for i := 0; i < 5; i++ {
		j := componentEnd(rest)
		if j < 0 {
			return parts, false
		}
		parts[i] = rest[:j]
		rest = rest[j+1:]
	}
	parts[5] = rest
	return parts, true
}

// componentEnd returns the index of the first ':' of s outside ${...}, or
// -1.
func componentEnd(s string) int {
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == ':':
			return i
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			if j := strings.IndexByte(s[i:], '}'); j > 0 {
				i += j
			}
		}
	}
	return -1
}

// AccountOf returns the 12-digit account of an ARN, or "" when it has none
// (S3 bucket ARNs, for instance).
func AccountOf(arn string) string {
	a, ok := ParseARN(arn)
	if !ok || !isAccountID(a.Account) {
		return ""
	}
	return a.Account
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsAccountID reports whether s is a 12-digit AWS account ID.
func IsAccountID(s string) bool { return isAccountID(s) }
