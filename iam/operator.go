package iam

import "strings"

// OpFunc is the base comparison of a condition operator, without the
// IfExists suffix or a set qualifier.
type OpFunc uint8

// Base operators.
const (
	OpUnknown OpFunc = iota
	OpStringEquals
	OpStringNotEquals
	OpStringEqualsIgnoreCase
	OpStringNotEqualsIgnoreCase
	OpStringLike
	OpStringNotLike
	OpNumericEquals
	OpNumericNotEquals
	OpNumericLessThan
	OpNumericLessThanEquals
	OpNumericGreaterThan
	OpNumericGreaterThanEquals
	OpDateEquals
	OpDateNotEquals
	OpDateLessThan
	OpDateLessThanEquals
	OpDateGreaterThan
	OpDateGreaterThanEquals
	OpBool
	OpBinaryEquals
	OpIPAddress
	OpNotIPAddress
	OpArnEquals
	OpArnLike
	OpArnNotEquals
	OpArnNotLike
	OpNull
)

var opNames = [...]string{
	OpUnknown:                   "",
	OpStringEquals:              "StringEquals",
	OpStringNotEquals:           "StringNotEquals",
	OpStringEqualsIgnoreCase:    "StringEqualsIgnoreCase",
	OpStringNotEqualsIgnoreCase: "StringNotEqualsIgnoreCase",
	OpStringLike:                "StringLike",
	OpStringNotLike:             "StringNotLike",
	OpNumericEquals:             "NumericEquals",
	OpNumericNotEquals:          "NumericNotEquals",
	OpNumericLessThan:           "NumericLessThan",
	OpNumericLessThanEquals:     "NumericLessThanEquals",
	OpNumericGreaterThan:        "NumericGreaterThan",
	OpNumericGreaterThanEquals:  "NumericGreaterThanEquals",
	OpDateEquals:                "DateEquals",
	OpDateNotEquals:             "DateNotEquals",
	OpDateLessThan:              "DateLessThan",
	OpDateLessThanEquals:        "DateLessThanEquals",
	OpDateGreaterThan:           "DateGreaterThan",
	OpDateGreaterThanEquals:     "DateGreaterThanEquals",
	OpBool:                      "Bool",
	OpBinaryEquals:              "BinaryEquals",
	OpIPAddress:                 "IpAddress",
	OpNotIPAddress:              "NotIpAddress",
	OpArnEquals:                 "ArnEquals",
	OpArnLike:                   "ArnLike",
	OpArnNotEquals:              "ArnNotEquals",
	OpArnNotLike:                "ArnNotLike",
	OpNull:                      "Null",
}

func (f OpFunc) String() string { return opNames[f] }

// Negated reports whether the operator is a "not" form, for which a key
// must match none of the policy values (and an absent key matches).
func (f OpFunc) Negated() bool {
	switch f {
	case OpStringNotEquals, OpStringNotEqualsIgnoreCase, OpStringNotLike,
		OpNumericNotEquals, OpDateNotEquals, OpNotIPAddress, OpArnNotEquals, OpArnNotLike:
		return true
	}
	return false
}

// ValueType is the type of value an operator compares: the catalog's
// condition key types map onto these.
type ValueType uint8

// Operator value types.
const (
	TypeString ValueType = iota
	TypeNumeric
	TypeDate
	TypeBool
	TypeBinary
	TypeIP
	TypeARN
	TypeNull
)

var typeNames = [...]string{"String", "Numeric", "Date", "Bool", "Binary", "IPAddress", "ARN", "Null"}

func (t ValueType) String() string { return typeNames[t] }

// Type returns the kind of values the operator compares.
func (f OpFunc) Type() ValueType {
	switch {
	case f >= OpStringEquals && f <= OpStringNotLike:
		return TypeString
	case f >= OpNumericEquals && f <= OpNumericGreaterThanEquals:
		return TypeNumeric
	case f >= OpDateEquals && f <= OpDateGreaterThanEquals:
		return TypeDate
	case f == OpBool:
		return TypeBool
	case f == OpBinaryEquals:
		return TypeBinary
	case f == OpIPAddress || f == OpNotIPAddress:
		return TypeIP
	case f >= OpArnEquals && f <= OpArnNotLike:
		return TypeARN
	}
	return TypeNull
}

// SetQualifier is the ForAllValues:/ForAnyValue: prefix of an operator.
type SetQualifier uint8

// Set qualifiers.
const (
	SetNone SetQualifier = iota
	ForAllValues
	ForAnyValue
)

// Operator is a parsed condition operator such as
// "ForAnyValue:StringLikeIfExists".
type Operator struct {
	Func     OpFunc
	IfExists bool
	Set      SetQualifier
}

// String renders the operator in canonical form.
func (o Operator) String() string {
	var b strings.Builder
	switch o.Set {
	case ForAllValues:
		b.WriteString("ForAllValues:")
	case ForAnyValue:
		b.WriteString("ForAnyValue:")
	}
	b.WriteString(o.Func.String())
	if o.IfExists {
		b.WriteString("IfExists")
	}
	return b.String()
}

// ParseOperator parses an operator name, ignoring case as IAM does
// ("stringequals" is StringEquals). ok is false for anything else,
// including "NullIfExists", which AWS does not accept. Use String to get
// the canonical spelling.
func ParseOperator(s string) (Operator, bool) {
	var op Operator
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(lower, "forallvalues:"):
		op.Set = ForAllValues
		lower = lower[len("forallvalues:"):]
	case strings.HasPrefix(lower, "foranyvalue:"):
		op.Set = ForAnyValue
		lower = lower[len("foranyvalue:"):]
	}
	if base, ok := strings.CutSuffix(lower, "ifexists"); ok && base != "null" {
		op.IfExists = true
		lower = base
	}
	for f := OpStringEquals; f <= OpNull; f++ {
		if strings.ToLower(opNames[f]) == lower {
			op.Func = f
			return op, true
		}
	}
	return Operator{}, false
}
