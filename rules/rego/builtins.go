package rego

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

// Built-in functions backed by the analyzer, so that rules ask questions
// ("may this role read that bucket?") instead of re-implementing IAM's
// evaluation in Rego. They answer about the model of the evaluation they
// are called in: the run's, or in `iamlint rules test` the fixture the
// test sets as input. A principal is named by its ID; an ID that names no
// user or role is an error, so a typo does not pass as "no".

// Builtin documents one built-in function.
type Builtin struct {
	Name        string
	Description string
	args        []*types.NamedType
	result      *types.NamedType
	impl        func(f *facts, args []*ast.Term) (*ast.Term, error)
}

// Signature renders the call: iamlint.allows(principal, action, resource).
func (b *Builtin) Signature() string {
	names := make([]string, len(b.args))
	for i, a := range b.args {
		names[i] = a.Name
	}
	return b.Name + "(" + strings.Join(names, ", ") + ")"
}

func named(name string, t types.Type, desc string) *types.NamedType {
	return types.Named(name, t).Description(desc)
}

var (
	triType     = named("answer", types.S, `"yes", "conditional" or "no"`)
	idsType     = named("ids", types.NewArray(nil, types.S), "IDs, sorted")
	actionsType = named("actions", types.NewArray(nil, types.S), "action names, sorted")
)

// Builtins returns the built-in functions, in the order the
// documentation lists them.
func Builtins() []*Builtin {
	principal := named("principal", types.S, "the ID of a user or role")
	return []*Builtin{
		{
			Name: "iamlint.allows",
			Description: `Whether the principal's policies (identity policies, boundary, SCPs, denies) allow
the action on the resource, evaluated as AWS does: "yes" in every request, "conditional" in
some (conditions on MFA, source IP, tags... or values the loaders could not determine), "no".
The resource is an ARN ("*" for actions that take none). Where AWS also needs the resource's
own policy (a bucket policy, a key policy) the answer assumes it lets the principal's account in.`,
			args:   []*types.NamedType{principal, named("action", types.S, `an action, "s3:GetObject"`), named("resource", types.S, "an ARN")},
			result: triType,
			impl:   (*facts).allows,
		},
		{
			Name: "iamlint.holds",
			Description: `Whether the principal may perform every action the pattern matches ("iam:*",
"s3:Get*"), on some resource: "yes" when each is allowed for sure on every resource no deny
names, "conditional" when each is allowed at least in some requests or on some resources,
"no" when some action is not allowed at all.`,
			args:   []*types.NamedType{principal, named("pattern", types.S, "an action pattern")},
			result: triType,
			impl:   (*facts).holds,
		},
		{
			Name: "iamlint.holders",
			Description: `The principals that hold the pattern, as iamlint.holds decides it for each: an
object mapping their IDs to "yes" or "conditional". One call answers for the whole account,
which is much faster on big accounts than iamlint.holds on every principal.`,
			args:   []*types.NamedType{named("pattern", types.S, "an action pattern")},
			result: named("holders", types.NewObject(nil, types.NewDynamicProperty(types.S, types.S)), `principal ID → "yes" or "conditional"`),
			impl:   (*facts).holders,
		},
		{
			Name:        "iamlint.granted",
			Description: `The actions matching the pattern that the principal may perform on some resource, in some request.`,
			args:        []*types.NamedType{principal, named("pattern", types.S, "an action pattern")},
			result:      actionsType,
			impl:        (*facts).granted,
		},
		{
			Name: "iamlint.can_reach_admin",
			Description: `Whether the principal is, or can make itself, an administrator (every action on
every resource): "yes" when it is one or its shortest escalation path ends as one for sure,
"conditional" when only under conditions, "no" otherwise. input.escalations has the paths.`,
			args:   []*types.NamedType{principal},
			result: triType,
			impl:   (*facts).canReachAdmin,
		},
		{
			Name: "iamlint.reachable_roles",
			Description: `The roles that the principals (one ID, or an array or set of IDs) can assume,
directly or through a chain of role assumptions (each step allowed by the caller's policies
and the role's trust policy): an object mapping each role's ID to the ID of the principal it
is reached from, the nearest one when several reach it. A principal given is not in it unless
another one given reaches it.`,
			args:   []*types.NamedType{named("principals", types.A, "an ID, or an array or set of IDs of users and roles")},
			result: named("roles", types.NewObject(nil, types.NewDynamicProperty(types.S, types.S)), "role ID → the principal it is reached from"),
			impl:   (*facts).reachableRoles,
		},
		{
			Name: "iamlint.assumers",
			Description: `The principals of the model that may assume the role, each an object
{"from": ID, "allowed": "yes"|"conditional", "mfa": bool, "external_id": bool} (mfa and
external_id: the admitting trust statement requires them), sorted by "from".`,
			args:   []*types.NamedType{named("role", types.S, "the ID of a role")},
			result: named("assumers", types.NewArray(nil, types.A), "objects"),
			impl:   (*facts).assumers,
		},
		{
			Name: "iamlint.who_can",
			Description: `The principals whose own policies may allow the action on the resource ("" for
any resource), each an object {"principal": ID, "allowed": "yes"|"conditional"}, sorted by
ID. Principals that get there by assuming roles or escalating are not included.`,
			args:   []*types.NamedType{named("action", types.S, "an action"), named("resource", types.S, `an ARN, or "" for any`)},
			result: named("principals", types.NewArray(nil, types.A), "objects"),
			impl:   (*facts).whoCan,
		},
		{
			Name: "iamlint.permissions",
			Description: `The principal's effective permissions, as input.permissions[principal] has them
(admin, per service and access level), computed for this principal only: what rules that look
at a few principals use on big accounts.`,
			args:   []*types.NamedType{principal},
			result: named("permissions", types.A, "an object"),
			impl:   (*facts).permissions,
		},
		{
			Name:        "iamlint.actions",
			Description: `The actions of the service authorization reference the pattern matches ("s3:Get*", "iam:*").`,
			args:        []*types.NamedType{named("pattern", types.S, "an action pattern")},
			result:      actionsType,
			impl:        (*facts).actions,
		},
		{
			Name: "iamlint.resource_types",
			Description: `The resource types an action can be scoped to ("object", "bucket" for
s3:GetObject... as "s3:object"), sorted; empty for an action that only works on Resource "*"
(s3:ListAllMyBuckets, ec2:DescribeInstances) and for actions the reference does not list.`,
			args:   []*types.NamedType{named("action", types.S, "an action")},
			result: named("types", types.NewArray(nil, types.S), `resource types, "service:type"`),
			impl:   (*facts).resourceTypes,
		},
		{
			Name: "iamlint.access_level",
			Description: `An action's access level: "list", "read", "write", "tagging" or
"permissions-management"; "unknown" for an action the reference does not list.`,
			args:   []*types.NamedType{named("action", types.S, "an action")},
			result: named("level", types.S, "the level"),
			impl:   (*facts).accessLevel,
		},
	}
}

