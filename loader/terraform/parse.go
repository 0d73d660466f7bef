package terraform

import (
	"bytes"
	"runtime"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
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
		cuts := topLevelCuts(f.data, chunkSize)
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

// topLevelCuts returns byte offsets, at least every size bytes apart, of
// lines that start at the top level of the file (outside any block,
// string, heredoc or comment). nil means the file is small or its
// structure is unclear.
func topLevelCuts(d []byte, size int) []int {
	if len(d) < 2*size {
		return nil
	}
	type frame struct {
		kind  byte // 'c' code, 's' quoted string, 'h' heredoc
		depth int
		id    []byte // heredoc terminator
	}
	stack := []frame{{kind: 'c'}}
	var cuts []int
	last := 0
	lineStart := true
	for i := 0; i < len(d); {
		f := &stack[len(stack)-1]
		c := d[i]
		switch f.kind {
		case 'c':
			switch {
			case c == '#' || c == '/' && i+1 < len(d) && d[i+1] == '/':
				for i < len(d) && d[i] != '\n' {
					i++
				}
				continue
			case c == '/' && i+1 < len(d) && d[i+1] == '*':
				end := bytes.Index(d[i+2:], []byte("*/"))
				if end < 0 {
					return nil
				}
				i += end + 4
				continue
			case c == '"':
				stack = append(stack, frame{kind: 's'})
			case c == '<' && i+1 < len(d) && d[i+1] == '<':
				j := i + 2
				if j < len(d) && d[j] == '-' {
					j++
				}
				k := j
				for k < len(d) && (d[k] == '_' || d[k] == '-' || d[k] >= 'a' && d[k] <= 'z' || d[k] >= 'A' && d[k] <= 'Z' || d[k] >= '0' && d[k] <= '9') {
					k++
				}
				if k == j || k >= len(d) || d[k] != '\n' && !(d[k] == '\r' && k+1 < len(d) && d[k+1] == '\n') {
					return nil
				}
				stack = append(stack, frame{kind: 'h', id: d[j:k]})
				for d[k] != '\n' {
					k++
				}
				i = k + 1
				lineStart = true
				continue
			case c == '{' || c == '[' || c == '(':
				f.depth++
			case c == '}' || c == ']' || c == ')':
				if f.depth == 0 {
					if len(stack) == 1 || c != '}' {
						return nil
					}
					stack = stack[:len(stack)-1] // end of an interpolation
				} else {
					f.depth--
				}
			case c == '\n':
				if len(stack) == 1 && f.depth == 0 && i+1 < len(d) && i+1-last >= size && isIdentStart(d[i+1]) {
					cuts = append(cuts, i+1)
					last = i + 1
				}
			}
			i++
		case 's':
			switch {
			case c == '\\':
				i += 2
				continue
			case c == '"':
				stack = stack[:len(stack)-1]
			case c == '\n':
				return nil
			case (c == '$' || c == '%') && i+1 < len(d):
				if d[i+1] == c && i+2 < len(d) && d[i+2] == '{' {
					i += 3
					continue
				}
				if d[i+1] == '{' {
					stack = append(stack, frame{kind: 'c'})
					i += 2
					continue
				}
			}
			i++
		case 'h':
			if lineStart {
				lineStart = false
				j := i
				for j < len(d) && (d[j] == ' ' || d[j] == '\t') {
					j++
				}
				if bytes.HasPrefix(d[j:], f.id) {
					k := j + len(f.id)
					for k < len(d) && (d[k] == ' ' || d[k] == '\t' || d[k] == '\r') {
						k++
					}
					if k == len(d) || d[k] == '\n' {
						stack = stack[:len(stack)-1]
						i = k
						continue
					}
				}
			}
			switch {
			case c == '\n':
				lineStart = true
			case (c == '$' || c == '%') && i+1 < len(d):
				if d[i+1] == c && i+2 < len(d) && d[i+2] == '{' {
					i += 3
					continue
				}
				if d[i+1] == '{' {
					stack = append(stack, frame{kind: 'c'})
					i += 2
					continue
				}
			}
			i++
		}
	}
	if len(stack) != 1 || stack[0].depth != 0 {
		return nil
	}
	return cuts
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}
