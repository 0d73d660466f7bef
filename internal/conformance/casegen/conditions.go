package main

import (
	"slices"
	"strings"
)

// condTemplate is a realistic condition on one key: the operators it is
// used with and candidate policy value lists.
type condTemplate struct {
	key    string
	ops    []string
	values [][]string
}

var (
	strOps    = []string{"StringEquals", "StringNotEquals", "StringLike", "StringNotLike"}
	numOps    = []string{"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals"}
	dateOps   = []string{"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals"}
	arnOps    = []string{"ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"}
	multiOps  = []string{"ForAllValues:StringEquals", "ForAllValues:StringLike", "ForAllValues:StringNotEquals", "ForAnyValue:StringEquals", "ForAnyValue:StringLike", "ForAnyValue:StringNotEquals"}
	templates = []condTemplate{
		{"aws:SourceIp", []string{"IpAddress", "NotIpAddress"}, [][]string{{"10.0.0.0/8"}, {"192.0.2.0/24", "2001:db8::/32"}, {"203.0.113.0/24"}, {"198.51.100.7"}, {"172.16.0.0/12", "2001:db8:1234::/48"}}},
		{"aws:SecureTransport", []string{"Bool"}, [][]string{{"true"}, {"false"}}},
		{"aws:MultiFactorAuthPresent", []string{"Bool"}, [][]string{{"true"}, {"false"}}},
		{"aws:MultiFactorAuthAge", numOps, [][]string{{"3600"}, {"300"}, {"86400"}, {"300", "7200"}}},
		{"aws:CurrentTime", dateOps, [][]string{{"2024-06-01T12:00:00Z"}, {"2025-01-01T00:00:00Z"}, {"2024-01-01"}, {"2024-06-01T14:00:00+02:00"}}},
		{"aws:TokenIssueTime", []string{"DateGreaterThan", "DateLessThan"}, [][]string{{"2024-06-01T00:00:00Z"}}},
		{"aws:RequestedRegion", strOps, [][]string{{"us-east-1"}, {"us-east-1", "eu-west-1"}, {"us-*"}}},
		{"aws:PrincipalTag/team", append([]string{"StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"}, strOps...), [][]string{{"blue"}, {"blue", "red"}, {"BLUE"}, {"b*"}}},
		{"aws:PrincipalOrgID", []string{"StringEquals", "StringNotEquals"}, [][]string{{orgID}}},
		{"aws:PrincipalArn", arnOps, [][]string{{"arn:aws:iam::" + acctMain + ":role/*"}, {"arn:aws:iam::*:role/Admin*"}, {"arn:aws:iam::" + acctMain + ":user/${aws:username}"}, {"arn:aws:iam::" + acctOther + ":*"}}},
		{"aws:SourceVpce", []string{"StringEquals", "StringNotEquals"}, [][]string{{"vpce-1a2b3c4d"}}},
		{"aws:TagKeys", multiOps, [][]string{{"env", "owner"}, {"env"}, {"cost-*"}}},
		{"aws:CalledVia", []string{"ForAnyValue:StringEquals", "ForAllValues:StringEquals"}, [][]string{{"cloudformation.amazonaws.com"}}},
		{"aws:PrincipalAccount", []string{"StringEquals", "StringNotEquals"}, [][]string{{acctMain}, {acctOther}}},
		{"aws:username", []string{"StringEquals", "StringLike", "StringNotEquals"}, [][]string{{"alice"}, {"a*"}}},
		{"aws:RequestTag/env", []string{"StringEquals", "StringNotEquals"}, [][]string{{"prod"}, {"dev", "prod"}}},
		{"Null", nil, nil}, // handled specially
	}
	nullKeys = []string{"aws:TokenIssueTime", "aws:SourceVpce", "aws:PrincipalTag/team", "aws:MultiFactorAuthAge", "aws:RequestTag/env"}
)

func negated(op string) bool { return strings.Contains(op, "Not") }

// conditionBlock draws n operator/key pairs. Variables are only used with
// positive operators: a missing variable makes the oracle fail negated
// comparisons, which AWS leaves unspecified.
func (sc *scenario) conditionBlock(n int, resourcePolicy bool) map[string]map[string]any {
	r := sc.r
	block := map[string]map[string]any{}
	for tries := 0; len(block) < n && tries < 10; tries++ {
		t := pick(r, templates)
		var op, key string
		var vals []string
		if t.key == "Null" {
			op, key = "Null", pick(r, nullKeys)
			vals = []string{pick(r, []string{"true", "false"})}
		} else {
			op, key, vals = pick(r, t.ops), t.key, pick(r, t.values)
			hasVar := strings.Contains(strings.Join(vals, ""), "${")
			if hasVar && negated(op) {
				continue
			}
			if !strings.Contains(op, ":") && r.chance(0.2) {
				op += "IfExists"
			}
			if hasVar {
				sc.ctxKeys["aws:username"] = true
			}
		}
		if _, dup := block[op]; dup {
			continue
		}
		block[op] = map[string]any{key: strOrList(r, vals)}
		sc.ctxKeys[key] = true
	}
	return block
}

