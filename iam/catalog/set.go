package catalog

import (
	"iter"
	"math/bits"
)

// Set is a set of actions as a bitset over Action.Index. The zero value is
// an empty set; sets of different lengths combine as if padded with zeros.
type Set []uint64

// NewSet returns an empty set sized for n actions.
func NewSet(n int) Set { return make(Set, (n+63)/64) }

// Add puts index i in the set, growing it if needed.
func (s *Set) Add(i int) {
	w := i / 64
	if w >= len(*s) {
		*s = append(*s, make(Set, w+1-len(*s))...)
	}
	(*s)[w] |= 1 << (uint(i) % 64)
}

// addRange puts indexes lo..hi-1 in s, which must be large enough.
func (s Set) addRange(lo, hi int) {
	for i := lo; i < hi; {
		if i%64 == 0 && hi-i >= 64 {
			s[i/64] = ^uint64(0)
			i += 64
			continue
		}
		s[i/64] |= 1 << (uint(i) % 64)
		i++
	}
}

// Has reports whether index i is in the set.
func (s Set) Has(i int) bool {
	w := i / 64
	return i >= 0 && w < len(s) && s[w]&(1<<(uint(i)%64)) != 0
}

// Len returns the number of indexes in the set.
func (s Set) Len() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

// Empty reports whether the set has no index.
func (s Set) Empty() bool {
	for _, w := range s {
		if w != 0 {
			return false
		}
	}
	return true
}

// Clone returns a copy of s.
func (s Set) Clone() Set { return append(Set(nil), s...) }

// Union adds every index of t to s.
func (s *Set) Union(t Set) {
	if len(t) > len(*s) {
		*s = append(*s, make(Set, len(t)-len(*s))...)
	}
	for i, w := range t {
		(*s)[i] |= w
	}
}

// Intersect removes from s every index not in t.
func (s Set) Intersect(t Set) {
	for i := range s {
		if i < len(t) {
			s[i] &= t[i]
		} else {
			s[i] = 0
		}
	}
}

// Subtract removes from s every index in t.
func (s Set) Subtract(t Set) {
	for i := range min(len(s), len(t)) {
		s[i] &^= t[i]
	}
}

// Equal reports whether s and t hold the same indexes.
func (s Set) Equal(t Set) bool {
	for i := range max(len(s), len(t)) {
		var a, b uint64
		if i < len(s) {
			a = s[i]
		}
		if i < len(t) {
			b = t[i]
		}
		if a != b {
			return false
		}
	}
	return true
}

// All yields the indexes in increasing order.
func (s Set) All() iter.Seq[int] {
	return func(yield func(int) bool) {
		for wi, w := range s {
			for w != 0 {
				b := bits.TrailingZeros64(w)
				if !yield(wi*64 + b) {
					return
				}
				w &^= 1 << uint(b)
			}
		}
	}
}

// SetActions returns the actions of s in Index order.
func (c *Catalog) SetActions(s Set) []*Action {
	out := make([]*Action, 0, s.Len())
	for i := range s.All() {
		if i < len(c.actions) {
			out = append(out, c.actions[i])
		}
	}
	return out
}
