package terraform

import (
	"runtime"
	"sync"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// prefetchAhead bounds the source, in bytes, of the blocks the
// prefetcher has parsed and the builder not yet taken: their syntax trees
// take about twelve times as much memory.
const prefetchAhead = 16 << 10

// A prefetcher parses the syntax of blocks again (see resDecl.syntax) on
// another goroutine, in the order the build is expected to need them and
// a bounded amount ahead of it, so the second parse costs the load little
// wall time when it has more than one core. The trees are the same
// whichever goroutine parses them: a block the builder needs before the
// prefetcher has started it is parsed by the builder, one being parsed
// is waited for.
//
// The prefetcher reads only what does not change once a folder is
// decoded (resDecl.parse); the fields of resDecl it shares with the
// builder, pstate and pblock, are guarded by mu.
type prefetcher struct {
	mu      sync.Mutex
	cond    sync.Cond
	ahead   int // bytes of source parsed and not taken
	stopped bool
	exited  chan struct{}
	jobs    []*resDecl
}

// States of a block in a prefetcher (resDecl.pstate).
const (
	pfWaiting int8 = iota
	pfParsing
	pfReady
	pfTaken // by the builder, before the prefetcher started it
)

// startPrefetch starts parsing the blocks of order that are not parsed
// yet. It returns nil (which stop accepts) when there is only one core.
func startPrefetch(order []*resDecl) *prefetcher {
	if runtime.GOMAXPROCS(0) < 2 {
		return nil
	}
	pf := &prefetcher{exited: make(chan struct{})}
	pf.cond.L = &pf.mu
	for _, d := range order {
		if d.block != nil || d.released || d.pf != nil || d.src == nil {
			continue
		}
		d.pf, d.pstate = pf, pfWaiting
		pf.jobs = append(pf.jobs, d)
	}
	go pf.run(pf.jobs)
	return pf
}

func (pf *prefetcher) run(jobs []*resDecl) {
	defer close(pf.exited)
	for _, d := range jobs {
		pf.mu.Lock()
		for pf.ahead >= prefetchAhead && !pf.stopped {
			pf.cond.Wait()
		}
		if pf.stopped {
			pf.mu.Unlock()
			return
		}
		if d.pstate != pfWaiting {
			pf.mu.Unlock()
			continue
		}
		d.pstate = pfParsing
		pf.ahead += len(d.src)
		pf.mu.Unlock()

		b := d.parse()

		pf.mu.Lock()
		d.pblock, d.pstate = b, pfReady
		pf.cond.Broadcast()
		pf.mu.Unlock()
	}
}

// take returns the block the prefetcher parsed for d, waiting while it
// is being parsed; nil when the builder is to parse it itself.
func (pf *prefetcher) take(d *resDecl) *hclsyntax.Block {
	pf.mu.Lock()
	defer pf.mu.Unlock()
	if d.pstate == pfWaiting {
		d.pstate = pfTaken
		return nil
	}
	for d.pstate == pfParsing {
		pf.cond.Wait()
	}
	b := d.pblock
	if d.pstate == pfReady {
		pf.ahead -= len(d.src)
		pf.cond.Broadcast()
	}
	d.pblock, d.pstate = nil, pfTaken
	return b
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
		d.pf, d.pblock, d.pstate = nil, nil, pfWaiting
	}
	pf.jobs = nil
}
