package builtin

import (
	"encoding/base64"
	"math/big"
	"net/netip"
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

func conditionTypeMismatch() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM304",
			Slug:     "condition-type-mismatch",
			Title:    "Condition operator does not fit its key or value",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `Each condition operator compares one type of value: ` + "`Numeric*`" + ` numbers,
` + "`Date*`" + ` dates, ` + "`Bool`" + ` booleans, ` + "`IpAddress`" + ` IP addresses and CIDR blocks,
` + "`Arn*`" + ` ARNs, ` + "`BinaryEquals`" + ` base64 text, ` + "`Null`" + ` true or false. A value that
is not of that type never matches, so the condition silently fails (or, for a
negated operator, always holds): ` + "`NumericLessThan`" + ` with ` + "`\"ten\"`" + `,
` + "`IpAddress`" + ` with ` + "`\"10.0.0.0/33\"`" + `, ` + "`ArnLike`" + ` with ` + "`\"*\"`" + ` (ARN operators
compare the six ARN fields one by one; use ` + "`StringLike`" + ` or a full ARN
pattern). The rule points at such a value. Values holding policy variables
are not checked.

It also compares the operator with the condition key's type from the AWS
service authorization reference and points at the operator when they cannot
work together: a ` + "`Bool`" + ` operator on a numeric key, ` + "`IpAddress`" + ` on
` + "`aws:SourceVpc`" + `, ` + "`DateLessThan`" + ` on ` + "`aws:MultiFactorAuthAge`" + ` (a number of
seconds; use ` + "`NumericLessThan`" + `). String operators work on every key (the
request value is compared as text), ARN operators on string keys,
and numeric operators on date keys (epoch seconds). A non-string operator on
a *string* key is reported only for global ` + "`aws:`" + ` keys: the reference
types some numeric and boolean service keys as strings
(` + "`glacier:ArchiveAgeInDays`" + `, ` + "`ses:ClickTrackingEnabled`" + `), and the rule does
not guess.

A string operator on a boolean key, as in
` + "`\"StringEquals\": {\"aws:MultiFactorAuthPresent\": \"true\"}`" + `, works: the request
value is the text ` + "`true`" + ` or ` + "`false`" + `. The rule accepts it and reports only
values that can never be equal, such as ` + "`\"True\"`" + ` or ` + "`\"yes\"`" + `; ` + "`Bool`" + ` is
still the clearer operator. (That ` + "`aws:MultiFactorAuthPresent`" + ` is absent
for long-term access keys, so ` + "`\"Bool\": {... \"false\"}`" + ` in a ` + "`Deny`" + ` misses
them, is a different problem, left to a later rule.)`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": "s3:*",
      "Resource": "*",
      "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/33"}}
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": "s3:*",
      "Resource": "*",
      "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, d := range p.Input.Policies() {
				for _, s := range d.Policy.Doc.Statements {
					for _, c := range s.Condition.Clauses {
						checkConditionTypes(p, d, c)
					}
				}
			}
			return nil
		},
	}
}

// keyType returns the condition key's base type ("String", "Numeric",
// "Date", "Bool", "ARN", "IPAddress", "Binary"; "ArrayOf" stripped) and
// whether it is a global key; "" when the key is unknown.
func keyType(cat *catalog.Catalog, name string) (typ string, global bool) {
	var k *catalog.ConditionKey
	for _, g := range cat.GlobalConditionKeys() {
		if g.Matches(name) {
			k = g
			break
		}
	}
	if k == nil {
		prefix, _, _ := strings.Cut(name, ":")
		if svc := cat.Service(prefix); svc != nil {
			k = svc.ConditionKey(name)
		}
	}
	if k == nil {
		return "", false
	}
	return strings.TrimPrefix(k.Type, "ArrayOf"), k.Global()
}

