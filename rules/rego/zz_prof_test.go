package rego

import (
	"context"
	"testing"
	"time"

	"github.com/iamlint/iamlint/rules"
	"github.com/iamlint/iamlint/rules/builtin"
)

func TestZZProf(t *testing.T) {
	in := corpusInput(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, dir := range []string{"/tmp/trivial", "/tmp/v1", "/tmp/v2", "/tmp/v3"} {
		set, err := Load(ctx, []string{dir}, Options{Known: builtin.All()})
		if err != nil { t.Fatal(err) }
		set.state(in, now)
		best := time.Hour
		for i := 0; i < 5; i++ {
			t0 := time.Now()
			(&rules.Runner{Rules: set.Rules, Now: now}).Run(ctx, in)
			best = min(best, time.Since(t0))
		}
		t.Logf("%s %v", dir, best)
	}
}
