package catalog

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// ARN formats and how they match.
//
// A format such as "arn:${Partition}:s3:::${BucketName}/${ObjectName}" is
// literal text with placeholders (${Name}, a bare {Name} in one format, and
// a literal '*', which the reference uses for "anything"). A placeholder
// matches a non-empty run of characters, except:
//
//   - A placeholder followed by more format text never holds ':', nor the
//     punctuation character that follows it: ${BucketName} in
//     "${BucketName}/${ObjectName}" holds no '/', ${DomainName} in
//     "${DomainName}+${DomainIdentifier}" no '+'. A placeholder followed by
//     ':' may hold '/', so log group names like "/aws/lambda/fn" work.
//   - A placeholder that ends the format may hold anything, '/' and ':'
//     included (S3 object keys, IAM names with paths, API paths), unless a
//     sibling format (one with the same ARN service field, whichever
//     service lists it) continues the same text; then it may not hold the
//     character that starts any such continuation. So s3's bucket
//     "arn:${Partition}:s3:::${BucketName}" does not match
//     "arn:aws:s3:::b/key", because the object format continues it with
//     '/'; Lambda's "function:${FunctionName}" does not match
//     "function:f:1", because the version and alias formats continue it
//     with ':'; but IAM's "role/${RoleNameWithPath}" matches "role/a/b/r".
//   - '*' in a format matches anything, the empty string included.
//
// Literal text compares case-sensitively, as ARNs do. Besides its format, a
// CloudWatch Logs log-group also matches its name followed by ":*", the
// form DescribeLogGroups returns and policies commonly use.

// ftok is one token of a compiled format. A placeholder compiles to a
// fOne token followed by a fMany token with the same exclusions, which
// makes it match one character or more.
type ftok struct {
	kind uint8  // fLit, fOne, fMany
	lit  byte   // the byte of a fLit
	excl string // bytes a fOne or fMany may not match
}

const (
	fLit  = iota
	fOne  // exactly one byte or rune not in excl
	fMany // any run of bytes or runes not in excl
)

type arnFormat []ftok

// ptok is one token of a compiled ARN or ARN pattern.
type ptok struct {
	r    rune
	kind uint8 // pLit, pAny ('?'), pStar ('*')
}

const (
	pLit = iota
	pAny
	pStar
)

// arnIndex finds resource types by the service field of ARNs.
type arnIndex struct {
	byService map[string][]*ResourceType // literal service field of a format
	anyServ   []*ResourceType            // formats whose service field is a placeholder
	all       []*ResourceType
}

func (c *Catalog) arnIndex() *arnIndex {
	c.arnOnce.Do(func() {
		compileFormats(c.services)
		ix := arnIndex{byService: make(map[string][]*ResourceType)}
		for _, s := range c.services {
			for _, rt := range s.ResourceTypes {
				ix.all = append(ix.all, rt)
				seen := map[string]bool{}
				for _, f := range rt.ARNFormats {
					field, ok := literalServiceField(f)
					if !ok {
						field = "" // matched whatever the ARN's service
					}
					if seen[field] {
						continue
					}
					seen[field] = true
					if ok {
						ix.byService[field] = append(ix.byService[field], rt)
					} else {
						ix.anyServ = append(ix.anyServ, rt)
					}
				}
			}
		}
		c.arns = ix
	})
	return &c.arns
}

// serviceField returns the third ':'-separated field of an ARN or format.
func serviceField(s string) (string, bool) {
	_, rest, ok := strings.Cut(s, ":")
	if !ok {
		return "", false
	}
	_, rest, ok = strings.Cut(rest, ":")
	if !ok {
		return "", false
	}
	field, _, ok := strings.Cut(rest, ":")
	return field, ok
}

// literalServiceField is serviceField for a format whose service field
// holds no placeholder.
func literalServiceField(format string) (string, bool) {
	field, ok := serviceField(format)
	if !ok || strings.ContainsAny(field, "${*") {
		return "", false
	}
	return field, true
}

