// Package awsjson loads AWS JSON: policy documents,
// get-account-authorization-details dumps, password policies, account
// summaries and Organizations policies.
//
// It reads the shapes the AWS CLI prints:
//
//   - a policy document, bare or as printed by aws iam get-policy-version
//     ({"PolicyVersion": {"Document": ...}}), get-role-policy,
//     get-user-policy and get-group-policy ({"PolicyName": ...,
//     "PolicyDocument": ...}), get-role ({"Role": {...,
//     "AssumeRolePolicyDocument": ...}}), and the resource policy getters
//     that print {"Policy": "<JSON string>"} (s3api get-bucket-policy,
//     lambda get-policy, kms get-key-policy);
//   - aws iam get-account-authorization-details (UserDetailList,
//     GroupDetailList, RoleDetailList, Policies);
//   - aws iam get-account-password-policy ({"PasswordPolicy": {...}});
//   - aws iam get-account-summary ({"SummaryMap": {...}});
//   - aws organizations describe-policy ({"Policy": {"PolicySummary":
//     {...}, "Content": "<JSON string>"}}), optionally with the "Targets"
//     of list-targets-for-policy merged in beside "Policy".
//
// Policy documents may be JSON objects or JSON strings, URL-encoded (as
// the IAM API returns them) or not; either way every range in the model
// points into the file that was read.
package awsjson

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

// Kind is the kind of an AWS JSON file.
type Kind int

// Kinds.
const (
	Unknown Kind = iota
	PolicyDocument
	AuthorizationDetails
	PasswordPolicy
	AccountSummary
	OrganizationsPolicy
)

func (k Kind) String() string {
	switch k {
	case PolicyDocument:
		return "policy document"
	case AuthorizationDetails:
		return "authorization details"
	case PasswordPolicy:
		return "password policy"
	case AccountSummary:
		return "account summary"
	case OrganizationsPolicy:
		return "Organizations policy"
	}
	return "unknown"
}

// Detect says what a parsed JSON file is, from its top-level members.
func Detect(v *jsonpos.Value) Kind {
	if v == nil || v.Kind != jsonpos.Object {
		return Unknown
	}
	switch {
	case v.Lookup("UserDetailList") != nil || v.Lookup("GroupDetailList") != nil || v.Lookup("RoleDetailList") != nil,
		gaadPolicies(v):
		return AuthorizationDetails
	case field(v, "PasswordPolicy") != nil && field(v, "PasswordPolicy").Kind == jsonpos.Object:
		return PasswordPolicy
	case field(v, "SummaryMap") != nil && field(v, "SummaryMap").Kind == jsonpos.Object:
		return AccountSummary
	case isOrgPolicy(v):
		return OrganizationsPolicy
	}
	if doc, _, _ := findDocument(v); doc != nil {
		return PolicyDocument
	}
	return Unknown
}

// gaadPolicies reports a dump of managed policies alone
// (get-account-authorization-details --filter LocalManagedPolicy): a
// Policies array of IAM policy details. Organizations' list-policies also
// prints "Policies", with Id and Name rather than PolicyName.
func gaadPolicies(v *jsonpos.Value) bool {
	ps := field(v, "Policies")
	if ps == nil || ps.Kind != jsonpos.Array || len(ps.Elems) == 0 {
		return false
	}
	return field(ps.Elems[0], "PolicyName") != nil || field(ps.Elems[0], "PolicyVersionList") != nil
}

func isOrgPolicy(v *jsonpos.Value) bool {
	p := field(v, "Policy")
	return p != nil && p.Kind == jsonpos.Object && (p.Lookup("PolicySummary") != nil || p.Lookup("Content") != nil)
}

