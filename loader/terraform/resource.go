package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
	"github.com/zclconf/go-cty/cty"
)

// resState is one resource or data block of a module instance, expanded.
type resState struct {
	decl  *resDecl
	state int8
	exp   expansion
	insts []*resInst
	built bool // see instance.finish
}

// resInst is one instance of a resource or data block.
type resInst struct {
	in   *instance
	decl *resDecl
	addr string
	ext  map[string]cty.Value // count / each

	// Modelled types are evaluated as a whole, like Terraform does.
	ctx     *hcl.EvalContext
	content *hcl.BodyContent
	attrs   map[string]cty.Value
	failed  map[string]bool // arguments whose evaluation reported an error
	obj     cty.Value

	// Other types evaluate only the attributes something reads.
	lazy map[string]*slot

	doc       *pnode // aws_iam_policy_document: the rendered document
	used      bool   // the document feeds a model object or another document
	eachTree  *pnode
	eachState int8
}

// modelled reports whether instances of d are evaluated whole: the
// aws_iam_* and Organizations types and the workloads this package turns
// into model objects, and the data sources with known behaviour.
func modelled(d *resDecl) bool {
	if d.data {
		return dataSchemas[d.typ] != nil
	}
	return resourceSchemas[d.typ] != nil || workloadTypes[d.typ] != nil
}

func (d *resDecl) schema() *hcl.BodySchema {
	if d.data {
		return dataSchemas[d.typ]
	}
	if w := workloadTypes[d.typ]; w != nil {
		return w.schema
	}
	return resourceSchemas[d.typ]
}

// resource expands and (for modelled types) evaluates the block key.
// ok is false when it is undeclared or part of a cycle.
func (in *instance) resource(key string) (*resState, bool) {
	if rs := in.res[key]; rs != nil {
		if rs.state == stateBusy {
			in.r.l.reportCycle(in.qualify(key))
			return rs, false
		}
		return rs, true
	}
	d := in.cfg.resources[key]
	if d == nil {
		return nil, false
	}
	l := in.r.l
	rs := &resState{decl: d}
	in.res[key] = rs
	if !l.enter(&rs.state, in.qualify(key), d.defRange) {
		return rs, false
	}
	defer l.leave(&rs.state)
	addr := in.qualify(key)
	rs.exp = in.expand(d.count, d.forEach, addr)
	suffixes, exts := rs.exp.instances()
	for i, sfx := range suffixes {
		inst := &resInst{in: in, decl: d, addr: addr + sfx, ext: exts[i]}
		rs.insts = append(rs.insts, inst)
		if modelled(d) {
			l.protect(inst.addr, d.defRange, func() { in.evalInstance(inst) })
		}
	}
	if d.data && modelled(d) {
		// A data source is read through its object (and its document);
		// its evaluation state is not needed again, nor, once every module
		// instance has read it, its syntax.
		for _, inst := range rs.insts {
			inst.ctx, inst.content, inst.attrs, inst.failed = nil, nil, nil, nil
		}
		if in.r.collected {
			l.release(in.cfg, d)
			in.finish(d)
		}
	}
	return rs, true
}

// evalInstance evaluates every argument of a modelled instance with one
// context holding everything the block refers to.
func (in *instance) evalInstance(inst *resInst) {
	d := inst.decl
	inst.attrs = map[string]cty.Value{}
	inst.ctx = in.ctxFor(d.bodyRefs(), inst.ext)
	var body hcl.Body = d.syntax().Body
	if len(d.iterators) > 0 {
		body = dynblock.Expand(body, inst.ctx)
	}
	content, _, diags := body.PartialContent(d.schema())
	in.r.l.diags = append(in.r.l.diags, diags...)
	inst.content = content
	for name, a := range content.Attributes {
		v, diags := a.Expr.Value(inst.ctx)
		in.r.l.diags = append(in.r.l.diags, diags...)
		if diags.HasErrors() {
			v = cty.DynamicVal
			if inst.failed == nil {
				inst.failed = map[string]bool{}
			}
			inst.failed[name] = true
		}
		inst.attrs[name] = v
	}
	if d.data && d.typ == "aws_iam_policy_document" {
		inst.doc = in.renderPolicyDocument(inst)
	}
	inst.obj = in.r.computeObject(inst)
}

