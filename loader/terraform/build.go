package terraform

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

// loadRoot evaluates one root configuration and adds what it declares to
// the model.
func (l *loader) loadRoot(c *config) {
	r := &root{l: l, cfg: c, partition: "aws"}
	l.addAllowed(c.dir)
	r.funcs = r.functions()
	r.top = &instance{r: r, cfg: c, dirs: map[string]bool{c.abs: true}, path: ".",
		slots: map[string]*slot{}, mods: map[string]*modState{}, res: map[string]*resState{}}
	r.vals = r.rootValues()
	r.account = "${account:" + c.dir + "}"
	r.symbolic = true
	l.protect("the aws provider configuration of "+c.dir, hcl.Range{}, r.configureAccount)
	var decls []declRef
	for _, c := range l.configs {
		if c != nil {
			c.instances = 0
		}
	}
	r.collect(r.top, &decls)
	r.collected = true
	b := &builder{r: r, l: l,
		users: map[string]*iam.User{}, groups: map[string]*iam.Group{}, roles: map[string]*iam.Role{},
		policies: map[string]*iam.ManagedPolicy{}, orgs: map[string]*iam.OrgPolicy{},
		roleARNs: map[string]*iam.Role{}, profiles: map[string]*iam.InstanceProfile{}}
	b.build(decls)
}

// configureAccount decides the account and partition the configuration
// applies to. The default aws provider's allowed_account_ids (a single
// one) or assume_role ARN names the account; otherwise it is symbolic:
// the account_id of the configuration's aws_caller_identity data source,
// written "${data.aws_caller_identity.NAME.account_id}", which every
// aws_caller_identity of the configuration returns. The region of the
// provider, when known, decides the partition and is what every
// aws_region data source without a region of its own returns; its
// default_tags are merged into the tags of every taggable resource.
func (r *root) configureAccount() {
	c := r.cfg
	for _, pb := range c.providers {
		if pb.Labels[0] != "aws" {
			continue
		}
		if a := pb.Body.Attributes["alias"]; a != nil {
			r.aliasRegion(pb, a.Expr)
			continue
		}
		if r.acctRange.Filename == "" {
			r.acctRange = pb.DefRange()
		}
		if a := pb.Body.Attributes["region"]; a != nil {
			if v := r.top.knownString(a.Expr); v != "" && !isSymbolic(v) {
				r.partition = partitionOf(v)
				r.region = v
			}
		}
		for _, tb := range pb.Body.Blocks {
			if tb.Type != "default_tags" {
				continue
			}
			if a := tb.Body.Attributes["tags"]; a != nil {
				r.defaultTags, _ = r.top.eval(a.Expr, nil)
			}
		}
		if a := pb.Body.Attributes["allowed_account_ids"]; a != nil {
			v, _ := r.top.eval(a.Expr, nil)
			if v.IsWhollyKnown() && !v.IsNull() && v.CanIterateElements() && v.LengthInt() == 1 {
				it := v.ElementIterator()
				it.Next()
				_, id := it.Element()
				if id, err := convert.Convert(id, cty.String); err == nil && !id.IsNull() && iam.IsAccountID(id.AsString()) {
					r.account, r.symbolic = id.AsString(), false
				}
			}
		}
		for _, ab := range pb.Body.Blocks {
			if ab.Type != "assume_role" || !r.symbolic {
				continue
			}
			if a := ab.Body.Attributes["role_arn"]; a != nil {
				if arn, ok := iam.ParseARN(r.top.knownString(a.Expr)); ok && iam.IsAccountID(arn.Account) {
					r.account, r.symbolic = arn.Account, false
				}
			}
		}
	}
	if r.region == "" {
		r.symRegion = r.symbolicRegion()
	}
	if !r.symbolic {
		return
	}
	if name, rng, ok := r.callerIdentity(); ok {
		r.account = "${data.aws_caller_identity." + name + ".account_id}"
		r.acctRange = rng
	}
}

// callerIdentity finds the aws_caller_identity data source that names the
// account: the first of the root module, else the first of the modules it
// calls (breadth first).
func (r *root) callerIdentity() (string, hcl.Range, bool) {
	queue := []*config{r.cfg}
	seen := map[string]bool{r.cfg.abs: true}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		for _, key := range c.resOrder {
			if d := c.resources[key]; d.data && d.typ == "aws_caller_identity" {
				return d.name, d.defRange, true
			}
		}
		for _, t := range r.l.localTargets(c) {
			if tc := r.l.configs[t]; tc != nil && !seen[t] {
				seen[t] = true
				queue = append(queue, tc)
			}
		}
	}
	return "", hcl.Range{}, false
}

// aliasRegion records the region of an aliased aws provider block, when
// it is known.
func (r *root) aliasRegion(pb *hclsyntax.Block, alias hcl.Expression) {
	name := r.top.knownString(alias)
	a := pb.Body.Attributes["region"]
	if name == "" || a == nil {
		return
	}
	if v := r.top.knownString(a.Expr); v != "" && !isSymbolic(v) {
		if r.aliasRegions == nil {
			r.aliasRegions = map[string]string{}
		}
		r.aliasRegions[name] = v
	}
}

