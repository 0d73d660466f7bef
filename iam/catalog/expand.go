package catalog

import (
	"strings"

	"github.com/iamlint/iamlint/iam/glob"
)

// Expand returns every action an IAM action pattern matches, sorted by
// FullName (byte order, which is Index order). Matching ignores case; '*'
// matches any run of characters and '?' any one character, as in IAM. "*"
// alone matches every action; "s3:Get*", "iam:*Policy*", "ec2:?escribe*"
// and "*:Get*" work as expected. A pattern without wildcards returns the
// one action it names, if it exists. Any string is accepted; one that
// matches nothing gives nil.
func (c *Catalog) Expand(pattern string) []*Action {
	if !glob.HasWildcard(pattern) {
		// One action or none, as match would find it, without compiling
		// a pattern.
		if a := c.Action(pattern); a != nil {
			return []*Action{a}
		}
		return nil
	}
	var out []*Action
	c.match(pattern,
		func(lo, hi int) { out = append(out, c.actions[lo:hi]...) },
		func(i int) { out = append(out, c.actions[i]) })
	return out
}

// ExpandSet is Expand as a Set over Action.Index, sized for NumActions.
func (c *Catalog) ExpandSet(pattern string) Set {
	s := NewSet(len(c.actions))
	c.match(pattern, s.addRange, func(i int) { s[i/64] |= 1 << (uint(i) % 64) })
	return s
}

// match calls span for runs of matching indexes and one for single ones,
// in increasing index order.
//
// Every full name holds exactly one ':'. So a pattern whose only literal
// ':' sits between a service part and an action part matches a name exactly
// when the service part matches the prefix and the action part matches the
// rest: a wildcard can only swallow the name's ':' if the pattern's literal
// ':' then has nothing left to match. That lets a literal service part pick
// one service's index range directly, and keeps subjects short.
func (c *Catalog) match(pattern string, span func(lo, hi int), one func(i int)) {
	if pattern == "*" {
		if len(c.actions) > 0 {
			span(0, len(c.actions))
		}
		return
	}
	lower := strings.ToLower(pattern)
	switch strings.Count(lower, ":") {
	case 0:
		// No colon: the pattern must match whole names ("*", "s3*", "*Get*").
		if !strings.ContainsAny(lower, "*?") {
			return
		}
		p := glob.Compile(lower)
		for i, name := range c.lower {
			if p.Match(name, false) {
				one(i)
			}
		}
	case 1:
		svcPat, actPat, _ := strings.Cut(lower, ":")
		ap := glob.Compile(actPat)
		if !glob.HasWildcard(svcPat) {
			if s := c.byPrefix[svcPat]; s != nil {
				c.matchService(s, actPat, ap, span, one)
			}
			return
		}
		sp := glob.Compile(svcPat)
		for _, s := range c.svcOrder {
			if sp.Match(s.Prefix, false) {
				c.matchService(s, actPat, ap, span, one)
			}
		}
	default:
		// Two or more literal colons can never match a name with one.
	}
}

// matchService matches the action part of a pattern, as text and compiled,
// against the names of one service.
func (c *Catalog) matchService(s *Service, actPat string, p glob.Pattern, span func(lo, hi int), one func(i int)) {
	if s.lo == s.hi {
		return
	}
	if actPat == "*" {
		span(s.lo, s.hi)
		return
	}
	if !glob.HasWildcard(actPat) {
		if a := c.byName[s.Prefix+":"+actPat]; a != nil {
			one(a.Index)
		}
		return
	}
	skip := len(s.Prefix) + 1
	for i := s.lo; i < s.hi; i++ {
		if p.Match(c.lower[i][skip:], false) {
			one(i)
		}
	}
}
