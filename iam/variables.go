package iam

import (
	"strings"

	"github.com/iamlint/iamlint/iam/glob"
)

// HasVariable reports whether s contains a policy variable or escape
// ("${...}").
func HasVariable(s string) bool { return strings.Contains(s, "${") }

// substitute walks text, replacing policy variables with context values.
// emit receives runs of text; verbatim runs came from a variable or an
// escape (${*}, ${?}, ${$}) and must match literally even where the
// surrounding text is a wildcard pattern. It returns false when a variable
// has no value in the context and no default, in which case the element
// does not match anything.
func substitute(text string, ctx *Context, emit func(s string, verbatim bool)) bool {
	return substituteEsc(text, ctx, true, emit)
}

// substituteEsc is substitute with the escapes optional: exact-match
// condition operators do not treat ${*}, ${?} and ${$} specially (they are
// looked up as variables, which never have a value).
func substituteEsc(text string, ctx *Context, escapes bool, emit func(s string, verbatim bool)) bool {
	for {
		i := strings.Index(text, "${")
		if i < 0 {
			emit(text, false)
			return true
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			emit(text, false)
			return true
		}
		emit(text[:i], false)
		inner := text[i+2 : i+j]
		text = text[i+j+1:]
		if escapes && (inner == "*" || inner == "?" || inner == "$") {
			emit(inner, true)
			continue
		}
		key, def, hasDef := parseVariable(inner)
		vals, multi, ok := ctx.Lookup(key)
		switch {
		case ok && !multi && len(vals) == 1:
			emit(vals[0], true)
		case hasDef:
			emit(def, true)
		default:
			return false
		}
	}
}

// parseVariable splits "aws:username, 'default'" into key and default.
// The default must follow the key as ", '" ... "'", exactly as AWS
// documents it; any other spelling is part of the key (which then has no
// value).
func parseVariable(inner string) (key, def string, hasDef bool) {
	key, rest, found := strings.Cut(inner, ", '")
	if found && strings.HasSuffix(rest, "'") {
		return key, rest[:len(rest)-1], true
	}
	return inner, "", false
}

// substituteVariables returns text with variables replaced, for exact
// comparisons; escapes are not processed there.
func substituteVariables(text string, ctx *Context) (string, bool) {
	var b strings.Builder
	ok := substituteEsc(text, ctx, false, func(s string, _ bool) { b.WriteString(s) })
	return b.String(), ok
}

// appendPattern adds wildcard text to a glob builder: '*' and '?' are
// wildcards, everything else literal.
func appendPattern(b *glob.Builder, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '*' && s[i] != '?' {
			continue
		}
		b.Literal(s[start:i])
		if s[i] == '*' {
			b.Star()
		} else {
			b.Question()
		}
		start = i + 1
	}
	b.Literal(s[start:])
}

// substitutePattern compiles text as a wildcard pattern after variable
// substitution.
func substitutePattern(text string, ctx *Context) (glob.Pattern, bool) {
	var b glob.Builder
	ok := substitute(text, ctx, func(s string, verbatim bool) {
		if verbatim {
			b.Literal(s)
		} else {
			appendPattern(&b, s)
		}
	})
	return b.Pattern(), ok
}
