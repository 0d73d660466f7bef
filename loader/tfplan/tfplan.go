// Package tfplan loads IAM objects from Terraform plan JSON
// (terraform show -json).
//
// It reads the planned values of every aws_iam_* resource instance (and
// Organizations policies, and the workloads that run with a role: Lambda
// functions, EC2 instances, ...; see workload.go) in the root module and
// all child modules, with the addresses the plan gives them. Policies in
// a plan are JSON strings; they are parsed with positions mapped back
// into the plan file, so a finding points at the character inside the
// escaped string. Values the plan marks unknown (after_unknown) are
// explicit unknowns; where the configuration section shows which
// resource an unknown value refers to (a policy ARN computed in the same
// apply), the link becomes a pointer.
package tfplan

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

// IsPlan reports whether parsed JSON is a plan: an object with
// format_version and planned_values or resource_changes.
func IsPlan(v *jsonpos.Value) bool {
	if v == nil || v.Kind != jsonpos.Object || v.Lookup("format_version") == nil {
		return false
	}
	return v.Lookup("planned_values") != nil || v.Lookup("resource_changes") != nil
}

// Load returns the IAM objects of the plan's planned values.
func Load(path string, v *jsonpos.Value) (*iam.Model, hcl.Diagnostics) {
	p := &plan{
		path:    path,
		model:   &iam.Model{},
		byAddr:  map[string]*instance{},
		byRes:   map[string][]*instance{},
		config:  map[string]*jsonpos.Value{},
		changes: map[string]*jsonpos.Value{},

		providerKeys: map[string]string{},
		regions:      map[string]string{},
	}
	if !IsPlan(v) {
		rng := hcl.Range{Filename: path}
		if v != nil {
			rng = v.Range
		}
		p.errorf(rng, "Not a Terraform plan", "A plan (terraform show -json) is an object with format_version and planned_values or resource_changes.")
		return p.model, p.diags
	}
	p.load(v)
	p.model.Sort()
	iam.SortDiagnostics(p.diags)
	return p.model, p.diags
}

// Resource types read.
const (
	tUser                = "aws_iam_user"
	tGroup               = "aws_iam_group"
	tRole                = "aws_iam_role"
	tPolicy              = "aws_iam_policy"
	tUserPolicy          = "aws_iam_user_policy"
	tGroupPolicy         = "aws_iam_group_policy"
	tRolePolicy          = "aws_iam_role_policy"
	tUserAttachment      = "aws_iam_user_policy_attachment"
	tGroupAttachment     = "aws_iam_group_policy_attachment"
	tRoleAttachment      = "aws_iam_role_policy_attachment"
	tPolicyAttachment    = "aws_iam_policy_attachment"
	tUserGroupMembership = "aws_iam_user_group_membership"
	tGroupMembership     = "aws_iam_group_membership"
	tLoginProfile        = "aws_iam_user_login_profile"
	tAccessKey           = "aws_iam_access_key"
	tVirtualMFA          = "aws_iam_virtual_mfa_device"
	tPasswordPolicy      = "aws_iam_account_password_policy"
	tInstanceProfile     = "aws_iam_instance_profile"
	tOrgPolicy           = "aws_organizations_policy"
	tOrgAttachment       = "aws_organizations_policy_attachment"
)

var readTypes = []string{
	tUser, tGroup, tRole, tPolicy, tUserPolicy, tGroupPolicy, tRolePolicy,
	tUserAttachment, tGroupAttachment, tRoleAttachment, tPolicyAttachment,
	tUserGroupMembership, tGroupMembership, tLoginProfile, tAccessKey, tVirtualMFA,
	tPasswordPolicy, tInstanceProfile, tOrgPolicy, tOrgAttachment,
}

// symbolicAccount is the account of a plan that shows no account ID.
const symbolicAccount = "${data.aws_caller_identity.current.account_id}"

