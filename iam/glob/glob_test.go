package glob

import (
	"strings"
	"testing"
)

// reference is a dynamic-programming matcher used only to check Match.
func reference(pattern, s string, fold bool) bool {
	if fold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	p, t := []rune(pattern), []rune(s)
	// dp[j]: p[:i] matches t[:j]
	dp := make([]bool, len(t)+1)
	dp[0] = true
	for i := 1; i <= len(p); i++ {
		next := make([]bool, len(t)+1)
		if p[i-1] == '*' {
			next[0] = dp[0]
		}
		for j := 1; j <= len(t); j++ {
			switch p[i-1] {
			case '*':
				next[j] = dp[j] || next[j-1]
			case '?':
				next[j] = dp[j-1]
			default:
				next[j] = dp[j-1] && p[i-1] == t[j-1]
			}
		}
		dp = next
	}
	return dp[len(t)]
}

func TestMatch(t *testing.T) {
	cases := []struct {
		pattern, s string
		fold, want bool
	}{
		{"", "", false, true},
		{"", "a", false, false},
		{"*", "", false, true},
		{"*", "anything:at/all", false, true},
		{"s3:Get*", "s3:GetObject", false, true},
		{"s3:get*", "S3:GETOBJECT", true, true},
		{"s3:get*", "S3:GETOBJECT", false, false},
		{"ec2:?escribe*", "ec2:DescribeInstances", true, true},
		{"ec2:?escribe*", "ec2:escribeInstances", true, false},
		{"iam:*Policy*", "iam:AttachRolePolicy", true, true},
		{"iam:*Policy*", "iam:CreateRole", true, false},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b", false, true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false, false},
		{"a*b*c", "abc", false, true},
		{"a*b*c", "aXbYcZ", false, false},
		{"a*b*c", "aXbYbc", false, true},
		{"*a", "ba", false, true},
		{"*ab", "aab", false, true},
		{"a?", "aé", false, true},
		{"?", "", false, false},
		{"**", "x", false, true},
		{"a*a*a*a*a*a*a*b", strings.Repeat("a", 100), false, false},
	}
	for _, c := range cases {
		if got := Compile(c.pattern).Match(c.s, c.fold); got != c.want {
			t.Errorf("Match(%q, %q, fold=%v) = %v, want %v", c.pattern, c.s, c.fold, got, c.want)
		}
		if got := MatchString(c.pattern, c.s, c.fold); got != c.want {
			t.Errorf("MatchString(%q, %q, fold=%v) = %v, want %v", c.pattern, c.s, c.fold, got, c.want)
		}
		if ref := reference(c.pattern, c.s, c.fold); ref != c.want {
			t.Errorf("reference(%q, %q) = %v, want %v (bad test case)", c.pattern, c.s, ref, c.want)
		}
	}
}

func TestBuilderLiteralWildcards(t *testing.T) {
	var b Builder
	b.Literal("arn:aws:s3:::bucket/")
	b.Literal("*") // an escaped ${*}: a literal star
	b.Star()
	p := b.Pattern()
	if !p.Match("arn:aws:s3:::bucket/*x", false) {
		t.Error("literal star followed by wildcard should match '*x'")
	}
	if p.Match("arn:aws:s3:::bucket/x", false) {
		t.Error("literal star must not act as a wildcard")
	}
	if !Compile("abc").IsLiteral() || Compile("a*").IsLiteral() || Compile("a?").IsLiteral() {
		t.Error("IsLiteral wrong")
	}
}

func FuzzMatch(f *testing.F) {
	f.Add("a*b?c", "aXXbYc", false)
	f.Add("s3:Get*", "S3:getobject", true)
	f.Add("*?*", "é", false)
	f.Add("a*a*a*b", "aaaaaaaaaaaaaaaaa", false)
	f.Fuzz(func(t *testing.T, pattern, s string, fold bool) {
		if len(pattern) > 64 || len(s) > 256 {
			return
		}
		if !isSimple(pattern) || !isSimple(s) {
			return // the reference folds with ToLower, which differs for exotic runes
		}
		want := reference(pattern, s, fold)
		if got := Compile(pattern).Match(s, fold); got != want {
			t.Fatalf("Match(%q, %q, fold=%v) = %v, reference says %v", pattern, s, fold, got, want)
		}
		if got := MatchString(pattern, s, fold); got != want {
			t.Fatalf("MatchString(%q, %q, fold=%v) = %v, reference says %v", pattern, s, fold, got, want)
		}
	})
}

func isSimple(s string) bool {
	for _, r := range s {
		if r >= 0x80 || r == 0 {
			return false
		}
	}
	return true
}

func BenchmarkPathological(b *testing.B) {
	p := Compile("a*a*a*a*a*a*a*b")
	s := strings.Repeat("a", 10000)
	b.ReportAllocs()
	for b.Loop() {
		if p.Match(s, false) {
			b.Fatal("must not match")
		}
	}
}

func BenchmarkPathologicalQuestion(b *testing.B) {
	p := Compile("*a?a?a?a?a?a?a?b*")
	s := strings.Repeat("a", 10000)
	b.ReportAllocs()
	for b.Loop() {
		if p.Match(s, true) {
			b.Fatal("must not match")
		}
	}
}

func BenchmarkPathologicalMatchString(b *testing.B) {
	s := strings.Repeat("a", 10000)
	b.ReportAllocs()
	for b.Loop() {
		if MatchString("a*a*a*a*a*a*a*b", s, false) {
			b.Fatal("must not match")
		}
	}
}

func BenchmarkActionFold(b *testing.B) {
	p := Compile("iam:*Policy*")
	b.ReportAllocs()
	for b.Loop() {
		p.Match("iam:DeleteRolePermissionsBoundary", true)
	}
}