// decl returns the compiler's declaration of a built-in.
func (b *Builtin) decl() *ast.Builtin {
	args := make([]types.Type, len(b.args))
	for i, a := range b.args {
		args[i] = a
	}
	return &ast.Builtin{Name: b.Name, Description: b.Description, Decl: types.NewFunction(args, b.result)}
}

// option returns the rego option that adds the built-in's
// implementation; it reads the facts from the evaluation's context.
func (b *Builtin) option() func(*rego.Rego) {
	d := b.decl()
	return rego.FunctionDyn(&rego.Function{Name: b.Name, Decl: d.Decl, Memoize: true}, func(bctx rego.BuiltinContext, terms []*ast.Term) (*ast.Term, error) {
		f, _ := bctx.Context.Value(factsKey{}).(*facts)
		if f == nil {
			return nil, fmt.Errorf("%s needs a model: in a test, set input to a fixture (with input as data.fixtures.NAME)", b.Name)
		}
		return b.impl(f, terms)
	})
}

// factsKey carries the facts of an evaluation in its context.
type factsKey struct{}

func withFacts(ctx context.Context, f *facts) context.Context {
	return context.WithValue(ctx, factsKey{}, f)
}

// facts answers the built-ins' questions about one model. Its caches are
// shared by every rule of a run.
type facts struct {
	in  *rules.Input
	a   *analyzer.Analysis
	cat *catalog.Catalog

	mu     sync.Mutex
	expand map[string]catalog.Set
	perms  map[*analyzer.Node]*ast.Term
}

func newFacts(in *rules.Input) *facts {
	return &facts{in: in, a: in.Analysis(), cat: catalog.Default(), expand: map[string]catalog.Set{}, perms: map[*analyzer.Node]*ast.Term{}}
}

func str(t *ast.Term, what string) (string, error) {
	s, ok := t.Value.(ast.String)
	if !ok {
		return "", fmt.Errorf("the %s must be a string, not %s", what, ast.ValueName(t.Value))
	}
	return string(s), nil
}

