package iam_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iamlint/iamlint/iam"
)

func mustParse(t testing.TB, name, src string, kind iam.Kind) iam.Policy {
	t.Helper()
	doc, diags := iam.ParsePolicy([]byte(src), iam.ParseOptions{Filename: name, Kind: kind})
	if diags.HasErrors() {
		t.Fatalf("%s: %v", name, diags)
	}
	return iam.Policy{Name: name, Doc: doc}
}

func TestEvaluateExplains(t *testing.T) {
	allow := mustParse(t, "allow.json", `{"Version":"2012-10-17","Statement":[
	  {"Sid":"Other","Effect":"Allow","Action":"ec2:*","Resource":"*"},
	  {"Sid":"Read","Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::b/*"}]}`, iam.KindIdentity)
	deny := mustParse(t, "deny.json", `{"Version":"2012-10-17","Statement":
	  {"Sid":"NoSecrets","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::b/secret/*"}}`, iam.KindIdentity)
	set := &iam.PolicySet{Identity: []iam.Policy{allow, deny}}
	req := func(res string) *iam.Request {
		return &iam.Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: "S3:getobject", Resource: res}
	}

	got := iam.Evaluate(req("arn:aws:s3:::b/public/x"), set)
	if got.Decision != iam.Allowed || len(got.Statements) != 1 || got.Statements[0].Sid != "Read" ||
		got.Statements[0].Range.Filename != "allow.json" || got.Statements[0].Range.Start.Line != 3 {
		t.Errorf("allowed request: %+v", got)
	}
	got = iam.Evaluate(req("arn:aws:s3:::b/secret/x"), set)
	if got.Decision != iam.ExplicitDeny || len(got.Statements) != 1 || got.Statements[0].Sid != "NoSecrets" {
		t.Errorf("denied request: %+v", got)
	}
	got = iam.Evaluate(req("arn:aws:s3:::other/x"), set)
	if got.Decision != iam.ImplicitDeny || len(got.Statements) != 0 || got.Reason == "" {
		t.Errorf("implicitly denied request: %+v", got)
	}
}

func TestEvaluateInvalidStatementNeverApplies(t *testing.T) {
	// An Effect AWS would reject must not be read as Allow or Deny.
	doc, _ := iam.ParsePolicy([]byte(`{"Statement":{"Effect":"allow","Action":"*","Resource":"*"}}`), iam.ParseOptions{Kind: iam.KindIdentity})
	got := iam.Evaluate(&iam.Request{Principal: "arn:aws:iam::111122223333:user/a", Action: "s3:GetObject", Resource: "*"},
		&iam.PolicySet{Identity: []iam.Policy{{Name: "p", Doc: doc}}})
	if got.Decision != iam.ImplicitDeny {
		t.Errorf("got %v", got.Decision)
	}
}

// benchPolicies builds n policies of m statements in the shapes real
// policies have: action lists with wildcards, ARNs with wildcards and
// variables, conditions on some statements, a deny or two.
func benchPolicies(tb testing.TB, n, m int, services ...string) []iam.Policy {
	if len(services) == 0 {
		services = []string{"s3", "ec2", "dynamodb", "sqs", "sns", "lambda", "logs", "kms", "secretsmanager", "iam"}
	}
	var out []iam.Policy
	for i := 0; i < n; i++ {
		var stmts []string
		for j := 0; j < m; j++ {
			svc := services[(i+j)%len(services)]
			effect := "Allow"
			if j == m-1 && i%3 == 0 {
				effect = "Deny"
			}
			cond := ""
			if j%3 == 1 {
				cond = `,"Condition":{"StringEquals":{"aws:PrincipalTag/team":["blue","red"]},"Bool":{"aws:SecureTransport":"true"}}`
			}
			stmts = append(stmts, fmt.Sprintf(`{"Sid":"S%d","Effect":%q,"Action":["%s:Get*","%s:List*","%s:Describe%d*","%s:Put%dItem"],"Resource":["arn:aws:%s:us-east-1:111122223333:thing/app-%d/*","arn:aws:%s:*:*:thing/${aws:username}/*"]%s}`,
				j, effect, svc, svc, svc, j, svc, j, svc, i, svc, cond))
		}
		src := `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
		out = append(out, mustParse(tb, fmt.Sprintf("p%d.json", i), src, iam.KindIdentity))
	}
	return out
}

// BenchmarkEvaluate10x10 evaluates requests against a principal with 10
// policies of 10 statements spread over ten services.
func BenchmarkEvaluate10x10(b *testing.B) {
	benchmarkEvaluate(b, benchPolicies(b, 10, 10))
}

// BenchmarkEvaluate10x10SameService is the worst case for the per-service
// shortcut: every statement is about the requested services' actions.
func BenchmarkEvaluate10x10SameService(b *testing.B) {
	benchmarkEvaluate(b, benchPolicies(b, 10, 10, "s3", "dynamodb", "iam"))
}

func benchmarkEvaluate(b *testing.B, policies []iam.Policy) {
	set := &iam.PolicySet{Identity: policies}
	ctx := &iam.Context{}
	ctx.Set("aws:PrincipalTag/team", "blue")
	ctx.Set("aws:SecureTransport", "true")
	ctx.Set("aws:username", "alice")
	reqs := []*iam.Request{
		{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::thing/alice/report.csv", Context: ctx},
		{Principal: "arn:aws:iam::111122223333:user/alice", Action: "dynamodb:PutItem", Resource: "arn:aws:dynamodb:us-east-1:111122223333:thing/app-3/x", Context: ctx},
		{Principal: "arn:aws:iam::111122223333:user/alice", Action: "iam:CreateUser", Resource: "arn:aws:iam::111122223333:user/bob", Context: ctx},
	}
	for _, r := range reqs { // compile once, as a long-running analysis would
		iam.Evaluate(r, set)
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		iam.Evaluate(reqs[i%len(reqs)], set)
		i++
	}
}