// findDocument locates the policy document in a file of kind
// PolicyDocument: the value holding it, its pointer in the file, and the
// kind its wrapper implies (KindUnknown when only its content can tell).
func findDocument(v *jsonpos.Value) (*jsonpos.Value, string, iam.Kind) {
	if v.Lookup("Statement") != nil {
		return v, "", iam.KindUnknown
	}
	if pv := field(v, "PolicyVersion"); pv != nil {
		if doc := field(pv, "Document"); doc != nil {
			return doc, "PolicyVersion.Document", iam.KindUnknown
		}
	}
	if doc := field(v, "PolicyDocument"); doc != nil && v.Lookup("PolicyName") != nil {
		return doc, "PolicyDocument", iam.KindUnknown
	}
	if r := field(v, "Role"); r != nil {
		if doc := field(r, "AssumeRolePolicyDocument"); doc != nil {
			return doc, "Role.AssumeRolePolicyDocument", iam.KindTrust
		}
	}
	if doc := field(v, "Policy"); doc != nil && doc.Kind == jsonpos.String {
		if s := strings.TrimSpace(doc.Str); strings.HasPrefix(s, "{") || strings.HasPrefix(s, "%7B") || strings.HasPrefix(s, "%7b") {
			return doc, "Policy", iam.KindUnknown
		}
	}
	return nil, "", iam.KindUnknown
}

// Load turns a detected file into a model fragment. docKind, when set,
// overrides the inferred kind of a standalone policy document; documents
// whose kind their container fixes (a role's trust policy, an
// Organizations policy, every document of a dump) keep that kind.
//
// Problems with the file's own structure are returned as diagnostics;
// problems within a policy document stay with the document
// (iam.PolicyDocument.Diags). Load never fails outright: whatever can be
// read is in the model.
func Load(path string, v *jsonpos.Value, kind Kind, docKind iam.Kind) (*iam.Model, hcl.Diagnostics) {
	d := &decoder{path: path}
	m := &iam.Model{}
	if v != nil {
		switch kind {
		case PolicyDocument:
			m = d.standalone(v, docKind)
		case AuthorizationDetails:
			m = loadGAAD(d, v)
		case PasswordPolicy:
			m = d.passwordPolicy(v)
		case AccountSummary:
			// The account ID is not in the file: like a password policy,
			// the account is addressed by the path until linked.
			if sum := d.accountSummary(v); sum != nil {
				m = &iam.Model{Accounts: []*iam.Account{{Node: iam.Node{Addr: d.path, Range: v.Range}, Summary: sum}}}
			}
		case OrganizationsPolicy:
			m = d.orgPolicy(v, docKind)
		}
	}
	iam.SortDiagnostics(d.diags)
	return m, d.diags
}

// standalone loads a file holding one policy document. Its address is the
// file's path.
func (d *decoder) standalone(v *jsonpos.Value, docKind iam.Kind) *iam.Model {
	m := &iam.Model{}
	if v.Kind != jsonpos.Object {
		d.errorf(v.Range, "Not a policy document", "A policy document is a JSON object with \"Statement\"; found %s.", v.Kind.Phrase())
		return m
	}
	doc, _, kind := findDocument(v)
	if doc == nil {
		d.errorf(v.Range, "Not a policy document", "This object has no \"Statement\", and is none of the AWS CLI outputs that hold a policy document.")
		return m
	}
	if kind == iam.KindUnknown {
		kind = docKind
	}
	pd := d.policyDoc(doc, kind, d.path)
	sd := &iam.StandaloneDocument{PolicyDocument: *pd, Kind: kind}
	if sd.Doc != nil {
		sd.Kind = sd.Doc.Kind
	}
	m.Documents = append(m.Documents, sd)
	return m
}

