package catalog

import (
	"strings"

	"github.com/iamlint/iamlint/iam/glob"
)

// keyTemplate matches concrete names against a templated key name. Each
// placeholder ("${TagKey}", "<key>") stands for at least one character of
// any kind, '/' and ':' included (tag keys may hold both).
type keyTemplate struct {
	pat    glob.Pattern // lower-cased literal parts, '*' for placeholders
	minLen int          // literal length plus one per placeholder
}

// compileKeyTemplate returns nil for a name without placeholders. Besides
// "${...}" and "<...>" it reads the reference's irregular spellings of a
// tag-key placeholder as one: a trailing "/tag-key"
// ("secretsmanager:ResourceTag/tag-key") or a trailing "/"
// ("glacier:ResourceTag/").
func compileKeyTemplate(name string) *keyTemplate {
	if base, ok := strings.CutSuffix(name, "/tag-key"); ok {
		name = base + "/${TagKey}"
	} else if strings.HasSuffix(name, "/") {
		name += "${TagKey}"
	}
	if !strings.Contains(name, "${") && !strings.Contains(name, "<") {
		return nil
	}
	var b glob.Builder
	t := &keyTemplate{}
	s := strings.ToLower(name)
	for s != "" {
		i := strings.IndexAny(s, "$<")
		if i < 0 {
			break
		}
		close := byte('>')
		skip := 1
		if s[i] == '$' {
			if !strings.HasPrefix(s[i:], "${") {
				b.Literal(s[:i+1])
				t.minLen += i + 1
				s = s[i+1:]
				continue
			}
			close, skip = '}', 2
		}
		j := strings.IndexByte(s[i+skip:], close)
		if j < 0 {
			break
		}
		b.Literal(s[:i])
		t.minLen += i + 1
		b.Star()
		s = s[i+skip+j+1:]
	}
	b.Literal(s)
	t.minLen += len(s)
	t.pat = b.Pattern()
	return t
}

// match reports whether the lower-cased name is an instance of the template.
func (t *keyTemplate) match(lower string) bool {
	return len(lower) >= t.minLen && t.pat.Match(lower, false)
}

// keyIndex finds condition keys by name across the whole catalog.
type keyIndex struct {
	exact map[string]*ConditionKey // lower-cased name
	// templates holds templated keys by the lower-cased text before their
	// first ':' (the prefix); templates whose prefix holds a placeholder
	// ("token.actions.${Domain}.ghe.com:sub") are in wild.
	templates map[string][]*ConditionKey
	wild      []*ConditionKey
}

func (c *Catalog) keyIndex() *keyIndex {
	c.keysOnce.Do(func() {
		ix := keyIndex{
			exact:     make(map[string]*ConditionKey),
			templates: make(map[string][]*ConditionKey),
		}
		add := func(k *ConditionKey) {
			lower := strings.ToLower(k.Name)
			if _, dup := ix.exact[lower]; dup {
				return
			}
			ix.exact[lower] = k
			if k.tmpl == nil {
				return
			}
			prefix, _, _ := strings.Cut(lower, ":")
			if strings.ContainsAny(prefix, "$<") {
				ix.wild = append(ix.wild, k)
			} else {
				ix.templates[prefix] = append(ix.templates[prefix], k)
			}
		}
		// Global keys first, so that aws:* names resolve to them rather
		// than to one service's copy; then services in prefix order.
		for _, k := range c.globals {
			add(k)
		}
		for _, s := range c.services {
			for _, k := range s.ConditionKeys {
				add(k)
			}
		}
		c.keys = ix
	})
	return &c.keys
}

// ConditionKey returns the condition key that name (ignoring case) is, or
// is an instance of, among global keys and all services' keys; nil if none.
// "aws:sourceip" gives aws:SourceIp; "aws:RequestTag/team" gives
// aws:RequestTag/${TagKey}; "s3:ExistingObjectTag/env" gives
// s3:ExistingObjectTag/<key>. Global keys take precedence over a service's
// copy of the same name; a key listed by several services with different
// types resolves to the first service in prefix order (use
// Service.ConditionKey for a given service).
func (c *Catalog) ConditionKey(name string) *ConditionKey {
	ix := c.keyIndex()
	lower := strings.ToLower(name)
	if k := ix.exact[lower]; k != nil {
		return k
	}
	prefix, _, ok := strings.Cut(lower, ":")
	if !ok {
		return nil
	}
	for _, k := range ix.templates[prefix] {
		if k.tmpl.match(lower) {
			return k
		}
	}
	for _, k := range ix.wild {
		if k.tmpl.match(lower) {
			return k
		}
	}
	return nil
}

// ConditionKey returns the service's condition key that name (ignoring
// case) is, or is an instance of; nil if none. Only keys the service lists
// are considered, which includes the aws:* tag keys its actions support.
func (s *Service) ConditionKey(name string) *ConditionKey {
	for _, k := range s.ConditionKeys {
		if strings.EqualFold(k.Name, name) {
			return k
		}
	}
	lower := strings.ToLower(name)
	for _, k := range s.ConditionKeys {
		if k.tmpl != nil && k.tmpl.match(lower) {
			return k
		}
	}
	return nil
}