// resourceValue is a resource or data block as an expression sees it.
func (in *instance) resourceValue(key string, n *need) cty.Value {
	rs, ok := in.resource(key)
	if rs == nil {
		kind := "resource"
		if len(key) > 5 && key[:5] == "data." {
			kind = "data source"
		}
		in.r.l.errorf(n.rng, "Reference to undeclared "+kind, "No %s %s is declared in %s.", kind, key, in.where())
		return cty.DynamicVal
	}
	if !ok {
		return cty.DynamicVal
	}
	vals := make([]cty.Value, len(rs.insts))
	for i, inst := range rs.insts {
		vals[i] = in.instValue(inst, n)
	}
	return rs.exp.shape(vals)
}

func (in *instance) instValue(inst *resInst, n *need) cty.Value {
	if modelled(inst.decl) {
		// A workload's object holds only the arguments the loader reads:
		// used whole, it is unknown, as any other resource's.
		if inst.obj == cty.NilVal || n.all && workload(inst.decl) != nil {
			return cty.DynamicVal
		}
		missing := false
		for a := range n.attrs {
			if !inst.obj.Type().HasAttribute(a) {
				missing = true
			}
		}
		if !missing {
			return inst.obj
		}
		m := inst.obj.AsValueMap()
		if m == nil {
			m = map[string]cty.Value{}
		}
		for a := range n.attrs {
			if _, ok := m[a]; !ok {
				m[a] = cty.DynamicVal
				if workload(inst.decl) != nil {
					// Arguments of a workload the loader does not read are
					// read as those of any other resource.
					m[a] = in.genericAttr(inst, a)
				}
			}
		}
		return cty.ObjectVal(m)
	}
	if n.all {
		return cty.DynamicVal
	}
	m := map[string]cty.Value{}
	for a := range n.attrs {
		m[a] = in.genericAttr(inst, a)
	}
	return cty.ObjectVal(m)
}

// genericAttr is an attribute of a resource iamlint does not model: the
// value configured for it, a few well-known computed attributes, or
// unknown.
func (in *instance) genericAttr(inst *resInst, name string) cty.Value {
	if inst.lazy == nil {
		inst.lazy = map[string]*slot{}
	}
	s := inst.lazy[name]
	if s == nil {
		s = &slot{}
		inst.lazy[name] = s
	}
	a := inst.decl.syntax().Body.Attributes[name]
	switch {
	case a != nil && !metaAttrs[name]:
		in.fill(s, inst.addr[len(in.prefix):]+"."+name, a.SrcRange, func() {
			s.expr, s.in = a.Expr, in
			s.val, s.ctx = in.eval(a.Expr, inst.ext)
		})
		return s.value()
	case inst.decl.typ == "aws_s3_bucket" && !inst.decl.data && (name == "arn" || name == "id" || name == "bucket"):
		if inst.decl.syntax().Body.Attributes["bucket"] == nil {
			return cty.UnknownVal(cty.String)
		}
		b := in.genericAttr(inst, "bucket")
		if name != "arn" {
			return b
		}
		if b.IsKnown() && !b.IsNull() && b.Type() == cty.String {
			return cty.StringVal("arn:" + in.r.partition + ":s3:::" + b.AsString())
		}
		return cty.UnknownVal(cty.String)
	case !inst.decl.data && (name == "arn" || name == "id") &&
		(inst.decl.typ == "aws_iam_openid_connect_provider" || inst.decl.typ == "aws_iam_saml_provider"):
		// arn:PARTITION:iam::ACCOUNT:oidc-provider/URL-WITHOUT-SCHEME or
		// saml-provider/NAME; the id is the ARN.
		src, kind := "url", "oidc-provider"
		if inst.decl.typ == "aws_iam_saml_provider" {
			src, kind = "name", "saml-provider"
		}
		if inst.decl.syntax().Body.Attributes[src] == nil {
			return cty.UnknownVal(cty.String)
		}
		v, marks := in.genericAttr(inst, src).Unmark()
		if !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.String) {
			return cty.UnknownVal(cty.String)
		}
		s := v.AsString()
		if kind == "oidc-provider" {
			s = strings.TrimPrefix(s, "https://")
		}
		return cty.StringVal(in.r.iamARN(kind, "/", s)).WithMarks(marks)
	}
	return cty.DynamicVal
}