// orgPolicy loads aws organizations describe-policy output. Policy types
// other than service and resource control policies (tag, backup, AI
// opt-out, chatbot, declarative policies) are not IAM policies: they are
// reported and skipped.
func (d *decoder) orgPolicy(v *jsonpos.Value, docKind iam.Kind) *iam.Model {
	m := &iam.Model{}
	pol := d.object(v, "Policy", "")
	if pol == nil {
		d.errorf(v.Range, "Not an Organizations policy", "Expected {\"Policy\": {\"PolicySummary\": {...}, \"Content\": \"...\"}}, as aws organizations describe-policy prints it.")
		return m
	}
	sum := d.object(pol, "PolicySummary", "Policy")
	typ := d.str(sum, "Type", "Policy.PolicySummary")
	var kind iam.Kind
	switch typ {
	case "SERVICE_CONTROL_POLICY":
		kind = iam.KindSCP
	case "RESOURCE_CONTROL_POLICY":
		kind = iam.KindRCP
	case "":
		kind = iam.KindSCP
		if docKind == iam.KindRCP {
			kind = iam.KindRCP
		}
	default:
		d.warnf(field(sum, "Type").Range, "Not an IAM policy",
			"This Organizations policy is a %s; only service control policies and resource control policies are IAM policies, so it is skipped.", typ)
		return m
	}
	content := field(pol, "Content")
	if content == nil {
		d.errorf(pol.Range, "Missing field", "Policy has no Content (the policy document).")
		return m
	}
	pd := d.policyDoc(content, kind, d.path)
	pd.Range = pol.Range
	op := &iam.OrgPolicy{
		PolicyDocument: *pd,
		Name:           d.str(sum, "Name", "Policy.PolicySummary"),
		ID:             d.str(sum, "Id", "Policy.PolicySummary"),
		Kind:           kind,
	}
	d.objects(v, "Targets", "", func(t *jsonpos.Value, ptr string) {
		id := d.str(t, "TargetId", ptr)
		if id == "" {
			d.errorf(t.Range, "Missing field", "%s has no TargetId.", ptr)
			return
		}
		op.Targets = append(op.Targets, &iam.OrgTarget{Node: iam.Node{Addr: d.addr(ptr), Range: t.Range}, TargetID: id})
	})
	m.OrgPolicies = append(m.OrgPolicies, op)
	return m
}

// passwordPolicy loads aws iam get-account-password-policy output. The
// file does not say which account it belongs to, so the account has an
// empty ID and the file's path as its address; the loader joins it to an
// account known from other inputs.
func (d *decoder) passwordPolicy(v *jsonpos.Value) *iam.Model {
	pp := d.object(v, "PasswordPolicy", "")
	if pp == nil {
		return &iam.Model{}
	}
	const ptr = "PasswordPolicy"
	p := &iam.PasswordPolicy{
		Node:                       iam.Node{Addr: d.addr(ptr), Range: pp.Range},
		MinimumLength:              d.integer(pp, "MinimumPasswordLength", ptr),
		RequireSymbols:             d.boolean(pp, "RequireSymbols", ptr),
		RequireNumbers:             d.boolean(pp, "RequireNumbers", ptr),
		RequireUppercase:           d.boolean(pp, "RequireUppercaseCharacters", ptr),
		RequireLowercase:           d.boolean(pp, "RequireLowercaseCharacters", ptr),
		AllowUsersToChangePassword: d.boolean(pp, "AllowUsersToChangePassword", ptr),
		MaxPasswordAge:             d.integer(pp, "MaxPasswordAge", ptr),
		PasswordReusePrevention:    d.integer(pp, "PasswordReusePrevention", ptr),
		HardExpiry:                 d.boolean(pp, "HardExpiry", ptr),
	}
	// ExpirePasswords false means passwords never expire, whatever the age.
	if field(pp, "ExpirePasswords") != nil && !d.boolean(pp, "ExpirePasswords", ptr) {
		p.MaxPasswordAge = 0
	}
	return &iam.Model{Accounts: []*iam.Account{{Node: iam.Node{Addr: d.path, Range: v.Range}, PasswordPolicy: p}}}
}

// accountSummary reads aws iam get-account-summary output; every entry of
// its SummaryMap is a count.
func (d *decoder) accountSummary(v *jsonpos.Value) *iam.AccountSummary {
	sm := d.object(v, "SummaryMap", "")
	if sm == nil {
		return nil
	}
	const ptr = "SummaryMap"
	counts := make(map[string]int, len(sm.Members))
	for _, m := range sm.Members {
		if _, dup := counts[m.Key]; !dup {
			counts[m.Key] = d.integer(sm, m.Key, ptr)
		}
	}
	return &iam.AccountSummary{
		Node:                       iam.Node{Addr: d.addr(ptr), Range: sm.Range},
		MFAEnabled:                 counts["AccountMFAEnabled"] > 0,
		AccessKeysPresent:          counts["AccountAccessKeysPresent"] > 0,
		SigningCertificatesPresent: counts["AccountSigningCertificatesPresent"] > 0,
	}
}
