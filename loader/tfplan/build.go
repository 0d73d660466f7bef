package tfplan

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

// build makes the model in three passes: the objects others link to
// first (principals, managed policies, instance profiles, Organizations
// policies), then the resources that link them, then the workloads that
// run with roles and instance profiles.
func (p *plan) build() {
	for _, in := range p.insts {
		switch in.typ {
		case tUser:
			in.user = &iam.User{Identity: p.identity(in)}
			p.model.Users = append(p.model.Users, in.user)
		case tGroup:
			id := p.identity(in)
			in.group = &iam.Group{Node: id.Node, Name: id.Name, Path: id.Path, ARN: id.ARN, Account: id.Account}
			p.model.Groups = append(p.model.Groups, in.group)
		case tRole:
			in.role = &iam.Role{Identity: p.identity(in)}
			p.model.Roles = append(p.model.Roles, in.role)
		case tPolicy:
			id := p.identity(in)
			id.Node.Unknown = slices.DeleteFunc(id.Node.Unknown, func(s string) bool { return s == "Account" })
			in.policy = &iam.ManagedPolicy{Node: id.Node, Name: id.Name, Path: id.Path, ARN: id.ARN}
			in.policy.Default = p.document(in, "policy", iam.KindIdentity, in.addr)
			p.model.Policies = append(p.model.Policies, in.policy)
		case tInstanceProfile:
			id := p.identity(in)
			id.Node.Unknown = slices.DeleteFunc(id.Node.Unknown, func(s string) bool { return s == "Account" })
			in.profile = &iam.InstanceProfile{Node: id.Node, Name: id.Name, Path: id.Path, ARN: id.ARN}
			p.model.InstanceProfiles = append(p.model.InstanceProfiles, in.profile)
		case tOrgPolicy:
			p.orgPolicy(in)
		}
	}
	for _, in := range p.insts {
		switch in.typ {
		case tUser:
			in.user.Boundary = p.boundary(in)
			in.user.Tags = p.tags(in, &in.user.Node)
		case tRole:
			p.role(in)
		case tUserPolicy:
			p.inline(in, "user", tUser)
		case tGroupPolicy:
			p.inline(in, "group", tGroup)
		case tRolePolicy:
			p.inline(in, "role", tRole)
		case tUserAttachment:
			p.attachment(in, "user", tUser)
		case tGroupAttachment:
			p.attachment(in, "group", tGroup)
		case tRoleAttachment:
			p.attachment(in, "role", tRole)
		case tPolicyAttachment:
			p.policyAttachment(in)
		case tUserGroupMembership:
			p.userGroupMembership(in)
		case tGroupMembership:
			p.groupMembership(in)
		case tLoginProfile:
			p.loginProfile(in)
		case tAccessKey:
			p.accessKey(in)
		case tVirtualMFA:
			p.virtualMFA(in)
		case tPasswordPolicy:
			p.passwordPolicy(in)
		case tInstanceProfile:
			p.instanceProfile(in)
		case tOrgAttachment:
			p.orgAttachment(in)
		}
	}
	// Workloads last: every external role stub is made by then.
	for _, in := range p.insts {
		if wt := workloadTypes[in.typ]; wt != nil {
			p.workload(in, wt)
		}
	}
	m := p.model
	if len(m.Users)+len(m.Groups)+len(m.Roles)+len(m.Policies)+len(m.InstanceProfiles)+len(m.Workloads) > 0 || p.account.PasswordPolicy != nil {
		m.Accounts = append(m.Accounts, p.account)
	}
	for _, u := range m.Users {
		sortUnknown(&u.Node)
	}
	for _, r := range m.Roles {
		sortUnknown(&r.Node)
	}
}

func sortUnknown(n *iam.Node) {
	slices.Sort(n.Unknown)
	n.Unknown = slices.Compact(n.Unknown)
}

func (p *plan) node(in *instance) iam.Node {
	return iam.Node{Addr: in.addr, Range: in.obj.Range}
}