func (in *instance) knownString(e hcl.Expression) string {
	v, _ := in.eval(e, nil)
	if !v.IsKnown() || v.IsNull() {
		return ""
	}
	v, err := convert.Convert(v, cty.String)
	if err != nil {
		return ""
	}
	return v.AsString()
}

// partitionOf returns the partition of a region.
func partitionOf(region string) string {
	for _, p := range []struct{ prefix, partition string }{
		{"cn-", "aws-cn"}, {"us-gov-", "aws-us-gov"}, {"us-isob-", "aws-iso-b"}, {"us-isof-", "aws-iso-f"},
		{"us-iso-", "aws-iso"}, {"eu-isoe-", "aws-iso-e"},
	} {
		if strings.HasPrefix(region, p.prefix) {
			return p.partition
		}
	}
	return "aws"
}

// declRef is a modelled block of a module instance.
type declRef struct {
	in  *instance
	key string
}

// collect lists the modelled blocks of an instance and of the module
// instances it calls (expanding the calls), depth first in name order.
// The blocks themselves are evaluated when the builder reaches them, so
// each one's evaluation state can be dropped once its objects are built.
func (r *root) collect(in *instance, out *[]declRef) {
	if r.l.ctx.Err() != nil {
		return
	}
	in.cfg.instances++
	for _, key := range in.cfg.resOrder {
		if modelled(in.cfg.resources[key]) {
			*out = append(*out, declRef{in, key})
		}
	}
	for _, name := range in.cfg.callOrder {
		var ms *modState
		r.l.protect(in.qualify("module."+name), in.cfg.calls[name].block.DefRange(), func() { ms = in.module(name) })
		if ms == nil || !ms.ok {
			continue
		}
		for _, child := range ms.insts {
			r.collect(child, out)
		}
	}
}

// builder turns the evaluated instances of one root configuration into
// model objects, linking them by name (the way the provider refers to
// users, groups and roles) or, when a name is not known statically, by
// the address the reference names.
type builder struct {
	r    *root
	l    *loader
	acct *iam.Account

	users    map[string]*iam.User // by name and by address
	groups   map[string]*iam.Group
	roles    map[string]*iam.Role
	policies map[string]*iam.ManagedPolicy // by ARN and by address
	orgs     map[string]*iam.OrgPolicy     // by address
	atts     []*iam.Attachment
	roleARNs map[string]*iam.Role            // declared and external roles by ARN
	profiles map[string]*iam.InstanceProfile // by name, address and ARN
}

func (b *builder) build(decls []declRef) {
	r := b.r
	b.acct = &iam.Account{Node: iam.Node{Addr: "account:" + r.cfg.dir, Range: r.acctRange}, ID: r.account}
	if b.acct.Range.Filename == "" {
		b.acct.Range = hcl.Range{Filename: r.cfg.firstFile, Start: hcl.InitialPos, End: hcl.InitialPos}
	}
	if r.symbolic {
		b.acct.Unknown = []string{"ID"}
	}
	b.l.model.Accounts = append(b.l.model.Accounts, b.acct)
	// Blocks are built in the passes of buildPass; their syntax is parsed
	// again (see resDecl.syntax) ahead of the builder, on another
	// goroutine.
	var pf *prefetcher
	if !b.l.keepAll {
		pf = startPrefetch(buildOrder(decls))
	}
	defer pf.stop()
	var docs []*resInst
	for i := range 5 {
		for _, dr := range decls {
			d := dr.in.cfg.resources[dr.key]
			if buildPass(d) != i || b.l.ctx.Err() != nil {
				continue
			}
			var rs *resState
			b.l.protect(dr.in.qualify(dr.key), d.defRange, func() { rs, _ = dr.in.resource(dr.key) })
			if rs == nil {
				continue
			}
			for _, inst := range rs.insts {
				if d.data {
					if d.typ == "aws_iam_policy_document" {
						docs = append(docs, inst)
					}
					continue
				}
				if inst.content != nil && inst.obj != cty.NilVal {
					b.l.protect(inst.addr, d.defRange, func() { b.instance(inst) })
				}
				// What other blocks read of this one is its object; the
				// rest of its evaluation is no longer needed.
				inst.ctx, inst.content, inst.attrs, inst.failed = nil, nil, nil, nil
			}
			// A workload's block is kept: what else it sets is read when
			// something refers to it.
			if !d.data && rs.state == stateDone && workload(d) == nil {
				b.l.release(dr.in.cfg, d)
				dr.in.finish(d)
			}
		}
	}
	pf.stop()
	for _, a := range b.atts {
		if a.Policy != nil {
			a.Policy.AttachmentCount++
		}
	}
	// Policy documents no model object uses are standalone documents.
	for _, inst := range docs {
		if !inst.used && inst.doc != nil {
			doc, diags := b.l.decodeDoc(inst.doc, iam.KindUnknown)
			b.l.model.Documents = append(b.l.model.Documents, &iam.StandaloneDocument{
				PolicyDocument: iam.PolicyDocument{Node: iam.Node{Addr: inst.addr, Range: inst.decl.defRange}, Doc: doc, Diags: diags},
				Kind:           iam.KindUnknown,
			})
		}
	}
	b.sortLists()
}

