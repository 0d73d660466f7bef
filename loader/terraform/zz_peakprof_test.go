package terraform

import (
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"testing"
	"time"
)

func TestZZPeakProfile(t *testing.T) {
	dir := corpusDir()
	if dir == "" || os.Getenv("PEAKPROF") == "" {
		t.Skip()
	}
	runtime.MemProfileRate = 4096
	Load(context.Background(), []string{dir}, Options{})
	runtime.GC()
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	base := s[0].Value.Uint64()
	debug.SetGCPercent(5)
	stop := make(chan struct{})
	done := make(chan struct{})
	var best uint64
	var lastCycle uint64
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			time.Sleep(200 * time.Microsecond)
			metrics.Read(s)
			if s[1].Value.Uint64() != lastCycle {
				lastCycle = s[1].Value.Uint64()
				if v := s[0].Value.Uint64(); v > best {
					best = v
					f, _ := os.Create(os.Getenv("PEAKPROF"))
					pprof.Lookup("heap").WriteTo(f, 0)
					f.Close()
				}
			}
		}
	}()
	m, _ := Load(context.Background(), []string{dir}, Options{})
	close(stop)
	<-done
	debug.SetGCPercent(100)
	t.Logf("peak live %d MB above base", (best-base)>>20)
	runtime.KeepAlive(m)
}