// identity reads name, path, ARN and account.
func (p *plan) identity(in *instance) iam.Identity {
	id := iam.Identity{Node: p.node(in), Path: "/"}
	name := p.str(in, "name")
	id.Name = name.text
	if name.unknown {
		id.Unknown = append(id.Unknown, "Name")
	}
	if path := p.str(in, "path"); path.present {
		id.Path = path.text
		if path.unknown {
			id.Unknown = append(id.Unknown, "Path")
		}
	}
	arn := p.str(in, "arn")
	id.ARN = arn.text
	if !arn.present || arn.unknown {
		id.ARN = "${" + in.addr + ".arn}"
		id.Unknown = append(id.Unknown, "ARN")
	}
	id.Account = p.accountID
	if a := iam.AccountOf(id.ARN); !arn.unknown && iam.IsAccountID(a) {
		id.Account = a
	} else if !iam.IsAccountID(p.accountID) {
		id.Unknown = append(id.Unknown, "Account")
	}
	sortUnknown(&id.Node)
	return id
}

// document parses a policy attribute (a JSON string) with positions in
// the plan file. An unknown policy has no document and says so.
func (p *plan) document(in *instance, attr string, kind iam.Kind, addr string) *iam.PolicyDocument {
	v, unk := in.attr(attr)
	pd := &iam.PolicyDocument{Node: iam.Node{Addr: addr, Range: in.obj.Range}}
	switch {
	case unk:
		pd.Unknown = []string{"Doc"}
		p.warnf(in.obj.Range, "Unresolved value", "The %s of %s is only known after apply, so it is not analysed; run iamlint on the configuration, or on a plan whose inputs exist.", attr, in.addr)
	case v == nil:
		return nil
	case v.Kind != jsonpos.String:
		p.errorf(v.Range, "Invalid policy", "%s.%s must be a JSON string; found %s.", in.addr, attr, kindName(v))
		return nil
	case v.Str == "":
		return nil
	default:
		pd.Range = v.Range
		doc, diags := iam.ParsePolicy([]byte(v.Str), iam.ParseOptions{Filename: p.path, Locate: v.InnerPos, Kind: kind})
		pd.Doc = doc
		p.diags = append(p.diags, diags...)
	}
	return pd
}

func (p *plan) role(in *instance) {
	r := in.role
	r.Trust = p.document(in, "assume_role_policy", iam.KindTrust, in.addr+".assume_role_policy")
	r.Boundary = p.boundary(in)
	r.Tags = p.tags(in, &r.Node)
	if v, unk := in.attr("max_session_duration"); unk {
		r.Unknown = append(r.Unknown, "MaxSessionDuration")
	} else if v != nil {
		r.MaxSessionDuration, _ = strconv.Atoi(v.Str)
	}
	// inline_policy blocks: each with a name and a policy string.
	if v, unk := in.attr("inline_policy"); unk {
		r.Unknown = append(r.Unknown, "Inline")
	} else if v != nil && v.Kind == jsonpos.Array {
		for i, e := range v.Elems {
			pol := member(e, "policy")
			if pol == nil || pol.Kind != jsonpos.String || pol.Str == "" {
				if u := member(in.after, "inline_policy"); u != nil && u.Kind == jsonpos.Array && i < len(u.Elems) && member(u.Elems[i], "policy") != nil {
					r.Unknown = append(r.Unknown, "Inline")
				}
				continue
			}
			addr := fmt.Sprintf("%s.inline_policy[%d]", in.addr, i)
			doc, diags := iam.ParsePolicy([]byte(pol.Str), iam.ParseOptions{Filename: p.path, Locate: pol.InnerPos, Kind: iam.KindIdentity})
			p.diags = append(p.diags, diags...)
			ip := &iam.InlinePolicy{PolicyDocument: iam.PolicyDocument{Node: iam.Node{Addr: addr, Range: e.Range}, Doc: doc}}
			if n := member(e, "name"); n != nil && n.Kind == jsonpos.String {
				ip.Name = n.Str
			}
			r.Inline = append(r.Inline, ip)
		}
	}
	// managed_policy_arns: a set of ARNs, some perhaps unknown.
	v, unk := in.attr("managed_policy_arns")
	switch {
	case unk:
		// The whole set is unknown: link every policy the expression
		// refers to.
		for _, t := range p.targets(in, "managed_policy_arns", tPolicy) {
			r.Attached = append(r.Attached, &iam.Attachment{Node: iam.Node{Addr: in.addr + ".managed_policy_arns", Range: in.obj.Range}, PolicyRef: t.addr, Policy: t.policy})
		}
		r.Unknown = append(r.Unknown, "Attached")
	case v != nil && v.Kind == jsonpos.Array:
		refs := p.targets(in, "managed_policy_arns", tPolicy)
		for i, e := range v.Elems {
			a := &iam.Attachment{Node: iam.Node{Addr: fmt.Sprintf("%s.managed_policy_arns[%d]", in.addr, i), Range: e.Range}}
			if e.Kind == jsonpos.String {
				a.PolicyRef = e.Str
				a.Policy = p.policyByARN(e.Str)
			} else if in.elemUnknown("managed_policy_arns", i) {
				a.PolicyRef = fmt.Sprintf("${%s.managed_policy_arns[%d]}", in.addr, i)
				a.Unknown = []string{"PolicyRef"}
				if len(refs) == 1 {
					a.PolicyRef, a.Policy, a.Unknown = refs[0].addr, refs[0].policy, nil
				}
			} else {
				continue
			}
			r.Attached = append(r.Attached, a)
		}
	}
}