// buildPass is the pass of the build that turns the instances of d into
// model objects: policies first, then principals, then what links them,
// then the workloads that run with roles and instance profiles (every
// external role stub is made by then), so links resolve whatever the
// order of the blocks. Data sources are evaluated when something refers
// to them, and the policy documents among them are looked at last.
func buildPass(d *resDecl) int {
	switch {
	case d.data:
		return 4
	case d.typ == "aws_iam_policy" || d.typ == "aws_organizations_policy":
		return 0
	case d.typ == "aws_iam_user" || d.typ == "aws_iam_group" || d.typ == "aws_iam_role":
		return 1
	case workload(d) != nil:
		return 3
	}
	return 2
}

// buildOrder lists the blocks of decls in the order the build is
// expected to parse them: each in the order of its pass, followed by the
// blocks it refers to that are not listed yet (evaluated when it is).
func buildOrder(decls []declRef) []*resDecl {
	var order []*resDecl
	seen := map[*resDecl]bool{}
	var visit func(c *config, d *resDecl)
	visit = func(c *config, d *resDecl) {
		if seen[d] {
			return
		}
		seen[d] = true
		order = append(order, d)
		for _, rd := range d.refs {
			visit(c, rd)
		}
	}
	for i := range 5 {
		for _, dr := range decls {
			if d := dr.in.cfg.resources[dr.key]; buildPass(d) == i {
				visit(dr.in.cfg, d)
			}
		}
	}
	return order
}

func (b *builder) placer(inst *resInst) *placer {
	return &placer{in: inst.in, ctx: inst.ctx, inst: inst}
}

// node returns the positioned value of an argument; nil when absent.
func (b *builder) node(inst *resInst, name string) *pnode {
	a := inst.content.Attributes[name]
	if a == nil {
		return nil
	}
	return b.placer(inst).place(a.Expr, inst.attrs[name])
}

// str returns a string argument: its text (the symbolic form when
// unknown), whether it is known, and whether it was set.
func (b *builder) str(inst *resInst, name string) (string, bool, bool) {
	a := inst.content.Attributes[name]
	if a == nil {
		return "", false, false
	}
	v := inst.attrs[name]
	if v.IsKnown() && v.IsNull() {
		return "", false, false
	}
	if v.IsKnown() {
		if sv, err := convert.Convert(v, cty.String); err == nil {
			return sv.AsString(), true, true
		}
	}
	return b.placer(inst).symbolic(a.Expr), false, true
}

func (b *builder) boolArg(inst *resInst, name string, def bool, n *iam.Node, field string) bool {
	v, ok := inst.attrs[name]
	if !ok || v.IsKnown() && v.IsNull() {
		return def
	}
	if !v.IsKnown() {
		n.Unknown = append(n.Unknown, field)
		return def
	}
	if bv, err := convert.Convert(v, cty.Bool); err == nil {
		return bv.True()
	}
	return def
}

func (b *builder) intArg(inst *resInst, name string, def int, n *iam.Node, field string) int {
	v, ok := inst.attrs[name]
	if !ok || v.IsKnown() && v.IsNull() {
		return def
	}
	if !v.IsKnown() {
		n.Unknown = append(n.Unknown, field)
		return def
	}
	if nv, err := convert.Convert(v, cty.Number); err == nil {
		if i, acc := nv.AsBigFloat().Int64(); acc == 0 {
			return int(i)
		}
	}
	return def
}

func (b *builder) baseNode(inst *resInst) iam.Node {
	return iam.Node{Addr: inst.addr, Range: inst.decl.defRange}
}

// policyDoc reads a policy argument as a document of the given kind.
func (b *builder) policyDoc(inst *resInst, attrs hcl.Attributes, vals map[string]cty.Value, failed map[string]bool, name string, kind iam.Kind, addr string) *iam.PolicyDocument {
	a := attrs[name]
	if a == nil {
		b.l.errorf(inst.decl.defRange, "Missing required argument", "%s has no %s argument.", addr, name)
		return nil
	}
	pd := &iam.PolicyDocument{Node: iam.Node{Addr: addr, Range: a.Expr.Range()}}
	n := b.placer(inst).place(a.Expr, vals[name])
	doc, ok, diags := b.l.docTree(n)
	pd.Diags = diags
	if doc == nil {
		if ok {
			pd.Unknown = []string{"Doc"}
		}
		if ok && !failed[name] {
			b.l.warnf(a.Expr.Range(), "Unresolved value",
				"The %s of %s, %s, cannot be determined statically; the document is unknown.", name, addr, n.str)
		}
		return pd
	}
	pd.Doc, pd.Diags = b.l.decodeDoc(doc, kind)
	return pd
}

