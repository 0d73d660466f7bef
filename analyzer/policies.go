package analyzer

import (
	"strings"

	"github.com/iamlint/iamlint/iam"
)

// Hop is one step of a path: a node of the graph, or the declaration of
// the link between two nodes (a membership, an attachment).
type Hop struct {
	Kind NodeKind
	// Src is the model object's address and range, for showing the hop
	// and relating a finding to it.
	Src *iam.Node
	// Node is the graph node; nil for KindMembership and KindAttachment
	// hops, which are edges in the graph.
	Node *Node
}

// PolicyPath is a policy document that applies to a principal, with the
// way it gets there.
type PolicyPath struct {
	// Kind is iam.KindIdentity or iam.KindBoundary.
	Kind iam.Kind
	// Hops run from the principal to the document, for example user →
	// membership → group → attachment → managed policy → document. When
	// a link did not resolve they end at that link.
	Hops []Hop
	// Doc is the document; nil when a link did not resolve. Doc.Doc can
	// itself be nil when the loader could not render the document.
	Doc *iam.PolicyDocument
	// Unresolved is the reference that did not resolve, as written: the
	// group name of a membership, the policy ARN of an attachment, or the
	// ARN of a managed policy without a default version. Empty when Doc is
	// set.
	Unresolved string
}

// String renders the path; see Path.
func (p PolicyPath) String() string { return Path(p.Hops) }

// Path renders hops as their addresses joined with " → ", writing an
// address once when consecutive hops share it (a Terraform managed policy
// and its document are both "aws_iam_policy.deploy").
func Path(hops []Hop) string {
	var sb strings.Builder
	last := ""
	for i, h := range hops {
		if i > 0 && h.Src.Addr == last {
			continue
		}
		if i > 0 {
			sb.WriteString(" → ")
		}
		sb.WriteString(h.Src.Addr)
		last = h.Src.Addr
	}
	return sb.String()
}

func nodeHop(n *Node) Hop { return Hop{Kind: n.Kind, Src: n.Src, Node: n} }

// extend returns hops with h appended, never sharing the backing array
// with another path.
func extend(hops []Hop, h ...Hop) []Hop {
	out := make([]Hop, 0, len(hops)+len(h)+2)
	return append(append(out, hops...), h...)
}

// IdentityPolicies returns every identity-policy document that applies to
// a user or role: its inline policies, the default versions of its
// attached managed policies, and for a user each of its groups' inline
// and attached policies, in that order. Links that did not resolve are
// returned as paths without a document. It returns nil for other nodes.
func (g *Graph) IdentityPolicies(principal *Node) []PolicyPath {
	if principal == nil || (principal.Kind != KindUser && principal.Kind != KindRole) {
		return nil
	}
	var out []PolicyPath
	start := []Hop{nodeHop(principal)}
	out = owned(out, start, principal)
	for _, e := range principal.Out {
		if e.Kind != EdgeMemberOf {
			continue
		}
		hops := extend(start, Hop{Kind: KindMembership, Src: e.Via})
		if e.To == nil {
			out = append(out, PolicyPath{Kind: iam.KindIdentity, Hops: hops, Unresolved: e.Ref})
			continue
		}
		out = owned(out, extend(hops, nodeHop(e.To)), e.To)
	}
	return out
}

// owned appends the inline and attached policies of a principal or group,
// whose path so far is hops (ending at n).
func owned(out []PolicyPath, hops []Hop, n *Node) []PolicyPath {
	for _, e := range n.Out {
		if e.Kind == EdgeInline {
			out = append(out, PolicyPath{Kind: iam.KindIdentity, Hops: extend(hops, nodeHop(e.To)), Doc: e.To.Doc})
		}
	}
	for _, e := range n.Out {
		if e.Kind == EdgeAttached {
			out = append(out, attached(iam.KindIdentity, hops, e))
		}
	}
	return out
}

// attached follows an attachment edge to the policy's default document.
func attached(kind iam.Kind, hops []Hop, e *Edge) PolicyPath {
	hops = extend(hops, Hop{Kind: KindAttachment, Src: e.Via})
	if e.To == nil {
		return PolicyPath{Kind: kind, Hops: hops, Unresolved: e.Ref}
	}
	hops = append(hops, nodeHop(e.To))
	for _, d := range e.To.Out {
		if d.Kind == EdgeDefault && d.To != nil {
			return PolicyPath{Kind: kind, Hops: append(hops, nodeHop(d.To)), Doc: d.To.Doc}
		}
	}
	ref := e.To.Policy.ARN
	if ref == "" {
		ref = e.To.ID
	}
	return PolicyPath{Kind: kind, Hops: hops, Unresolved: ref}
}

