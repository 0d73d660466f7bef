// Package memwatch measures the memory a load needs, for the loader
// benchmarks: the peak live heap while it runs, the heap its result keeps
// and what it allocates in total, as multiples of the input size.
//
// # Method
//
// The live heap is known when a garbage collection ends, so the load is
// run once, outside the timed loop, with the collector made eager:
//
//  1. Two runtime.GC calls settle the heap; the baseline is the live heap
//     then ("/gc/heap/live:bytes" of runtime/metrics, exact after a forced
//     collection).
//  2. debug.SetGCPercent(5) makes a collection start each time the heap
//     grows 5% over what the last one found live, so one ends at least
//     every few hundred kilobytes of allocation.
//  3. A goroutine reads runtime/metrics every 250µs and keeps the largest
//     "/gc/heap/live:bytes", the live heap the last collection found, and
//     the largest "/memory/classes/heap/objects:bytes", the bytes in heap
//     objects, live or not yet swept.
//  4. After the load, with its result still referenced, runtime.GC and
//     "/gc/heap/live:bytes" give what the result retains.
//
// Peak is the first figure minus the baseline: the peak live heap, to
// within about 5% either way (a peak between two collections is seen as
// the live heap of the last one, at most 5% lower; objects allocated
// while a collection marks count as live until the next one). Heap, the
// second, is an upper bound: it also counts garbage not yet swept, which
// the eager collector keeps to a few percent. "/gc/heap/allocs:bytes" before
// and after gives the total allocation. None depends on GOGC or on the
// timed loop, so they compare across runs and machines.
package memwatch

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// GCPercent is the collector setting while the peak is measured.
const GCPercent = 5

// Interval is the period at which the heap is read.
const Interval = 250 * time.Microsecond

// Result is what Measure found; bytes are above the baseline heap.
type Result struct {
	Peak     uint64 // largest live heap a collection found during the load
	Heap     uint64 // largest heap read during the load, garbage included
	Retained uint64 // live heap after the load, its result still referenced
	Alloc    uint64 // bytes allocated during the load
	Cycles   uint64 // collections during the load
	Missed   uint64 // collections whose live heap was not read (overwritten by the next)
}

const (
	objectsMetric = "/memory/classes/heap/objects:bytes"
	liveMetric    = "/gc/heap/live:bytes"
	allocsMetric  = "/gc/heap/allocs:bytes"
	cyclesMetric  = "/gc/cycles/total:gc-cycles"
)

func samples() []metrics.Sample {
	return []metrics.Sample{{Name: objectsMetric}, {Name: liveMetric}, {Name: allocsMetric}, {Name: cyclesMetric}}
}

// Measure runs load once as described in the package comment. load
// returns its result, which is kept referenced until the retained heap is
// read.
func Measure(load func() any) Result {
	s := samples()
	runtime.GC()
	runtime.GC()
	metrics.Read(s)
	base, allocs0, cycles0 := s[1].Value.Uint64(), s[2].Value.Uint64(), s[3].Value.Uint64()

	old := debug.SetGCPercent(GCPercent)
	var (
		mu             sync.Mutex
		live, heap     uint64
		cycles, missed = cycles0, uint64(0)
	)
	observe := func(s []metrics.Sample) {
		metrics.Read(s)
		mu.Lock()
		defer mu.Unlock()
		heap = max(heap, s[0].Value.Uint64())
		live = max(live, s[1].Value.Uint64())
		if c := s[3].Value.Uint64(); c > cycles {
			missed += c - cycles - 1
			cycles = c
		}
	}
	stop, done := make(chan struct{}), make(chan struct{})
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
	res := load()
	close(stop)
	<-done
	observe(s)
	debug.SetGCPercent(old)
	allocs1 := s[2].Value.Uint64()

	runtime.GC()
	metrics.Read(s)
	retained := s[1].Value.Uint64()
	runtime.KeepAlive(res)

	above := func(v uint64) uint64 {
		if v > base {
			return v - base
		}
		return 0
	}
	return Result{Peak: above(live), Heap: above(max(heap, live)), Retained: above(retained),
		Alloc: allocs1 - allocs0, Cycles: cycles - cycles0, Missed: missed}
}

// Report measures load and reports on b, as multiples of input bytes:
// peak-x-input (the peak live heap), heap-x-input (its upper bound),
// retained-x-input and alloc-x-input; and input-B.
func Report(b *testing.B, input int64, load func() any) Result {
	b.Helper()
	r := Measure(load)
	x := func(v uint64) float64 { return float64(v) / float64(input) }
	b.ReportMetric(x(r.Peak), "peak-x-input")
	b.ReportMetric(x(r.Heap), "heap-x-input")
	b.ReportMetric(x(r.Retained), "retained-x-input")
	b.ReportMetric(x(r.Alloc), "alloc-x-input")
	b.ReportMetric(float64(input), "input-B")
	b.Logf("memwatch: %d collections during the load, the live heap of %d not read", r.Cycles, r.Missed)
	return r
}
