package iam

import "testing"

func TestParseARNSymbolic(t *testing.T) {
	for _, c := range []struct{ in, account, resource string }{
		{"arn:aws:iam::111122223333:role/app", "111122223333", "role/app"},
		{"arn:aws:iam::${AWS::AccountId}:role/app", "${AWS::AccountId}", "role/app"},
		{"arn:${AWS::Partition}:s3:::${aws:username}/*", "", "${aws:username}/*"},
		{"arn:aws:iam::${data.aws_caller_identity.current.account_id}:user/a:b", "${data.aws_caller_identity.current.account_id}", "user/a:b"},
	} {
		a, ok := ParseARN(c.in)
		if !ok || a.Account != c.account || a.Resource != c.resource {
			t.Errorf("ParseARN(%q) = %+v, %v; want account %q, resource %q", c.in, a, ok, c.account, c.resource)
		}
	}
	if _, ok := ParseARN("arn:aws:iam::${unterminated"); ok {
		t.Error("an ARN with too few components parsed")
	}
	if got := principalAccount("arn:aws:iam::${AWS::AccountId}:role/app"); got != "${AWS::AccountId}" {
		t.Errorf("principalAccount of a symbolic ARN = %q", got)
	}
}
