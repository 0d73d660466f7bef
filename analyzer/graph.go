// Package analyzer computes facts about an IAM model. It never prints or
// emits findings; rules and commands turn its facts into output.
//
//   - Build makes the Graph: accounts and their root users, users, groups,
//     roles, instance profiles, managed policies, policy documents,
//     workloads, and the services, federated providers and outside
//     principals that trust policies admit; edges member-of, inline,
//     attached, boundary, default, trusts, admits, profile-of, runs-as,
//     applies-to. Statements are reached through their documents
//     (iam.Statement, with source ranges).
//   - Analyze computes every user's and role's effective Permissions
//     (action bitsets over the catalog, after denies, boundaries and SCPs,
//     each grant with its path) and the computed can-assume edges
//     (Assumers, Assumable).
//   - Escalations computes the can-escalate moves: each principal's
//     shortest path to administrator or to a more privileged principal,
//     through the techniques of docs/escalation.md.
package analyzer

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
)

// NodeKind is what a graph node (or a path hop) stands for.
type NodeKind uint8

// Node kinds, in the order Graph.Nodes lists them. KindMembership and
// KindAttachment only appear as path hops: in the graph a membership or an
// attachment is an edge, whose Via is the declaration.
const (
	KindAccount NodeKind = iota
	KindRoot             // an account's root user
	KindUser
	KindGroup
	KindRole
	KindInstanceProfile
	KindPolicy    // a managed policy
	KindDocument  // a policy document: inline, trust, managed default version, org, standalone
	KindWorkload  // a compute resource that runs with a role or instance profile
	KindService   // a service principal a trust policy admits: lambda.amazonaws.com
	KindFederated // a SAML or OIDC provider a trust policy admits
	KindExternal  // an account or principal outside the model, or anyone ("*"), that a trust policy admits
	KindMembership
	KindAttachment
)

var nodeKindNames = [...]string{"account", "root", "user", "group", "role", "instance-profile", "policy", "document", "workload", "service", "federated", "external", "membership", "attachment"}

func (k NodeKind) String() string {
	if int(k) < len(nodeKindNames) {
		return nodeKindNames[k]
	}
	return "unknown"
}

// EdgeKind is how two nodes are linked.
type EdgeKind uint8

// Edge kinds.
const (
	EdgeRootOf    EdgeKind = iota // account → its root user
	EdgeMemberOf                  // user → group; Via is the membership
	EdgeInline                    // user, group or role → inline document
	EdgeAttached                  // user, group or role → managed policy; Via is the attachment
	EdgeBoundary                  // user or role → managed policy used as its boundary; Via is the attachment
	EdgeDefault                   // managed policy → its default version's document
	EdgeTrusts                    // role → its trust document
	EdgeProfileOf                 // instance profile → role
	EdgeAppliesTo                 // org policy document → account it targets; Via is the target
	EdgeRunsAs                    // workload → the role or instance profile it runs with
	EdgeAdmits                    // trust document → a principal an Allow statement admits; Ref is the value as written
)

var edgeKindNames = [...]string{"root-of", "member-of", "inline", "attached", "boundary", "default", "trusts", "profile-of", "applies-to", "runs-as", "admits"}

func (k EdgeKind) String() string {
	if int(k) < len(edgeKindNames) {
		return edgeKindNames[k]
	}
	return "unknown"
}

// Node is one account, principal, group, instance profile, managed policy
// or policy document. Exactly one of the model pointers is set, the one
// Kind names (Doc for documents, with Org also set for an organization
// policy).
type Node struct {
	// ID is unique in the graph and stable across runs: the model address,
	// or for a document whose address is its owner's (a Terraform trust
	// policy is the aws_iam_role's attribute) the address with
	// "#trust", "#default", ... appended.
	ID   string
	Kind NodeKind
	// Src is the model object's identity: address, range, unknown fields.
	Src *iam.Node

	Account *iam.Account
	Root    *iam.RootUser
	User    *iam.User
	Group   *iam.Group
	Role    *iam.Role
	Profile *iam.InstanceProfile
	Policy  *iam.ManagedPolicy
	Doc     *iam.PolicyDocument
	Org     *iam.OrgPolicy
	Work    *iam.Workload
	// Principal is the value a trust policy names a service, federated
	// or external node by.
	Principal string
	// DocKind is the role a document plays: identity (inline or managed),
	// trust, scp, rcp, or the standalone document's kind.
	DocKind iam.Kind

	// Out and In are the node's edges in graph order.
	Out, In []*Edge

	index int // position in Graph.Nodes
}