type plan struct {
	path  string
	model *iam.Model
	diags hcl.Diagnostics

	insts   []*instance
	byAddr  map[string]*instance
	byRes   map[string][]*instance    // module instance + "|" + type.name
	config  map[string]*jsonpos.Value // config module + "|" + type.name → expressions
	changes map[string]*jsonpos.Value // address → change
	// providerKeys are the provider_config_key of each configuration
	// resource (keyed as config); regions the constant regions of the
	// provider configurations, by key.
	providerKeys map[string]string
	regions      map[string]string

	accountID string
	account   *iam.Account

	// Indexes built on first use, after the first pass of build.
	names map[[2]string]*instance       // type and known name
	arns  map[string]*iam.ManagedPolicy // known ARN
	// externals are the stubs of principals named but not in the plan, by
	// type, account and name.
	externals map[[3]string]*instance
}

// instance is one resource instance of the plan.
type instance struct {
	addr   string
	module string // module instance address, "" for the root module
	typ    string
	name   string
	key    string // instance key as written in addresses: `["prod"]`, `[0]`, or ""
	obj    *jsonpos.Value
	values *jsonpos.Value
	after  *jsonpos.Value // after_unknown, or nil

	user    *iam.User
	group   *iam.Group
	role    *iam.Role
	policy  *iam.ManagedPolicy
	profile *iam.InstanceProfile
	org     *iam.OrgPolicy
}

func (p *plan) errorf(rng hcl.Range, summary, format string, args ...any) {
	p.diags = append(p.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: rng.Ptr()})
}

func (p *plan) warnf(rng hcl.Range, summary, format string, args ...any) {
	p.diags = append(p.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: rng.Ptr()})
}

func member(v *jsonpos.Value, key string) *jsonpos.Value {
	if m := v.Lookup(key); m != nil {
		return m.Value
	}
	return nil
}

// lookup follows an attribute name that may be a path into a nested
// block: "block.attr" is attr of the first (only) block.
func lookup(v *jsonpos.Value, name string) *jsonpos.Value {
	for i, key := range strings.Split(name, ".") {
		if i > 0 && v != nil && v.Kind == jsonpos.Array {
			if len(v.Elems) == 0 {
				return nil
			}
			v = v.Elems[0]
		}
		v = member(v, key)
	}
	return v
}

func (p *plan) load(root *jsonpos.Value) {
	if rc := member(root, "resource_changes"); rc != nil {
		if rc.Kind != jsonpos.Array {
			p.errorf(rc.Range, "Invalid plan", "resource_changes must be an array; found %s.", kindName(rc))
		} else {
			for _, c := range rc.Elems {
				addr := member(c, "address")
				change := member(c, "change")
				if addr != nil && addr.Kind == jsonpos.String && change != nil && change.Kind == jsonpos.Object {
					p.changes[addr.Str] = change
				}
			}
		}
	}
	if cfg := member(root, "configuration"); cfg != nil {
		p.readConfig(member(cfg, "root_module"), "", 0)
		if pc := member(cfg, "provider_config"); pc != nil && pc.Kind == jsonpos.Object {
			for _, m := range pc.Members {
				if r := lookup(member(m.Value, "expressions"), "region.constant_value"); r != nil && r.Kind == jsonpos.String && r.Str != "" {
					p.regions[m.Key] = r.Str
				}
			}
		}
	}
	if pv := member(root, "planned_values"); pv != nil {
		rm := member(pv, "root_module")
		if rm == nil || rm.Kind != jsonpos.Object {
			p.errorf(pv.Range, "Invalid plan", "planned_values has no root_module object.")
		} else {
			p.readModule(rm, "", 0)
		}
	} else if rc := member(root, "resource_changes"); rc != nil && rc.Kind == jsonpos.Array {
		p.readChanges(rc)
	}
	p.findAccount(root)
	p.build()
}

// maxModuleDepth bounds module nesting (Terraform itself allows far
// fewer levels in practice).
const maxModuleDepth = 100

