package rules

import (
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam/jsonpos"
)

// span identifies an element by its byte range.
type span struct{ start, end int }

func spanOf(r hcl.Range) span { return span{r.Start.Byte, r.End.Byte} }

// Pointer returns the JSON pointer (RFC 6901) of the element at rng: the
// value, or the object member whose key is at rng. A range that is no
// element's gets the pointer of the innermost value that contains it; ""
// is the whole document.
func (f *PolicyFile) Pointer(rng hcl.Range) string {
	if f.root == nil {
		return ""
	}
	f.index()
	if p, ok := f.addrs[spanOf(rng)]; ok {
		return p
	}
	return innermost(f.root, "", spanOf(rng))
}

// stablePointer is Pointer with a statement's Sid in place of its index
// when the Sid is unique in the document ("/Statement/[ReadLogs]/Action/0"),
// so that fingerprints survive inserting or removing other statements.
func (f *PolicyFile) stablePointer(rng hcl.Range) string {
	p := f.Pointer(rng)
	for prefix, with := range f.sids {
		if p == prefix || strings.HasPrefix(p, prefix+"/") {
			return with + p[len(prefix):]
		}
	}
	return p
}

// text returns the source text at rng, at most 256 bytes of it.
func (f *PolicyFile) text(rng hcl.Range) string {
	a, b := rng.Start.Byte, rng.End.Byte
	if a < 0 || b > len(f.Source) || a > b {
		return ""
	}
	b = min(b, a+256)
	return string(f.Source[a:b])
}

func (f *PolicyFile) index() {
	if f.addrs != nil {
		return
	}
	f.addrs = map[span]string{}
	var walk func(v *jsonpos.Value, ptr string)
	walk = func(v *jsonpos.Value, ptr string) {
		f.addrs[spanOf(v.Range)] = ptr
		switch v.Kind {
		case jsonpos.Object:
			for _, m := range v.Members {
				p := ptr + "/" + escapePointer(m.Key)
				if _, dup := f.addrs[spanOf(m.KeyRange)]; !dup {
					f.addrs[spanOf(m.KeyRange)] = p
				}
				walk(m.Value, p)
			}
		case jsonpos.Array:
			for i, e := range v.Elems {
				walk(e, ptr+"/"+strconv.Itoa(i))
			}
		}
	}
	walk(f.root, "")

	// Sids for stable fingerprints.
	f.sids = map[string]string{}
	st := f.root.Lookup("Statement")
	if st == nil || st.Value.Kind != jsonpos.Array {
		return
	}
	count := map[string]int{}
	sidOf := make([]string, len(st.Value.Elems))
	for i, e := range st.Value.Elems {
		if m := e.Lookup("Sid"); m != nil && m.Value.Kind == jsonpos.String && m.Value.Str != "" {
			sidOf[i] = m.Value.Str
			count[m.Value.Str]++
		}
	}
	for i, sid := range sidOf {
		if sid != "" && count[sid] == 1 {
			f.sids["/Statement/"+strconv.Itoa(i)] = "/Statement/[" + escapePointer(sid) + "]"
		}
	}
}

func innermost(v *jsonpos.Value, ptr string, s span) string {
	switch v.Kind {
	case jsonpos.Object:
		for _, m := range v.Members {
			r := m.Value.Range
			if r.Start.Byte <= s.start && s.end <= r.End.Byte {
				return innermost(m.Value, ptr+"/"+escapePointer(m.Key), s)
			}
		}
	case jsonpos.Array:
		for i, e := range v.Elems {
			if e.Range.Start.Byte <= s.start && s.end <= e.Range.End.Byte {
				return innermost(e, ptr+"/"+strconv.Itoa(i), s)
			}
		}
	}
	return ptr
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func escapePointer(s string) string { return pointerEscaper.Replace(s) }
