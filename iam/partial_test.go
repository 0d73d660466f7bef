package iam_test

import (
	"strings"
	"testing"

	"github.com/iamlint/iamlint/iam"
)

// TestPartialSoundness checks EvaluatePartial against Evaluate on every
// conformance case. With every key settled it must give Evaluate's answer.
// With some or no keys settled, the case's own context is one of the
// requests the partial answer speaks for, so Yes must mean Evaluate
// allows it and No that Evaluate does not.
func TestPartialSoundness(t *testing.T) {
	all := func(string) bool { return true }
	none := func(string) bool { return false }
	counts := map[iam.Tri]int{}
	n := 0
	for f, c := range conformanceCases(t) {
		n++
		want := iam.Evaluate(&c.Request, &c.Set).Decision == iam.Allowed
		if got := iam.EvaluatePartial(&c.Request, &c.Set, all); (got.Allowed == iam.Yes) != want || got.Allowed == iam.Maybe {
			t.Errorf("%s: case %s with every key known: got %s, Evaluate allowed=%v", f, c.ID, got.Allowed, want)
		}
		// Settle every other key of the context, then none.
		keys := c.Request.Context.Keys()
		half := func(k string) bool {
			for i, kk := range keys {
				if strings.EqualFold(k, kk) {
					return i%2 == 0
				}
			}
			return true // absent keys are settled as absent
		}
		for name, known := range map[string]func(string) bool{"half": half, "none": none} {
			got := iam.EvaluatePartial(&c.Request, &c.Set, known)
			counts[got.Allowed]++
			if (got.Allowed == iam.Yes && !want) || (got.Allowed == iam.No && want) {
				t.Errorf("%s: case %s with %s of the keys known: got %s (best %s, worst %s), but Evaluate allowed=%v",
					f, c.ID, name, got.Allowed, got.Best.Decision, got.Worst.Decision, want)
			}
			if got.Allowed != iam.Maybe && (got.Best.Decision == iam.Allowed) != (got.Worst.Decision == iam.Allowed) {
				t.Errorf("%s: case %s: answer %s but best %s and worst %s differ", f, c.ID, got.Allowed, got.Best.Decision, got.Worst.Decision)
			}
		}
	}
	// The property must not hold vacuously: each answer occurs often.
	for _, tri := range []iam.Tri{iam.No, iam.Maybe, iam.Yes} {
		if counts[tri] < n/20 {
			t.Errorf("only %d partial answers were %s out of %d", counts[tri], tri, 2*n)
		}
	}
	t.Logf("partial answers over %d cases × 2: %v", n, counts)
}

func mustPolicy(t *testing.T, kind iam.Kind, src string) *iam.Document {
	t.Helper()
	d, diags := iam.ParsePolicy([]byte(src), iam.ParseOptions{Filename: "p.json", Kind: kind})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return d
}

// markUnknown flags values containing "${tf." as values a loader could
// not determine, as the Terraform loader does for symbolic references.
func markUnknown(d *iam.Document) *iam.Document {
	for _, s := range d.Statements {
		for _, l := range []*iam.List{&s.Action, &s.NotAction, &s.Resource, &s.NotResource} {
			for i := range l.Values {
				l.Values[i].Unknown = strings.Contains(l.Values[i].Text, "${tf.")
			}
		}
		for _, p := range []*iam.Principal{s.Principal, s.NotPrincipal} {
			if p == nil {
				continue
			}
			for _, e := range p.Entries {
				for i := range e.Values {
					e.Values[i].Unknown = strings.Contains(e.Values[i].Text, "${tf.")
				}
			}
		}
	}
	return d
}