// compileFormats compiles the formats of every resource type, applying the
// sibling rule described above. Siblings are the formats that share an ARN
// service field, whichever service lists them: SSM's copy of the S3 bucket
// format must not match object ARNs either.
func compileFormats(services []*Service) {
	type entry struct {
		rt    *ResourceType
		toks  arnFormat
		norm  string // text with each placeholder as "\x00\x00"
		trail bool   // ends with a ${Placeholder} (not a '*')
	}
	groups := map[string][]*entry{}
	var order []*entry
	for _, s := range services {
		for _, rt := range s.ResourceTypes {
			for _, f := range rt.ARNFormats {
				toks, trail := tokenize(f)
				e := &entry{rt, toks, normalize(toks), trail}
				key, ok := literalServiceField(f)
				if !ok {
					key = "\x00" + s.Prefix
				}
				groups[key] = append(groups[key], e)
				order = append(order, e)
			}
		}
	}
	for _, group := range groups {
		for _, e := range group {
			if !e.trail {
				continue
			}
			var excl []byte
			for _, o := range group {
				if len(o.norm) <= len(e.norm) || !strings.HasPrefix(o.norm, e.norm) {
					continue
				}
				if c := o.norm[len(e.norm)]; c != 0 && strings.IndexByte(string(excl), c) < 0 {
					excl = append(excl, c)
				}
			}
			n := len(e.toks)
			e.toks[n-2].excl, e.toks[n-1].excl = string(excl), string(excl)
		}
	}
	for _, e := range order {
		e.rt.formats = append(e.rt.formats, e.toks)
		if e.rt.Service.Prefix == "logs" && e.rt.Name == "log-group" && e.trail {
			// "log-group:NAME:*" (see above). NAME is now followed by ':'.
			extra := append(arnFormat(nil), e.toks...)
			n := len(extra)
			extra[n-2].excl, extra[n-1].excl = ":", ":"
			extra = append(extra, ftok{kind: fLit, lit: ':'}, ftok{kind: fLit, lit: '*'})
			e.rt.formats = append(e.rt.formats, extra)
		}
	}
}

// tokenize compiles one format and reports whether it ends with a
// ${Placeholder}. Placeholders not at the end get their exclusions here; a
// trailing one is left open for compileFormats to restrict.
func tokenize(f string) (toks arnFormat, trail bool) {
	for i := 0; i < len(f); {
		c := f[i]
		end := -1
		switch {
		case c == '*':
			toks = append(toks, ftok{kind: fMany})
			i++
			trail = false
			continue
		case c == '$' && i+1 < len(f) && f[i+1] == '{', c == '{':
			if j := strings.IndexByte(f[i:], '}'); j > 0 {
				end = i + j + 1
			}
		}
		if end < 0 {
			toks = append(toks, ftok{kind: fLit, lit: c})
			i++
			trail = false
			continue
		}
		excl := ""
		if end < len(f) {
			excl = ":"
			if n := f[end]; n != ':' && n != '$' && n != '{' && n != '*' && isPunct(n) {
				excl += string(n)
			}
		}
		if n := len(toks); n >= 2 && toks[n-1].kind == fMany && toks[n-2].kind == fOne {
			// Adjacent placeholders ("${A}${B}") act as one.
			toks[n-2].excl, toks[n-1].excl = excl, excl
		} else {
			toks = append(toks, ftok{kind: fOne, excl: excl}, ftok{kind: fMany, excl: excl})
		}
		i = end
		trail = true
	}
	return toks, trail
}

func isPunct(b byte) bool {
	return b < 0x80 && !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9')
}

func normalize(toks arnFormat) string {
	b := make([]byte, len(toks))
	for i, t := range toks {
		if t.kind == fLit {
			b[i] = t.lit
		}
	}
	return string(b)
}

// compilePattern tokenizes an ARN; with wild, '*' and '?' are wildcards.
func compilePattern(s string, wild bool) []ptok {
	toks := make([]ptok, 0, len(s))
	for _, r := range s {
		switch {
		case wild && r == '*':
			if n := len(toks); n > 0 && toks[n-1].kind == pStar {
				continue
			}
			toks = append(toks, ptok{kind: pStar})
		case wild && r == '?':
			toks = append(toks, ptok{kind: pAny})
		default:
			toks = append(toks, ptok{r: r})
		}
	}
	return toks
}

// allowed reports whether rune r may stand in a fOne or fMany token.
func (t ftok) allowed(r rune) bool {
	return r >= utf8.RuneSelf || strings.IndexByte(t.excl, byte(r)) < 0
}

// scratch holds the buffers of overlaps, reused across the formats one
// query tries.
type scratch struct {
	seen  []uint64
	stack []int32
}

