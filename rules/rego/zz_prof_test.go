package rego

import (
	"os"
	"runtime/pprof"
	"testing"
	"time"
)

func TestZZProf(t *testing.T) {
	in := corpusInput(t)
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	f, _ := os.Create("/tmp/state.prof")
	pprof.StartCPUProfile(f)
	t0 := time.Now()
	v := runInput(in, now, SectionPrincipals|SectionDocuments)
	t1 := time.Now()
	l := newLocator(in)
	t2 := time.Now()
	pprof.StopCPUProfile()
	t.Logf("runInput %v locator %v", t1.Sub(t0), t2.Sub(t1))
	_, _ = v, l
}