// policyByARN finds a managed policy of the plan by its known ARN.
func (p *plan) policyByARN(arn string) *iam.ManagedPolicy {
	if p.arns == nil {
		p.arns = map[string]*iam.ManagedPolicy{}
		for _, in := range p.insts {
			if in.policy != nil && !in.policy.IsUnknown("ARN") && p.arns[in.policy.ARN] == nil {
				p.arns[in.policy.ARN] = in.policy
			}
		}
	}
	return p.arns[arn]
}

// policyRef resolves a policy_arn-like attribute: a known ARN (linked by
// the loader when the policy is elsewhere), or an unknown one linked
// through the configuration's reference to a policy of the plan.
func (p *plan) policyRef(in *instance, attr string) (*iam.Attachment, bool) {
	s := p.str(in, attr)
	if !s.present {
		return nil, false
	}
	a := &iam.Attachment{Node: p.node(in), PolicyRef: s.text}
	if !s.unknown {
		a.Policy = p.policyByARN(s.text)
		return a, true
	}
	if ts := p.targets(in, attr, tPolicy); len(ts) == 1 {
		a.PolicyRef, a.Policy = ts[0].addr, ts[0].policy
		return a, true
	}
	a.Unknown = []string{"PolicyRef"}
	return a, true
}

func (p *plan) boundary(in *instance) *iam.Attachment {
	a, ok := p.policyRef(in, "permissions_boundary")
	if !ok || a.PolicyRef == "" {
		return nil
	}
	a.Addr = in.addr + ".permissions_boundary"
	if v, _ := in.attr("permissions_boundary"); v != nil {
		a.Range = v.Range
	}
	return a
}

// principal finds the user, group or role an attribute names: by its
// known name (an external stub when the plan does not hold it), or
// through the configuration's reference when the name is unknown. nil
// means it cannot be told.
func (p *plan) principal(in *instance, attr, typ string) (*instance, strAttr) {
	return p.find(in, attr, typ, true)
}

// find is principal; stub says whether to make an external stub for a
// name the plan does not hold.
func (p *plan) find(in *instance, attr, typ string, stub bool) (*instance, strAttr) {
	s := p.str(in, attr)
	if !s.present {
		return nil, s
	}
	if !s.unknown {
		if t := p.byName(typ, s.text); t != nil || !stub {
			return t, s
		}
		return p.external(typ, s.text, s.rng), s
	}
	if ts := p.targets(in, attr, typ); len(ts) == 1 {
		return ts[0], s
	}
	return nil, s
}

// byName finds a user, group or role of the plan by its known name (the
// first in plan order when two share one).
func (p *plan) byName(typ, name string) *instance {
	if p.names == nil {
		p.names = map[[2]string]*instance{}
		for _, c := range p.insts {
			if v, _ := c.attr("name"); v != nil && v.Kind == jsonpos.String {
				if k := [2]string{c.typ, v.Str}; p.names[k] == nil {
					p.names[k] = c
				}
			}
		}
	}
	return p.names[[2]string{typ, name}]
}