// identity fills what users and roles share.
func (b *builder) identity(inst *resInst, id *iam.Identity) {
	id.Node = b.baseNode(inst)
	obj := inst.obj
	get := func(attr string) (string, bool) {
		v := obj.GetAttr(attr)
		if !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.String) {
			return "", false
		}
		return v.AsString(), true
	}
	var ok bool
	if id.Name, ok = get("name"); !ok {
		id.Name = "${" + inst.addr + ".name}"
		id.Unknown = append(id.Unknown, "Name")
	}
	if id.Path, ok = get("path"); !ok {
		id.Path = "${" + inst.addr + ".path}"
		id.Unknown = append(id.Unknown, "Path")
	}
	if id.ARN, ok = get("arn"); !ok {
		id.ARN = "${" + inst.addr + ".arn}"
		id.Unknown = append(id.Unknown, "ARN")
	} else if b.r.symbolic {
		id.Unknown = append(id.Unknown, "ARN")
	}
	id.Account = b.r.account
	if b.r.symbolic {
		id.Unknown = append(id.Unknown, "Account")
	}
	id.Tags = b.tags(inst, &id.Node)
	if a := inst.content.Attributes["permissions_boundary"]; a != nil {
		if v := inst.attrs["permissions_boundary"]; !(v.IsKnown() && v.IsNull()) {
			id.Boundary = b.attachment(b.node(inst, "permissions_boundary"), inst.addr, a.Expr.Range())
			b.atts = b.atts[:len(b.atts)-1] // a boundary is not an attachment AWS counts
		}
	}
	slices.Sort(id.Unknown)
}

// tags are the tags of a user or role as AWS holds them: the default
// aws provider's default_tags merged with the resource's own tags (which
// win on conflict), what the provider's tags_all shows.
func (b *builder) tags(inst *resInst, n *iam.Node) map[string]string {
	v := b.r.tagsAll(inst)
	if v.IsKnown() && v.IsNull() {
		return nil
	}
	if !v.IsWhollyKnown() || !v.CanIterateElements() {
		n.Unknown = append(n.Unknown, "Tags")
		return nil
	}
	out := map[string]string{}
	for it := v.ElementIterator(); it.Next(); {
		k, tv := it.Element()
		out[k.AsString()] = tv.AsString()
	}
	return out
}

// attachment links to the policy a reference names: by ARN when known,
// else by the address of the aws_iam_policy it reads.
func (b *builder) attachment(n *pnode, addr string, rng hcl.Range) *iam.Attachment {
	a := &iam.Attachment{Node: iam.Node{Addr: addr, Range: rng}}
	switch {
	case n == nil:
		return a
	case !n.unknown && n.kind == jsonpos.String:
		a.PolicyRef = n.str
		a.Policy = b.policies[n.str]
		if isSymbolic(n.str) {
			a.Unknown = []string{"PolicyRef"}
		}
	case n.ref != "":
		a.PolicyRef = n.ref
		a.Policy = b.policies[n.ref]
	default:
		a.PolicyRef = n.str
		a.Unknown = []string{"PolicyRef"}
	}
	if a.Policy == nil && n.ref != "" {
		a.Policy = b.policies[n.ref]
	}
	b.atts = append(b.atts, a)
	return a
}

// principal looks up the user, group or role a name argument refers to:
// by name when known, else by the address it was read from.
func lookup[T any](m map[string]*T, n *pnode) (*T, string) {
	if n == nil {
		return nil, ""
	}
	if !n.unknown && n.kind == jsonpos.String {
		if t := m[n.str]; t != nil {
			return t, n.str
		}
	}
	if n.ref != "" {
		if t := m["\x00"+n.ref]; t != nil {
			return t, n.str
		}
	}
	return nil, n.str
}

// elems returns the elements of a list argument.
func elems(n *pnode) []*pnode {
	switch {
	case n == nil || n.kind == jsonpos.Null:
		return nil
	case n.kind == jsonpos.Array:
		out := make([]*pnode, len(n.elems))
		for i, e := range n.elems {
			out[i] = e.withRef(n.ref)
		}
		return out
	}
	return []*pnode{n}
}

