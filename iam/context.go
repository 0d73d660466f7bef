package iam

import (
	"sort"
	"strings"
)

// Context holds a request's condition keys. Key names are
// case-insensitive; values keep their case. A key set with SetMulti is
// multivalued (a list, such as aws:TagKeys) even if it holds one value.
type Context struct {
	vals map[string]ctxEntry
}

type ctxEntry struct {
	key    string // as first written
	values []string
	multi  bool
}

// Set records a single-valued key.
func (c *Context) Set(key, value string) { c.put(key, []string{value}, false) }

// SetMulti records a multivalued key (possibly empty).
func (c *Context) SetMulti(key string, values []string) { c.put(key, values, true) }

func (c *Context) put(key string, values []string, multi bool) {
	if c.vals == nil {
		c.vals = map[string]ctxEntry{}
	}
	c.vals[strings.ToLower(key)] = ctxEntry{key: key, values: values, multi: multi}
}

// Lookup returns a key's values and whether it is present.
func (c *Context) Lookup(key string) (values []string, multi, ok bool) {
	if c == nil || c.vals == nil {
		return nil, false, false
	}
	var buf [96]byte
	if len(key) <= len(buf) {
		// Lower-case into a stack buffer: a map index by string(bytes)
		// does not allocate.
		b := buf[:len(key)]
		for i := 0; i < len(key); i++ {
			ch := key[i]
			if ch >= 0x80 {
				b = nil
				break
			}
			if 'A' <= ch && ch <= 'Z' {
				ch += 'a' - 'A'
			}
			b[i] = ch
		}
		if b != nil {
			e, ok := c.vals[string(b)]
			return e.values, e.multi, ok
		}
	}
	e, ok := c.vals[strings.ToLower(key)]
	return e.values, e.multi, ok
}

// Has reports whether key is present.
func (c *Context) Has(key string) bool {
	_, _, ok := c.Lookup(key)
	return ok
}

// Keys returns the keys as first written, sorted.
func (c *Context) Keys() []string {
	if c == nil {
		return nil
	}
	out := make([]string, 0, len(c.vals))
	for _, e := range c.vals {
		out = append(out, e.key)
	}
	sort.Strings(out)
	return out
}

// Clone returns an independent copy.
func (c *Context) Clone() *Context {
	n := &Context{vals: make(map[string]ctxEntry, len(c.vals))}
	for k, v := range c.vals {
		n.vals[k] = v
	}
	return n
}
