package cloudformation

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

// build turns the resources into model objects: first the objects others
// refer to (users, groups, roles, managed policies, instance profiles),
// then their properties, then everything that links to them, and the
// workloads that run with roles, so every reference within the template
// can be a pointer.
func (t *template) build() {
	for _, r := range t.sorted {
		if r.skipped {
			continue
		}
		switch r.typ {
		case typeUser:
			r.user = &iam.User{Identity: t.identityOf(r)}
			t.model.Users = append(t.model.Users, r.user)
		case typeGroup:
			id := t.identityOf(r)
			r.group = &iam.Group{Node: id.Node, Name: id.Name, Path: id.Path, ARN: id.ARN, Account: id.Account}
			t.model.Groups = append(t.model.Groups, r.group)
		case typeRole:
			r.role = &iam.Role{Identity: t.identityOf(r)}
			t.model.Roles = append(t.model.Roles, r.role)
		case typeManagedPolicy:
			id := t.identityOf(r)
			id.Node.Unknown = slices.DeleteFunc(id.Node.Unknown, func(s string) bool { return s == "Account" })
			r.policy = &iam.ManagedPolicy{Node: id.Node, Name: id.Name, Path: id.Path, ARN: id.ARN}
			t.model.Policies = append(t.model.Policies, r.policy)
		case typeInstanceProfile:
			id := t.identityOf(r)
			id.Node.Unknown = slices.DeleteFunc(id.Node.Unknown, func(s string) bool { return s == "Account" })
			r.profile = &iam.InstanceProfile{Node: id.Node, Name: id.Name, Path: id.Path, ARN: id.ARN}
			t.model.InstanceProfiles = append(t.model.InstanceProfiles, r.profile)
		}
	}
	// The principals' own properties before the resources that add to
	// them, so an object's own inline policies and attachments come first.
	for _, r := range t.sorted {
		if r.skipped {
			continue
		}
		switch r.typ {
		case typeUser:
			t.buildUser(r)
		case typeGroup:
			t.buildGroup(r)
		case typeRole:
			t.buildRole(r)
		}
	}
	for _, r := range t.sorted {
		if r.skipped {
			continue
		}
		switch r.typ {
		case typeManagedPolicy:
			t.buildManagedPolicy(r)
		case typeInstanceProfile:
			t.buildInstanceProfile(r)
		case typePolicy:
			t.buildPolicy(r)
		case typeRolePolicy:
			t.buildPrincipalPolicy(r, "RoleName", typeRole)
		case typeUserPolicy:
			t.buildPrincipalPolicy(r, "UserName", typeUser)
		case typeGroupPolicy:
			t.buildPrincipalPolicy(r, "GroupName", typeGroup)
		case typeUserToGroup:
			t.buildUserToGroup(r)
		case typeAccessKey:
			t.buildAccessKey(r)
		case typeVirtualMFA:
			t.buildVirtualMFA(r)
		case typeOrgPolicy:
			t.buildOrgPolicy(r)
		}
	}
	// Workloads last: every external role stub is made by then.
	for _, r := range t.sorted {
		if wt := workloadTypes[r.typ]; wt != nil && !r.skipped {
			t.buildWorkload(r, wt)
		}
	}
	m := t.model
	if len(m.Users)+len(m.Groups)+len(m.Roles)+len(m.Policies)+len(m.InstanceProfiles)+len(m.Workloads) > 0 {
		m.Accounts = append(m.Accounts, t.account)
	}
	sortUnknown := func(n *iam.Node) {
		slices.Sort(n.Unknown)
		n.Unknown = slices.Compact(n.Unknown)
	}
	for _, u := range m.Users {
		sortUnknown(&u.Node)
	}
	for _, r := range m.Roles {
		sortUnknown(&r.Node)
	}
	for _, g := range m.Groups {
		sortUnknown(&g.Node)
	}
}

// identityOf makes the shared part of a principal or policy.
func (t *template) identityOf(r *resource) iam.Identity {
	t.identity(r)
	n := iam.Node{Addr: r.addr, Range: r.rng, Unknown: []string{"ARN", "Account"}}
	if r.nameUnknown {
		n.Unknown = append(n.Unknown, "Name")
	}
	if r.pathUnknown {
		n.Unknown = append(n.Unknown, "Path")
	}
	slices.Sort(n.Unknown)
	return iam.Identity{Node: n, Name: r.name, Path: r.path, ARN: r.arn, Account: accountID}
}

