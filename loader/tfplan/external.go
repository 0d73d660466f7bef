package tfplan

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
)

// External principals: a user, group or role the plan names without
// holding it (one that exists in the account already). What the plan
// attaches to it is kept on a stub marked External, one per (type,
// account, name) per plan, so no grant is lost; loader.Link merges the
// stub into the real principal when another input declares it. That is
// ordinary Terraform practice, so it is not reported; a name only known
// after apply still is.

// external returns the stub instance of the principal of type typ that
// name (a name or an ARN) refers to, creating it on first use; nil when
// name cannot name such a principal.
func (p *plan) external(typ, name string, rng hcl.Range) *instance {
	kind := map[string]string{tUser: "user", tGroup: "group", tRole: "role"}[typ]
	if kind == "" || name == "" {
		return nil
	}
	path, arn, account := "/", "", p.accountID
	n := iam.Node{Range: rng}
	if a, ok := iam.ParseARN(name); ok {
		res, found := strings.CutPrefix(a.Resource, kind+"/")
		if a.Service != "iam" || !found || res == "" {
			return nil
		}
		arn, account = name, a.Account
		name = res[strings.LastIndexByte(res, '/')+1:]
		path = "/" + res[:len(res)-len(name)]
	} else {
		// A name says nothing of the path: "/" stands in for it.
		n.Unknown = append(n.Unknown, "Path")
		arn = "arn:" + p.partition() + ":iam::" + account + ":" + kind + "/" + name
		if !iam.IsAccountID(account) {
			n.Unknown = append(n.Unknown, "ARN")
		}
	}
	if !iam.IsAccountID(account) {
		n.Unknown = append(n.Unknown, "Account")
	}
	slices.Sort(n.Unknown)
	key := [3]string{typ, account, name}
	if in := p.externals[key]; in != nil {
		earliest(in, rng)
		return in
	}
	label := name
	if account != p.accountID {
		label = arn // another account's principal: the name alone is ambiguous
	}
	n.Addr = "external " + kind + ` "` + strings.ReplaceAll(label, `"`, `\"`) + `"`
	in := &instance{addr: n.Addr, typ: typ, name: name}
	id := iam.Identity{Node: n, Name: name, Path: path, ARN: arn, Account: account, External: true}
	switch typ {
	case tUser:
		in.user = &iam.User{Identity: id}
		p.model.Users = append(p.model.Users, in.user)
	case tGroup:
		in.group = &iam.Group{Node: n, Name: name, Path: path, ARN: arn, Account: account, External: true}
		p.model.Groups = append(p.model.Groups, in.group)
	case tRole:
		in.role = &iam.Role{Identity: id}
		p.model.Roles = append(p.model.Roles, in.role)
	}
	if p.externals == nil {
		p.externals = map[[3]string]*instance{}
	}
	p.externals[key] = in
	return in
}

// partition is the partition of the first known principal or policy ARN
// of the plan, "aws" when there is none.
func (p *plan) partition() string {
	for _, in := range p.insts {
		if v, _ := in.attr("arn"); v != nil {
			if a, ok := iam.ParseARN(v.Str); ok && a.Partition != "" && !strings.HasPrefix(a.Partition, "$") {
				return a.Partition
			}
		}
	}
	return "aws"
}

// earliest makes a stub's range its first reference in the plan file,
// whatever order the references were read in.
func earliest(in *instance, rng hcl.Range) {
	var n *iam.Node
	switch {
	case in.user != nil:
		n = &in.user.Node
	case in.group != nil:
		n = &in.group.Node
	case in.role != nil:
		n = &in.role.Node
	}
	if n != nil && rng.Start.Byte < n.Range.Start.Byte {
		n.Range = rng
	}
}