// readConfig indexes the expressions of every resource in the
// configuration by module path (module.a.module.b, without instance keys)
// and resource.
func (p *plan) readConfig(m *jsonpos.Value, prefix string, depth int) {
	if m == nil || m.Kind != jsonpos.Object || depth > maxModuleDepth {
		return
	}
	if rs := member(m, "resources"); rs != nil && rs.Kind == jsonpos.Array {
		for _, r := range rs.Elems {
			addr, exprs := member(r, "address"), member(r, "expressions")
			if addr != nil && addr.Kind == jsonpos.String && exprs != nil && exprs.Kind == jsonpos.Object {
				p.config[prefix+"|"+addr.Str] = exprs
			}
			if key := member(r, "provider_config_key"); addr != nil && addr.Kind == jsonpos.String && key != nil && key.Kind == jsonpos.String {
				p.providerKeys[prefix+"|"+addr.Str] = key.Str
			}
		}
	}
	if calls := member(m, "module_calls"); calls != nil && calls.Kind == jsonpos.Object {
		for _, c := range calls.Members {
			p.readConfig(member(c.Value, "module"), joinAddr(prefix, "module."+c.Key), depth+1)
		}
	}
}

func joinAddr(module, rest string) string {
	if module == "" {
		return rest
	}
	return module + "." + rest
}

// readModule reads a module of planned_values and its child modules.
func (p *plan) readModule(m *jsonpos.Value, module string, depth int) {
	if depth > maxModuleDepth {
		p.errorf(m.Range, "Invalid plan", "Modules nest more than %d levels deep.", maxModuleDepth)
		return
	}
	if rs := member(m, "resources"); rs != nil {
		if rs.Kind != jsonpos.Array {
			p.errorf(rs.Range, "Invalid plan", "resources must be an array; found %s.", kindName(rs))
		} else {
			for _, r := range rs.Elems {
				p.readResource(r, module, member(r, "values"), nil)
			}
		}
	}
	if cm := member(m, "child_modules"); cm != nil {
		if cm.Kind != jsonpos.Array {
			p.errorf(cm.Range, "Invalid plan", "child_modules must be an array; found %s.", kindName(cm))
			return
		}
		for _, c := range cm.Elems {
			if c.Kind != jsonpos.Object {
				p.errorf(c.Range, "Invalid plan", "A child module must be an object; found %s.", kindName(c))
				continue
			}
			addr := member(c, "address")
			if addr == nil || addr.Kind != jsonpos.String {
				p.errorf(c.Range, "Invalid plan", "A child module needs an address.")
				continue
			}
			p.readModule(c, addr.Str, depth+1)
		}
	}
}

// readChanges reads resource_changes when a plan has no planned_values:
// each instance's "after" state, except those being deleted.
func (p *plan) readChanges(rc *jsonpos.Value) {
	for _, c := range rc.Elems {
		change := member(c, "change")
		if change == nil || change.Kind != jsonpos.Object {
			continue
		}
		if acts := member(change, "actions"); acts != nil && acts.Kind == jsonpos.Array && len(acts.Elems) == 1 && acts.Elems[0].Str == "delete" {
			continue
		}
		module := ""
		if ma := member(c, "module_address"); ma != nil && ma.Kind == jsonpos.String {
			module = ma.Str
		}
		p.readResource(c, module, member(change, "after"), change)
	}
}

func (p *plan) readResource(r *jsonpos.Value, module string, values, change *jsonpos.Value) {
	if r.Kind != jsonpos.Object {
		p.errorf(r.Range, "Invalid plan", "A resource must be an object; found %s.", kindName(r))
		return
	}
	str := func(key string) string {
		if v := member(r, key); v != nil && v.Kind == jsonpos.String {
			return v.Str
		}
		return ""
	}
	if typ := str("type"); str("mode") != "managed" || !slices.Contains(readTypes, typ) && workloadTypes[typ] == nil {
		return
	}
	in := &instance{addr: str("address"), module: module, typ: str("type"), name: str("name"), obj: r, values: values}
	if in.addr == "" || in.name == "" {
		p.errorf(r.Range, "Invalid plan", "A resource needs an address and a name.")
		return
	}
	if values == nil || values.Kind != jsonpos.Object {
		p.errorf(r.Range, "Invalid plan", "Resource %s has no values object.", in.addr)
		return
	}
	if idx := member(r, "index"); idx != nil {
		switch idx.Kind {
		case jsonpos.String:
			in.key = "[" + strconv.Quote(idx.Str) + "]"
		case jsonpos.Number:
			in.key = "[" + idx.Str + "]"
		}
	}
	if change == nil {
		change = p.changes[in.addr]
	}
	if change != nil {
		if au := member(change, "after_unknown"); au != nil && au.Kind == jsonpos.Object {
			in.after = au
		}
	}
	if _, dup := p.byAddr[in.addr]; dup {
		p.errorf(r.Range, "Duplicate resource address", "%s appears more than once in the plan; only the first is read.", in.addr)
		return
	}
	p.byAddr[in.addr] = in
	k := in.module + "|" + in.typ + "." + in.name
	p.byRes[k] = append(p.byRes[k], in)
	p.insts = append(p.insts, in)
}