// opFits reports whether an operator of type op can compare values of a
// key of type key (see the rule's rationale).
func opFits(op iam.ValueType, key string, global bool) bool {
	if op == iam.TypeString || op == iam.TypeNull {
		return true
	}
	switch key {
	case "String":
		return !global || op == iam.TypeARN
	case "Numeric":
		return op == iam.TypeNumeric
	case "Date":
		return op == iam.TypeDate || op == iam.TypeNumeric
	case "Bool":
		return op == iam.TypeBool
	case "ARN":
		return op == iam.TypeARN
	case "IPAddress":
		return op == iam.TypeIP
	case "Binary":
		return op == iam.TypeBinary
	}
	return true // a type we do not know
}

var typeWords = map[iam.ValueType]string{
	iam.TypeString:  "strings",
	iam.TypeNumeric: "numbers",
	iam.TypeDate:    "dates",
	iam.TypeBool:    "booleans",
	iam.TypeBinary:  "base64 binary values",
	iam.TypeIP:      "IP addresses",
	iam.TypeARN:     "ARNs",
}

func checkConditionTypes(p *rules.Pass, d *rules.Document, c *iam.Condition) {
	op := c.Operator
	if op.Func == iam.OpUnknown {
		return
	}
	opName := op.String()
	kt, global := keyType(p.Catalog, c.Key)
	if kt != "" && !opFits(op.Func.Type(), kt, global) {
		what := article(kt) + " " + kt + " key"
		p.ReportRelatedf(d, c.OperatorRange,
			[]rules.Related{{Range: c.KeyRange, Message: what}},
			"operator %s compares %s, but %s is %s", opName, typeWords[op.Func.Type()], c.Key, what)
		return
	}
	for _, v := range c.Values {
		if hasVariable(v.Text) {
			continue
		}
		if problem := badValue(op.Func, kt, c.Key, v.Text); problem != "" {
			p.Reportf(d, v.Range, "value %q of %s %s", v.Text, opName, problem)
		}
	}
}

// article returns "an" before the type names that start with a vowel
// sound (ARN, IPAddress), else "a".
func article(typ string) string {
	if strings.HasPrefix(typ, "A") || strings.HasPrefix(typ, "I") {
		return "an"
	}
	return "a"
}

// badValue says why text cannot be a value of the operator ("is not a
// number"), or returns "".
func badValue(f iam.OpFunc, keyType, key, text string) string {
	switch f.Type() {
	case iam.TypeNumeric:
		if !isNumber(text) {
			return "is not a number"
		}
	case iam.TypeDate:
		if _, ok := iam.ParseDate(text); !ok {
			return "is not an ISO 8601 date or epoch time"
		}
	case iam.TypeBool, iam.TypeNull:
		if !strings.EqualFold(text, "true") && !strings.EqualFold(text, "false") {
			return "is not true or false"
		}
	case iam.TypeIP:
		if !isIPOrCIDR(text) {
			return "is not an IP address or CIDR block"
		}
	case iam.TypeARN:
		if _, ok := iam.ParseARN(text); !ok {
			return "is not an ARN of six colon-separated fields, so it never matches"
		}
	case iam.TypeBinary:
		if _, err := base64.StdEncoding.DecodeString(text); err != nil {
			return "is not base64"
		}
	case iam.TypeString:
		if keyType != "Bool" {
			break
		}
		switch f {
		case iam.OpStringEquals, iam.OpStringNotEquals:
			if text != "true" && text != "false" {
				return "never equals " + key + `, whose values are "true" and "false"`
			}
		case iam.OpStringEqualsIgnoreCase, iam.OpStringNotEqualsIgnoreCase:
			if !strings.EqualFold(text, "true") && !strings.EqualFold(text, "false") {
				return "never equals " + key + `, whose values are "true" and "false"`
			}
		}
	}
	return ""
}

// isNumber accepts integers and decimals, as the numeric operators do.
func isNumber(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return false
		}
	}
	_, ok := new(big.Rat).SetString(s)
	return ok
}

func isIPOrCIDR(s string) bool {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		_, err := netip.ParsePrefix(s)
		return err == nil
	}
	_, err := netip.ParseAddr(s)
	return err == nil && !strings.Contains(s, "%")
}