// properties returns a resource's Properties with functions resolved.
func (t *template) properties(r *resource) *jsonpos.Value {
	if r.evaluated == nil {
		r.evaluated = t.eval(r.props)
		if r.evaluated.Kind != jsonpos.Object {
			r.evaluated = &jsonpos.Value{Kind: jsonpos.Object, Range: r.props.Range}
		}
	}
	return r.evaluated
}

func get(v *jsonpos.Value, key string) *jsonpos.Value {
	if m := v.Lookup(key); m != nil {
		return m.Value
	}
	return nil
}

// list returns the elements of a list property; ok is false when the
// property is not a list (an error) or is unknown.
func (t *template) list(v *jsonpos.Value, what string) ([]*jsonpos.Value, bool) {
	switch {
	case v == nil:
		return nil, true
	case t.unknown[v]:
		return nil, false
	case v.Kind == jsonpos.Array:
		return v.Elems, true
	}
	t.errorf(v.Range, "Invalid "+what, "%s must be a list; found %s.", what, kindName(v))
	return nil, false
}

// text returns a string property; ok is false when it is absent or not a
// scalar (an error).
func (t *template) text(v *jsonpos.Value, what string) (s string, unknown, ok bool) {
	if v == nil {
		return "", false, false
	}
	s, unknown, ok = t.scalar(v)
	if !ok {
		t.errorf(v.Range, "Invalid "+what, "%s must be a string; found %s.", what, kindName(v))
	}
	return s, unknown, ok
}

func (t *template) buildUser(r *resource) {
	u := r.user
	props := t.properties(r)
	u.Inline = append(u.Inline, t.inlinePolicies(r, props, &u.Node)...)
	u.Attached = append(u.Attached, t.managedPolicyArns(r, props, &u.Node)...)
	u.Boundary = t.boundary(r, props)
	u.Tags = t.tags(props, &u.Node)
	groups, ok := t.list(get(props, "Groups"), "Groups")
	if !ok {
		u.Unknown = append(u.Unknown, "Groups")
	}
	for i, e := range groups {
		name, unk, ok := t.text(e, "group name")
		if !ok {
			continue
		}
		m := &iam.Membership{
			Node:      iam.Node{Addr: fmt.Sprintf("%s.Properties.Groups[%d]", r.addr, i), Range: e.Range},
			User:      u,
			UserName:  u.Name,
			GroupName: name,
		}
		if unk {
			m.Unknown = append(m.Unknown, "GroupName")
		}
		if g := t.principal(e, name, unk, typeGroup); g != nil {
			m.Group = g.group
			g.group.Members = append(g.group.Members, m)
		}
		u.Groups = append(u.Groups, m)
	}
	if lp := get(props, "LoginProfile"); lp != nil {
		p := &iam.LoginProfile{Node: iam.Node{Addr: r.addr + ".Properties.LoginProfile", Range: lp.Range}}
		if lp.Kind != jsonpos.Object {
			t.errorf(lp.Range, "Invalid LoginProfile", "LoginProfile must be a mapping with Password and PasswordResetRequired; found %s.", kindName(lp))
		}
		if v := get(lp, "PasswordResetRequired"); v != nil {
			s, unk, _ := t.text(v, "PasswordResetRequired")
			p.PasswordResetRequired = s == "true"
			if unk {
				p.Unknown = append(p.Unknown, "PasswordResetRequired")
			}
		}
		u.LoginProfile = p
	}
}

func (t *template) buildGroup(r *resource) {
	g := r.group
	props := t.properties(r)
	g.Inline = append(g.Inline, t.inlinePolicies(r, props, &g.Node)...)
	g.Attached = append(g.Attached, t.managedPolicyArns(r, props, &g.Node)...)
}

