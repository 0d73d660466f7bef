package memwatch

import (
	"runtime"
	"testing"
)

var sink [][]byte

// A load that holds 32 MiB at its peak, in 1 MiB pieces, and returns
// 4 MiB: the peak and the retained heap are found to within a few
// percent (a collection runs at least every 5% of growth), whatever
// garbage the load makes on the way.
func TestMeasure(t *testing.T) {
	const mib = 1 << 20
	r := Measure(func() any {
		var live [][]byte
		for range 32 {
			live = append(live, make([]byte, mib))
			for range 8 {
				sink = append(sink[:0], make([]byte, 64<<10)) // garbage
			}
			runtime.Gosched()
		}
		sink = nil
		return append([][]byte(nil), live[:4]...)
	})
	within := func(what string, got uint64, want, slack float64) {
		if g := float64(got); g < want*(1-slack) || g > want*(1+slack) {
			t.Errorf("%s = %.1f MiB, want %.1f MiB (±%.0f%%)", what, g/mib, want/mib, slack*100)
		}
	}
	within("peak", r.Peak, 32*mib, 0.10)
	within("heap", r.Heap, 32*mib, 0.25)
	within("retained", r.Retained, 4*mib, 0.10)
	if r.Heap < r.Peak {
		t.Errorf("heap %d below peak %d", r.Heap, r.Peak)
	}
	if r.Alloc < 32*mib+32*8*(64<<10) {
		t.Errorf("alloc = %d, want at least what the load allocated", r.Alloc)
	}
}