// context supplies values for the keys the policies mention: usually
// present (with matching and non-matching values), sometimes absent.
// Keys AWS would not set for this caller (aws:username for a role session,
// aws:TokenIssueTime for long-term credentials) are left out.
func (sc *scenario) context() map[string]any {
	r := sc.r
	w := sc.who
	ctx := map[string]any{}
	present := func(p float64) bool { return r.chance(p) }
	temp := w.kind == "session" || w.kind == "federated"
	for _, key := range sortedKeys(sc.ctxKeys) {
		var v any
		switch key {
		case "aws:SourceIp":
			if present(0.9) {
				v = pick(r, []string{"10.1.2.3", "192.0.2.44", "203.0.113.9", "2001:db8::1", "198.51.100.7", "172.16.5.4", "2001:db8:1234::9"})
			}
		case "aws:SecureTransport":
			if present(0.9) {
				v = pick(r, []string{"true", "true", "false"})
			}
		case "aws:MultiFactorAuthPresent":
			if present(0.6) {
				v = pick(r, []string{"true", "false"})
			}
		case "aws:MultiFactorAuthAge":
			if present(0.6) {
				v = pick(r, []string{"120", "3600", "7200", "90000"})
			}
		case "aws:CurrentTime":
			if present(0.9) {
				v = pick(r, []string{"2023-12-31T23:59:59Z", "2024-06-01T12:00:00Z", "2024-09-15T08:30:00Z", "2025-03-01T00:00:00Z"})
			}
		case "aws:TokenIssueTime":
			if temp && present(0.9) {
				v = pick(r, []string{"2024-06-01T11:00:00Z", "2024-05-01T00:00:00Z"})
			}
		case "aws:RequestedRegion":
			if present(0.9) {
				if sc.res.region != "" && r.chance(0.6) {
					v = sc.res.region
				} else {
					v = pick(r, []string{"us-east-1", "eu-west-1", "ap-south-1", "us-west-2"})
				}
			}
		case "aws:PrincipalTag/team":
			if w.kind != "service" && present(0.75) {
				v = pick(r, []string{"blue", "red", "Blue", "green"})
			}
		case "aws:PrincipalOrgID":
			if w.kind != "service" && present(0.9) {
				if w.account == acctMain || r.chance(0.3) {
					v = orgID
				} else {
					v = "o-zzzzzzzzzz"
				}
			}
		case "aws:PrincipalArn":
			if w.kind != "service" && present(0.95) {
				v = w.principalArnKey()
			}
		case "aws:SourceVpce":
			if present(0.5) {
				v = pick(r, []string{"vpce-1a2b3c4d", "vpce-99999999"})
			}
		case "aws:TagKeys":
			if present(0.7) {
				v = pick(r, [][]string{{}, {"env"}, {"env", "owner"}, {"admin"}, {"env", "admin"}, {"cost-center"}})
			}
		case "aws:CalledVia":
			if present(0.5) {
				v = pick(r, [][]string{{"cloudformation.amazonaws.com"}, {"athena.amazonaws.com"}, {}})
			}
		case "aws:PrincipalAccount":
			if w.kind != "service" && present(0.95) {
				v = w.account
			}
		case "aws:username":
			if w.username != "" && present(0.95) {
				v = w.username
			}
		case "aws:RequestTag/env":
			if present(0.6) {
				v = pick(r, []string{"prod", "dev"})
			}
		case "aws:PrincipalIsAWSService":
			if present(0.95) {
				v = "false"
				if w.kind == "service" {
					v = "true"
				}
			}
		case "aws:SourceAccount":
			if w.kind == "service" && present(0.9) {
				v = pick(r, []string{acctMain, acctMain, acctOther})
			}
		case "sts:ExternalId":
			if present(0.7) {
				v = pick(r, []string{"ext-123", "ext-999"})
			}
		}
		if v != nil {
			ctx[key] = v
		}
	}
	if len(ctx) == 0 {
		return nil
	}
	return ctx
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
