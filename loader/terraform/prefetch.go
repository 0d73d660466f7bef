package terraform

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// prefetchAhead bounds the source, in bytes, of the blocks the
// prefetcher has parsed and the builder not yet taken: their syntax
// trees take about twelve times as much memory.
const prefetchAhead = 64 << 10

// A prefetcher parses the syntax of blocks again (see resDecl.syntax) on
// another goroutine, in the order the build is expected to need them and
// a bounded amount ahead of it, so the second parse costs the load little
// wall time when it has more than one core. The trees are the same
// whichever goroutine parses them; a block the builder needs before the
// prefetcher has started it is parsed by the builder, and one being
// parsed is waited for.
type prefetcher struct {
	mu      sync.Mutex
	cond    sync.Cond
	ahead   int
	stopped bool
	exited  chan struct{}
	jobs    []*resDecl
}

// prefetched is the slot of one block in a prefetcher.
type prefetched struct {
	state atomic.Int32 // one of the pf* states
	ready chan struct{}
	block *hclsyntax.Block // set before ready is closed; nil if the parse failed
	pf    *prefetcher
}

const (
	pfWaiting int32 = iota
	pfParsing
	pfReady
	pfTaken // by the builder before the prefetcher started it
)

// startPrefetch starts parsing the blocks of order not parsed yet. It
// returns nil (which stop accepts) when there is only one core.
func startPrefetch(order []*resDecl) *prefetcher {
	if runtime.GOMAXPROCS(0) < 2 {
		return nil
	}
	pf := &prefetcher{exited: make(chan struct{})}
	pf.cond.L = &pf.mu
	type job struct {
		d *resDecl
		p *prefetched
	}
	var jobs []job
	for _, d := range order {
		if d.block != nil || d.released || d.pre != nil || d.src == nil {
			continue
		}
		d.pre = &prefetched{ready: make(chan struct{}), pf: pf}
		jobs = append(jobs, job{d, d.pre})
		pf.jobs = append(pf.jobs, d)
	}
	go func() {
		defer close(pf.exited)
		for i, j := range jobs {
			jobs[i] = job{} // what the builder takes is not kept from here
			pf.mu.Lock()
			for pf.ahead >= prefetchAhead && !pf.stopped {
				pf.cond.Wait()
			}
			stopped := pf.stopped
			if !stopped {
				pf.ahead += len(j.d.src)
			}
			pf.mu.Unlock()
			if stopped {
				return
			}
			if !j.p.state.CompareAndSwap(pfWaiting, pfParsing) {
				pf.taken(len(j.d.src))
				continue
			}
			// Only what is immutable once the folder is decoded is read.
			j.p.block = j.d.parse()
			j.p.state.Store(pfReady)
			close(j.p.ready)
		}
	}()
	return pf
}

// taken accounts for a prefetched block handed to the builder.
func (pf *prefetcher) taken(size int) {
	pf.mu.Lock()
	pf.ahead -= size
	pf.cond.Signal()
	pf.mu.Unlock()
}

// stop ends the prefetcher and forgets the blocks it parsed that the
// builder did not take. It may be called more than once.
func (pf *prefetcher) stop() {
	if pf == nil {
		return
	}
	pf.mu.Lock()
	pf.stopped = true
	pf.cond.Broadcast()
	pf.mu.Unlock()
	<-pf.exited
	for _, d := range pf.jobs {
		d.pre = nil
	}
	pf.jobs = nil
}

// take returns the block the prefetcher parsed for d, waiting if it is
// being parsed; nil when the builder is to parse it itself.
func (p *prefetched) take(size int) *hclsyntax.Block {
	if p.state.CompareAndSwap(pfWaiting, pfTaken) {
		return nil
	}
	<-p.ready
	p.pf.taken(size)
	b := p.block
	p.block = nil
	return b
}
