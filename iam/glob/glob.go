// Package glob matches IAM wildcard patterns: '*' matches any run of
// characters (including none and including ':' and '/'), '?' matches exactly
// one character. Matching never uses regular expressions and never
// backtracks more than once per star: the cost is at most
// O(len(pattern) × len(subject)) and, for patterns without '?', close to
// linear, because each '*'-separated segment is located with a substring
// search and the leftmost occurrence is always the right one.
package glob

import (
	"strings"
	"unicode/utf8"
)

// Pattern is a compiled wildcard pattern. The zero value matches only the
// empty string.
type Pattern struct {
	// segs are the runs of literal and '?' characters between stars; each
	// records whether a '*' precedes it. A trailing star is kept in tail.
	segs []segment
	tail bool // pattern ends with '*'
	// literal is true when the pattern holds no wildcard at all.
	literal bool
}

type segment struct {
	text     string
	any      []bool // any[i]: byte i of text is a '?' wildcard (nil when none)
	starred  bool   // a '*' precedes this segment
	hasQuery bool
}

// Builder assembles a pattern from literal text and wildcards, so callers
// can insert text that must match literally (policy variable values, the
// escapes ${*} ${?} ${$}) next to real wildcards.
type Builder struct {
	segs    []segment
	cur     []byte
	any     []bool // parallel to cur once a '?' has been seen
	pending bool   // a '*' precedes the text in cur
}

// Literal appends text that matches itself only.
func (b *Builder) Literal(s string) {
	b.cur = append(b.cur, s...)
	if b.any != nil {
		for range len(s) {
			b.any = append(b.any, false)
		}
	}
}

// Question appends a '?' wildcard.
func (b *Builder) Question() {
	if b.any == nil {
		b.any = make([]bool, len(b.cur), len(b.cur)+8)
	}
	b.cur = append(b.cur, '?')
	b.any = append(b.any, true)
}

// Star appends a '*' wildcard; consecutive stars collapse into one.
func (b *Builder) Star() {
	b.flush()
	b.pending = true
}

func (b *Builder) flush() {
	if len(b.cur) == 0 {
		return
	}
	seg := segment{text: string(b.cur), starred: b.pending}
	if b.any != nil {
		seg.hasQuery = true
		seg.any = b.any
	}
	b.segs = append(b.segs, seg)
	b.cur, b.any, b.pending = b.cur[:0], nil, false
}

// Pattern returns the built pattern and resets the builder.
func (b *Builder) Pattern() Pattern {
	b.flush()
	p := Pattern{segs: b.segs, tail: b.pending}
	p.literal = !p.tail && (len(p.segs) == 0 || len(p.segs) == 1 && !p.segs[0].starred && !p.segs[0].hasQuery)
	b.segs, b.pending = nil, false
	return p
}

// Compile turns a pattern string into a Pattern: every '*' and '?' is a
// wildcard, everything else is literal.
func Compile(pattern string) Pattern {
	var b Builder
	start := 0
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		if c != '*' && c != '?' {
			continue
		}
		b.Literal(pattern[start:i])
		if c == '*' {
			b.Star()
		} else {
			b.Question()
		}
		start = i + 1
	}
	b.Literal(pattern[start:])
	return b.Pattern()
}

// HasWildcard reports whether s contains '*' or '?'.
func HasWildcard(s string) bool { return strings.ContainsAny(s, "*?") }

// Match reports whether pattern matches s exactly (case-sensitive).
func Match(pattern, s string) bool { return Compile(pattern).Match(s, false) }

// MatchFold reports whether pattern matches s ignoring case (Unicode simple
// folding), as IAM compares action names.
func MatchFold(pattern, s string) bool { return Compile(pattern).Match(s, true) }

// IsLiteral reports whether the pattern has no wildcards.
func (p Pattern) IsLiteral() bool { return p.literal }