// outside reports a link to a principal or policy that is not in the
// plan.
func (p *plan) outside(rng hcl.Range, format string, args ...any) {
	p.warnf(rng, "Link outside the plan", format, args...)
}

func (p *plan) inline(in *instance, attr, typ string) {
	pd := p.document(in, "policy", iam.KindIdentity, in.addr)
	if pd == nil {
		return
	}
	pd.Range = in.obj.Range
	ip := &iam.InlinePolicy{PolicyDocument: *pd}
	if n := p.str(in, "name"); n.present {
		ip.Name = n.text
		if n.unknown {
			ip.Unknown = append(ip.Unknown, "Name")
		}
	}
	t, s := p.principal(in, attr, typ)
	switch {
	case t == nil:
		p.outside(s.rng, "%s applies to %s %q, which is not in this plan; its document is kept as a standalone document.", in.addr, attr, s.text)
		p.model.Documents = append(p.model.Documents, &iam.StandaloneDocument{PolicyDocument: ip.PolicyDocument, Kind: iam.KindIdentity})
	case t.user != nil:
		t.user.Inline = append(t.user.Inline, ip)
	case t.group != nil:
		t.group.Inline = append(t.group.Inline, ip)
	case t.role != nil:
		t.role.Inline = append(t.role.Inline, ip)
	}
}

func (p *plan) attach(t *instance, a *iam.Attachment) {
	switch {
	case t.user != nil:
		t.user.Attached = append(t.user.Attached, a)
	case t.group != nil:
		t.group.Attached = append(t.group.Attached, a)
	case t.role != nil:
		t.role.Attached = append(t.role.Attached, a)
	}
	if a.Policy != nil {
		a.Policy.AttachmentCount++
	}
}

func (p *plan) attachment(in *instance, attr, typ string) {
	a, ok := p.policyRef(in, "policy_arn")
	if !ok {
		p.errorf(in.obj.Range, "Missing policy_arn", "%s has no policy_arn.", in.addr)
		return
	}
	t, s := p.principal(in, attr, typ)
	if t == nil {
		p.outside(s.rng, "%s attaches %s to %s %q, which is not in this plan; the model has no place for an attachment to a principal it does not hold.", in.addr, a.PolicyRef, attr, s.text)
		return
	}
	p.attach(t, a)
}

// policyAttachment reads aws_iam_policy_attachment: one policy attached
// to lists of users, roles and groups.
func (p *plan) policyAttachment(in *instance) {
	for _, k := range []struct{ attr, typ string }{{"groups", tGroup}, {"roles", tRole}, {"users", tUser}} {
		v, _ := in.attr(k.attr)
		if v == nil || v.Kind != jsonpos.Array {
			continue
		}
		for _, e := range v.Elems {
			if e.Kind != jsonpos.String {
				continue
			}
			a, ok := p.policyRef(in, "policy_arn")
			if !ok {
				return
			}
			a.Range = e.Range
			t := p.byName(k.typ, e.Str)
			if t == nil {
				t = p.external(k.typ, e.Str, e.Range)
			}
			if t == nil {
				p.outside(e.Range, "%s attaches %s to %q, which is not in this plan; the model has no place for that attachment.", in.addr, a.PolicyRef, e.Str)
				continue
			}
			p.attach(t, a)
		}
	}
}

func (p *plan) membership(in *instance, user, group *instance, userName, groupName strAttr, rng hcl.Range) {
	m := &iam.Membership{Node: iam.Node{Addr: in.addr, Range: rng}, UserName: userName.text, GroupName: groupName.text}
	if userName.unknown {
		m.Unknown = append(m.Unknown, "UserName")
	}
	if groupName.unknown {
		m.Unknown = append(m.Unknown, "GroupName")
	}
	if user != nil {
		m.User = user.user
		user.user.Groups = append(user.user.Groups, m)
	}
	if group != nil {
		m.Group = group.group
		group.group.Members = append(group.group.Members, m)
	}
	if user == nil && group == nil {
		p.outside(rng, "Neither user %q nor group %q is in this plan; the model has no place for this membership.", userName.text, groupName.text)
	}
}

