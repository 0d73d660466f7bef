package catalog

import (
	"sort"
	"strings"
)

// maxSuggestions bounds the result of Suggest.
const maxSuggestions = 5

// Suggest proposes known names for an unknown service prefix or action, for
// "did you mean" messages: "s3:GetObjects" gives s3:GetObject; "s3:getobj"
// gives s3:GetObject and other actions starting with "GetObj"; "s4:GetObject"
// gives s3:GetObject; "ec3" gives ec2. Comparison ignores case and allows a
// few typing errors (insertions, deletions, substitutions, swaps of
// neighbours); names that start with what was typed also qualify, shortest
// first. The result is ordered from best to worst, ties by name, holds at
// most five names, and is nil for a name that exists, holds a wildcard, or
// resembles nothing.
func (c *Catalog) Suggest(name string) []string {
	lower := strings.ToLower(strings.TrimSpace(name))
	if lower == "" || strings.ContainsAny(lower, "*?") {
		return nil
	}
	svcPart, actPart, hasAction := strings.Cut(lower, ":")
	if svcPart == "" {
		return nil
	}
	if s := c.byPrefix[svcPart]; s != nil {
		if !hasAction || actPart == "" || c.byName[lower] != nil {
			return nil
		}
		return top(c.rankActions(s, actPart))
	}
	// Unknown service: find close prefixes, then the action in each.
	svcs := rank(svcPart, c.services, func(s *Service) string { return s.Prefix })
	if len(svcs) > 3 {
		svcs = svcs[:3]
	}
	var out []scored
	for _, sv := range svcs {
		s := c.byPrefix[sv.name]
		if !hasAction || actPart == "" {
			out = append(out, sv)
			continue
		}
		for _, a := range c.rankActions(s, actPart) {
			out = append(out, scored{a.name, sv.score + a.score})
		}
	}
	if len(out) == 0 {
		// The action resembles nothing there: offer the services.
		out = svcs
	}
	sortScored(out)
	return top(out)
}

type scored struct {
	name  string
	score int
}

func (c *Catalog) rankActions(s *Service, actPart string) []scored {
	skip := len(s.Prefix) + 1
	found := rank(actPart, c.actions[s.lo:s.hi], func(a *Action) string { return c.lower[a.Index][skip:] })
	for i := range found {
		found[i].name = c.byName[s.Prefix+":"+found[i].name].full
	}
	return found
}

// rank scores each candidate against the lower-cased query: an edit
// distance within the allowed budget scores that distance; a candidate
// that starts with the query (of at least three characters) scores past
// every near miss, shorter ones first.
func rank[T any](query string, cands []T, key func(T) string) []scored {
	budget := 3
	switch q := len(query); {
	case q <= 3:
		budget = 1
	case q <= 8:
		budget = 2
	}
	var out []scored
	for _, cand := range cands {
		k := key(cand)
		d := -1
		if abs(len(k)-len(query)) <= budget {
			if e := EditDistance(query, k, budget); e <= budget {
				d = e
			}
		}
		if d < 0 && len(query) >= 3 && strings.HasPrefix(k, query) {
			d = budget + 1 + len(k) - len(query)
		}
		if d >= 0 {
			out = append(out, scored{k, d})
		}
	}
	sortScored(out)
	return out
}

func sortScored(s []scored) {
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].score != s[j].score {
			return s[i].score < s[j].score
		}
		return s[i].name < s[j].name
	})
}

func top(s []scored) []string {
	var out []string
	for _, x := range s {
		if len(out) == maxSuggestions {
			break
		}
		dup := false
		for _, o := range out {
			dup = dup || o == x.name
		}
		if !dup {
			out = append(out, x.name)
		}
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// EditDistance is the optimal-string-alignment edit distance between a and
// b (bytes; an adjacent transposition counts as one edit), or budget+1 once
// it is certain to exceed budget. It ranks "did you mean" suggestions.
func EditDistance(a, b string, budget int) int {
	if a == b {
		return 0
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > budget {
			return budget + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
