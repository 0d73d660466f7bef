// Package memwatch measures the memory a load needs, for the loader
// benchmarks: the peak live heap while it runs, the heap its result keeps,
// and what it allocates in total, each as bytes and as a multiple of the
// input size.
//
// # Method
//
// The live heap is only known exactly when a collection ends, so the load
// is run once, outside the timed loop, with the collector made eager:
//
//  1. Two runtime.GC calls settle the heap; the baseline is the heap
//     then ("/gc/heap/live:bytes" of runtime/metrics, which a forced
//     collection makes exact).
//  2. debug.SetGCPercent(GCPercent) (5%) makes the collector run each
//     time the heap grows by 5% over what the last collection found
//     live, so garbage never accumulates past that: the bytes in heap
//     objects ("/memory/classes/heap/objects:bytes", live and not yet
//     swept dead objects) stay within about 5% (plus one sampling
//     interval's allocation) of the live heap.
//  3. A goroutine samples that figure every millisecond (and the result
//     of every collection, "/gc/heap/live:bytes"), keeping the largest.
//     The peak is the largest sample minus the baseline: an upper bound
//     of the true peak live heap, tight to a few percent.
//  4. After the load, with the result still referenced, runtime.GC and
//     "/gc/heap/live:bytes" minus the baseline give what the result
//     retains.
//
// "/gc/heap/allocs:bytes" before and after gives the total allocation.
// The figures do not depend on GOGC or on the timed loop, so they compare
// across runs and machines.
package memwatch

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"
)

// GCPercent is the collector setting while the peak is measured.
var GCPercent = 5

// Interval is the sampling period of the heap.
const Interval = time.Millisecond

// Result is what Measure found. Bytes are above the baseline heap.
type Result struct {
	Peak     uint64 // largest heap sampled during the load
	Retained uint64 // live heap after the load, its result still referenced
	Alloc    uint64 // bytes allocated during the load
	PeakLive uint64
	Samples  int
	Wall     time.Duration // of the measured (GC-eager) run; not the benchmark's time
}

const (
	objectsMetric = "/memory/classes/heap/objects:bytes"
	liveMetric    = "/gc/heap/live:bytes"
	allocsMetric  = "/gc/heap/allocs:bytes"
)

func read(s []metrics.Sample) {
	metrics.Read(s)
}

func samples() []metrics.Sample {
	return []metrics.Sample{{Name: objectsMetric}, {Name: liveMetric}, {Name: allocsMetric}}
}

// Measure runs load once as described in the package comment. load
// returns its result, which is kept referenced until the retained heap is
// read.
func Measure(load func() any) Result {
	s := samples()
	runtime.GC()
	runtime.GC()
	read(s)
	base := s[1].Value.Uint64()
	allocs0 := s[2].Value.Uint64()

	old := debug.SetGCPercent(GCPercent)
	var (
		mu             sync.Mutex
		peak, peakLive uint64
		n              int
	)
	observe := func(s []metrics.Sample) {
		read(s)
		mu.Lock()
		peak = max(peak, s[0].Value.Uint64(), s[1].Value.Uint64())
		peakLive = max(peakLive, s[1].Value.Uint64())
		n++
		mu.Unlock()
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := samples()
		t := time.NewTicker(Interval)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				observe(s)
			}
		}
	}()
	start := time.Now()
	res := load()
	wall := time.Since(start)
	close(stop)
	<-done
	observe(s)
	debug.SetGCPercent(old)

	allocs1 := s[2].Value.Uint64()
	runtime.GC()
	read(s)
	live := s[1].Value.Uint64()
	runtime.KeepAlive(res)

	r := Result{Alloc: allocs1 - allocs0, Samples: n, Wall: wall}
	if peakLive > base {
		r.PeakLive = peakLive - base
	}
	if peak > base {
		r.Peak = peak - base
	}
	if live > base {
		r.Retained = live - base
	}
	return r
}

// Report measures load and reports the result on b: peak-x-input,
// retained-x-input and alloc-x-input (multiples of input bytes), and the
// same in bytes.
func Report(b *testing.B, input int64, load func() any) Result {
	b.Helper()
	r := Measure(load)
	x := func(v uint64) float64 { return float64(v) / float64(input) }
	b.ReportMetric(x(r.Peak), "peak-x-input")
	b.ReportMetric(x(r.Retained), "retained-x-input")
	b.ReportMetric(x(r.PeakLive), "peaklive-x-input")
	b.ReportMetric(x(r.Alloc), "alloc-x-input")
	b.ReportMetric(float64(r.Peak), "peak-B")
	b.ReportMetric(float64(r.Retained), "retained-B")
	b.ReportMetric(float64(input), "input-B")
	return r
}

func init() {
	if v := os.Getenv("MEMWATCH_GC"); v != "" {
		GCPercent, _ = strconv.Atoi(v)
	}
}