// userGroupMembership reads aws_iam_user_group_membership: one user, a
// list of groups.
func (p *plan) userGroupMembership(in *instance) {
	user, uname := p.principal(in, "user", tUser)
	v, _ := in.attr("groups")
	if v == nil || v.Kind != jsonpos.Array {
		return
	}
	for i, e := range v.Elems {
		g := strAttr{text: e.Str, rng: e.Range, present: true}
		var group *instance
		if e.Kind == jsonpos.String {
			if group = p.byName(tGroup, e.Str); group == nil {
				group = p.external(tGroup, e.Str, e.Range)
			}
		} else if in.elemUnknown("groups", i) {
			g.text, g.unknown = fmt.Sprintf("${%s.groups[%d]}", in.addr, i), true
		} else {
			continue
		}
		p.membership(in, user, group, uname, g, e.Range)
	}
}

// groupMembership reads aws_iam_group_membership: one group, a list of
// users.
func (p *plan) groupMembership(in *instance) {
	group, gname := p.principal(in, "group", tGroup)
	v, _ := in.attr("users")
	if v == nil || v.Kind != jsonpos.Array {
		return
	}
	for i, e := range v.Elems {
		u := strAttr{text: e.Str, rng: e.Range, present: true}
		var user *instance
		if e.Kind == jsonpos.String {
			if user = p.byName(tUser, e.Str); user == nil {
				user = p.external(tUser, e.Str, e.Range)
			}
		} else if in.elemUnknown("users", i) {
			u.text, u.unknown = fmt.Sprintf("${%s.users[%d]}", in.addr, i), true
		} else {
			continue
		}
		p.membership(in, user, group, u, gname, e.Range)
	}
}

func (p *plan) loginProfile(in *instance) {
	user, s := p.principal(in, "user", tUser)
	if user == nil {
		p.outside(s.rng, "Login profile %s belongs to user %q, which is not in this plan; the model has no place for it.", in.addr, s.text)
		return
	}
	lp := &iam.LoginProfile{Node: p.node(in)}
	if v, unk := in.attr("password_reset_required"); unk {
		lp.Unknown = []string{"PasswordResetRequired"}
	} else if v != nil {
		lp.PasswordResetRequired = v.Kind == jsonpos.Bool && v.Bool
	}
	user.user.LoginProfile = lp
}

func (p *plan) accessKey(in *instance) {
	user, s := p.principal(in, "user", tUser)
	if user == nil {
		p.outside(s.rng, "Access key %s belongs to user %q, which is not in this plan; the model has no place for it.", in.addr, s.text)
		return
	}
	k := &iam.AccessKey{Node: p.node(in), Active: true}
	id := p.str(in, "id")
	k.ID = id.text
	if !id.present || id.unknown {
		k.ID = "${" + in.addr + ".id}"
		k.Unknown = append(k.Unknown, "ID")
	}
	if st := p.str(in, "status"); st.present {
		k.Active = st.text != "Inactive"
		if st.unknown {
			k.Unknown = append(k.Unknown, "Active")
		}
	}
	user.user.AccessKeys = append(user.user.AccessKeys, k)
}

func (p *plan) virtualMFA(in *instance) {
	arn := p.str(in, "arn")
	d := &iam.MFADevice{Node: p.node(in), Serial: arn.text, Virtual: true}
	if !arn.present || arn.unknown {
		d.Serial = "${" + in.addr + ".arn}"
		d.Unknown = []string{"Serial"}
	}
	user, s := p.principal(in, "user_name", tUser)
	if user == nil {
		if s.present && !s.unknown {
			p.outside(s.rng, "MFA device %s belongs to user %q, which is not in this plan; the model has no place for it.", in.addr, s.text)
		}
		// A device not yet assigned to a user has no place in the model.
		return
	}
	user.user.MFADevices = append(user.user.MFADevices, d)
}

