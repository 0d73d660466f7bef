package builtin

import (
	"context"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

// The known_accounts option silences trust to the accounts it lists; the
// harness runs rules with their defaults, so the option is tested here.
func TestCrossAccountKnownAccounts(t *testing.T) {
	doc := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
	  "Principal": {"AWS": ["arn:aws:iam::444455556666:root", "555566667777"]}, "Action": "sts:AssumeRole"}]}`
	rule := crossAccountTrustWithoutExternalID()
	for _, tc := range []struct {
		known []string
		want  int
	}{
		{nil, 2},
		{[]string{"444455556666"}, 1},
		{[]string{"444455556666", "555566667777"}, 0},
	} {
		r := rules.Runner{Rules: []*rules.Rule{rule}, Options: func(_ *rules.Rule, name string) (cty.Value, bool) {
			if name != "known_accounts" || tc.known == nil {
				return cty.NilVal, false
			}
			var vs []cty.Value
			for _, k := range tc.known {
				vs = append(vs, cty.StringVal(k))
			}
			return cty.ListVal(vs), true
		}}
		fs, err := r.Run(context.Background(), standalone("trust.json", []byte(doc), iam.KindTrust))
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != tc.want {
			t.Errorf("known_accounts %v: %d findings, want %d: %v", tc.known, len(fs), tc.want, fs)
		}
	}
}