// Match reports whether the pattern matches all of s. With fold, letters
// compare case-insensitively.
func (p Pattern) Match(s string, fold bool) bool {
	if len(p.segs) == 0 {
		return p.tail || s == ""
	}
	pos := 0
	last := len(p.segs) - 1
	for i, seg := range p.segs {
		if !seg.starred {
			// Anchored at the current position (only the first segment).
			n, ok := seg.matchAt(s, pos, fold)
			if !ok {
				return false
			}
			pos += n
			if i == last && !p.tail {
				return pos == len(s)
			}
			continue
		}
		if i == last && !p.tail {
			// The last segment must end the subject: try the suffix only.
			return seg.matchSuffix(s, pos, fold)
		}
		idx, n := seg.find(s, pos, fold)
		if idx < 0 {
			return false
		}
		pos = idx + n
	}
	if p.tail {
		return true
	}
	return pos == len(s)
}

// matchAt matches the segment at s[pos:], returning the bytes consumed.
func (g *segment) matchAt(s string, pos int, fold bool) (int, bool) {
	if !g.hasQuery {
		if len(s)-pos < len(g.text) {
			if !fold {
				return 0, false
			}
		}
		if !fold {
			if strings.HasPrefix(s[pos:], g.text) {
				return len(g.text), true
			}
			return 0, false
		}
	}
	return g.matchRunes(s, pos, fold)
}

// matchRunes compares rune by rune, honouring '?' and folding.
func (g *segment) matchRunes(s string, pos int, fold bool) (int, bool) {
	i := pos
	for k, pr := range g.text {
		if i >= len(s) {
			return 0, false
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if g.any != nil && g.any[k] {
			// '?' matches any one character.
		} else if r != pr && !(fold && equalFold(r, pr)) {
			return 0, false
		}
		i += size
	}
	return i - pos, true
}

// find locates the leftmost occurrence of the segment at or after pos.
func (g *segment) find(s string, pos int, fold bool) (int, int) {
	if g.text == "" {
		return pos, 0
	}
	if !g.hasQuery && !fold {
		k := strings.Index(s[pos:], g.text)
		if k < 0 {
			return -1, 0
		}
		return pos + k, len(g.text)
	}
	for i := pos; i < len(s); {
		if n, ok := g.matchRunes(s, i, fold); ok {
			return i, n
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return -1, 0
}

// matchSuffix reports whether the segment matches a suffix of s that starts
// at or after pos.
func (g *segment) matchSuffix(s string, pos int, fold bool) bool {
	n := utf8.RuneCountInString(g.text)
	// Walk back n runes from the end of s.
	start := len(s)
	for k := 0; k < n; k++ {
		if start <= pos {
			return false
		}
		_, size := utf8.DecodeLastRuneInString(s[:start])
		start -= size
	}
	if start < pos {
		return false
	}
	m, ok := g.matchRunes(s, start, fold)
	return ok && start+m == len(s)
}

func equalFold(a, b rune) bool {
	if a < utf8.RuneSelf && b < utf8.RuneSelf {
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		return a == b
	}
	return strings.EqualFold(string(a), string(b))
}

// MatchString matches pattern against s without compiling or allocating:
// '*' and '?' in pattern are wildcards. It runs the classic greedy
// algorithm that remembers only the last star, so its cost is at most
// O(len(pattern) × len(s)).
func MatchString(pattern, s string, fold bool) bool {
	p, i := 0, 0
	starP, starI := -1, 0
	for i < len(s) {
		if p < len(pattern) {
			pc := pattern[p]
			switch {
			case pc == '*':
				starP, starI = p, i
				p++
				continue
			case pc == '?':
				_, size := utf8.DecodeRuneInString(s[i:])
				p++
				i += size
				continue
			default:
				pr, psize := utf8.DecodeRuneInString(pattern[p:])
				sr, ssize := utf8.DecodeRuneInString(s[i:])
				if pr == sr || fold && equalFold(pr, sr) {
					p += psize
					i += ssize
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		// Let the last star absorb one more character and retry.
		_, size := utf8.DecodeRuneInString(s[starI:])
		starI += size
		p, i = starP+1, starI
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