func (b *builder) instance(inst *resInst) {
	l := b.l
	addr := inst.addr
	switch inst.decl.typ {
	case "aws_iam_user":
		u := &iam.User{}
		b.identity(inst, &u.Identity)
		index(b.users, u, u.Name, addr, u.IsUnknown("Name"))
		l.model.Users = append(l.model.Users, u)
	case "aws_iam_role":
		ro := &iam.Role{}
		b.identity(inst, &ro.Identity)
		ro.MaxSessionDuration = b.intArg(inst, "max_session_duration", 0, &ro.Node, "MaxSessionDuration")
		ro.Trust = b.policyDoc(inst, inst.content.Attributes, inst.attrs, inst.failed, "assume_role_policy", iam.KindTrust, addr)
		index(b.roles, ro, ro.Name, addr, ro.IsUnknown("Name"))
		if !strings.HasPrefix(ro.ARN, "${") {
			b.roleARNs[ro.ARN] = ro
		}
		l.model.Roles = append(l.model.Roles, ro)
		b.roleExtras(inst, ro)
	case "aws_iam_group":
		g := &iam.Group{}
		var id iam.Identity
		b.identity(inst, &id)
		g.Node, g.Name, g.Path, g.ARN, g.Account = id.Node, id.Name, id.Path, id.ARN, id.Account
		index(b.groups, g, g.Name, addr, g.IsUnknown("Name"))
		l.model.Groups = append(l.model.Groups, g)
	case "aws_iam_policy":
		p := &iam.ManagedPolicy{Node: b.baseNode(inst)}
		obj := inst.obj
		if v := obj.GetAttr("name"); v.IsKnown() && !v.IsNull() {
			p.Name = v.AsString()
		} else {
			p.Name = "${" + addr + ".name}"
			p.Unknown = append(p.Unknown, "Name")
		}
		if v := obj.GetAttr("path"); v.IsKnown() && !v.IsNull() {
			p.Path = v.AsString()
		} else {
			p.Path = "${" + addr + ".path}"
			p.Unknown = append(p.Unknown, "Path")
		}
		if v := obj.GetAttr("arn"); v.IsKnown() && !v.IsNull() {
			p.ARN = v.AsString()
			if b.r.symbolic {
				p.Unknown = append(p.Unknown, "ARN")
			}
			b.policies[p.ARN] = p
		} else {
			p.ARN = "${" + addr + ".arn}"
			p.Unknown = append(p.Unknown, "ARN")
		}
		b.policies[addr] = p
		p.Default = b.policyDoc(inst, inst.content.Attributes, inst.attrs, inst.failed, "policy", iam.KindIdentity, addr)
		slices.Sort(p.Unknown)
		l.model.Policies = append(l.model.Policies, p)
	case "aws_organizations_policy":
		typ, known, set := b.str(inst, "type")
		if !set {
			typ, known = "SERVICE_CONTROL_POLICY", true
		}
		var kind iam.Kind
		switch {
		case !known:
			l.warnf(inst.content.Attributes["type"].Expr.Range(), "Unresolved value", "The type of %s cannot be determined statically; it is not modelled.", addr)
			return
		case typ == "SERVICE_CONTROL_POLICY":
			kind = iam.KindSCP
		case typ == "RESOURCE_CONTROL_POLICY":
			kind = iam.KindRCP
		default:
			return // tag, backup, AI opt-out ... policies are not IAM documents
		}
		o := &iam.OrgPolicy{Kind: kind, ID: "${" + addr + ".id}"}
		o.Name, _, _ = b.str(inst, "name")
		if pd := b.policyDoc(inst, inst.content.Attributes, inst.attrs, inst.failed, "content", kind, addr); pd != nil {
			o.PolicyDocument = *pd
		}
		o.Node = iam.Node{Addr: addr, Range: inst.decl.defRange, Unknown: append(o.Unknown, "ID")}
		slices.Sort(o.Unknown)
		b.orgs[addr] = o
		l.model.OrgPolicies = append(l.model.OrgPolicies, o)
	case "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role_policy":
		b.inlinePolicy(inst)
	case "aws_iam_user_policy_attachment":
		if u, name := b.user(inst, b.node(inst, "user")); u != nil {
			u.Attached = append(u.Attached, b.attachment(b.node(inst, "policy_arn"), addr, inst.decl.defRange))
		} else {
			b.undeclared(inst, "user", name)
		}
	case "aws_iam_group_policy_attachment":
		if g, name := b.group(inst, b.node(inst, "group")); g != nil {
			g.Attached = append(g.Attached, b.attachment(b.node(inst, "policy_arn"), addr, inst.decl.defRange))
		} else {
			b.undeclared(inst, "group", name)
		}
	case "aws_iam_role_policy_attachment":
		if ro, name := b.role(inst, b.node(inst, "role")); ro != nil {
			ro.Attached = append(ro.Attached, b.attachment(b.node(inst, "policy_arn"), addr, inst.decl.defRange))
		} else {
			b.undeclared(inst, "role", name)
		}
	case "aws_iam_policy_attachment":
		policy := b.node(inst, "policy_arn")
		for _, e := range elems(b.node(inst, "users")) {
			if u, name := b.user(inst, e); u != nil {
				u.Attached = append(u.Attached, b.attachment(policy, addr, e.rng))
			} else {
				b.undeclared(inst, "user", name)
			}
		}
		for _, e := range elems(b.node(inst, "groups")) {
			if g, name := b.group(inst, e); g != nil {
				g.Attached = append(g.Attached, b.attachment(policy, addr, e.rng))
			} else {
				b.undeclared(inst, "group", name)
			}
		}
		for _, e := range elems(b.node(inst, "roles")) {
			if ro, name := b.role(inst, e); ro != nil {
				ro.Attached = append(ro.Attached, b.attachment(policy, addr, e.rng))
			} else {
				b.undeclared(inst, "role", name)
			}
		}
	case "aws_iam_role_policy_attachments_exclusive", "aws_iam_user_policy_attachments_exclusive", "aws_iam_group_policy_attachments_exclusive":
		b.exclusiveAttachments(inst)
	case "aws_iam_user_group_membership":
		un := b.node(inst, "user")
		u, uname := b.user(inst, un)
		for _, e := range elems(b.node(inst, "groups")) {
			g, gname := b.group(inst, e)
			b.membership(inst, un, e, u, uname, g, gname)
		}
	case "aws_iam_group_membership":
		gn := b.node(inst, "group")
		g, gname := b.group(inst, gn)
		for _, e := range elems(b.node(inst, "users")) {
			u, uname := b.user(inst, e)
			b.membership(inst, e, gn, u, uname, g, gname)
		}
	case "aws_iam_user_login_profile":
		u, name := b.user(inst, b.node(inst, "user"))
		if u == nil {
			b.undeclared(inst, "user", name)
			return
		}
		lp := &iam.LoginProfile{Node: b.baseNode(inst)}
		lp.PasswordResetRequired = b.boolArg(inst, "password_reset_required", false, &lp.Node, "PasswordResetRequired")
		lp.Unknown = append(lp.Unknown, "Created")
		u.LoginProfile = lp
	case "aws_iam_access_key":
		u, name := b.user(inst, b.node(inst, "user"))
		if u == nil {
			b.undeclared(inst, "user", name)
			return
		}
		k := &iam.AccessKey{Node: b.baseNode(inst), ID: "${" + addr + ".id}", Active: true}
		k.Unknown = []string{"Created", "ID"}
		if s, known, set := b.str(inst, "status"); set {
			if !known {
				k.Unknown = append(k.Unknown, "Active")
			} else {
				k.Active = s != "Inactive"
			}
		}
		slices.Sort(k.Unknown)
		u.AccessKeys = append(u.AccessKeys, k)
	case "aws_iam_instance_profile":
		b.instanceProfile(inst)
	case "aws_iam_account_password_policy":
		pp := &iam.PasswordPolicy{Node: b.baseNode(inst)}
		pp.MinimumLength = b.intArg(inst, "minimum_password_length", 6, &pp.Node, "MinimumLength")
		pp.RequireSymbols = b.boolArg(inst, "require_symbols", false, &pp.Node, "RequireSymbols")
		pp.RequireNumbers = b.boolArg(inst, "require_numbers", false, &pp.Node, "RequireNumbers")
		pp.RequireUppercase = b.boolArg(inst, "require_uppercase_characters", false, &pp.Node, "RequireUppercase")
		pp.RequireLowercase = b.boolArg(inst, "require_lowercase_characters", false, &pp.Node, "RequireLowercase")
		pp.AllowUsersToChangePassword = b.boolArg(inst, "allow_users_to_change_password", true, &pp.Node, "AllowUsersToChangePassword")
		pp.MaxPasswordAge = b.intArg(inst, "max_password_age", 0, &pp.Node, "MaxPasswordAge")
		pp.PasswordReusePrevention = b.intArg(inst, "password_reuse_prevention", 0, &pp.Node, "PasswordReusePrevention")
		pp.HardExpiry = b.boolArg(inst, "hard_expiry", false, &pp.Node, "HardExpiry")
		slices.Sort(pp.Unknown)
		if b.acct.PasswordPolicy != nil {
			l.warnf(inst.decl.defRange, "Duplicate password policy",
				"%s sets the account password policy already set by %s; the last one applied wins, and iamlint keeps this one.", addr, b.acct.PasswordPolicy.Addr)
		}
		b.acct.PasswordPolicy = pp
	case "aws_organizations_policy_attachment":
		pn := b.node(inst, "policy_id")
		var o *iam.OrgPolicy
		if pn != nil && pn.ref != "" {
			o = b.orgs[pn.ref]
		}
		if o == nil {
			if pn != nil && pn.ref == "" {
				l.warnf(inst.content.Attributes["policy_id"].Expr.Range(), "Policy not in the configuration",
					"%s attaches the policy %s, which this configuration does not declare; the attachment is not modelled.", addr, pn.str)
			}
			return
		}
		t := &iam.OrgTarget{Node: b.baseNode(inst)}
		tgt, known, _ := b.str(inst, "target_id")
		t.TargetID = tgt
		if !known {
			t.Unknown = []string{"TargetID"}
		}
		o.Targets = append(o.Targets, t)
	}
	if w := workload(inst.decl); w != nil {
		b.workload(inst, w)
	}
	// aws_iam_virtual_mfa_device: Terraform cannot enable a device for a
	// user, so nothing links one to a user; the model has no place for an
	// unassigned device. The *_policies_exclusive resources only restrict
	// which inline policies may exist; they are evaluated (so references to
	// them resolve) but add nothing.
}