func (t *template) buildRole(r *resource) {
	role := r.role
	props := t.properties(r)
	if v := get(props, "AssumeRolePolicyDocument"); v != nil {
		role.Trust = t.document(v, iam.KindTrust, r.addr+".Properties.AssumeRolePolicyDocument", v.Range)
	} else {
		t.errorf(r.keyRange, "Missing AssumeRolePolicyDocument", "Role %s has no AssumeRolePolicyDocument; CloudFormation requires the trust policy.", r.id)
	}
	role.Inline = append(role.Inline, t.inlinePolicies(r, props, &role.Node)...)
	role.Attached = append(role.Attached, t.managedPolicyArns(r, props, &role.Node)...)
	role.Boundary = t.boundary(r, props)
	role.Tags = t.tags(props, &role.Node)
	if v := get(props, "MaxSessionDuration"); v != nil {
		s, unk, ok := t.text(v, "MaxSessionDuration")
		switch n, err := strconv.Atoi(s); {
		case !ok:
		case unk:
			role.Unknown = append(role.Unknown, "MaxSessionDuration")
		case err != nil:
			t.errorf(v.Range, "Invalid MaxSessionDuration", "MaxSessionDuration is a number of seconds (3600 to 43200); found %q.", s)
		default:
			role.MaxSessionDuration = n
		}
	}
}

func (t *template) buildManagedPolicy(r *resource) {
	p := r.policy
	props := t.properties(r)
	if v := get(props, "PolicyDocument"); v != nil {
		p.Default = t.document(v, iam.KindIdentity, r.addr+".Properties.PolicyDocument", v.Range)
	} else {
		t.errorf(r.keyRange, "Missing PolicyDocument", "Managed policy %s has no PolicyDocument.", r.id)
	}
	for _, tk := range targetKinds {
		elems, ok := t.list(get(props, tk.prop), tk.prop)
		if !ok {
			p.Unknown = append(p.Unknown, "AttachmentCount")
		}
		for i, e := range elems {
			name, unk, ok := t.text(e, tk.prop[:len(tk.prop)-1]+" name")
			if !ok {
				continue
			}
			p.AttachmentCount++
			a := &iam.Attachment{
				Node:      iam.Node{Addr: fmt.Sprintf("%s.Properties.%s[%d]", r.addr, tk.prop, i), Range: e.Range, Unknown: []string{"PolicyRef"}},
				PolicyRef: p.ARN,
				Policy:    p,
			}
			target := t.principal(e, name, unk, tk.typ)
			if target == nil {
				t.external(e.Range, unk, "Managed policy %s is attached to %s %q, which is not in this template; the model has no place for an attachment to a principal it does not hold, so this attachment is not analysed.", r.id, tk.noun, name)
				continue
			}
			t.attach(target, a)
		}
	}
}

// targetKinds are the principal lists of AWS::IAM::Policy and
// AWS::IAM::ManagedPolicy.
var targetKinds = []struct{ prop, typ, noun string }{
	{"Groups", typeGroup, "group"},
	{"Roles", typeRole, "role"},
	{"Users", typeUser, "user"},
}

func (t *template) attach(target *resource, a *iam.Attachment) {
	switch target.typ {
	case typeUser:
		target.user.Attached = append(target.user.Attached, a)
	case typeGroup:
		target.group.Attached = append(target.group.Attached, a)
	case typeRole:
		target.role.Attached = append(target.role.Attached, a)
	}
}

func (t *template) addInline(target *resource, p *iam.InlinePolicy) {
	switch target.typ {
	case typeUser:
		target.user.Inline = append(target.user.Inline, p)
	case typeGroup:
		target.group.Inline = append(target.group.Inline, p)
	case typeRole:
		target.role.Inline = append(target.role.Inline, p)
	}
}

// external reports a link to a principal outside the template. A name
// that is itself unknown is not worth a second message.
func (t *template) external(rng hcl.Range, unknown bool, format string, args ...any) {
	if unknown {
		format = strings.Replace(format, "which is not in this template", "which cannot be resolved statically", 1)
	}
	t.warnf(rng, "Link outside the template", format, args...)
}

func (t *template) buildInstanceProfile(r *resource) {
	ip := r.profile
	props := t.properties(r)
	roles, ok := t.list(get(props, "Roles"), "Roles")
	if !ok {
		ip.Unknown = append(ip.Unknown, "RoleRefs")
	}
	for _, e := range roles {
		name, unk, ok := t.text(e, "role name")
		if !ok {
			continue
		}
		ip.RoleRefs = append(ip.RoleRefs, name)
		if unk && !slices.Contains(ip.Unknown, "RoleRefs") {
			ip.Unknown = append(ip.Unknown, "RoleRefs")
		}
		if role := t.target(e, name, typeRole); role != nil {
			ip.Roles = append(ip.Roles, role.role)
			role.role.InstanceProfiles = append(role.role.InstanceProfiles, ip)
		}
	}
	slices.Sort(ip.Unknown)
}

