package terraform

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

// External principals: a user, group or role a configuration refers to by
// name (or ARN) without declaring it, usually because it exists in the
// account already. What the configuration attaches to it is kept on a
// stub marked External, one per (kind, account, name) per load, so no
// grant is lost; loader.Link merges the stub into the real principal when
// another input declares it. Referring to such a principal is ordinary
// Terraform practice, so it is not reported.

// externalRef is what a reference to an undeclared principal tells.
type externalRef struct {
	node         iam.Node
	name, path   string
	arn, account string
	key          string // kind, account and name: the stub's identity
}

// externalRef reads a reference to an undeclared principal of kind
// ("user", "group", "role"). ok is false when its name is not known
// statically: such a reference cannot be tied to a principal.
func (b *builder) externalRef(kind string, n *pnode, fallback hcl.Range) (externalRef, bool) {
	if n == nil || n.unknown || n.kind != jsonpos.String || n.str == "" || isSymbolic(n.str) {
		return externalRef{}, false
	}
	r := b.r
	e := externalRef{name: n.str, path: "/", account: r.account}
	rng := n.rng
	if rng.Filename == "" {
		rng = fallback
	}
	if a, ok := iam.ParseARN(n.str); ok {
		res, found := strings.CutPrefix(a.Resource, kind+"/")
		if a.Service != "iam" || !found || res == "" {
			return externalRef{}, false
		}
		e.arn, e.account = n.str, a.Account
		e.name = res[strings.LastIndexByte(res, '/')+1:]
		e.path = "/" + res[:len(res)-len(e.name)]
	} else {
		// The path is not in a reference by name: "/" stands in for it.
		e.node.Unknown = append(e.node.Unknown, "Path")
		e.arn = "arn:" + r.partition + ":iam::" + r.account + ":" + kind + "/" + e.name
		if r.symbolic {
			e.node.Unknown = append(e.node.Unknown, "ARN")
		}
	}
	if e.account == r.account && r.symbolic {
		e.node.Unknown = append(e.node.Unknown, "Account")
	}
	addr := e.name
	if e.account != r.account {
		addr = e.arn // another account's principal: the name alone is ambiguous
	}
	slices.Sort(e.node.Unknown)
	e.node.Addr = "external " + kind + " " + quote(addr)
	e.node.Range = rng
	e.key = kind + "\x00" + e.account + "\x00" + e.name
	return e, true
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// externalUser returns the stub of the undeclared user n names, creating
// it on first use; nil when the name is not known.
func (b *builder) externalUser(n *pnode, fallback hcl.Range) *iam.User {
	e, ok := b.externalRef("user", n, fallback)
	if !ok {
		return nil
	}
	if u, ok := b.l.externals[e.key].(*iam.User); ok {
		earliest(&u.Node, e.node.Range)
		b.users[n.str] = u
		return u
	}
	u := &iam.User{Identity: e.identity()}
	b.l.externals[e.key] = u
	b.users[n.str] = u
	b.l.model.Users = append(b.l.model.Users, u)
	return u
}

// externalRole is externalUser for roles.
func (b *builder) externalRole(n *pnode, fallback hcl.Range) *iam.Role {
	e, ok := b.externalRef("role", n, fallback)
	if !ok {
		return nil
	}
	if ro, ok := b.l.externals[e.key].(*iam.Role); ok {
		earliest(&ro.Node, e.node.Range)
		b.roles[n.str] = ro
		b.stubARN(ro)
		return ro
	}
	ro := &iam.Role{Identity: e.identity()}
	b.l.externals[e.key] = ro
	b.roles[n.str] = ro
	b.stubARN(ro)
	b.l.model.Roles = append(b.l.model.Roles, ro)
	return ro
}

// stubARN indexes an external role by its ARN for the workloads that name
// it so, unless a declared role has that ARN.
func (b *builder) stubARN(ro *iam.Role) {
	if _, ok := b.roleARNs[ro.ARN]; !ok {
		b.roleARNs[ro.ARN] = ro
	}
}

// externalGroup is externalUser for groups.
func (b *builder) externalGroup(n *pnode, fallback hcl.Range) *iam.Group {
	e, ok := b.externalRef("group", n, fallback)
	if !ok {
		return nil
	}
	if g, ok := b.l.externals[e.key].(*iam.Group); ok {
		earliest(&g.Node, e.node.Range)
		b.groups[n.str] = g
		return g
	}
	id := e.identity()
	g := &iam.Group{Node: id.Node, Name: id.Name, Path: id.Path, ARN: id.ARN, Account: id.Account, External: true}
	b.l.externals[e.key] = g
	b.groups[n.str] = g
	b.l.model.Groups = append(b.l.model.Groups, g)
	return g
}

func (e externalRef) identity() iam.Identity {
	return iam.Identity{Node: e.node, Name: e.name, Path: e.path, ARN: e.arn, Account: e.account, External: true}
}

// user finds the user n names: a declared one, else the external stub
// (nil, with the name as written, when the name is not known).
func (b *builder) user(inst *resInst, n *pnode) (*iam.User, string) {
	u, name := lookup(b.users, n)
	if u == nil || u.External { // a stub again: it may be an earlier reference
		u = b.externalUser(n, inst.decl.defRange)
	}
	return u, name
}

// group is user for groups.
func (b *builder) group(inst *resInst, n *pnode) (*iam.Group, string) {
	g, name := lookup(b.groups, n)
	if g == nil || g.External { // a stub again: it may be an earlier reference
		g = b.externalGroup(n, inst.decl.defRange)
	}
	return g, name
}

// role is user for roles.
func (b *builder) role(inst *resInst, n *pnode) (*iam.Role, string) {
	ro, name := lookup(b.roles, n)
	if ro == nil || ro.External { // a stub again: it may be an earlier reference
		ro = b.externalRole(n, inst.decl.defRange)
	}
	return ro, name
}

// earliest makes a stub's range the first reference to it in source
// order, whatever order the references were evaluated in.
func earliest(n *iam.Node, rng hcl.Range) {
	if c := strings.Compare(rng.Filename, n.Range.Filename); c < 0 || c == 0 && rng.Start.Byte < n.Range.Start.Byte {
		n.Range = rng
	}
}