// overlaps reports whether some string matches both the pattern and the
// format: a search over pairs (pattern position, format position).
func (sc *scratch) overlaps(p []ptok, f arnFormat) bool {
	// Quick reject on the literal prefixes both share.
	k := 0
	for k < len(p) && k < len(f) && p[k].kind == pLit && f[k].kind == fLit {
		if p[k].r != rune(f[k].lit) {
			return false
		}
		k++
	}
	n, m := len(p), len(f)
	w := m + 1
	words := ((n+1)*w + 63) / 64
	if cap(sc.seen) < words {
		sc.seen = make([]uint64, words)
	}
	seen := sc.seen[:words]
	clear(seen)
	stack := sc.stack[:0]
	defer func() { sc.stack = stack[:0] }()
	push := func(i, j int) {
		id := i*w + j
		if seen[id/64]&(1<<(uint(id)%64)) == 0 {
			seen[id/64] |= 1 << (uint(id) % 64)
			stack = append(stack, int32(id))
		}
	}
	push(k, k)
	for len(stack) > 0 {
		id := int(stack[len(stack)-1])
		stack = stack[:len(stack)-1]
		i, j := id/w, id%w
		if i == n && j == m {
			return true
		}
		if i < n && p[i].kind == pStar {
			push(i+1, j) // the star matches nothing more
		}
		if j < m && f[j].kind == fMany {
			push(i, j+1) // the run ends
		}
		if i == n || j == m {
			continue
		}
		pt, ft := p[i], f[j]
		// Consume one character of the common string.
		switch pt.kind {
		case pLit:
			switch ft.kind {
			case fLit:
				if pt.r == rune(ft.lit) {
					push(i+1, j+1)
				}
			case fOne:
				if ft.allowed(pt.r) {
					push(i+1, j+1)
				}
			case fMany:
				if ft.allowed(pt.r) {
					push(i+1, j)
				}
			}
		case pAny:
			// Some character fits any format token: exclusions are small.
			if ft.kind == fMany {
				push(i+1, j)
			} else {
				push(i+1, j+1)
			}
		case pStar:
			// The star takes the character and stays; against a run both
			// stay, which adds no state.
			if ft.kind != fMany {
				push(i, j+1)
			}
		}
	}
	return false
}

func (rt *ResourceType) matches(p []ptok, sc *scratch) bool {
	for _, f := range rt.formats {
		if sc.overlaps(p, f) {
			return true
		}
	}
	return false
}

// MatchARN reports whether arn is an ARN of this resource type, every
// character taken literally. See the comment at the top of arn.go for what
// placeholders match.
func (rt *ResourceType) MatchARN(arn string) bool {
	rt.Service.cat.arnIndex()
	return rt.matches(compilePattern(arn, false), new(scratch))
}

// MatchARNPattern reports whether an ARN pattern from a policy's Resource
// element ('*' and '?' wildcards; policy variables already replaced by the
// caller, e.g. with '*') can match some ARN of this resource type.
// "arn:aws:s3:::b/*" can match an object but not a bucket;
// "arn:aws:s3:::*" and "*" can match both.
func (rt *ResourceType) MatchARNPattern(pattern string) bool {
	rt.Service.cat.arnIndex()
	return rt.matches(compilePattern(pattern, true), new(scratch))
}

// ResourceTypesMatching returns the resource types of every service that
// an ARN pattern (as for MatchARNPattern) can match, sorted by service
// prefix and name. A concrete ARN is a pattern without wildcards.
func (c *Catalog) ResourceTypesMatching(pattern string) []*ResourceType {
	ix := c.arnIndex()
	p := compilePattern(pattern, true)
	var sc scratch
	var cands []*ResourceType
	if head, ok := arnHead(pattern); ok {
		cands = append(cands, ix.byService[head]...)
		cands = append(cands, ix.anyServ...)
	} else {
		cands = ix.all
	}
	var out []*ResourceType
	for _, rt := range cands {
		if rt.matches(p, &sc) {
			out = append(out, rt)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Service.Prefix != b.Service.Prefix {
			return a.Service.Prefix < b.Service.Prefix
		}
		return a.Name < b.Name
	})
	return out
}

// arnHead returns the service field of pattern when the text up to it holds
// no wildcard, so that the field is certain.
func arnHead(pattern string) (string, bool) {
	// The head is everything before the third ':'.
	end := -1
	for n, i := 0, 0; i < len(pattern); i++ {
		if pattern[i] == ':' {
			if n++; n == 3 {
				end = i
				break
			}
		}
	}
	if end < 0 || strings.ContainsAny(pattern[:end], "*?") {
		return "", false
	}
	field, _ := serviceField(pattern)
	return field, true
}

// ResourceTypesMatching returns the service's resource types that an ARN
// pattern (as for MatchARNPattern) can match, in name order.
func (s *Service) ResourceTypesMatching(pattern string) []*ResourceType {
	s.cat.arnIndex()
	p := compilePattern(pattern, true)
	var sc scratch
	var out []*ResourceType
	for _, rt := range s.ResourceTypes {
		if rt.matches(p, &sc) {
			out = append(out, rt)
		}
	}
	return out
}

// ResourcesMatching returns the entries of a.Resources whose resource type
// an ARN pattern (as for MatchARNPattern) can match. It is empty when the
// pattern fits none of the action's resource types, and always empty for
// an action that only accepts "*".
func (a *Action) ResourcesMatching(pattern string) []ActionResource {
	if len(a.Resources) == 0 {
		return nil
	}
	a.Service.cat.arnIndex()
	p := compilePattern(pattern, true)
	var sc scratch
	var out []ActionResource
	for _, r := range a.Resources {
		if r.Type.matches(p, &sc) {
			out = append(out, r)
		}
	}
	return out
}