// Edge links two nodes. To is nil when the link did not resolve to an
// object of the model (an attachment of a policy ARN that is not in the
// inputs, an SCP targeting an OU); Ref then keeps the reference as
// written. From is nil only for a group membership whose user did not
// resolve.
type Edge struct {
	Kind     EdgeKind
	From, To *Node
	// Via is the declaration of the link when it has one of its own: the
	// membership, the attachment, the organization policy target. It is
	// nil for links that are part of the owner (inline, trust, default
	// version, profile roles).
	Via *iam.Node
	Ref string
}

// Graph is the model as nodes and edges. It is plain data; Build fills
// it and the queries read it. Nodes are ordered by kind, then ID; Edges by
// their From node, then as the model declares them.
type Graph struct {
	Nodes []*Node
	Edges []*Edge

	byID  map[string]*Node
	byObj map[any]*Node
	// orgByTarget indexes organization policy documents by the target
	// IDs they are attached to, as written.
	orgByTarget map[string][]*Node
}

// Node returns the node with the given ID, or nil.
func (g *Graph) Node(id string) *Node { return g.byID[id] }

// NodeOf returns the node of a model object (an *iam.User, *iam.Role,
// *iam.Group, *iam.ManagedPolicy, *iam.PolicyDocument, ...), or nil when
// the object is not in the graph.
func (g *Graph) NodeOf(obj any) *Node { return g.byObj[obj] }

// Principals returns the users and roles, users first, each in ID order.
func (g *Graph) Principals() []*Node {
	var out []*Node
	for _, n := range g.Nodes {
		if n.Kind == KindUser || n.Kind == KindRole {
			out = append(out, n)
		}
	}
	return out
}

// builder holds the state of one Build.
type builder struct {
	g *Graph
	// suffix is the label appended to a document's address when it
	// collides with another node's ID.
	suffix map[*Node]string
	// admits lists what each trust document's Allow statements admit.
	admits map[*iam.PolicyDocument][]admitted
}

// Build makes the graph of a model. It reads the model only; objects
// referenced by a link but missing from the model's lists (a group that a
// membership points to, say) get nodes too.
func Build(m *iam.Model) *Graph {
	b := &builder{
		g:      &Graph{byObj: map[any]*Node{}, orgByTarget: map[string][]*Node{}},
		suffix: map[*Node]string{},
	}
	b.addNodes(m)
	b.assignIDs()
	b.addEdges()
	return b.g
}

func (b *builder) node(kind NodeKind, obj any, src *iam.Node, fill func(*Node)) *Node {
	if n := b.g.byObj[obj]; n != nil {
		return n
	}
	n := &Node{Kind: kind, Src: src}
	fill(n)
	b.g.byObj[obj] = n
	b.g.Nodes = append(b.g.Nodes, n)
	return n
}

func (b *builder) doc(pd *iam.PolicyDocument, kind iam.Kind, label string) {
	if pd == nil {
		return
	}
	n := b.node(KindDocument, pd, &pd.Node, func(n *Node) { n.Doc, n.DocKind = pd, kind })
	if _, ok := b.suffix[n]; !ok {
		b.suffix[n] = label
	}
}

func (b *builder) account(a *iam.Account) {
	b.node(KindAccount, a, &a.Node, func(n *Node) { n.Account = a })
	if a.Root != nil {
		b.node(KindRoot, a.Root, &a.Root.Node, func(n *Node) { n.Root = a.Root })
	}
}

func (b *builder) user(u *iam.User) {
	if b.g.byObj[u] != nil {
		return
	}
	b.node(KindUser, u, &u.Node, func(n *Node) { n.User = u })
	b.identity(&u.Identity)
	for _, ms := range u.Groups {
		if ms.Group != nil {
			b.group(ms.Group)
		}
	}
}

func (b *builder) role(r *iam.Role) {
	if b.g.byObj[r] != nil {
		return
	}
	b.node(KindRole, r, &r.Node, func(n *Node) { n.Role = r })
	b.identity(&r.Identity)
	b.doc(r.Trust, iam.KindTrust, "trust")
	for _, ip := range r.InstanceProfiles {
		b.profile(ip)
	}
}

