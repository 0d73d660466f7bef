package analyzer

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/loader"
)

func analyzeExamples(t testing.TB) *Analysis {
	t.Helper()
	m, diags := loader.Load(context.Background(), []string{filepath.Join("..", "examples")}, loader.Options{})
	if diags.HasErrors() {
		t.Fatalf("loading the examples: %s", diags)
	}
	return Analyze(Build(m))
}

// requestContexts are concrete completions of what a principal leaves
// open: the partial answers must hold for each of them.
func requestContexts(p *Permissions) []*iam.Context {
	var out []*iam.Context
	for i := range 4 {
		ctx := p.known.Clone()
		if ctx == nil {
			ctx = &iam.Context{}
		}
		if i&1 == 1 {
			ctx.Set("aws:MultiFactorAuthPresent", "true")
			ctx.Set("aws:MultiFactorAuthAge", "60")
			ctx.Set("aws:RequestedRegion", "eu-west-1")
			ctx.Set("aws:SecureTransport", "true")
		} else {
			ctx.Set("aws:RequestedRegion", "us-east-1")
		}
		if i&2 == 2 {
			ctx.Set("aws:SourceIp", "10.1.2.3")
			ctx.Set("iam:PassedToService", "lambda.amazonaws.com")
			ctx.Set("aws:TokenIssueTime", "2026-01-01T00:00:00Z")
		}
		out = append(out, ctx)
	}
	return out
}

// TestEffectiveAgreesWithEvaluate picks random (principal, action,
// resource) triples from the examples and checks the effective
// permissions against iam.Evaluate on the same request: a Yes must be
// allowed and a No denied in every concrete request tried, the action
// sets must contain what Decide allows, and an action in Full must be
// allowed on every resource.
func TestEffectiveAgreesWithEvaluate(t *testing.T) {
	a := analyzeExamples(t)
	cat := catalog.Default()
	actions := cat.Actions()
	r := rand.New(rand.NewPCG(1, 2))
	resources := []string{"*", "arn:aws:s3:::reports", "arn:aws:s3:::reports/2026/q1.csv", "arn:aws:s3:::other-bucket/x",
		"arn:aws:dynamodb:eu-west-1:111122223333:table/orders", "arn:aws:kms:eu-west-1:111122223333:key/1234"}
	for _, n := range a.Graph.Nodes {
		if n.Src.Addr != "" && (n.Kind == KindRole || n.Kind == KindUser || n.Kind == KindPolicy) {
			if id := identityOf(n); id != nil && id.ARN != "" {
				resources = append(resources, id.ARN)
			} else if n.Policy != nil && n.Policy.ARN != "" {
				resources = append(resources, n.Policy.ARN)
			}
		}
	}
	counts := map[iam.Tri]int{}
	checked := 0
	for _, n := range a.Graph.Principals() {
		p := a.Permissions(n)
		if p == nil {
			t.Fatalf("no permissions for %s", n.ID)
		}
		// Half the actions from what the principal may do, half from
		// the whole catalog.
		var mine []*catalog.Action
		for i := range p.Actions.All() {
			mine = append(mine, actions[i])
		}
		ctxs := requestContexts(p)
		for k := range 150 {
			var act *catalog.Action
			if k%2 == 0 && len(mine) > 0 {
				act = mine[r.IntN(len(mine))]
			} else {
				act = actions[r.IntN(len(actions))]
			}
			res := resources[r.IntN(len(resources))]
			got := p.Decide(act.FullName(), res)
			counts[got.Allowed]++
			checked++
			id := identityOf(n)
			set := p.Set
			set.Resource = delegation(accountOf(id))
			for _, ctx := range ctxs {
				ev := iam.Evaluate(&iam.Request{Principal: id.ARN, Action: act.FullName(), Resource: res, ResourceAccount: accountOf(id), Context: ctx}, &set)
				allowed := ev.Decision == iam.Allowed
				if (got.Allowed == iam.Yes && !allowed) || (got.Allowed == iam.No && allowed) {
					t.Errorf("%s %s on %s: effective answer %s, but Evaluate says %s (%s) with context %v",
						n.ID, act.FullName(), res, got.Allowed, ev.Decision, ev.Reason, ctx.Keys())
				}
			}
			if got.Allowed != iam.No && !p.Actions.Has(act.Index) && act.FullName() != "sts:GetCallerIdentity" {
				t.Errorf("%s %s on %s: Decide says %s but the action is not in the principal's action set", n.ID, act.FullName(), res, got.Allowed)
			}
			if p.Full.Has(act.Index) && got.Allowed != iam.Yes {
				t.Errorf("%s %s on %s: the action is in Full but Decide says %s (best %s: %s)", n.ID, act.FullName(), res, got.Allowed, got.Best.Decision, got.Best.Reason)
			}
			if len(p.Denies) == 0 && p.Some.Has(act.Index) && got.Allowed != iam.Yes {
				t.Errorf("%s %s on %s: the action is in Some and nothing denies, but Decide says %s", n.ID, act.FullName(), res, got.Allowed)
			}
		}
	}
	for _, tri := range []iam.Tri{iam.No, iam.Maybe, iam.Yes} {
		if counts[tri] < checked/50 {
			t.Errorf("only %d of %d answers were %s: the examples do not exercise it", counts[tri], checked, tri)
		}
	}
	t.Logf("%d triples checked: %v", checked, counts)
}

func TestAdminDetection(t *testing.T) {
	a := analyzeExamples(t)
	var admins []string
	for _, n := range a.Graph.Principals() {
		if p := a.Permissions(n); p.Admin != iam.No {
			admins = append(admins, p.Admin.String()+" "+n.ID)
		}
	}
	slices.Sort(admins)
	t.Logf("admins:\n%s", strings.Join(admins, "\n"))
}

func TestExampleEscalationsPrint(t *testing.T) {
	a := analyzeExamples(t)
	for _, e := range a.Escalations() {
		var hops []string
		for _, m := range e.Moves {
			hops = append(hops, m.Technique.ID+"("+m.Allowed.String()+")→"+m.To.ID)
		}
		t.Logf("%s admin=%s: %s", e.Principal.ID, e.Admin, strings.Join(hops, " ; "))
	}
}