// buildPolicy reads an AWS::IAM::Policy: one inline policy on each of its
// roles, users and groups (an external stub for one the template does not
// declare). A target whose name is unknown keeps the document as a
// standalone one, so it is still analysed.
func (t *template) buildPolicy(r *resource) {
	props := t.properties(r)
	name, nameUnk, _ := t.text(get(props, "PolicyName"), "PolicyName")
	dv := get(props, "PolicyDocument")
	if dv == nil {
		t.errorf(r.keyRange, "Missing PolicyDocument", "Policy %s has no PolicyDocument.", r.id)
		return
	}
	pd := t.document(dv, iam.KindIdentity, r.addr, r.rng)
	if nameUnk {
		pd.Unknown = append(pd.Unknown, "Name")
	}
	var outside []string
	targets := 0
	for _, tk := range targetKinds {
		elems, ok := t.list(get(props, tk.prop), tk.prop)
		if !ok {
			outside = append(outside, "(unknown "+strings.ToLower(tk.prop)+")")
		}
		for _, e := range elems {
			tname, unk, ok := t.text(e, tk.noun+" name")
			if !ok {
				continue
			}
			targets++
			target := t.principal(e, tname, unk, tk.typ)
			if target == nil {
				t.external(e.Range, unk, "Policy %s applies to %s %q, which is not in this template; its document is kept as a standalone document.", r.id, tk.noun, tname)
				outside = append(outside, tname)
				continue
			}
			t.addInline(target, &iam.InlinePolicy{PolicyDocument: copyDoc(pd), Name: name})
		}
	}
	if targets == 0 && len(outside) == 0 {
		t.errorf(r.keyRange, "Policy without principals", "Policy %s names no Roles, Users or Groups; CloudFormation requires at least one.", r.id)
	}
	if len(outside) > 0 || targets == 0 {
		t.model.Documents = append(t.model.Documents, &iam.StandaloneDocument{PolicyDocument: copyDoc(pd), Kind: iam.KindIdentity})
	}
}

// copyDoc copies a policy document node for one more holder: the decoded
// Document is shared (it is read-only after loading), the Unknown list is
// not.
func copyDoc(pd *iam.PolicyDocument) iam.PolicyDocument {
	c := *pd
	c.Unknown = slices.Clone(pd.Unknown)
	return c
}

// buildPrincipalPolicy reads AWS::IAM::RolePolicy, UserPolicy and
// GroupPolicy: one inline policy on one principal.
func (t *template) buildPrincipalPolicy(r *resource, nameProp, typ string) {
	props := t.properties(r)
	name, nameUnk, _ := t.text(get(props, "PolicyName"), "PolicyName")
	dv := get(props, "PolicyDocument")
	var pd *iam.PolicyDocument
	if dv == nil {
		pd = &iam.PolicyDocument{Node: iam.Node{Addr: r.addr, Range: r.rng}}
		t.errorf(r.keyRange, "Missing PolicyDocument", "%s has no PolicyDocument.", r.id)
	} else {
		pd = t.document(dv, iam.KindIdentity, r.addr, r.rng)
	}
	if nameUnk {
		pd.Unknown = append(pd.Unknown, "Name")
	}
	tv := get(props, nameProp)
	tname, unk, ok := t.text(tv, nameProp)
	if !ok {
		if tv == nil {
			t.errorf(r.keyRange, "Missing "+nameProp, "%s needs %s.", r.id, nameProp)
		}
		t.model.Documents = append(t.model.Documents, &iam.StandaloneDocument{PolicyDocument: *pd, Kind: iam.KindIdentity})
		return
	}
	target := t.principal(tv, tname, unk, typ)
	if target == nil {
		t.external(tv.Range, unk, "%s applies to %q, which is not in this template; its document is kept as a standalone document.", r.id, tname)
		t.model.Documents = append(t.model.Documents, &iam.StandaloneDocument{PolicyDocument: *pd, Kind: iam.KindIdentity})
		return
	}
	t.addInline(target, &iam.InlinePolicy{PolicyDocument: *pd, Name: name})
}

