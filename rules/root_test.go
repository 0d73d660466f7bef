package rules

import "testing"

func TestTrimRoot(t *testing.T) {
	for _, tc := range []struct{ root, in, want string }{
		{"", "base/p.json", "base/p.json"},
		{".", "p.json", "p.json"},
		{"base", "base/p.json → Statement[0]", "p.json → Statement[0]"},
		{"base/", "base/p.json", "p.json"},
		{"base", "aws_iam_role.app\x00base/gaad.json#UserDetailList[1]", "aws_iam_role.app\x00gaad.json#UserDetailList[1]"},
		{"base", "arn:aws:iam::${account:base}:role/app", "arn:aws:iam::${account:.}:role/app"},
		{"base", "account:base", "account:."},
		{"base", "account:base/envs/prod", "account:envs/prod"},
		{"base", "database/p.json", "database/p.json"},
		{"base", "baseline/p.json", "baseline/p.json"},
		{"base", "base.json", "base.json"},
		{"/tmp/x/sub", "open /tmp/x/sub/p.json: denied", "open p.json: denied"},
		{"/tmp/x/sub", "/tmp/x/subway/p.json", "/tmp/x/subway/p.json"},
	} {
		if got := TrimRoot(tc.root, tc.in); got != tc.want {
			t.Errorf("TrimRoot(%q, %q) = %q, want %q", tc.root, tc.in, got, tc.want)
		}
	}
}
