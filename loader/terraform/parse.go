package terraform

import (
	"bytes"
	"runtime"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/iamlint/iamlint/internal/hclscan"
)

// chunkSize is the size above which a file is parsed in pieces. Small
// pieces keep each piece's token slice short: append doubles a short
// slice but grows a long one by about a quarter, copying every token
// several times (4 kB rather than 32 kB cuts what a load of the
// benchmark corpus allocates by about 8%).
const chunkSize = 4 << 10

// source is one file to parse.
type source struct {
	name string
	data []byte
}

type parsed struct {
	body  *hclsyntax.Body
	diags hcl.Diagnostics
	// refs are what shrink found of the blocks it shrank (see shrinkBody).
	refs map[*hclsyntax.Block][]ref
}

// A shrinker replaces blocks of a freshly parsed body by smaller ones
// and returns, for each replacement, the references the block made.
type shrinker func(*hclsyntax.Body) map[*hclsyntax.Block][]ref

// parseFiles parses .tf files, several at a time. Large files are cut
// between top-level blocks and the pieces parsed separately, each with its
// true starting position so ranges are those of the whole file: hclsyntax
// keeps every token of a file in one growing slice, and on generated
// configurations of hundreds of kilobytes that copying, not the parsing,
// dominates. Any doubt about where blocks end, or any error in a piece,
// and the file is parsed whole, so diagnostics are always hclsyntax's own.
func parseFiles(files []source) []parsed {
	return parseFilesWith(files, nil)
}

// parseFilesWith is parseFiles with each piece's body passed through
// shrink, when not nil, as soon as the piece is parsed (in the worker), so
// what shrink drops is never held for every file at once.
func parseFilesWith(files []source, shrink shrinker) []parsed {
	type job struct {
		file       int
		start, end int
		line       int
	}
	var jobs []job
	for i, f := range files {
		cuts := hclscan.TopLevelCuts(f.data, chunkSize)
		start, line := 0, 1
		for _, cut := range append(cuts, len(f.data)) {
			jobs = append(jobs, job{file: i, start: start, end: cut, line: line})
			line += bytes.Count(f.data[start:cut], []byte{'\n'})
			start = cut
		}
	}
	results := make([]parsed, len(jobs))
	run := func(j int) {
		jb := jobs[j]
		f := files[jb.file]
		file, diags := hclsyntax.ParseConfig(f.data[jb.start:jb.end], f.name, hcl.Pos{Line: jb.line, Column: 1, Byte: jb.start})
		results[j] = parsed{body: file.Body.(*hclsyntax.Body), diags: diags}
		if shrink != nil {
			results[j].refs = shrink(results[j].body)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(jobs))
	if workers <= 1 {
		for j := range jobs {
			run(j)
		}
	} else {
		var wg sync.WaitGroup
		next := make(chan int)
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range next {
					run(j)
				}
			}()
		}
		for j := range jobs {
			next <- j
		}
		close(next)
		wg.Wait()
	}

	out := make([]parsed, len(files))
	for j := 0; j < len(jobs); {
		i := jobs[j].file
		k := j
		for k < len(jobs) && jobs[k].file == i {
			k++
		}
		out[i] = assemble(files[i], results[j:k], shrink)
		j = k
	}
	return out
}

// assemble joins the pieces of one file, or parses it whole when a piece
// failed.
func assemble(f source, pieces []parsed, shrink shrinker) parsed {
	if len(pieces) == 1 {
		return pieces[0]
	}
	body := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}}
	for _, p := range pieces {
		ok := !p.diags.HasErrors()
		for k, a := range p.body.Attributes {
			if _, dup := body.Attributes[k]; dup {
				ok = false
			}
			body.Attributes[k] = a
		}
		if !ok {
			file, diags := hclsyntax.ParseConfig(f.data, f.name, hcl.InitialPos)
			whole := parsed{body: file.Body.(*hclsyntax.Body), diags: diags}
			if shrink != nil {
				whole.refs = shrink(whole.body)
			}
			return whole
		}
		body.Blocks = append(body.Blocks, p.body.Blocks...)
	}
	var refs map[*hclsyntax.Block][]ref
	if shrink != nil {
		refs = map[*hclsyntax.Block][]ref{}
		for _, p := range pieces {
			for b, r := range p.refs {
				refs[b] = r
			}
		}
	}
	end := pieces[len(pieces)-1].body.SrcRange.End
	body.SrcRange = hcl.Range{Filename: f.name, Start: hcl.InitialPos, End: end}
	body.EndRange = hcl.Range{Filename: f.name, Start: end, End: end}
	return parsed{body: body, refs: refs}
}
