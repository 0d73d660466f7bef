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
	p, ok := compileResourcePattern(pattern, ctx, vars)
	return ok && p.match(arn)
}

// arnPattern is a compiled resource or ARN pattern.
//
// As a Resource element (compileResourcePattern) it matches the whole
// string: AWS lets a '*' that ends an ARN segment run on across ':'
// ("arn:aws:ec2:*:instance/*" covers every region and account), and within
// the resource segment '*' covers ':' and '/' alike. One nuance is not
// modelled: a '*' in the middle of one of the first five segments
// ("us-*-1") should not cross a ':'; real region, account and service
// values never contain one, so matching cannot differ on real ARNs.
//
// As the value of an Arn* condition operator (compileARNPattern) it matches
// the six colon-separated components one by one, as AWS documents for
// ArnLike and ArnEquals.
type arnPattern struct {
	segmented bool
	whole     glob.Pattern
	segs      [6]glob.Pattern
}

// compileResourcePattern compiles a Resource/NotResource entry.
// Variables are substituted only in the resource component of an ARN
// (elsewhere they stay literal text). ok is false when a variable has no
// value, so nothing matches.
func compileResourcePattern(text string, ctx *Context, vars bool) (arnPattern, bool) {
	var p arnPattern
	if !vars || !HasVariable(text) {
		p.whole = glob.Compile(text)
		return p, true
	}
	parts, isARN := splitARN(text)
	if !isARN {
		pat, ok := substitutePattern(text, ctx)
		p.whole = pat
		return p, ok
	}
	var b glob.Builder
	for _, s := range parts[:5] {
		appendPattern(&b, s)
		b.Literal(":")
	}
	ok := substitute(parts[5], ctx, func(s string, verbatim bool) {
		if verbatim {
			b.Literal(s)
		} else {
			appendPattern(&b, s)
		}
	})
	p.whole = b.Pattern()
	return p, ok
}

// substituteResource substitutes the variables of a Resource entry (in the
// resource component only) into plain text. literalWild reports that a
// substituted value or escape contains '*' or '?', which the text alone
// would wrongly treat as wildcards.
func substituteResource(text string, ctx *Context) (out string, literalWild, ok bool) {
	var b strings.Builder
	b.Grow(len(text) + 16)
	rest := text
	if parts, isARN := splitARN(text); isARN {
		cut := len(text) - len(parts[5])
		b.WriteString(text[:cut])
		rest = parts[5]
	}
	ok = substitute(rest, ctx, func(s string, verbatim bool) {
		if verbatim && strings.ContainsAny(s, "*?") {
			literalWild = true
		}
		b.WriteString(s)
	})
	return b.String(), literalWild, ok
}

// compileARNPattern compiles the value of an Arn* condition operator.
// Only the resource component takes variables. The pattern must be an ARN
// with six components, else ok is true but nothing matches.
func compileARNPattern(text string, ctx *Context, vars bool) (arnPattern, bool) {
	p := arnPattern{segmented: true}
	parts, isARN := splitARN(text)
	if !isARN {
		p.segmented = false
		p.whole = glob.Compile("")
		return p, true
	}
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
	if !p.segmented {
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