func (t *template) buildUserToGroup(r *resource) {
	props := t.properties(r)
	gv := get(props, "GroupName")
	gname, gunk, ok := t.text(gv, "GroupName")
	if !ok {
		if gv == nil {
			t.errorf(r.keyRange, "Missing GroupName", "%s needs GroupName.", r.id)
		}
		return
	}
	group := t.principal(gv, gname, gunk, typeGroup)
	users, _ := t.list(get(props, "Users"), "Users")
	for i, e := range users {
		uname, uunk, ok := t.text(e, "user name")
		if !ok {
			continue
		}
		m := &iam.Membership{
			Node:      iam.Node{Addr: fmt.Sprintf("%s.Properties.Users[%d]", r.addr, i), Range: e.Range},
			UserName:  uname,
			GroupName: gname,
		}
		if uunk {
			m.Unknown = append(m.Unknown, "UserName")
		}
		if gunk {
			m.Unknown = append(m.Unknown, "GroupName")
		}
		user := t.principal(e, uname, uunk, typeUser)
		if user != nil {
			m.User = user.user
			user.user.Groups = append(user.user.Groups, m)
		}
		if group != nil {
			m.Group = group.group
			group.group.Members = append(group.group.Members, m)
		}
		if user == nil && group == nil {
			t.external(e.Range, uunk || gunk, "Neither user %q nor group %q is in this template; the model has no place for this membership.", uname, gname)
		}
	}
}

func (t *template) buildAccessKey(r *resource) {
	props := t.properties(r)
	key := &iam.AccessKey{Node: iam.Node{Addr: r.addr, Range: r.rng, Unknown: []string{"ID"}}, ID: "${" + r.id + "}", Active: true}
	if v := get(props, "Status"); v != nil {
		s, unk, _ := t.text(v, "Status")
		key.Active = s != "Inactive"
		if unk {
			key.Unknown = append(key.Unknown, "Active")
		}
	}
	uv := get(props, "UserName")
	uname, unk, ok := t.text(uv, "UserName")
	if !ok {
		if uv == nil {
			t.errorf(r.keyRange, "Missing UserName", "Access key %s needs UserName.", r.id)
		}
		return
	}
	user := t.principal(uv, uname, unk, typeUser)
	if user == nil {
		t.external(uv.Range, unk, "Access key %s belongs to user %q, which is not in this template; the model has no place for it.", r.id, uname)
		return
	}
	user.user.AccessKeys = append(user.user.AccessKeys, key)
}

func (t *template) buildVirtualMFA(r *resource) {
	props := t.properties(r)
	path, name := "/", "${"+r.id+"}"
	if s, _, ok := t.text(get(props, "Path"), "Path"); ok {
		path = s
	}
	if s, _, ok := t.text(get(props, "VirtualMfaDeviceName"), "VirtualMfaDeviceName"); ok {
		name = s
	}
	users, _ := t.list(get(props, "Users"), "Users")
	for _, e := range users {
		uname, unk, ok := t.text(e, "user name")
		if !ok {
			continue
		}
		user := t.principal(e, uname, unk, typeUser)
		if user == nil {
			t.external(e.Range, unk, "MFA device %s belongs to user %q, which is not in this template; the model has no place for it.", r.id, uname)
			continue
		}
		user.user.MFADevices = append(user.user.MFADevices, &iam.MFADevice{
			Node:    iam.Node{Addr: r.addr, Range: r.rng, Unknown: []string{"Serial"}},
			Serial:  "arn:" + partition + ":iam::" + accountID + ":mfa" + path + name,
			Virtual: true,
		})
	}
}

func (t *template) buildOrgPolicy(r *resource) {
	props := t.properties(r)
	kind := iam.KindSCP
	if s, _, ok := t.text(get(props, "Type"), "Type"); ok {
		switch s {
		case "SERVICE_CONTROL_POLICY":
		case "RESOURCE_CONTROL_POLICY":
			kind = iam.KindRCP
		default:
			return // tag, backup and other policies are not IAM policies
		}
	}
	cv := get(props, "Content")
	if cv == nil {
		t.errorf(r.keyRange, "Missing Content", "Organizations policy %s has no Content.", r.id)
		return
	}
	pd := t.document(cv, kind, r.addr, r.rng)
	p := &iam.OrgPolicy{PolicyDocument: *pd, ID: "${" + r.id + "}", Kind: kind}
	p.Unknown = append(p.Unknown, "ID")
	if s, unk, ok := t.text(get(props, "Name"), "Name"); ok {
		p.Name = s
		if unk {
			p.Unknown = append(p.Unknown, "Name")
		}
	}
	targets, _ := t.list(get(props, "TargetIds"), "TargetIds")
	for i, e := range targets {
		s, unk, ok := t.text(e, "target ID")
		if !ok {
			continue
		}
		tg := &iam.OrgTarget{Node: iam.Node{Addr: fmt.Sprintf("%s.Properties.TargetIds[%d]", r.addr, i), Range: e.Range}, TargetID: s}
		if unk {
			tg.Unknown = []string{"TargetID"}
		}
		p.Targets = append(p.Targets, tg)
	}
	slices.Sort(p.Unknown)
	t.model.OrgPolicies = append(t.model.OrgPolicies, p)
}

