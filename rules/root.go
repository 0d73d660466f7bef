package rules

import (
	"path/filepath"
	"strings"
)

// TrimRoot rewrites the file and folder names below root in s as names
// relative to root: "base/policies/app.json#Statement" becomes
// "policies/app.json#Statement", and root itself (a Terraform root
// module's folder, as in "${account:base}") becomes ".". A name counts
// only where it starts a path: at the start of s or after a character
// that cannot be part of one, so "database/x" keeps its "base/". An empty
// root, or ".", leaves s as it is.
//
// Findings' fingerprints and iamlint diff use it to compare two copies of
// one tree read from different folders.
func TrimRoot(root, s string) string {
	if root == "" {
		return s
	}
	root = filepath.Clean(root)
	if root == "." || root == string(filepath.Separator) || !strings.Contains(s, root) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], root)
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		j += i
		end := j + len(root)
		if j > 0 && pathByte(s[j-1]) {
			b.WriteString(s[i:end])
			i = end
			continue
		}
		switch {
		case end < len(s) && (s[end] == filepath.Separator || s[end] == '/'):
			b.WriteString(s[i:j])
			i = end + 1
		case end == len(s) || !pathByte(s[end]):
			b.WriteString(s[i:j])
			b.WriteByte('.')
			i = end
		default: // "base" in "baseline"
			b.WriteString(s[i:end])
			i = end
		}
	}
	return b.String()
}

// pathByte reports whether c may be part of a file name as iamlint's
// inputs write them.
func pathByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("._-~/\\+@", c) >= 0
}