// Boundary returns the permissions boundary of a user or role, or nil
// when it has none (or the node is not a user or role). An attachment
// whose policy did not resolve is returned without a document.
func (g *Graph) Boundary(principal *Node) *PolicyPath {
	if principal == nil || (principal.Kind != KindUser && principal.Kind != KindRole) {
		return nil
	}
	for _, e := range principal.Out {
		if e.Kind == EdgeBoundary {
			p := attached(iam.KindBoundary, []Hop{nodeHop(principal)}, e)
			return &p
		}
	}
	return nil
}

// PolicySet returns what iam.Evaluate needs to decide a request by a user
// or role: its identity policies and boundary, each named by its path,
// and the organization policies of its account.
//
// Organization policies: the model has SCP and RCP targets but no
// organization structure (which OUs an account is in), so only policies
// attached directly to the principal's account ID are placed, as a single
// level; policies on the root or an OU are not applied, so a deny there
// is not seen. RCPs are those of the principal's account, which is right
// for requests to resources in the same account; a caller deciding a
// cross-account request must replace them with the resource account's.
//
// The second result lists the paths left out of the set because their
// document is unknown: an unresolved link, or a document the loader could
// not render (organization policies included, as one-hop paths). An unknown identity policy might grant or deny anything,
// and a boundary left out caps nothing, so when it is not empty the
// evaluation is a best effort and callers should say so.
func (g *Graph) PolicySet(principal *Node) (iam.PolicySet, []PolicyPath) {
	var set iam.PolicySet
	var missing []PolicyPath
	for _, p := range g.IdentityPolicies(principal) {
		if p.Doc == nil || p.Doc.Doc == nil {
			missing = append(missing, p)
			continue
		}
		set.Identity = append(set.Identity, iam.Policy{Name: p.String(), Doc: p.Doc.Doc})
	}
	if b := g.Boundary(principal); b != nil {
		if b.Doc == nil || b.Doc.Doc == nil {
			missing = append(missing, *b)
		} else {
			set.Boundary = []iam.Policy{{Name: b.String(), Doc: b.Doc.Doc}}
		}
	}
	for _, n := range g.orgPolicyNodes(principal) {
		if n.Doc.Doc == nil {
			missing = append(missing, PolicyPath{Kind: n.DocKind, Hops: []Hop{nodeHop(n)}, Doc: n.Doc})
		}
	}
	for _, level := range g.scpLevels(principal) {
		pols := make([]iam.Policy, len(level))
		for i, n := range level {
			pols[i] = iam.Policy{Name: n.ID, Doc: n.Doc.Doc}
		}
		set.SCPs = append(set.SCPs, pols)
	}
	var rcps []iam.Policy
	for _, n := range g.orgPolicyNodes(principal) {
		if n.Doc.Doc != nil && n.DocKind == iam.KindRCP {
			rcps = append(rcps, iam.Policy{Name: n.ID, Doc: n.Doc.Doc})
		}
	}
	if len(rcps) > 0 {
		set.RCPs = [][]iam.Policy{rcps}
	}
	return set, missing
}

// orgPolicyNodes returns the organization policies attached directly to
// the principal's account (see PolicySet for why only those).
func (g *Graph) orgPolicyNodes(principal *Node) []*Node {
	account := principalAccount(principal)
	if account == "" {
		return nil
	}
	return g.orgByTarget[account]
}

// scpLevels returns the SCP documents that bear on a principal, by
// organization level; today one level at most (see PolicySet). SCPs whose
// document is unknown are left out.
func (g *Graph) scpLevels(principal *Node) [][]*Node {
	var level []*Node
	for _, n := range g.orgPolicyNodes(principal) {
		if n.DocKind == iam.KindSCP && n.Doc.Doc != nil {
			level = append(level, n)
		}
	}
	if len(level) == 0 {
		return nil
	}
	return [][]*Node{level}
}

func principalAccount(n *Node) string {
	switch {
	case n == nil:
		return ""
	case n.User != nil:
		return n.User.Account
	case n.Role != nil:
		return n.Role.Account
	}
	return ""
}
