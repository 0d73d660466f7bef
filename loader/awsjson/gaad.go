package awsjson

import (
	"strings"
	"time"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

// gaad loads the output of `aws iam get-account-authorization-details`:
// users, groups and roles with their inline policies, attachments,
// boundaries, memberships and instance profiles, and the managed policies
// with every version.
//
// References within the file are resolved here (an attachment to a policy
// in the same dump, a GroupList name, an instance profile's role); the
// reference text is always kept, so loader.Link can resolve the rest
// across files and from the embedded AWS managed policies.
type gaad struct {
	*decoder
	m        *iam.Model
	accounts map[string]*iam.Account
	arns     map[string]string // ARN → address of its first principal or policy
	policies map[string]*iam.ManagedPolicy
	groups   map[string]*iam.Group // by account and name
	roles    map[string]*iam.Role  // by ARN
	profiles map[string]*iam.InstanceProfile

	attachments []*iam.Attachment
	memberships []*iam.Membership
}

func loadGAAD(d *decoder, v *jsonpos.Value) *iam.Model {
	g := &gaad{
		decoder:  d,
		m:        &iam.Model{},
		accounts: map[string]*iam.Account{},
		arns:     map[string]string{},
		policies: map[string]*iam.ManagedPolicy{},
		groups:   map[string]*iam.Group{},
		roles:    map[string]*iam.Role{},
		profiles: map[string]*iam.InstanceProfile{},
	}
	if v.Kind != jsonpos.Object {
		d.errorf(v.Range, "Unexpected JSON type", "Authorization details must be an object with UserDetailList, GroupDetailList, RoleDetailList and Policies; found %s.", v.Kind.Phrase())
		return g.m
	}
	if t := field(v, "IsTruncated"); t != nil && t.Kind == jsonpos.Bool && t.Bool {
		d.warnf(t.Range, "Incomplete authorization details",
			"This is one page of the results (IsTruncated is true): principals and policies on later pages are missing. Run aws iam get-account-authorization-details without --max-items so the CLI fetches every page.")
	}
	d.objects(v, "UserDetailList", "", g.user)
	d.objects(v, "GroupDetailList", "", g.group)
	d.objects(v, "RoleDetailList", "", g.role)
	d.objects(v, "Policies", "", g.policy)
	g.resolve()
	return g.m
}

// required reads a string member that AWS always sends.
func (g *gaad) required(obj *jsonpos.Value, key, ptr string) string {
	if field(obj, key) == nil {
		g.errorf(obj.Range, "Missing field", "%s has no %s.", ptr, key)
		return ""
	}
	return g.str(obj, key, ptr)
}

// unique reports whether arn is seen for the first time in the file,
// warning about repeats (which a concatenation of pages can produce).
func (g *gaad) unique(obj *jsonpos.Value, arn, ptr string) bool {
	if arn == "" {
		return true
	}
	if first, ok := g.arns[arn]; ok {
		g.warnf(obj.Range, "Duplicate entry", "%s repeats %s, already listed at %s; this entry is ignored.", ptr, arn, first)
		return false
	}
	g.arns[arn] = g.addr(ptr)
	return true
}

// account returns the account ID of the ARN in obj's Arn member and makes
// sure the model has that account; the account's range is that of the
// first ARN naming it.
func (g *gaad) account(obj *jsonpos.Value, arn string) string {
	id := iam.AccountOf(arn)
	if id == "" {
		if v := field(obj, "Arn"); v != nil && arn != "" && !strings.HasPrefix(arn, "arn:") {
			g.warnf(v.Range, "Not an ARN", "%q is not an Amazon Resource Name (arn:partition:iam::account:...).", arn)
		}
		return ""
	}
	if g.accounts[id] == nil {
		a := &iam.Account{Node: iam.Node{Addr: "account:" + id, Range: field(obj, "Arn").Range}, ID: id}
		g.accounts[id] = a
		g.m.Accounts = append(g.m.Accounts, a)
	}
	return id
}

func (g *gaad) identity(obj *jsonpos.Value, ptr, nameKey, inlineKey string) (iam.Identity, bool) {
	id := iam.Identity{
		Node: iam.Node{Addr: g.addr(ptr), Range: obj.Range},
		Name: g.required(obj, nameKey, ptr),
		Path: g.str(obj, "Path", ptr),
		ARN:  g.required(obj, "Arn", ptr),
	}
	if !g.unique(obj, id.ARN, ptr) {
		return id, false
	}
	if id.Path == "" {
		id.Path = "/"
	}
	id.Account = g.account(obj, id.ARN)
	id.Inline = g.inline(obj, inlineKey, ptr)
	id.Attached = g.attached(obj, ptr)
	if b := g.object(obj, "PermissionsBoundary", ptr); b != nil {
		p := join(ptr, "PermissionsBoundary")
		id.Boundary = &iam.Attachment{Node: iam.Node{Addr: g.addr(p), Range: b.Range}, PolicyRef: g.required(b, "PermissionsBoundaryArn", p)}
		g.attachments = append(g.attachments, id.Boundary)
	}
	id.Tags = g.tags(obj, ptr)
	return id, true
}

func (g *gaad) inline(obj *jsonpos.Value, key, ptr string) []*iam.InlinePolicy {
	var out []*iam.InlinePolicy
	g.objects(obj, key, ptr, func(p *jsonpos.Value, pp string) {
		ip := &iam.InlinePolicy{Name: g.required(p, "PolicyName", pp)}
		if doc := field(p, "PolicyDocument"); doc == nil {
			g.errorf(p.Range, "Missing field", "%s has no PolicyDocument.", pp)
		} else {
			ip.PolicyDocument = *g.policyDoc(doc, iam.KindIdentity, g.addr(pp))
		}
		ip.Addr, ip.Range = g.addr(pp), p.Range
		out = append(out, ip)
	})
	return out
}

func (g *gaad) attached(obj *jsonpos.Value, ptr string) []*iam.Attachment {
	var out []*iam.Attachment
	g.objects(obj, "AttachedManagedPolicies", ptr, func(a *jsonpos.Value, ap string) {
		at := &iam.Attachment{Node: iam.Node{Addr: g.addr(ap), Range: a.Range}, PolicyRef: g.required(a, "PolicyArn", ap)}
		out = append(out, at)
		g.attachments = append(g.attachments, at)
	})
	return out
}

func (g *gaad) user(obj *jsonpos.Value, ptr string) {
	id, ok := g.identity(obj, ptr, "UserName", "UserPolicyList")
	if !ok {
		return
	}
	u := &iam.User{Identity: id}
	for i, e := range g.array(obj, "GroupList", ptr) {
		p := join(ptr, "GroupList") + index(i)
		if e.Kind != jsonpos.String {
			g.errorf(e.Range, "Unexpected JSON type", "%s must be a group name (a string); found %s.", p, e.Kind.Phrase())
			continue
		}
		m := &iam.Membership{Node: iam.Node{Addr: g.addr(p), Range: e.Range}, User: u, UserName: u.Name, GroupName: e.Str}
		u.Groups = append(u.Groups, m)
		g.memberships = append(g.memberships, m)
	}
	g.m.Users = append(g.m.Users, u)
}

func (g *gaad) group(obj *jsonpos.Value, ptr string) {
	grp := &iam.Group{
		Node: iam.Node{Addr: g.addr(ptr), Range: obj.Range},
		Name: g.required(obj, "GroupName", ptr),
		Path: g.str(obj, "Path", ptr),
		ARN:  g.required(obj, "Arn", ptr),
	}
	if !g.unique(obj, grp.ARN, ptr) {
		return
	}
	if grp.Path == "" {
		grp.Path = "/"
	}
	grp.Account = g.account(obj, grp.ARN)
	grp.Inline = g.inline(obj, "GroupPolicyList", ptr)
	grp.Attached = g.attached(obj, ptr)
	if k := grp.Account + "\x00" + grp.Name; g.groups[k] == nil {
		g.groups[k] = grp
	}
	g.m.Groups = append(g.m.Groups, grp)
}

func (g *gaad) role(obj *jsonpos.Value, ptr string) {
	id, ok := g.identity(obj, ptr, "RoleName", "RolePolicyList")
	if !ok {
		return
	}
	r := &iam.Role{Identity: id, MaxSessionDuration: g.integer(obj, "MaxSessionDuration", ptr)}
	if doc := field(obj, "AssumeRolePolicyDocument"); doc == nil {
		g.errorf(obj.Range, "Missing field", "%s has no AssumeRolePolicyDocument.", ptr)
	} else {
		r.Trust = g.policyDoc(doc, iam.KindTrust, g.addr(join(ptr, "AssumeRolePolicyDocument")))
	}
	if lu := g.object(obj, "RoleLastUsed", ptr); lu != nil {
		r.LastUsed = g.date(lu, "LastUsedDate", join(ptr, "RoleLastUsed"))
	}
	g.objects(obj, "InstanceProfileList", ptr, func(ip *jsonpos.Value, pp string) { g.profile(ip, pp, r) })
	if r.ARN != "" {
		g.roles[r.ARN] = r
	}
	g.m.Roles = append(g.m.Roles, r)
}

// profile records an instance profile listed under role r. A profile is
// one model object however many roles list it.
func (g *gaad) profile(obj *jsonpos.Value, ptr string, r *iam.Role) {
	arn := g.required(obj, "Arn", ptr)
	ip := g.profiles[arn]
	if ip == nil {
		ip = &iam.InstanceProfile{
			Node: iam.Node{Addr: g.addr(ptr), Range: obj.Range},
			Name: g.required(obj, "InstanceProfileName", ptr),
			Path: g.str(obj, "Path", ptr),
			ARN:  arn,
		}
		g.objects(obj, "Roles", ptr, func(rv *jsonpos.Value, rp string) {
			ref := g.str(rv, "Arn", rp)
			if ref == "" {
				ref = g.str(rv, "RoleName", rp)
			}
			if ref != "" {
				ip.RoleRefs = append(ip.RoleRefs, ref)
			}
		})
		if arn != "" {
			g.profiles[arn] = ip
		}
		g.m.InstanceProfiles = append(g.m.InstanceProfiles, ip)
	}
	link(ip, r)
}

// link records that role r is in profile ip, both ways, once.
func link(ip *iam.InstanceProfile, r *iam.Role) {
	if !contains(ip.Roles, r) {
		ip.Roles = append(ip.Roles, r)
	}
	if !contains(r.InstanceProfiles, ip) {
		r.InstanceProfiles = append(r.InstanceProfiles, ip)
	}
	if r.ARN != "" && !contains(ip.RoleRefs, r.ARN) && !contains(ip.RoleRefs, r.Name) {
		ip.RoleRefs = append(ip.RoleRefs, r.ARN)
	}
}

func contains[T comparable](s []T, x T) bool {
	for _, e := range s {
		if e == x {
			return true
		}
	}
	return false
}

func (g *gaad) policy(obj *jsonpos.Value, ptr string) {
	p := &iam.ManagedPolicy{
		Node:            iam.Node{Addr: g.addr(ptr), Range: obj.Range},
		Name:            g.required(obj, "PolicyName", ptr),
		Path:            g.str(obj, "Path", ptr),
		ARN:             g.required(obj, "Arn", ptr),
		DefaultVersion:  g.str(obj, "DefaultVersionId", ptr),
		AttachmentCount: g.integer(obj, "AttachmentCount", ptr),
	}
	if !g.unique(obj, p.ARN, ptr) {
		return
	}
	if p.Path == "" {
		p.Path = "/"
	}
	p.AWSManaged = strings.Contains(p.ARN, ":iam::aws:policy/")
	if !p.AWSManaged {
		g.account(obj, p.ARN)
	}
	g.objects(obj, "PolicyVersionList", ptr, func(vv *jsonpos.Value, vp string) {
		pv := &iam.PolicyVersion{}
		if doc := field(vv, "Document"); doc == nil {
			g.errorf(vv.Range, "Missing field", "%s has no Document.", vp)
		} else {
			pv.PolicyDocument = *g.policyDoc(doc, iam.KindIdentity, g.addr(vp))
		}
		pv.Addr, pv.Range = g.addr(vp), vv.Range
		pv.VersionID = g.str(vv, "VersionId", vp)
		pv.IsDefault = g.boolean(vv, "IsDefaultVersion", vp)
		pv.Created = g.date(vv, "CreateDate", vp)
		if pv.IsDefault {
			if p.Default != nil {
				g.errorf(vv.Range, "Two default versions", "%s and an earlier version are both marked IsDefaultVersion; a policy has one default version.", vp)
			} else {
				p.Default = &pv.PolicyDocument
				if p.DefaultVersion != "" && pv.VersionID != p.DefaultVersion {
					g.warnf(vv.Range, "Inconsistent default version",
						"%s is marked IsDefaultVersion but the policy's DefaultVersionId is %q; %s is used.", vp, p.DefaultVersion, pv.VersionID)
				}
				p.DefaultVersion = pv.VersionID
			}
		}
		p.Versions = append(p.Versions, pv)
	})
	if p.Default == nil && len(p.Versions) > 0 {
		// No version carries the flag: trust DefaultVersionId.
		for _, pv := range p.Versions {
			if pv.VersionID == p.DefaultVersion && p.DefaultVersion != "" {
				pv.IsDefault = true
				p.Default = &pv.PolicyDocument
				break
			}
		}
		if p.Default == nil {
			g.warnf(obj.Range, "No default version",
				"%s lists %d versions but none is the default (DefaultVersionId %q); the policy's permissions are unknown.", ptr, len(p.Versions), p.DefaultVersion)
		}
	}
	if p.ARN != "" {
		g.policies[p.ARN] = p
	}
	g.m.Policies = append(g.m.Policies, p)
}

// date reads an RFC 3339 time, as the AWS CLI prints them; a value that
// is not one is reported and dropped.
func (g *gaad) date(obj *jsonpos.Value, key, ptr string) string {
	s := g.str(obj, key, ptr)
	if s == "" {
		return ""
	}
	if _, err := time.Parse(time.RFC3339, s); err != nil {
		g.warnf(field(obj, key).Range, "Invalid date", "%s is %q, which is not an RFC 3339 time such as 2024-05-01T12:00:00Z; it is ignored.", join(ptr, key), s)
		return ""
	}
	return s
}

// resolve links the references that point within the file.
func (g *gaad) resolve() {
	for _, a := range g.attachments {
		if p := g.policies[a.PolicyRef]; p != nil {
			a.Policy = p
		}
	}
	for _, m := range g.memberships {
		if grp := g.groups[m.User.Account+"\x00"+m.GroupName]; grp != nil {
			m.Group = grp
			grp.Members = append(grp.Members, m)
		}
	}
	for _, ip := range g.m.InstanceProfiles {
		for _, ref := range ip.RoleRefs {
			if r := g.roles[ref]; r != nil {
				link(ip, r)
			}
		}
	}
}