// principal resolves a principal ID.
func (f *facts) principal(t *ast.Term) (*analyzer.Node, error) {
	id, err := str(t, "principal")
	if err != nil {
		return nil, err
	}
	n := f.a.Graph.Node(id)
	if n == nil || (n.Kind != analyzer.KindUser && n.Kind != analyzer.KindRole) {
		return nil, fmt.Errorf("no user or role has the ID %q", id)
	}
	return n, nil
}

// pattern expands an action pattern, which must match some action.
func (f *facts) pattern(t *ast.Term) (catalog.Set, error) {
	p, err := str(t, "pattern")
	if err != nil {
		return nil, err
	}
	key := strings.ToLower(p)
	f.mu.Lock()
	defer f.mu.Unlock()
	if s, ok := f.expand[key]; ok {
		return s, nil
	}
	s := f.cat.ExpandSet(key)
	if s.Empty() {
		return nil, fmt.Errorf("the pattern %q matches no action of the service authorization reference", p)
	}
	f.expand[key] = s
	return s, nil
}

func triTerm(t iam.Tri) *ast.Term { return ast.StringTerm(tri(t)) }

func (f *facts) allows(args []*ast.Term) (*ast.Term, error) {
	n, err := f.principal(args[0])
	if err != nil {
		return nil, err
	}
	action, err := str(args[1], "action")
	if err != nil {
		return nil, err
	}
	if strings.ContainsAny(action, "*?") {
		return nil, fmt.Errorf("%q is a pattern, not an action: ask iamlint.holds or iamlint.granted", action)
	}
	resource, err := str(args[2], "resource")
	if err != nil {
		return nil, err
	}
	p := f.a.Permissions(n)
	if act := f.cat.Action(action); act != nil && !p.Actions.Has(act.Index) {
		return triTerm(iam.No), nil
	}
	return triTerm(p.Decide(action, resource).Allowed), nil
}

// subset reports whether every action of s is in t.
func subset(s, t catalog.Set) bool {
	for i, w := range s {
		var o uint64
		if i < len(t) {
			o = t[i]
		}
		if w&^o != 0 {
			return false
		}
	}
	return true
}

func (f *facts) holds(args []*ast.Term) (*ast.Term, error) {
	n, err := f.principal(args[0])
	if err != nil {
		return nil, err
	}
	s, err := f.pattern(args[1])
	if err != nil {
		return nil, err
	}
	p := f.a.Permissions(n)
	switch {
	case subset(s, p.Some):
		return triTerm(iam.Yes), nil
	case subset(s, p.Actions):
		return triTerm(iam.Maybe), nil
	}
	return triTerm(iam.No), nil
}

func (f *facts) holders(args []*ast.Term) (*ast.Term, error) {
	s, err := f.pattern(args[0])
	if err != nil {
		return nil, err
	}
	out := ast.NewObject()
	for _, n := range f.a.Graph.Principals() {
		p := f.a.Permissions(n)
		switch {
		case subset(s, p.Some):
			out.Insert(ast.StringTerm(n.ID), triTerm(iam.Yes))
		case subset(s, p.Actions):
			out.Insert(ast.StringTerm(n.ID), triTerm(iam.Maybe))
		}
	}
	return ast.NewTerm(out), nil
}

func (f *facts) granted(args []*ast.Term) (*ast.Term, error) {
	n, err := f.principal(args[0])
	if err != nil {
		return nil, err
	}
	s, err := f.pattern(args[1])
	if err != nil {
		return nil, err
	}
	p := f.a.Permissions(n)
	actions := f.cat.Actions()
	var out []*ast.Term
	for i := range s.All() {
		if p.Actions.Has(i) {
			out = append(out, ast.StringTerm(actions[i].FullName()))
		}
	}
	return ast.ArrayTerm(out...), nil
}

func (f *facts) canReachAdmin(args []*ast.Term) (*ast.Term, error) {
	n, err := f.principal(args[0])
	if err != nil {
		return nil, err
	}
	best := f.a.Permissions(n).Admin
	if best != iam.Yes {
		if e := f.a.EscalationOf(n); e != nil && e.Admin != iam.No {
			best = max(best, min(e.Allowed(), e.Admin))
		}
	}
	return triTerm(best), nil
}