func (b *builder) group(gr *iam.Group) {
	if b.g.byObj[gr] != nil {
		return
	}
	b.node(KindGroup, gr, &gr.Node, func(n *Node) { n.Group = gr })
	b.inline(gr.Inline)
	b.attachments(gr.Attached)
	for _, ms := range gr.Members {
		if ms.User != nil {
			b.user(ms.User)
		}
	}
}

func (b *builder) profile(ip *iam.InstanceProfile) {
	if b.g.byObj[ip] != nil {
		return
	}
	b.node(KindInstanceProfile, ip, &ip.Node, func(n *Node) { n.Profile = ip })
	for _, r := range ip.Roles {
		b.role(r)
	}
}

func (b *builder) policy(p *iam.ManagedPolicy) {
	b.node(KindPolicy, p, &p.Node, func(n *Node) { n.Policy = p })
	b.doc(p.Default, iam.KindIdentity, "default")
}

func (b *builder) identity(id *iam.Identity) {
	b.inline(id.Inline)
	b.attachments(id.Attached)
	if id.Boundary != nil && id.Boundary.Policy != nil {
		b.policy(id.Boundary.Policy)
	}
}

func (b *builder) inline(list []*iam.InlinePolicy) {
	for _, p := range list {
		b.doc(&p.PolicyDocument, iam.KindIdentity, "inline")
	}
}

func (b *builder) attachments(list []*iam.Attachment) {
	for _, a := range list {
		if a.Policy != nil {
			b.policy(a.Policy)
		}
	}
}

func (b *builder) addNodes(m *iam.Model) {
	for _, a := range m.Accounts {
		b.account(a)
	}
	for _, u := range m.Users {
		b.user(u)
	}
	for _, gr := range m.Groups {
		b.group(gr)
	}
	for _, r := range m.Roles {
		b.role(r)
	}
	for _, ip := range m.InstanceProfiles {
		b.profile(ip)
	}
	for _, p := range m.Policies {
		b.policy(p)
	}
	for _, o := range m.OrgPolicies {
		n := b.node(KindDocument, o, &o.Node, func(n *Node) { n.Doc, n.Org, n.DocKind = &o.PolicyDocument, o, o.Kind })
		b.g.byObj[&o.PolicyDocument] = n
		b.suffix[n] = o.Kind.String()
	}
	for _, d := range m.Documents {
		b.doc(&d.PolicyDocument, d.Kind, "document")
	}
	for _, w := range m.Workloads {
		b.node(KindWorkload, w, &w.Node, func(n *Node) { n.Work = w })
		if w.Role != nil {
			b.role(w.Role)
		}
		if w.Profile != nil {
			b.profile(w.Profile)
		}
	}
	b.trustees()
}

// admitted is a value of a trust policy's Principal with the node it
// admits.
type admitted struct {
	value string
	to    any // a model object, or the key of a trustee node in b.g.byObj
}