// attr returns an attribute's value (name may be "block.attr"), or
// unknown when the plan says it will only be known after apply. Absent
// and null attributes are (nil, false).
func (in *instance) attr(name string) (v *jsonpos.Value, unknown bool) {
	if v = lookup(in.values, name); v != nil && v.Kind != jsonpos.Null {
		return v, false
	}
	if unknownAt(in.after, name) {
		return nil, true
	}
	return nil, false
}

// unknownAt reports whether after_unknown marks an attribute, or a block
// it is in, unknown.
func unknownAt(after *jsonpos.Value, name string) bool {
	v := after
	for i, key := range strings.Split(name, ".") {
		if i > 0 && v != nil && v.Kind == jsonpos.Array && len(v.Elems) > 0 {
			v = v.Elems[0]
		}
		if v = member(v, key); v == nil {
			return false
		}
		if v.Kind == jsonpos.Bool && v.Bool {
			return true
		}
	}
	return false
}

// elemUnknown reports whether element i of a list attribute is unknown.
func (in *instance) elemUnknown(name string, i int) bool {
	u := member(in.after, name)
	return u != nil && u.Kind == jsonpos.Array && i < len(u.Elems) && u.Elems[i].Kind == jsonpos.Bool && u.Elems[i].Bool
}

// strAttr is a string attribute: its text (symbolic when unknown), its
// range (the resource's when it has none) and whether it is present.
type strAttr struct {
	text    string
	rng     hcl.Range
	unknown bool
	present bool
}

func (p *plan) str(in *instance, name string) strAttr {
	v, unk := in.attr(name)
	switch {
	case unk:
		return strAttr{text: p.symbolic(in, name), rng: in.obj.Range, unknown: true, present: true}
	case v == nil:
		return strAttr{rng: in.obj.Range}
	case v.Kind == jsonpos.String || v.Kind == jsonpos.Number || v.Kind == jsonpos.Bool:
		return strAttr{text: v.Str, rng: v.Range, present: true}
	}
	p.errorf(v.Range, "Invalid attribute", "%s.%s must be a string; found %s.", in.addr, name, kindName(v))
	return strAttr{rng: v.Range}
}

// symbolic is the text standing for an unknown attribute: the reference
// the configuration computes it from when there is exactly one, else
// "${address.attribute}".
func (p *plan) symbolic(in *instance, name string) string {
	if refs := p.references(in, name); len(refs) > 0 && !strings.HasPrefix(refs[0], "each.") && !strings.HasPrefix(refs[0], "count.") {
		prefix := ""
		if in.module != "" {
			prefix = in.module + "."
		}
		return "${" + prefix + refs[0] + "}"
	}
	return "${" + in.addr + "." + name + "}"
}

// references returns the configuration's references for an attribute of
// an instance's resource.
func (p *plan) references(in *instance, name string) []string {
	exprs := p.config[stripKeys(in.module)+"|"+in.typ+"."+in.name]
	e := lookup(exprs, name)
	refs := member(e, "references")
	if refs == nil || refs.Kind != jsonpos.Array {
		return nil
	}
	out := make([]string, 0, len(refs.Elems))
	for _, r := range refs.Elems {
		if r.Kind == jsonpos.String {
			out = append(out, r.Str)
		}
	}
	return out
}