func attrsSchema(names ...string) *hcl.BodySchema {
	s := &hcl.BodySchema{}
	for _, n := range names {
		s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: n})
	}
	return s
}

func withBlocks(s *hcl.BodySchema, types ...string) *hcl.BodySchema {
	for _, t := range types {
		s.Blocks = append(s.Blocks, hcl.BlockHeaderSchema{Type: t})
	}
	return s
}

// resourceSchemas are the arguments read of each modelled resource type
// (as the AWS provider documents them).
var resourceSchemas = map[string]*hcl.BodySchema{
	"aws_iam_user":  attrsSchema("name", "path", "permissions_boundary", "force_destroy", "tags"),
	"aws_iam_group": attrsSchema("name", "path"),
	"aws_iam_role": withBlocks(attrsSchema("name", "name_prefix", "path", "assume_role_policy", "description",
		"force_detach_policies", "max_session_duration", "permissions_boundary", "tags", "managed_policy_arns"), "inline_policy"),
	"aws_iam_policy":                             attrsSchema("name", "name_prefix", "path", "description", "policy", "tags"),
	"aws_iam_user_policy":                        attrsSchema("user", "name", "name_prefix", "policy"),
	"aws_iam_group_policy":                       attrsSchema("group", "name", "name_prefix", "policy"),
	"aws_iam_role_policy":                        attrsSchema("role", "name", "name_prefix", "policy"),
	"aws_iam_user_policy_attachment":             attrsSchema("user", "policy_arn"),
	"aws_iam_group_policy_attachment":            attrsSchema("group", "policy_arn"),
	"aws_iam_role_policy_attachment":             attrsSchema("role", "policy_arn"),
	"aws_iam_policy_attachment":                  attrsSchema("name", "users", "roles", "groups", "policy_arn"),
	"aws_iam_user_group_membership":              attrsSchema("user", "groups"),
	"aws_iam_group_membership":                   attrsSchema("name", "users", "group"),
	"aws_iam_user_login_profile":                 attrsSchema("user", "pgp_key", "password_length", "password_reset_required"),
	"aws_iam_access_key":                         attrsSchema("user", "pgp_key", "status"),
	"aws_iam_virtual_mfa_device":                 attrsSchema("virtual_mfa_device_name", "path", "tags"),
	"aws_iam_instance_profile":                   attrsSchema("name", "name_prefix", "path", "role", "tags"),
	"aws_iam_role_policies_exclusive":            attrsSchema("role_name", "policy_names"),
	"aws_iam_user_policies_exclusive":            attrsSchema("user_name", "policy_names"),
	"aws_iam_group_policies_exclusive":           attrsSchema("group_name", "policy_names"),
	"aws_iam_role_policy_attachments_exclusive":  attrsSchema("role_name", "policy_arns"),
	"aws_iam_user_policy_attachments_exclusive":  attrsSchema("user_name", "policy_arns"),
	"aws_iam_group_policy_attachments_exclusive": attrsSchema("group_name", "policy_arns"),
	"aws_iam_account_password_policy": attrsSchema("minimum_password_length", "require_symbols", "require_numbers",
		"require_uppercase_characters", "require_lowercase_characters", "allow_users_to_change_password",
		"max_password_age", "password_reuse_prevention", "hard_expiry"),
	"aws_organizations_policy":            attrsSchema("name", "content", "type", "description", "skip_destroy", "tags"),
	"aws_organizations_policy_attachment": attrsSchema("policy_id", "target_id", "skip_destroy"),
}

var inlinePolicySchema = attrsSchema("name", "policy")

// dataSchemas are the data sources with behaviour iamlint knows.
var dataSchemas = map[string]*hcl.BodySchema{
	"aws_iam_policy_document": withBlocks(attrsSchema("version", "policy_id", "source_policy_documents",
		"override_policy_documents", "source_json", "override_json"), "statement"),
	"aws_caller_identity": attrsSchema(),
	"aws_partition":       attrsSchema(),
	"aws_region":          attrsSchema("name", "id", "region"),
}