// target finds the resource of type typ that an evaluated value names: the
// resource a Ref or Fn::GetAtt produced it from, or one whose resolved
// name or ARN is the text. nil means it is outside the template.
func (t *template) target(v *jsonpos.Value, text, typ string) *resource {
	if r := t.refs[v]; r != nil && r.typ == typ && !r.skipped {
		return r
	}
	if t.byName == nil {
		t.byName = map[[2]string]*resource{}
		for _, r := range t.sorted {
			if r.skipped || r.idState != idDone {
				continue
			}
			for _, k := range [][2]string{{r.typ, r.name}, {r.typ, r.arn}} {
				if _, ok := t.byName[k]; !ok {
					t.byName[k] = r
				}
			}
		}
	}
	return t.byName[[2]string{typ, text}]
}

func (t *template) inlinePolicies(r *resource, props *jsonpos.Value, n *iam.Node) []*iam.InlinePolicy {
	elems, ok := t.list(get(props, "Policies"), "Policies")
	if !ok {
		n.Unknown = append(n.Unknown, "Inline")
	}
	var out []*iam.InlinePolicy
	for i, e := range elems {
		addr := fmt.Sprintf("%s.Properties.Policies[%d]", r.addr, i)
		if e.Kind != jsonpos.Object {
			if t.unknown[e] {
				n.Unknown = append(n.Unknown, "Inline")
			} else {
				t.errorf(e.Range, "Invalid policy", "Each of Policies is a mapping with PolicyName and PolicyDocument; found %s.", kindName(e))
			}
			continue
		}
		name, unk, _ := t.text(get(e, "PolicyName"), "PolicyName")
		dv := get(e, "PolicyDocument")
		var pd *iam.PolicyDocument
		if dv == nil {
			t.errorf(e.Range, "Missing PolicyDocument", "This policy has no PolicyDocument.")
			pd = &iam.PolicyDocument{Node: iam.Node{Addr: addr, Range: e.Range}}
		} else {
			pd = t.document(dv, iam.KindIdentity, addr, e.Range)
		}
		if get(e, "PolicyName") == nil {
			t.errorf(e.Range, "Missing PolicyName", "This policy has no PolicyName.")
		}
		p := &iam.InlinePolicy{PolicyDocument: *pd, Name: name}
		if unk {
			p.Unknown = append(p.Unknown, "Name")
			slices.Sort(p.Unknown)
		}
		out = append(out, p)
	}
	return out
}

func (t *template) managedPolicyArns(r *resource, props *jsonpos.Value, n *iam.Node) []*iam.Attachment {
	elems, ok := t.list(get(props, "ManagedPolicyArns"), "ManagedPolicyArns")
	if !ok {
		n.Unknown = append(n.Unknown, "Attached")
	}
	var out []*iam.Attachment
	for i, e := range elems {
		if a := t.attachment(e, fmt.Sprintf("%s.Properties.ManagedPolicyArns[%d]", r.addr, i)); a != nil {
			out = append(out, a)
		}
	}
	return out
}

func (t *template) boundary(r *resource, props *jsonpos.Value) *iam.Attachment {
	v := get(props, "PermissionsBoundary")
	if v == nil {
		return nil
	}
	return t.attachment(v, r.addr+".Properties.PermissionsBoundary")
}

func (t *template) attachment(v *jsonpos.Value, addr string) *iam.Attachment {
	s, unk, ok := t.text(v, "managed policy ARN")
	if !ok {
		return nil
	}
	a := &iam.Attachment{Node: iam.Node{Addr: addr, Range: v.Range}, PolicyRef: s}
	if unk {
		a.Unknown = []string{"PolicyRef"}
	}
	if p := t.target(v, s, typeManagedPolicy); p != nil {
		a.Policy = p.policy
	}
	return a
}

