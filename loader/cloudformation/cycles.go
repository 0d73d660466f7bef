package cloudformation

import (
	"slices"
	"strings"

	"github.com/iamlint/iamlint/iam/jsonpos"
)

// checkCycles reports circular dependencies between resources, as
// CloudFormation does before it creates anything: a resource depends on
// every resource its Properties name with Ref, Fn::GetAtt or a Fn::Sub
// variable, and on those in its DependsOn. Each strongly connected
// component with more than one resource, or a resource that depends on
// itself, is one error naming a cycle through it.
func (t *template) checkCycles() {
	index := make(map[string]int, len(t.sorted))
	for i, r := range t.sorted {
		index[r.id] = i
	}
	edges := make([][]int, len(t.sorted))
	for i, r := range t.sorted {
		seen := map[int]bool{}
		add := func(name string) {
			if j, ok := index[name]; ok && !seen[j] {
				seen[j] = true
				edges[i] = append(edges[i], j)
			}
		}
		collectRefs(r.props, add)
		if dm := r.decl.Lookup("DependsOn"); dm != nil {
			switch dm.Value.Kind {
			case jsonpos.String:
				add(dm.Value.Str)
			case jsonpos.Array:
				for _, e := range dm.Value.Elems {
					if e.Kind == jsonpos.String {
						add(e.Str)
					}
				}
			}
		}
		slices.Sort(edges[i])
	}
	for _, comp := range components(edges) {
		self := len(comp) == 1 && slices.Contains(edges[comp[0]], comp[0])
		if len(comp) < 2 && !self {
			continue
		}
		cycle := findCycle(edges, comp)
		names := make([]string, 0, len(cycle)+1)
		for _, i := range cycle {
			names = append(names, t.sorted[i].id)
		}
		names = append(names, names[0])
		first := t.sorted[cycle[0]]
		detail := "CloudFormation rejects the template: " + strings.Join(names, " → ") + "."
		if len(comp) > len(cycle) {
			members := make([]string, 0, len(comp))
			for _, i := range comp {
				members = append(members, t.sorted[i].id)
			}
			detail += " The resources " + strings.Join(members, ", ") + " all depend on one another."
		}
		t.errorf(first.keyRange, "Circular dependency between resources", "%s", detail)
	}
}

// collectRefs calls add with every logical ID a value names through Ref,
// Fn::GetAtt or a Fn::Sub variable (other than the Sub's own variables).
func collectRefs(v *jsonpos.Value, add func(string)) {
	var walk func(v *jsonpos.Value, depth int)
	walk = func(v *jsonpos.Value, depth int) {
		if v == nil || depth > maxYAMLDepth {
			return
		}
		switch v.Kind {
		case jsonpos.Array:
			for _, e := range v.Elems {
				walk(e, depth+1)
			}
		case jsonpos.Object:
			if len(v.Members) == 1 {
				m := v.Members[0]
				a := m.Value
				switch m.Key {
				case "Ref":
					if a.Kind == jsonpos.String {
						add(a.Str)
					}
				case "Fn::GetAtt":
					if a.Kind == jsonpos.String {
						name, _, _ := strings.Cut(a.Str, ".")
						add(name)
					} else if a.Kind == jsonpos.Array && len(a.Elems) > 0 && a.Elems[0].Kind == jsonpos.String {
						add(a.Elems[0].Str)
					}
				case "Fn::Sub":
					var s *jsonpos.Value
					var vars *jsonpos.Value
					if a.Kind == jsonpos.String {
						s = a
					} else if a.Kind == jsonpos.Array && len(a.Elems) == 2 && a.Elems[0].Kind == jsonpos.String {
						s, vars = a.Elems[0], a.Elems[1]
						walk(vars, depth+1)
					}
					if s != nil {
						for _, p := range parseSub(s.Str) {
							if p.isVar && vars.Lookup(p.text) == nil {
								name, _, _ := strings.Cut(p.text, ".")
								add(name)
							}
						}
					}
					return
				}
			}
			for _, m := range v.Members {
				walk(m.Value, depth+1)
			}
		}
	}
	walk(v, 0)
}

// components returns the strongly connected components of a graph
// (Tarjan's algorithm, iterative so a long chain of resources cannot
// exhaust the stack), each sorted, in order of their smallest node.
func components(edges [][]int) [][]int {
	n := len(edges)
	index := make([]int, n)
	low := make([]int, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	var out [][]int
	next := 0
	type frame struct{ v, e int }
	for root := range n {
		if index[root] >= 0 {
			continue
		}
		calls := []frame{{root, 0}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(calls) > 0 {
			f := &calls[len(calls)-1]
			if f.e < len(edges[f.v]) {
				w := edges[f.v][f.e]
				f.e++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					calls = append(calls, frame{w, 0})
				} else if onStack[w] {
					low[f.v] = min(low[f.v], index[w])
				}
				continue
			}
			v := f.v
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				p := calls[len(calls)-1].v
				low[p] = min(low[p], low[v])
			}
			if low[v] == index[v] {
				var comp []int
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp = append(comp, w)
					if w == v {
						break
					}
				}
				slices.Sort(comp)
				out = append(out, comp)
			}
		}
	}
	slices.SortFunc(out, func(a, b []int) int { return a[0] - b[0] })
	return out
}

// findCycle returns a shortest cycle through the smallest node of a
// strongly connected component (breadth-first within the component).
func findCycle(edges [][]int, comp []int) []int {
	start := comp[0]
	in := map[int]bool{}
	for _, c := range comp {
		in[c] = true
	}
	prev := map[int]int{}
	queue := []int{start}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, w := range edges[v] {
			if !in[w] {
				continue
			}
			if w == start {
				var path []int
				for x := v; x != start; x = prev[x] {
					path = append(path, x)
				}
				path = append(path, start)
				slices.Reverse(path)
				return path
			}
			if _, seen := prev[w]; !seen {
				prev[w] = v
				queue = append(queue, w)
			}
		}
	}
	return []int{start}
}
