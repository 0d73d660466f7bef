package terraform

import (
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
)

func TestZZModelProfile(t *testing.T) {
	dir := corpusDir()
	if dir == "" || os.Getenv("MODELPROF") == "" {
		t.Skip()
	}
	runtime.MemProfileRate = 256
	m, _ := Load(context.Background(), []string{dir}, Options{})
	runtime.GC()
	runtime.GC()
	f, _ := os.Create(os.Getenv("MODELPROF"))
	pprof.Lookup("heap").WriteTo(f, 0)
	f.Close()
	runtime.KeepAlive(m)
}