func (t *template) tags(props *jsonpos.Value, n *iam.Node) map[string]string {
	elems, ok := t.list(get(props, "Tags"), "Tags")
	if !ok {
		n.Unknown = append(n.Unknown, "Tags")
	}
	var out map[string]string
	for _, e := range elems {
		k, kunk, ok1 := t.scalar(get(e, "Key"))
		v, vunk, ok2 := t.scalar(get(e, "Value"))
		if !ok1 || !ok2 {
			if !t.unknown[e] {
				t.errorf(e.Range, "Invalid tag", "Each tag is a mapping with Key and Value strings.")
			}
			continue
		}
		if kunk || vunk {
			n.Unknown = append(n.Unknown, "Tags")
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k] = v
	}
	return out
}

// document decodes a policy document: a mapping (its values resolved) or
// a JSON string. Values left symbolic are marked Unknown; where an
// unknown stands in for a structure (a statement, a Principal block) the
// decoder's complaints about it are dropped — the unknown was reported
// where it arose — and "Doc" is listed in the node's Unknown.
func (t *template) document(v *jsonpos.Value, kind iam.Kind, addr string, rng hcl.Range) *iam.PolicyDocument {
	pd := &iam.PolicyDocument{Node: iam.Node{Addr: addr, Range: rng}}
	switch {
	case t.unknown[v]:
		pd.Unknown = []string{"Doc"}
	case v.Kind == jsonpos.String:
		doc, diags := iam.ParsePolicy([]byte(v.Str), iam.ParseOptions{Filename: t.path, Locate: t.locate(v), Kind: kind})
		pd.Doc = doc
		t.diags = append(t.diags, diags...)
	case v.Kind == jsonpos.Object:
		unknownRanges := map[hcl.Range]bool{}
		unknownValues := map[valueKey]bool{}
		t.collectUnknown(v, unknownRanges, unknownValues, 0)
		doc, diags := iam.DecodePolicy(v, kind)
		for _, d := range diags {
			if d.Subject != nil && unknownRanges[*d.Subject] {
				if !slices.Contains(pd.Unknown, "Doc") {
					pd.Unknown = append(pd.Unknown, "Doc")
				}
				continue
			}
			t.diags = append(t.diags, d)
		}
		if len(unknownValues) > 0 {
			markUnknown(doc, unknownValues)
		}
		pd.Doc = doc
	default:
		t.errorf(v.Range, "Invalid policy document", "A policy document is a mapping (or a JSON string); found %s.", kindName(v))
	}
	return pd
}

// locate maps offsets of a string's text to the template, for JSON
// policies written as strings.
func (t *template) locate(v *jsonpos.Value) func(int) hcl.Pos {
	if t.derived[v] {
		start := v.Range.Start
		return func(int) hcl.Pos { return start }
	}
	if t.conv == nil {
		return v.InnerPos
	}
	return t.conv.locateString(v)
}

// valueKey identifies a decoded policy value by where it is and what it
// says (the elements of one Fn::Split share a range).
type valueKey struct {
	rng  hcl.Range
	text string
}

func (t *template) collectUnknown(v *jsonpos.Value, ranges map[hcl.Range]bool, values map[valueKey]bool, depth int) {
	if depth > maxYAMLDepth {
		return
	}
	switch v.Kind {
	case jsonpos.String:
		if t.unknown[v] {
			ranges[v.Range] = true
			values[valueKey{v.Range, v.Str}] = true
		}
	case jsonpos.Object:
		for _, m := range v.Members {
			t.collectUnknown(m.Value, ranges, values, depth+1)
		}
	case jsonpos.Array:
		for _, e := range v.Elems {
			t.collectUnknown(e, ranges, values, depth+1)
		}
	}
}

// markUnknown sets Unknown on every decoded value that was symbolic.
func markUnknown(doc *iam.Document, unknown map[valueKey]bool) {
	mark := func(vals []iam.Value) {
		for i := range vals {
			if unknown[valueKey{vals[i].Range, vals[i].Text}] {
				vals[i].Unknown = true
			}
		}
	}
	for _, s := range doc.Statements {
		mark(s.Action.Values)
		mark(s.NotAction.Values)
		mark(s.Resource.Values)
		mark(s.NotResource.Values)
		for _, p := range []*iam.Principal{s.Principal, s.NotPrincipal} {
			if p == nil {
				continue
			}
			for _, e := range p.Entries {
				mark(e.Values)
			}
		}
		for _, c := range s.Condition.Clauses {
			mark(c.Values)
		}
	}
}
