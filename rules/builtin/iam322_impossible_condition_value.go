package builtin

import (
	"net/netip"
	"regexp"
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

// gramIDFormat is the format of the values of a global condition key that
// holds an identifier.
type gramIDFormat struct {
	re   *regexp.Regexp
	what string // "a 12-digit account ID"
}

var (
	gramAccountFormat = gramIDFormat{regexp.MustCompile(`^[0-9]{12}$`), "a 12-digit account ID"}
	gramOrgFormat     = gramIDFormat{regexp.MustCompile(`^o-[a-z0-9]{10,32}$`), "an organization ID (o-...)"}
	gramIDFormats     = map[string]gramIDFormat{
		"aws:sourcevpc":        {regexp.MustCompile(`^vpc-[0-9a-f]+$`), "a VPC ID (vpc-...)"},
		"aws:sourcevpce":       {regexp.MustCompile(`^vpce-[0-9a-f]+$`), "a VPC endpoint ID (vpce-...)"},
		"aws:sourceaccount":    gramAccountFormat,
		"aws:principalaccount": gramAccountFormat,
		"aws:resourceaccount":  gramAccountFormat,
		"aws:vpceaccount":      gramAccountFormat,
		"aws:principalorgid":   gramOrgFormat,
		"aws:resourceorgid":    gramOrgFormat,
		"aws:sourceorgid":      gramOrgFormat,
		"aws:vpceorgid":        gramOrgFormat,
	}
	// gramPrivateRanges are address ranges that never appear as
	// aws:SourceIp: private, loopback and link-local networks.
	gramPrivateRanges = []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("172.16.0.0/12"),
		netip.MustParsePrefix("192.168.0.0/16"),
		netip.MustParsePrefix("127.0.0.0/8"),
		netip.MustParsePrefix("169.254.0.0/16"),
		netip.MustParsePrefix("fc00::/7"),
		netip.MustParsePrefix("fe80::/10"),
		netip.MustParsePrefix("::1/128"),
	}
)

func impossibleConditionValue() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM322",
			Slug:     "impossible-condition-value",
			Title:    "Condition value that the key can never have",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `Several global condition keys hold values of a fixed form, and a policy value
of another form can never match:

- ` + "`aws:SourceIp`" + ` is the public address a request comes from. Requests from
  a VPC through a VPC endpoint carry ` + "`aws:VpcSourceIp`" + ` instead, so a private
  range (` + "`10.0.0.0/8`" + `, ` + "`172.16.0.0/12`" + `, ` + "`192.168.0.0/16`" + `, loopback, link-local)
  in ` + "`IpAddress`" + ` never matches and in ` + "`NotIpAddress`" + ` always does. IAM Access
  Analyzer reports this as an error.
- ` + "`aws:SourceVpc`" + ` holds a VPC ID (` + "`vpc-...`" + `), ` + "`aws:SourceVpce`" + ` a VPC endpoint ID
  (` + "`vpce-...`" + `), the ` + "`...Account`" + ` keys a 12-digit account ID, the ` + "`...OrgID`" + ` keys
  an organization ID (` + "`o-...`" + `). An ARN, a name or an ID with a typo in their
  place matches nothing.

A condition that can never match makes an ` + "`Allow`" + ` grant nothing; with a
negated operator (` + "`StringNotEquals`" + `, ` + "`NotIpAddress`" + `) it holds for every request,
so a ` + "`Deny`" + ` meant as an exception-based guardrail denies everyone. The rule
checks the values of the exact string operators (and of ` + "`IpAddress`" + ` and
` + "`NotIpAddress`" + ` for ` + "`aws:SourceIp`" + `); values with wildcards, policy variables or
template parts, and values the loader could not resolve, are not judged.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": "s3:*",
      "Resource": ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"],
      "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": "s3:*",
      "Resource": ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"],
      "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, d := range p.Input.Policies() {
				for _, s := range d.Policy.Doc.Statements {
					for _, c := range s.Condition.Clauses {
						gramCheckImpossible(p, d, c)
					}
				}
			}
			return nil
		},
	}
}

func gramCheckImpossible(p *rules.Pass, d *rules.Document, c *iam.Condition) {
	key := strings.ToLower(c.Key)
	switch f := c.Operator.Func; {
	case key == "aws:sourceip" && (f == iam.OpIPAddress || f == iam.OpNotIPAddress):
		for _, v := range c.Values {
			if !gramLiteral(v) {
				continue
			}
			if r, ok := gramPrivateRange(v.Text); ok {
				p.ReportRelatedf(d, v.Range, gramOperatorRelated(c),
					"%s is within the private range %s, but aws:SourceIp only holds public addresses (requests through a VPC endpoint carry aws:VpcSourceIp), so it never matches", v.Text, r)
			}
		}
	case f == iam.OpStringEquals || f == iam.OpStringNotEquals || f == iam.OpStringEqualsIgnoreCase || f == iam.OpStringNotEqualsIgnoreCase:
		format, ok := gramIDFormats[key]
		if !ok {
			return
		}
		ignoreCase := f == iam.OpStringEqualsIgnoreCase || f == iam.OpStringNotEqualsIgnoreCase
		for _, v := range c.Values {
			if !gramLiteral(v) {
				continue
			}
			text := v.Text
			if ignoreCase {
				text = strings.ToLower(text)
			}
			if !format.re.MatchString(text) {
				p.ReportRelatedf(d, v.Range, gramOperatorRelated(c),
					"value %q of %s is not %s, so it never matches", v.Text, c.Key, format.what)
			}
		}
	}
}

// gramPrivateRange returns the private range that an address or CIDR
// block lies within, if any.
func gramPrivateRange(text string) (netip.Prefix, bool) {
	var pfx netip.Prefix
	if strings.Contains(text, "/") {
		p, err := netip.ParsePrefix(strings.TrimSpace(text))
		if err != nil {
			return netip.Prefix{}, false
		}
		pfx = p.Masked()
	} else {
		a, err := netip.ParseAddr(strings.TrimSpace(text))
		if err != nil {
			return netip.Prefix{}, false
		}
		pfx = netip.PrefixFrom(a, a.BitLen())
	}
	for _, r := range gramPrivateRanges {
		if pfx.Addr().Is4() != r.Addr().Is4() {
			continue
		}
		if pfx.Bits() >= r.Bits() && r.Contains(pfx.Addr()) {
			return r, true
		}
	}
	return netip.Prefix{}, false
}
