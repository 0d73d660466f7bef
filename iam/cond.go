package iam

import (
	"math/big"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/iamlint/iamlint/iam/glob"
)

// EvalConditions reports whether every clause of a Condition block holds
// for the request context. vars enables policy-variable substitution in
// condition values (Version 2012-10-17).
func EvalConditions(c *Conditions, ctx *Context, vars bool) bool {
	for _, cl := range c.Clauses {
		if !EvalCondition(cl, ctx, vars) {
			return false
		}
	}
	return true
}

// EvalCondition decides one operator/key clause.
func EvalCondition(c *Condition, ctx *Context, vars bool) bool {
	op := c.Operator
	reqVals, multi, present := ctx.Lookup(c.Key)
	if op.Func == OpNull {
		// Null: "true" asks for the key to be absent, "false" for it to be
		// present (an empty list is present). Several values: any may hold.
		for _, v := range c.Values {
			want, ok := parseBool(v.Text)
			if ok && want == !present {
				return true
			}
		}
		return false
	}
	if !present {
		switch {
		case op.Set == ForAllValues:
			return true // vacuously: no request value fails
		case op.Set == ForAnyValue:
			return false // even with IfExists
		case op.IfExists:
			return true
		}
		return op.Func.Negated()
	}
	switch op.Set {
	case ForAllValues:
		for _, rv := range reqVals {
			if !valueMatches(op.Func, c.Values, rv, ctx, vars) {
				return false
			}
		}
		return true
	case ForAnyValue:
		for _, rv := range reqVals {
			if valueMatches(op.Func, c.Values, rv, ctx, vars) {
				return true
			}
		}
		return false
	}
	// A single-value operator never matches a multivalued key: such keys
	// need ForAllValues: or ForAnyValue:.
	if multi || len(reqVals) != 1 {
		return false
	}
	return valueMatches(op.Func, c.Values, reqVals[0], ctx, vars)
}

// valueMatches applies the operator to one request value. A positive
// operator holds when some policy value matches. A negated operator holds
// when no policy value matches and every comparison could be made: a value
// that is not a number, date, address or boolean (on either side), or a
// policy variable with no value, makes it false rather than vacuously true.
func valueMatches(f OpFunc, policy []Value, rv string, ctx *Context, vars bool) bool {
	pos := positive(f)
	matched, invalid := false, false
	for _, pv := range policy {
		m, ok := compare(pos, pv.Text, rv, ctx, vars)
		if !ok {
			invalid = true
			continue
		}
		if m {
			matched = true
			break
		}
	}
	if f.Negated() {
		return !matched && !invalid
	}
	return matched
}

func positive(f OpFunc) OpFunc {
	switch f {
	case OpStringNotEquals:
		return OpStringEquals
	case OpStringNotEqualsIgnoreCase:
		return OpStringEqualsIgnoreCase
	case OpStringNotLike:
		return OpStringLike
	case OpNumericNotEquals:
		return OpNumericEquals
	case OpDateNotEquals:
		return OpDateEquals
	case OpNotIPAddress:
		return OpIPAddress
	case OpArnNotEquals:
		return OpArnEquals
	case OpArnNotLike:
		return OpArnLike
	}
	return f
}

// compare applies a positive operator to one policy value and one request
// value. ok is false when the comparison cannot be made: a value of the
// wrong type, or a policy variable without a value.
func compare(f OpFunc, pv, rv string, ctx *Context, vars bool) (match, ok bool) {
	switch f.Type() {
	case TypeString:
		if f == OpStringLike {
			if vars {
				p, ok := substitutePattern(pv, ctx)
				return ok && p.Match(rv, false), ok
			}
			return globMatch(pv, rv), true
		}
		if vars {
			if pv, ok = substituteVariables(pv, ctx); !ok {
				return false, false
			}
		}
		if f == OpStringEqualsIgnoreCase {
			return strings.EqualFold(pv, rv), true
		}
		return pv == rv, true
	case TypeNumeric:
		a, ok1 := parseNumber(pv)
		b, ok2 := parseNumber(rv)
		if !ok1 || !ok2 {
			return false, false
		}
		return cmpHolds(f, b.Cmp(a)), true // request compared with policy
	case TypeDate:
		a, ok1 := ParseDate(pv)
		b, ok2 := ParseDate(rv)
		if !ok1 || !ok2 {
			return false, false
		}
		return cmpHolds(f, b.Compare(a)), true
	case TypeBool:
		if vars {
			if pv, ok = substituteVariables(pv, ctx); !ok {
				return false, false
			}
		}
		a, ok1 := parseBool(pv)
		b, ok2 := parseBool(rv)
		if !ok1 || !ok2 {
			return false, false
		}
		return a == b, true
	case TypeBinary:
		// Compared as the base64 text, exactly.
		return pv == rv, true
	case TypeIP:
		return ipMatches(pv, rv)
	case TypeARN:
		p, ok := compileARNPattern(pv, ctx, vars)
		if !ok {
			return false, false
		}
		return p.match(rv), true
	}
	return false, false
}

// cmpHolds maps a comparison result (request vs policy) to an ordered
// operator's outcome.
func cmpHolds(f OpFunc, c int) bool {
	switch f {
	case OpNumericEquals, OpDateEquals:
		return c == 0
	case OpNumericLessThan, OpDateLessThan:
		return c < 0
	case OpNumericLessThanEquals, OpDateLessThanEquals:
		return c <= 0
	case OpNumericGreaterThan, OpDateGreaterThan:
		return c > 0
	case OpNumericGreaterThanEquals, OpDateGreaterThanEquals:
		return c >= 0
	}
	return false
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

func globMatch(pattern, s string) bool { return glob.Compile(pattern).Match(s, false) }

// parseNumber parses an integer or decimal ("10", "-1", "010", "1.50")
// exactly. Exponents and signs other than a leading '-' are not numbers
// to IAM.
func parseNumber(s string) (*big.Rat, bool) {
	digits := strings.TrimPrefix(s, "-")
	intPart, frac, hasDot := strings.Cut(digits, ".")
	if !allDigits(intPart) || hasDot && !allDigits(frac) {
		return nil, false
	}
	return new(big.Rat).SetString(s)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseDate parses the date forms IAM accepts: ISO 8601 date-times (with
// or without fractional seconds and zone), plain dates, and epoch seconds.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), true
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z",
	"2006-01-02",
}

// ipMatches reports whether request (an address) lies in policy (a CIDR
// block or a single address).
func ipMatches(policy, request string) (match, ok bool) {
	addr, err := netip.ParseAddr(request)
	if err != nil {
		return false, false
	}
	if !strings.Contains(policy, "/") {
		p, err := netip.ParseAddr(policy)
		if err != nil {
			return false, false
		}
		return p == addr, true
	}
	prefix, err := netip.ParsePrefix(policy)
	if err != nil {
		return false, false
	}
	return prefix.Masked().Contains(addr), true
}