// index registers an object under its name (when known) and its address.
func index[T any](m map[string]*T, obj *T, name, addr string, nameUnknown bool) {
	if !nameUnknown {
		m[name] = obj
	}
	m["\x00"+addr] = obj
}

func (b *builder) undeclared(inst *resInst, kind, name string) {
	b.l.warnf(inst.decl.defRange, "Principal not in the configuration",
		"%s refers to the %s %q, which this configuration does not declare and whose name is not known statically; the link is not modelled.", inst.addr, kind, name)
}

func (b *builder) membership(inst *resInst, un, gn *pnode, u *iam.User, uname string, g *iam.Group, gname string) {
	rng := inst.decl.defRange
	if inst.decl.typ == "aws_iam_group_membership" && un != nil {
		rng = un.rng // one membership per element of users
	} else if gn != nil && inst.decl.typ == "aws_iam_user_group_membership" {
		rng = gn.rng // one membership per element of groups
	}
	m := &iam.Membership{Node: iam.Node{Addr: inst.addr, Range: rng}, User: u, UserName: uname, Group: g, GroupName: gname}
	if un == nil || un.unknown {
		m.Unknown = append(m.Unknown, "UserName")
	}
	if gn == nil || gn.unknown {
		m.Unknown = append(m.Unknown, "GroupName")
	}
	if u != nil {
		u.Groups = append(u.Groups, m)
	}
	if g != nil {
		g.Members = append(g.Members, m)
	}
	if u == nil && g == nil {
		b.l.warnf(m.Range, "Principal not in the configuration",
			"%s adds the user %q to the group %q; neither is declared in this configuration nor named statically, so the membership is not modelled.", inst.addr, uname, gname)
	}
}

