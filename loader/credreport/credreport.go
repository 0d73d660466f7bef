// Package credreport reads the IAM credential report (CSV).
package credreport

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
)

// IsReport reports whether data starts with the credential report header.
func IsReport(data []byte) bool { return false } // placeholder: being written

// Load parses the report into one row per user (and the root user).
func Load(path string, data []byte) ([]*iam.CredentialReport, hcl.Diagnostics) {
	return nil, nil // placeholder: being written
}