// targets returns the instances of the given types an attribute's
// expression refers to, in the instance's own module. A reference with a
// key picks that instance; one without picks the only instance of an
// unkeyed resource, or — when the expression uses each.key or
// count.index — the instance with the referring instance's own key.
func (p *plan) targets(in *instance, name string, types ...string) []*instance {
	refs := p.references(in, name)
	keyed := slices.Contains(refs, "each.key") || slices.Contains(refs, "count.index")
	var out []*instance
	for _, r := range refs {
		typ, rname, key, ok := parseRef(r)
		if !ok || !slices.Contains(types, typ) {
			continue
		}
		cands := p.byRes[in.module+"|"+typ+"."+rname]
		var pick *instance
		switch {
		case key != "":
			pick = findKey(cands, key)
		case len(cands) == 1 && cands[0].key == "":
			pick = cands[0]
		case keyed && in.key != "":
			pick = findKey(cands, in.key)
		}
		if pick != nil && !slices.Contains(out, pick) {
			out = append(out, pick)
		}
	}
	return out
}

func findKey(cands []*instance, key string) *instance {
	for _, c := range cands {
		if c.key == key {
			return c
		}
	}
	return nil
}

// parseRef splits a configuration reference such as
// `aws_iam_policy.p["x"].arn` into type, name and key. References to
// anything but a managed resource are not ok.
func parseRef(r string) (typ, name, key string, ok bool) {
	typ, rest, found := strings.Cut(r, ".")
	if !found || !strings.HasPrefix(typ, "aws_") {
		return "", "", "", false
	}
	end := strings.IndexAny(rest, ".[")
	if end < 0 {
		return typ, rest, "", rest != ""
	}
	name = rest[:end]
	if rest[end] == '[' {
		close := bracketEnd(rest, end)
		if close < 0 {
			return "", "", "", false
		}
		key = rest[end : close+1]
	}
	return typ, name, key, name != ""
}

// bracketEnd returns the index of the "]" closing the "[" at i, skipping
// quoted strings, or -1.
func bracketEnd(s string, i int) int {
	inStr := false
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case inStr && c == '\\':
			j++
		case c == '"':
			inStr = !inStr
		case !inStr && c == ']':
			return j
		}
	}
	return -1
}

// stripKeys removes instance keys from a module address:
// `module.a["x"].module.b[0]` becomes module.a.module.b.
func stripKeys(addr string) string {
	if !strings.Contains(addr, "[") {
		return addr
	}
	var b strings.Builder
	for i := 0; i < len(addr); i++ {
		if addr[i] == '[' {
			if e := bracketEnd(addr, i); e >= 0 {
				i = e
				continue
			}
		}
		b.WriteByte(addr[i])
	}
	return b.String()
}

// findAccount decides the plan's account: the account_id of an
// aws_caller_identity data source in the prior state, else the one
// account all known ARNs share, else a symbolic ID.
func (p *plan) findAccount(root *jsonpos.Value) {
	var ids []string
	if ps := member(root, "prior_state"); ps != nil {
		p.callerIdentity(member(member(ps, "values"), "root_module"), &ids, 0)
	}
	if len(ids) == 0 {
		for _, in := range p.insts {
			if v, _ := in.attr("arn"); v != nil && v.Kind == jsonpos.String {
				if a := iam.AccountOf(v.Str); iam.IsAccountID(a) && !slices.Contains(ids, a) {
					ids = append(ids, a)
				}
			}
		}
	}
	slices.Sort(ids)
	p.account = &iam.Account{Node: iam.Node{Addr: p.path + "#account", Range: root.Range}}
	if len(ids) > 0 {
		p.accountID = ids[0]
		p.account.Addr = "account:" + ids[0]
	} else {
		p.accountID = symbolicAccount
		p.account.Unknown = []string{"ID"}
	}
	p.account.ID = p.accountID
}

func (p *plan) callerIdentity(m *jsonpos.Value, ids *[]string, depth int) {
	if m == nil || depth > maxModuleDepth {
		return
	}
	if rs := member(m, "resources"); rs != nil {
		for _, r := range rs.Elems {
			if t := member(r, "type"); t != nil && t.Str == "aws_caller_identity" {
				if a := member(member(r, "values"), "account_id"); a != nil && iam.IsAccountID(a.Str) && !slices.Contains(*ids, a.Str) {
					*ids = append(*ids, a.Str)
				}
			}
		}
	}
	if cm := member(m, "child_modules"); cm != nil {
		for _, c := range cm.Elems {
			p.callerIdentity(c, ids, depth+1)
		}
	}
}

func kindName(v *jsonpos.Value) string {
	if v == nil {
		return "nothing"
	}
	return v.Kind.Phrase()
}
