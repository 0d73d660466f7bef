package cloudformation

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

// External principals: a user, group or role the template names (usually
// one created outside the stack) without declaring it. What the template
// attaches to it is kept on a stub marked External, one per (type,
// account, name) per template, so no grant is lost; loader.Link merges
// the stub into the real principal when another input declares it. Naming
// such a principal is ordinary practice, so it is not reported; a name
// only known at deployment still is.

// principal finds the principal text names: a resource of the template,
// else an external stub; nil only when the name is unknown (or not a name
// or ARN of that kind).
func (t *template) principal(v *jsonpos.Value, text string, unknown bool, typ string) *resource {
	if r := t.target(v, text, typ); r != nil {
		return r
	}
	if unknown || text == "" || v == nil {
		return nil
	}
	kind := map[string]string{typeUser: "user", typeGroup: "group", typeRole: "role"}[typ]
	if kind == "" {
		return nil
	}
	name, path, arn, account := text, "/", "", accountID
	n := iam.Node{Range: v.Range}
	if a, ok := iam.ParseARN(text); ok {
		res, found := strings.CutPrefix(a.Resource, kind+"/")
		if a.Service != "iam" || !found || res == "" {
			return nil
		}
		arn, account = text, a.Account
		name = res[strings.LastIndexByte(res, '/')+1:]
		path = "/" + res[:len(res)-len(name)]
	} else {
		// A name says nothing of the path: "/" stands in for it.
		arn = "arn:" + partition + ":iam::" + accountID + ":" + kind + "/" + name
		n.Unknown = append(n.Unknown, "ARN", "Path")
	}
	if account == accountID {
		n.Unknown = append(n.Unknown, "Account")
	}
	slices.Sort(n.Unknown)
	key := [3]string{typ, account, name}
	if r := t.externals[key]; r != nil {
		earliest(r, v.Range)
		return r
	}
	label := name
	if account != accountID {
		label = arn // another account's principal: the name alone is ambiguous
	}
	n.Addr = t.path + `#external ` + kind + ` "` + strings.ReplaceAll(label, `"`, `\"`) + `"`
	r := &resource{id: n.Addr, typ: typ, addr: n.Addr, rng: v.Range, name: name, path: path, arn: arn, idState: idDone}
	id := iam.Identity{Node: n, Name: name, Path: path, ARN: arn, Account: account, External: true}
	switch typ {
	case typeUser:
		r.user = &iam.User{Identity: id}
		t.model.Users = append(t.model.Users, r.user)
	case typeGroup:
		r.group = &iam.Group{Node: n, Name: name, Path: path, ARN: arn, Account: account, External: true}
		t.model.Groups = append(t.model.Groups, r.group)
	case typeRole:
		r.role = &iam.Role{Identity: id}
		t.model.Roles = append(t.model.Roles, r.role)
	}
	if t.externals == nil {
		t.externals = map[[3]string]*resource{}
	}
	t.externals[key] = r
	return r
}

// earliest makes a stub's range its first reference in the text,
// whatever order the references were read in.
func earliest(r *resource, rng hcl.Range) {
	if rng.Start.Byte >= r.rng.Start.Byte {
		return
	}
	r.rng = rng
	switch {
	case r.user != nil:
		r.user.Range = rng
	case r.group != nil:
		r.group.Range = rng
	case r.role != nil:
		r.role.Range = rng
	}
}