// inlinePolicy attaches an aws_iam_{user,group,role}_policy to its
// principal (an external stub for one declared elsewhere); a policy whose
// principal's name is not known is kept as a standalone identity
// document.
func (b *builder) inlinePolicy(inst *resInst) {
	owner := strings.TrimSuffix(strings.TrimPrefix(inst.decl.typ, "aws_iam_"), "_policy")
	pd := b.policyDoc(inst, inst.content.Attributes, inst.attrs, inst.failed, "policy", iam.KindIdentity, inst.addr)
	if pd == nil {
		return
	}
	pd.Range = inst.decl.defRange
	ip := &iam.InlinePolicy{PolicyDocument: *pd}
	name, known, set := b.str(inst, "name")
	switch {
	case !set:
		ip.Name = "${" + inst.addr + ".name}"
		ip.Unknown = append(ip.Unknown, "Name")
	case !known:
		ip.Name = name
		ip.Unknown = append(ip.Unknown, "Name")
	default:
		ip.Name = name
	}
	slices.Sort(ip.Unknown)
	n := b.node(inst, owner)
	var ok bool
	var who string
	switch owner {
	case "user":
		var u *iam.User
		if u, who = b.user(inst, n); u != nil {
			u.Inline, ok = append(u.Inline, ip), true
		}
	case "group":
		var g *iam.Group
		if g, who = b.group(inst, n); g != nil {
			g.Inline, ok = append(g.Inline, ip), true
		}
	case "role":
		var ro *iam.Role
		if ro, who = b.role(inst, n); ro != nil {
			ro.Inline, ok = append(ro.Inline, ip), true
		}
	}
	if !ok {
		b.l.warnf(inst.decl.defRange, "Principal not in the configuration",
			"%s is an inline policy of the %s %q, which this configuration does not declare and whose name is not known statically; it is kept as a standalone identity policy.", inst.addr, owner, who)
		b.l.model.Documents = append(b.l.model.Documents, &iam.StandaloneDocument{PolicyDocument: ip.PolicyDocument, Kind: iam.KindIdentity})
	}
}

// roleExtras adds a role's inline_policy blocks and managed_policy_arns.
func (b *builder) roleExtras(inst *resInst, ro *iam.Role) {
	for i, blk := range inst.content.Blocks {
		if blk.Type != "inline_policy" {
			continue
		}
		c, _, diags := blk.Body.PartialContent(inlinePolicySchema)
		b.l.diags = append(b.l.diags, diags...)
		if len(c.Attributes) == 0 {
			continue // an empty block asks the provider to remove inline policies
		}
		vals := map[string]cty.Value{}
		failed := map[string]bool{}
		for name, a := range c.Attributes {
			v, diags := a.Expr.Value(inst.ctx)
			b.l.diags = append(b.l.diags, diags...)
			if diags.HasErrors() {
				v = cty.DynamicVal
				failed[name] = true
			}
			vals[name] = v
		}
		addr := fmt.Sprintf("%s.inline_policy[%d]", inst.addr, i)
		pd := b.policyDoc(inst, c.Attributes, vals, failed, "policy", iam.KindIdentity, addr)
		if pd == nil {
			continue
		}
		pd.Range = blk.DefRange
		ip := &iam.InlinePolicy{PolicyDocument: *pd}
		if a := c.Attributes["name"]; a != nil {
			if v := vals["name"]; v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
				ip.Name = v.AsString()
			} else {
				ip.Name = b.placer(inst).symbolic(a.Expr)
				ip.Unknown = append(ip.Unknown, "Name")
			}
		}
		ro.Inline = append(ro.Inline, ip)
	}
	for i, e := range elems(b.node(inst, "managed_policy_arns")) {
		ro.Attached = append(ro.Attached, b.attachment(e, fmt.Sprintf("%s.managed_policy_arns[%d]", inst.addr, i), e.rng))
	}
}