// trustees adds a node for every service, federated provider and
// principal outside the model that a role's trust policy admits, and
// remembers, per trust document, what each Allow statement's principals
// resolve to (a user, role, account or root of the model where they name
// one), for the admits edges.
func (b *builder) trustees() {
	byARN := map[string]any{}
	accounts := map[string]*iam.Account{}
	for _, n := range b.g.Nodes {
		switch {
		case n.User != nil && n.User.ARN != "":
			byARN[n.User.ARN] = n.User
		case n.Role != nil && n.Role.ARN != "":
			byARN[n.Role.ARN] = n.Role
		case n.Account != nil:
			accounts[n.Account.ID] = n.Account
		}
	}
	b.admits = map[*iam.PolicyDocument][]admitted{}
	external := func(kind NodeKind, prefix, value string, rng hcl.Range) any {
		key := trusteeKey(prefix + value)
		b.node(kind, key, &iam.Node{Addr: prefix + value, Range: rng}, func(n *Node) { n.Principal = value })
		return key
	}
	for _, n := range slices.Clone(b.g.Nodes) {
		if n.Role == nil || n.Role.Trust == nil || n.Role.Trust.Doc == nil {
			continue
		}
		pd := n.Role.Trust
		for _, st := range pd.Doc.Statements {
			if st.Effect != iam.Allow {
				continue
			}
			switch {
			case st.NotPrincipal != nil:
				b.admits[pd] = append(b.admits[pd], admitted{"*", external(KindExternal, "", "anyone", st.NotPrincipal.Range)})
				continue
			case st.Principal == nil:
				continue
			case st.Principal.Any:
				b.admits[pd] = append(b.admits[pd], admitted{"*", external(KindExternal, "", "anyone", st.Principal.Range)})
				continue
			}
			for _, e := range st.Principal.Entries {
				for _, v := range e.Values {
					var to any
					switch {
					case e.Type == iam.PrincipalService:
						to = external(KindService, "service:", v.Text, v.Range)
					case e.Type == iam.PrincipalFederated:
						to = external(KindFederated, "federated:", v.Text, v.Range)
					case v.Text == "*":
						to = external(KindExternal, "", "anyone", v.Range)
					case byARN[v.Text] != nil:
						to = byARN[v.Text]
					default:
						acct := v.Text
						if a, ok := iam.ParseARN(v.Text); ok && a.Service == "iam" && a.Resource == "root" {
							acct = a.Account
						}
						if a := accounts[acct]; a != nil {
							to = a
							if a.Root != nil {
								to = a.Root
							}
						} else {
							to = external(KindExternal, "external:", v.Text, v.Range)
						}
					}
					b.admits[pd] = append(b.admits[pd], admitted{v.Text, to})
				}
			}
		}
	}
}

// trusteeKey is the byObj key of a trustee node.
type trusteeKey string

// assignIDs gives every node its ID and sorts the nodes. Nodes are
// ordered by kind and address first, so when two nodes share an address
// the earlier kind keeps it (a role keeps "aws_iam_role.app", its trust
// document becomes "aws_iam_role.app#trust") whatever order the model
// listed them in.
func (b *builder) assignIDs() {
	g := b.g
	slices.SortStableFunc(g.Nodes, func(x, y *Node) int {
		return cmp.Or(cmp.Compare(x.Kind, y.Kind), strings.Compare(x.Src.Addr, y.Src.Addr), strings.Compare(b.suffix[x], b.suffix[y]))
	})
	g.byID = make(map[string]*Node, len(g.Nodes))
	for _, n := range g.Nodes {
		id := n.Src.Addr
		if g.byID[id] != nil && b.suffix[n] != "" {
			id += "#" + b.suffix[n]
		}
		for i := 2; g.byID[id] != nil; i++ {
			id = n.Src.Addr + "#" + strconv.Itoa(i)
			if s := b.suffix[n]; s != "" {
				id = n.Src.Addr + "#" + s + "#" + strconv.Itoa(i)
			}
		}
		n.ID = id
		g.byID[id] = n
	}
	// IDs can reorder nodes of one kind only where addresses were equal,
	// so a second sort by ID keeps the kind order and makes ID order exact.
	slices.SortStableFunc(g.Nodes, func(x, y *Node) int {
		return cmp.Or(cmp.Compare(x.Kind, y.Kind), strings.Compare(x.ID, y.ID))
	})
	for i, n := range g.Nodes {
		n.index = i
	}
}

func (b *builder) edge(kind EdgeKind, from *Node, to any, via *iam.Node, ref string) {
	e := &Edge{Kind: kind, From: from, Via: via, Ref: ref}
	if to != nil {
		e.To = b.g.byObj[to]
	}
	b.g.Edges = append(b.g.Edges, e)
	if from != nil {
		from.Out = append(from.Out, e)
	}
	if e.To != nil {
		e.To.In = append(e.To.In, e)
	}
}