func (p *plan) passwordPolicy(in *instance) {
	pp := &iam.PasswordPolicy{Node: p.node(in)}
	num := func(attr string, dst *int) {
		if v, unk := in.attr(attr); unk {
			pp.Unknown = append(pp.Unknown, attr)
		} else if v != nil {
			*dst, _ = strconv.Atoi(v.Str)
		}
	}
	flag := func(attr string, dst *bool) {
		if v, unk := in.attr(attr); unk {
			pp.Unknown = append(pp.Unknown, attr)
		} else if v != nil {
			*dst = v.Kind == jsonpos.Bool && v.Bool
		}
	}
	num("minimum_password_length", &pp.MinimumLength)
	flag("require_symbols", &pp.RequireSymbols)
	flag("require_numbers", &pp.RequireNumbers)
	flag("require_uppercase_characters", &pp.RequireUppercase)
	flag("require_lowercase_characters", &pp.RequireLowercase)
	flag("allow_users_to_change_password", &pp.AllowUsersToChangePassword)
	num("max_password_age", &pp.MaxPasswordAge)
	num("password_reuse_prevention", &pp.PasswordReusePrevention)
	flag("hard_expiry", &pp.HardExpiry)
	if p.account.PasswordPolicy != nil {
		p.errorf(in.obj.Range, "Duplicate password policy", "The plan sets the account password policy twice (%s and %s).", p.account.PasswordPolicy.Addr, in.addr)
		return
	}
	p.account.PasswordPolicy = pp
}

func (p *plan) instanceProfile(in *instance) {
	ip := in.profile
	// A role the plan does not hold stays a reference (RoleRefs), which
	// loader.Link resolves by name: an instance profile grants it nothing.
	role, s := p.find(in, "role", tRole, false)
	if !s.present {
		return
	}
	ip.RoleRefs = append(ip.RoleRefs, s.text)
	if s.unknown {
		ip.Unknown = append(ip.Unknown, "RoleRefs")
	}
	if role != nil {
		ip.Roles = append(ip.Roles, role.role)
		role.role.InstanceProfiles = append(role.role.InstanceProfiles, ip)
	}
}

func (p *plan) tags(in *instance, n *iam.Node) map[string]string {
	v, unk := in.attr("tags")
	if unk {
		n.Unknown = append(n.Unknown, "Tags")
		return nil
	}
	if v == nil || v.Kind != jsonpos.Object || len(v.Members) == 0 {
		return nil
	}
	out := make(map[string]string, len(v.Members))
	for _, m := range v.Members {
		out[m.Key] = m.Value.Str
	}
	return out
}

func (p *plan) orgPolicy(in *instance) {
	kind := iam.KindSCP
	if t := p.str(in, "type"); t.present {
		switch t.text {
		case "SERVICE_CONTROL_POLICY":
		case "RESOURCE_CONTROL_POLICY":
			kind = iam.KindRCP
		default:
			return // tag, backup and AI opt-out policies are not IAM policies
		}
	}
	pd := p.document(in, "content", kind, in.addr)
	if pd == nil {
		pd = &iam.PolicyDocument{Node: p.node(in)}
	}
	pd.Range = in.obj.Range
	op := &iam.OrgPolicy{PolicyDocument: *pd, Kind: kind}
	name := p.str(in, "name")
	op.Name = name.text
	if name.unknown {
		op.Unknown = append(op.Unknown, "Name")
	}
	id := p.str(in, "id")
	op.ID = id.text
	if !id.present || id.unknown {
		op.ID = "${" + in.addr + ".id}"
		op.Unknown = append(op.Unknown, "ID")
	}
	slices.Sort(op.Unknown)
	in.org = op
	p.model.OrgPolicies = append(p.model.OrgPolicies, op)
}

func (p *plan) orgAttachment(in *instance) {
	pid := p.str(in, "policy_id")
	var pol *instance
	if pid.unknown {
		if ts := p.targets(in, "policy_id", tOrgPolicy); len(ts) == 1 {
			pol = ts[0]
		}
	} else if pid.present {
		for _, c := range p.insts {
			if c.org != nil && c.org.ID == pid.text && !c.org.IsUnknown("ID") {
				pol = c
			}
		}
	}
	if pol == nil {
		p.outside(pid.rng, "%s attaches policy %q, which is not in this plan.", in.addr, pid.text)
		return
	}
	tgt := p.str(in, "target_id")
	t := &iam.OrgTarget{Node: iam.Node{Addr: in.addr, Range: in.obj.Range}, TargetID: tgt.text}
	if tgt.unknown {
		t.Unknown = []string{"TargetID"}
	}
	pol.org.Targets = append(pol.org.Targets, t)
}