func (b *builder) exclusiveAttachments(inst *resInst) {
	kind := strings.TrimSuffix(strings.TrimPrefix(inst.decl.typ, "aws_iam_"), "_policy_attachments_exclusive")
	n := b.node(inst, kind+"_name")
	var list *[]*iam.Attachment
	var who string
	switch kind {
	case "user":
		var u *iam.User
		if u, who = b.user(inst, n); u != nil {
			list = &u.Attached
		}
	case "group":
		var g *iam.Group
		if g, who = b.group(inst, n); g != nil {
			list = &g.Attached
		}
	case "role":
		var ro *iam.Role
		if ro, who = b.role(inst, n); ro != nil {
			list = &ro.Attached
		}
	}
	if list == nil {
		b.undeclared(inst, kind, who)
		return
	}
	for i, e := range elems(b.node(inst, "policy_arns")) {
		*list = append(*list, b.attachment(e, fmt.Sprintf("%s.policy_arns[%d]", inst.addr, i), e.rng))
	}
}

func (b *builder) instanceProfile(inst *resInst) {
	ip := &iam.InstanceProfile{Node: b.baseNode(inst)}
	obj := inst.obj
	if v := obj.GetAttr("name"); v.IsKnown() && !v.IsNull() {
		ip.Name = v.AsString()
	} else {
		ip.Name = "${" + inst.addr + ".name}"
		ip.Unknown = append(ip.Unknown, "Name")
	}
	if v := obj.GetAttr("path"); v.IsKnown() && !v.IsNull() {
		ip.Path = v.AsString()
	}
	if v := obj.GetAttr("arn"); v.IsKnown() && !v.IsNull() {
		ip.ARN = v.AsString()
		if b.r.symbolic {
			ip.Unknown = append(ip.Unknown, "ARN")
		}
	} else {
		ip.ARN = "${" + inst.addr + ".arn}"
		ip.Unknown = append(ip.Unknown, "ARN")
	}
	if n := b.node(inst, "role"); n != nil && n.kind != jsonpos.Null {
		ro, name := lookup(b.roles, n)
		ip.RoleRefs = append(ip.RoleRefs, name)
		if n.unknown {
			ip.Unknown = append(ip.Unknown, "RoleRefs")
		}
		// An external stub is linked by loader.Link, by name, as any role
		// the configuration does not declare; linking it here would depend
		// on whether a reference that made the stub was evaluated first.
		if ro != nil && !ro.External {
			ip.Roles = append(ip.Roles, ro)
			ro.InstanceProfiles = append(ro.InstanceProfiles, ip)
		}
	}
	slices.Sort(ip.Unknown)
	index(b.profiles, ip, ip.Name, inst.addr, ip.IsUnknown("Name"))
	if !strings.HasPrefix(ip.ARN, "${") {
		b.profiles[ip.ARN] = ip
	}
	b.l.model.InstanceProfiles = append(b.l.model.InstanceProfiles, ip)
}

// sortLists orders the lists inside model objects by address and
// position, so the output does not depend on evaluation order.
func (b *builder) sortLists() {
	byNode := func(a, c iam.Node) int {
		if d := strings.Compare(a.Addr, c.Addr); d != 0 {
			return d
		}
		if d := strings.Compare(a.Range.Filename, c.Range.Filename); d != 0 {
			return d
		}
		return a.Range.Start.Byte - c.Range.Start.Byte
	}
	atts := func(s []*iam.Attachment) {
		slices.SortStableFunc(s, func(a, c *iam.Attachment) int { return byNode(a.Node, c.Node) })
	}
	inl := func(s []*iam.InlinePolicy) {
		slices.SortStableFunc(s, func(a, c *iam.InlinePolicy) int {
			if d := byNode(a.Node, c.Node); d != 0 {
				return d
			}
			return strings.Compare(a.Name, c.Name)
		})
	}
	mems := func(s []*iam.Membership) {
		slices.SortStableFunc(s, func(a, c *iam.Membership) int { return byNode(a.Node, c.Node) })
	}
	for _, u := range b.l.model.Users {
		atts(u.Attached)
		inl(u.Inline)
		mems(u.Groups)
		slices.SortStableFunc(u.AccessKeys, func(a, c *iam.AccessKey) int { return byNode(a.Node, c.Node) })
	}
	for _, g := range b.l.model.Groups {
		atts(g.Attached)
		inl(g.Inline)
		mems(g.Members)
	}
	for _, ro := range b.l.model.Roles {
		atts(ro.Attached)
		inl(ro.Inline)
	}
	for _, o := range b.l.model.OrgPolicies {
		slices.SortStableFunc(o.Targets, func(a, c *iam.OrgTarget) int { return byNode(a.Node, c.Node) })
	}
}
