package builtin

import (
	"testing"

	"github.com/iamlint/iamlint/iam/glob"
)

// TestGramCoversSound checks gramCovers against brute force: whenever it
// says inner ⊆ outer, every short string inner matches is matched by
// outer. It also checks a few containments it must find.
func TestGramCoversSound(t *testing.T) {
	alphabet := []byte("ab*?")
	var patterns []string
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		patterns = append(patterns, prefix)
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			gen(prefix+string(c), n-1)
		}
	}
	gen("", 4)
	var strs []string
	var genS func(prefix string, n int)
	genS = func(prefix string, n int) {
		strs = append(strs, prefix)
		if n == 0 {
			return
		}
		for _, c := range []byte("ab") {
			genS(prefix+string(c), n-1)
		}
	}
	genS("", 6)
	for _, in := range patterns {
		for _, out := range patterns {
			if !gramCovers(in, out, false) {
				continue
			}
			for _, s := range strs {
				if glob.MatchString(in, s, false) && !glob.MatchString(out, s, false) {
					t.Fatalf("gramCovers(%q, %q) but %q matches only the first", in, out, s)
				}
			}
		}
	}
	for _, c := range []struct {
		in, out string
		fold    bool
	}{
		{"s3:GetObject", "s3:Get*", true},
		{"S3:GETOBJECT", "s3:getobject", true},
		{"s3:GetObject*", "s3:Get*", true},
		{"arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/*", false},
		{"arn:aws:s3:::b/x", "*", false},
		{"a?c", "a*", false},
	} {
		if !gramCovers(c.in, c.out, c.fold) {
			t.Errorf("gramCovers(%q, %q) = false, want true", c.in, c.out)
		}
	}
	for _, c := range [][2]string{
		{"arn:aws:s3:::b/x", "arn:aws:s3:::b/${*}"}, // ${*} is a literal asterisk
		{"a*", "a?"},
		{"arn:aws:s3:::B/*", "arn:aws:s3:::b/*"},
	} {
		if gramCovers(c[0], c[1], false) {
			t.Errorf("gramCovers(%q, %q) = true, want false", c[0], c[1])
		}
	}
}
