package terraform

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
)

func liveNow() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func TestZZPhases(t *testing.T) {
	dir := corpusDir()
	if dir == "" || os.Getenv("PHASES") == "" {
		t.Skip()
	}
	Load(context.Background(), []string{dir}, Options{})
	base := liveNow()
	var files [][]byte
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		b, _ := os.ReadFile(dir + "/" + e.Name())
		files = append(files, b)
	}
	t.Logf("sources: %.2f MB", float64(liveNow()-base)/1e6)
	l := newLoader(context.Background(), Options{MaxFileSize: defaultMaxFileSize})
	l.setSandbox([]string{dir})
	c := l.config(dir)
	t.Logf("parsed (with sources): %.2f MB", float64(liveNow()-base)/1e6)
	runtime.KeepAlive(c)
	runtime.KeepAlive(files)
}

func TestZZPhases2(t *testing.T) {
	dir := corpusDir()
	if dir == "" || os.Getenv("PHASES") == "" {
		t.Skip()
	}
	Load(context.Background(), []string{dir}, Options{})
	base := liveNow()
	debugPhase = func(s string) { t.Logf("%s: %.2f MB", s, float64(liveNow()-base)/1e6) }
	m, _ := Load(context.Background(), []string{dir}, Options{})
	debugPhase = nil
	t.Logf("model: %.2f MB", float64(liveNow()-base)/1e6)
	runtime.KeepAlive(m)
}

func TestZZPhases3(t *testing.T) {
	dir := corpusDir()
	if dir == "" || os.Getenv("PHASES") == "" {
		t.Skip()
	}
	runtime.MemProfileRate = 512
	Load(context.Background(), []string{dir}, Options{})
	debugPhase = func(s string) {
		if s == os.Getenv("PHASES") {
			runtime.GC()
			f, _ := os.Create("/tmp/phase.prof")
			pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
	}
	m, _ := Load(context.Background(), []string{dir}, Options{})
	debugPhase = nil
	runtime.KeepAlive(m)
}

func TestZZPhases4(t *testing.T) {
	dir := corpusDir()
	if dir == "" || os.Getenv("PHASES") == "" {
		t.Skip()
	}
	Load(context.Background(), []string{dir}, Options{})
	base := liveNow()
	var max uint64
	var where string
	n := 0
	debugPhase = func(s string) {
		n++
		if s == "decl" && n%25 != 0 {
			return
		}
		v := liveNow() - base
		if v > max {
			max, where = v, fmt.Sprint(s, n)
		}
	}
	m, _ := Load(context.Background(), []string{dir}, Options{})
	debugPhase = nil
	t.Logf("max %.2f MB (%.2fx) at %s; model %.2f MB", float64(max)/1e6, float64(max)/1826334, where, float64(liveNow()-base)/1e6)
	runtime.KeepAlive(m)
}

func TestZZPhases5(t *testing.T) {
	dir := corpusDir()
	if dir == "" || os.Getenv("PHASES5") == "" {
		t.Skip()
	}
	runtime.MemProfileRate = 1024
	Load(context.Background(), []string{dir}, Options{})
	base := liveNow()
	var max uint64
	n := 0
	debugPhase = func(s string) {
		n++
		if s == "decl" && n%25 != 0 {
			return
		}
		v := liveNow() - base
		if v > max {
			max = v
			f, _ := os.Create("/tmp/p5.prof")
			pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
	}
	m, _ := Load(context.Background(), []string{dir}, Options{})
	debugPhase = nil
	t.Logf("max %.2f MB (%.2fx)", float64(max)/1e6, float64(max)/1826334)
	runtime.KeepAlive(m)
}