func TestPartialCases(t *testing.T) {
	const user = "arn:aws:iam::111122223333:user/alice"
	known := func(k string) bool {
		k = strings.ToLower(k)
		return k == "aws:principaltag/team" || k == "aws:username" || strings.HasPrefix(k, "aws:principal")
	}
	tests := []struct {
		name       string
		identity   []string
		boundary   string
		trust      string
		principal  string
		action     string
		resource   string
		ctx        map[string]string
		want       iam.Tri
		wantReason string
	}{
		{
			name:     "unconditional allow",
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`},
			action:   "s3:GetObject", resource: "arn:aws:s3:::b/k", want: iam.Yes,
		},
		{
			name:     "allow under an MFA condition",
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`},
			action:   "s3:GetObject", resource: "arn:aws:s3:::b/k", want: iam.Maybe,
		},
		{
			name: "a conditional deny makes an unconditional allow conditional",
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
				{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}`},
			action: "ec2:RunInstances", resource: "*", want: iam.Maybe,
		},
		{
			name: "an unconditional deny in another policy wins",
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`,
				`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":["s3:*"],"Resource":"*"}]}`},
			action: "iam:CreateUser", resource: "arn:aws:iam::111122223333:user/x", want: iam.No,
		},
		{
			name:     "a condition on a settled principal tag decides",
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"data"}}}]}`},
			action:   "s3:GetObject", resource: "arn:aws:s3:::b/k", ctx: map[string]string{"aws:PrincipalTag/team": "web"}, want: iam.No,
		},
		{
			name:     "a settled policy variable in a resource decides",
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::111122223333:user/${aws:username}"}]}`},
			action:   "iam:CreateAccessKey", resource: "arn:aws:iam::111122223333:user/alice", ctx: map[string]string{"aws:username": "alice"}, want: iam.Yes,
		},
		{
			name:     "an unsettled policy variable only may match",
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:userid}/*"}]}`},
			action:   "s3:GetObject", resource: "arn:aws:s3:::b/AIDA/k", want: iam.Maybe,
		},
		{
			name:     "an unsettled policy variable that cannot match",
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:userid}/*"}]}`},
			action:   "s3:GetObject", resource: "arn:aws:s3:::other/AIDA/k", want: iam.No,
		},
		{
			name:      "an unknown resource naming the same symbolic ARN matches",
			identity:  []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::${tf.account}:role/app"}]}`},
			principal: "arn:aws:iam::${tf.account}:user/alice",
			action:    "iam:PassRole", resource: "arn:aws:iam::${tf.account}:role/app", want: iam.Yes,
		},
		{
			name:     "an unknown resource may match a concrete ARN",
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::${tf.account}:role/app"}]}`},
			action:   "iam:PassRole", resource: "arn:aws:iam::111122223333:role/app", want: iam.Maybe,
		},
		{
			name: "an unknown resource in a deny makes the allow conditional",
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},
				{"Effect":"Deny","Action":"s3:*","Resource":"${tf.bucket_arn}/*"}]}`},
			action: "s3:GetObject", resource: "arn:aws:s3:::b/k", want: iam.Maybe,
		},
		{
			name:     "an unknown action only may match",
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:${tf.verb}Object","Resource":"*"}]}`},
			action:   "s3:GetObject", resource: "arn:aws:s3:::b/k", want: iam.Maybe,
		},
		{
			name:     "NotResource with a possible match is conditional",
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","NotResource":"${tf.bucket_arn}/*"}]}`},
			action:   "s3:GetObject", resource: "arn:aws:s3:::b/k", want: iam.Maybe,
		},
		{
			name:     "a boundary with a condition caps to conditional",
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`},
			boundary: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}`,
			action:   "s3:GetObject", resource: "arn:aws:s3:::b/k", want: iam.Maybe,
		},
		{
			name:     "a boundary that does not cover the action caps it",
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`},
			boundary: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}`,
			action:   "iam:CreateUser", resource: "*", want: iam.No,
		},
		{
			name:     "a trust policy naming an unknown account may admit the caller",
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`},
			trust:    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${tf.account}:root"},"Action":"sts:AssumeRole"}]}`,
			action:   "sts:AssumeRole", resource: "arn:aws:iam::111122223333:role/r", want: iam.Maybe,
		},
		{
			name:     "a trust policy with an MFA condition is conditional",
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`},
			trust:    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`,
			action:   "sts:AssumeRole", resource: "arn:aws:iam::111122223333:role/r", want: iam.Maybe,
		},
		{
			name:     "a trust policy naming the account admits the caller",
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`},
			trust:    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}]}`,
			action:   "sts:AssumeRole", resource: "arn:aws:iam::111122223333:role/r", want: iam.Yes,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := &iam.PolicySet{}
			for i, src := range tt.identity {
				set.Identity = append(set.Identity, iam.Policy{Name: "p" + string(rune('0'+i)), Doc: markUnknown(mustPolicy(t, iam.KindIdentity, src))})
			}
			if tt.boundary != "" {
				set.Boundary = []iam.Policy{{Name: "b", Doc: mustPolicy(t, iam.KindBoundary, tt.boundary)}}
			}
			if tt.trust != "" {
				set.Resource = &iam.Policy{Name: "trust", Doc: markUnknown(mustPolicy(t, iam.KindTrust, tt.trust))}
			}
			ctx := &iam.Context{}
			for k, v := range tt.ctx {
				ctx.Set(k, v)
			}
			p := tt.principal
			if p == "" {
				p = user
			}
			got := iam.EvaluatePartial(&iam.Request{Principal: p, Action: tt.action, Resource: tt.resource, Context: ctx}, set, known)
			if got.Allowed != tt.want {
				t.Errorf("got %s (best: %s, %s; worst: %s, %s), want %s", got.Allowed, got.Best.Decision, got.Best.Reason, got.Worst.Decision, got.Worst.Reason, tt.want)
			}
		})
	}
}