func (f *facts) reachableRoles(args []*ast.Term) (*ast.Term, error) {
	var starts []*ast.Term
	switch v := args[0].Value.(type) {
	case ast.String:
		starts = []*ast.Term{args[0]}
	case *ast.Array:
		v.Foreach(func(t *ast.Term) { starts = append(starts, t) })
	case ast.Set:
		starts = v.Slice()
	default:
		return nil, fmt.Errorf("the principals must be an ID or an array or set of IDs, not %s", ast.ValueName(v))
	}
	// One breadth-first search from every start: each role is reached
	// from its nearest start (the first given, at equal distance).
	from := map[*analyzer.Node]*analyzer.Node{}
	var queue []*analyzer.Node
	given := map[*analyzer.Node]bool{}
	for _, t := range starts {
		n, err := f.principal(t)
		if err != nil {
			return nil, err
		}
		if !given[n] {
			given[n] = true
			queue = append(queue, n)
			from[n] = n
		}
	}
	out := ast.NewObject()
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, as := range f.a.Assumable(cur) {
			if _, seen := from[as.Role]; seen {
				if given[as.Role] && from[as.Role] == as.Role && as.Role != from[cur] {
					// A start reached from another start.
					from[as.Role] = from[cur]
					out.Insert(ast.StringTerm(as.Role.ID), ast.StringTerm(from[cur].ID))
				}
				continue
			}
			from[as.Role] = from[cur]
			out.Insert(ast.StringTerm(as.Role.ID), ast.StringTerm(from[cur].ID))
			queue = append(queue, as.Role)
		}
	}
	return ast.NewTerm(out), nil
}

func stringsTerm(ss []string) *ast.Term {
	out := make([]*ast.Term, len(ss))
	for i, s := range ss {
		out[i] = ast.StringTerm(s)
	}
	return ast.ArrayTerm(out...)
}

func (f *facts) assumers(args []*ast.Term) (*ast.Term, error) {
	id, err := str(args[0], "role")
	if err != nil {
		return nil, err
	}
	n := f.a.Graph.Node(id)
	if n == nil || n.Kind != analyzer.KindRole {
		return nil, fmt.Errorf("no role has the ID %q", id)
	}
	list := slices.Clone(f.a.Assumers(n))
	slices.SortFunc(list, func(x, y *analyzer.Assumption) int { return strings.Compare(x.From.ID, y.From.ID) })
	out := make([]*ast.Term, len(list))
	for i, as := range list {
		out[i] = ast.ObjectTerm(
			ast.Item(ast.StringTerm("from"), ast.StringTerm(as.From.ID)),
			ast.Item(ast.StringTerm("allowed"), triTerm(as.Allowed)),
			ast.Item(ast.StringTerm("mfa"), ast.BooleanTerm(as.MFA)),
			ast.Item(ast.StringTerm("external_id"), ast.BooleanTerm(as.ExternalID)),
		)
	}
	return ast.ArrayTerm(out...), nil
}

func (f *facts) whoCan(args []*ast.Term) (*ast.Term, error) {
	action, err := str(args[0], "action")
	if err != nil {
		return nil, err
	}
	resource, err := str(args[1], "resource")
	if err != nil {
		return nil, err
	}
	var out []*ast.Term
	for _, w := range f.a.WhoCan(action, resource) {
		out = append(out, ast.ObjectTerm(
			ast.Item(ast.StringTerm("principal"), ast.StringTerm(w.Principal.ID)),
			ast.Item(ast.StringTerm("allowed"), triTerm(w.Allowed)),
		))
	}
	return ast.ArrayTerm(out...), nil
}

func (f *facts) permissions(args []*ast.Term) (*ast.Term, error) {
	n, err := f.principal(args[0])
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if t, ok := f.perms[n]; ok {
		return t, nil
	}
	t := ast.NewTerm(toValue(permissionsOf(f.a.Permissions(n))))
	f.perms[n] = t
	return t, nil
}

func (f *facts) actions(args []*ast.Term) (*ast.Term, error) {
	s, err := f.pattern(args[0])
	if err != nil {
		return nil, err
	}
	actions := f.cat.Actions()
	var out []*ast.Term
	for i := range s.All() {
		out = append(out, ast.StringTerm(actions[i].FullName()))
	}
	return ast.ArrayTerm(out...), nil
}

func (f *facts) accessLevel(args []*ast.Term) (*ast.Term, error) {
	name, err := str(args[0], "action")
	if err != nil {
		return nil, err
	}
	act := f.cat.Action(name)
	if act == nil || int(act.Access) >= len(levelNames) || levelNames[act.Access] == "" {
		return ast.StringTerm(Unknown), nil
	}
	return ast.StringTerm(levelNames[act.Access]), nil
}

func (f *facts) resourceTypes(args []*ast.Term) (*ast.Term, error) {
	name, err := str(args[0], "action")
	if err != nil {
		return nil, err
	}
	var out []string
	if act := f.cat.Action(name); act != nil {
		for _, r := range act.Resources {
			out = append(out, r.Type.String())
		}
	}
	slices.Sort(out)
	return stringsTerm(out), nil
}