// addEdges walks the nodes in order and adds each one's outgoing edges
// in the order the model declares them.
func (b *builder) addEdges() {
	for _, n := range b.g.Nodes {
		switch n.Kind {
		case KindAccount:
			if n.Account.Root != nil {
				b.edge(EdgeRootOf, n, n.Account.Root, nil, "")
			}
		case KindUser:
			for _, ms := range n.User.Groups {
				b.membership(n, ms)
			}
			b.identityEdges(n, &n.User.Identity)
		case KindGroup:
			// A membership whose user did not resolve is only reachable
			// from the group; it gets an edge with no From.
			for _, ms := range n.Group.Members {
				if ms.User == nil || b.g.byObj[ms.User] == nil {
					b.edge(EdgeMemberOf, nil, n.Group, &ms.Node, ms.UserName)
				}
			}
			b.inlineEdges(n, n.Group.Inline)
			b.attachmentEdges(n, EdgeAttached, n.Group.Attached)
		case KindRole:
			b.identityEdges(n, &n.Role.Identity)
			if n.Role.Trust != nil {
				b.edge(EdgeTrusts, n, n.Role.Trust, nil, "")
				if doc := b.g.byObj[n.Role.Trust]; doc != nil && len(doc.Out) == 0 {
					for _, ad := range b.admits[n.Role.Trust] {
						b.edge(EdgeAdmits, doc, ad.to, nil, ad.value)
					}
				}
			}
		case KindInstanceProfile:
			b.profileEdges(n)
		case KindPolicy:
			if n.Policy.Default != nil {
				b.edge(EdgeDefault, n, n.Policy.Default, nil, "")
			}
		case KindWorkload:
			b.workloadEdges(n)
		case KindDocument:
			if n.Org != nil {
				for _, t := range n.Org.Targets {
					b.edge(EdgeAppliesTo, n, b.accountByID(t.TargetID), &t.Node, t.TargetID)
					if l := b.g.orgByTarget[t.TargetID]; len(l) == 0 || l[len(l)-1] != n {
						b.g.orgByTarget[t.TargetID] = append(l, n)
					}
				}
			}
		}
	}
}

func (b *builder) membership(n *Node, ms *iam.Membership) {
	var to any
	if ms.Group != nil {
		to = ms.Group
	}
	b.edge(EdgeMemberOf, n, to, &ms.Node, ms.GroupName)
}

func (b *builder) identityEdges(n *Node, id *iam.Identity) {
	b.inlineEdges(n, id.Inline)
	b.attachmentEdges(n, EdgeAttached, id.Attached)
	if id.Boundary != nil {
		b.attachmentEdges(n, EdgeBoundary, []*iam.Attachment{id.Boundary})
	}
}

func (b *builder) inlineEdges(n *Node, list []*iam.InlinePolicy) {
	for _, p := range list {
		b.edge(EdgeInline, n, &p.PolicyDocument, nil, "")
	}
}

func (b *builder) attachmentEdges(n *Node, kind EdgeKind, list []*iam.Attachment) {
	for _, a := range list {
		var to any
		if a.Policy != nil {
			to = a.Policy
		}
		b.edge(kind, n, to, &a.Node, a.PolicyRef)
	}
}

// profileEdges links an instance profile to its roles. RoleRefs lists
// every role as written (a name or an ARN) and Roles the ones the loader
// resolved, in the same order but without the misses; a reference that no
// resolved role answers to is kept as an unresolved edge.
func (b *builder) profileEdges(n *Node) {
	ip := n.Profile
	for _, r := range ip.Roles {
		b.edge(EdgeProfileOf, n, r, nil, "")
	}
	if len(ip.RoleRefs) <= len(ip.Roles) {
		return
	}
	for _, ref := range ip.RoleRefs {
		if !slices.ContainsFunc(ip.Roles, func(r *iam.Role) bool { return ref == r.Name || ref == r.ARN || ref == r.Addr }) {
			b.edge(EdgeProfileOf, n, nil, nil, ref)
		}
	}
}

// workloadEdges links a workload to its role or instance profile; a
// reference that did not resolve is kept as an unresolved edge.
func (b *builder) workloadEdges(n *Node) {
	w := n.Work
	switch {
	case w.Role != nil:
		b.edge(EdgeRunsAs, n, w.Role, nil, "")
	case w.RoleRef != "":
		b.edge(EdgeRunsAs, n, nil, nil, w.RoleRef)
	}
	switch {
	case w.Profile != nil:
		b.edge(EdgeRunsAs, n, w.Profile, nil, "")
	case w.ProfileRef != "":
		b.edge(EdgeRunsAs, n, nil, nil, w.ProfileRef)
	}
}

func (b *builder) accountByID(id string) any {
	for _, n := range b.g.Nodes {
		if n.Kind != KindAccount {
			break
		}
		if n.Account.ID == id {
			return n.Account
		}
	}
	return nil
}
