package iam

import (
	"strings"

	"github.com/iamlint/iamlint/iam/glob"
)

// MatchAction reports whether an action pattern from a policy ("s3:Get*")
// matches an action name ("s3:GetObject"). Actions compare
// case-insensitively.
func MatchAction(pattern, action string) bool {
	return glob.Compile(strings.ToLower(pattern)).Match(strings.ToLower(action), false)
}

// MatchResource reports whether a resource pattern from a policy matches a
// resource ARN, with policy variables substituted from ctx when vars is
// true (Version 2012-10-17). ARNs compare case-sensitively.
func MatchResource(pattern, arn string, ctx *Context, vars bool) bool {
	p, ok := compileARNPattern(pattern, ctx, vars)
	return ok && p.match(arn)
}

// arnPattern is a compiled resource or ARN pattern. Patterns that are ARNs
// (six colon-separated components) match component by component, so a
// wildcard in one component never spans a ':' into the next; the resource
// component, which may itself contain ':' and '/', matches as a whole.
// Anything else (notably "*") matches the whole string.
type arnPattern struct {
	isARN bool
	whole glob.Pattern
	segs  [6]glob.Pattern
}

// compileARNPattern compiles text, substituting variables when vars is
// set. Variables are substituted only in the resource component of an ARN
// (elsewhere they stay literal text). ok is false when a variable has no
// value, so nothing matches.
func compileARNPattern(text string, ctx *Context, vars bool) (arnPattern, bool) {
	var p arnPattern
	parts, isARN := splitARN(text)
	if !isARN {
		if vars && HasVariable(text) {
			pat, ok := substitutePattern(text, ctx)
			p.whole = pat
			return p, ok
		}
		p.whole = glob.Compile(text)
		return p, true
	}
	p.isARN = true
	for i, s := range parts[:5] {
		p.segs[i] = glob.Compile(s)
	}
	if vars && HasVariable(parts[5]) {
		pat, ok := substitutePattern(parts[5], ctx)
		p.segs[5] = pat
		return p, ok
	}
	p.segs[5] = glob.Compile(parts[5])
	return p, true
}

func (p *arnPattern) match(s string) bool {
	if !p.isARN {
		return p.whole.Match(s, false)
	}
	parts, ok := splitARN(s)
	if !ok {
		return false
	}
	for i := range parts {
		if !p.segs[i].Match(parts[i], false) {
			return false
		}
	}
	return true
}
