package rules

import (
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
)

// Input is what rules analyse: the model the loaders built from every
// input kind, the diagnostics they returned, and every policy document of
// the user's code with what it belongs to. Rules reach documents only
// through Input (and report through Pass); the Model stays reachable for
// rules that need principals and attachments.
type Input struct {
	Model *iam.Model
	// Diags are the load diagnostics: files that could not be read or
	// parsed (errors) and values the loaders could not resolve (warnings).
	Diags hcl.Diagnostics
	// Documents lists every policy document of the model that is the
	// user's code: standalone documents, inline policies of users, groups
	// and roles, role trust policies, the versions of customer managed
	// policies and Organizations policies. AWS managed policies are left
	// out: they are not the user's to fix.
	Documents []*Document

	// Clock, when set, times the analysis (AnalysisTime); tests give a
	// fixed one so that reports stay reproducible.
	Clock func() time.Time

	analysisOnce sync.Once
	analysis     *analyzer.Analysis
	analysisTime time.Duration
}

// Analysis returns the analyzer's facts about the model (effective
// permissions, role assumption, escalation paths), computed on the first
// call and shared by every rule of the run.
func (in *Input) Analysis() *analyzer.Analysis {
	in.analysisOnce.Do(func() {
		clock := in.Clock
		if clock == nil {
			clock = time.Now
		}
		start := clock()
		in.analysis = analyzer.Analyze(analyzer.Build(in.Model))
		in.analysisTime = clock().Sub(start)
	})
	return in.analysis
}

// AnalysisTime is how long the analysis took; 0 when no rule needed it.
// Call it once the rules have run.
func (in *Input) AnalysisTime() time.Duration { return in.analysisTime }

// Document is one policy document of the model with what it belongs to.
type Document struct {
	// Addr is the document's logical address, the start of the Path of
	// every finding in it: the file of a standalone document
	// ("policies/app.json"), the policy of a managed or Organizations
	// policy ("aws_iam_policy.admin"), or owner and document
	// (`aws_iam_role.app → inline policy "read"`, "aws_iam_role.app →
	// trust policy").
	Addr string
	// Kind is the role the document plays: identity for inline and managed
	// policies, trust for role trust policies, scp or rcp, or the kind of a
	// standalone document as given (--kind) or inferred.
	Kind iam.Kind
	// Policy is the document as the model holds it: its node, the decoded
	// document (nil when it could not be decoded) and its decode problems.
	Policy *iam.PolicyDocument
	// Owner is the address of the user, group, role, managed policy or
	// Organizations policy the document belongs to; "" for a standalone
	// document.
	Owner string

	// ownerRange is the owner's declaration (the document's own range
	// for a standalone document), for related locations when several
	// owners share one document.
	ownerRange hcl.Range
	indexOnce  sync.Once
	index      *elementIndex // built on the first report
}

// elements returns the index of the document's elements.
func (d *Document) elements() *elementIndex {
	d.indexOnce.Do(func() { d.index = newElementIndex(d.Policy.Doc) })
	return d.index
}

// NewInput enumerates the policy documents of a model (see
// Input.Documents) in a fixed order: users, groups and roles (inline
// policies, then the trust policy), customer managed policies,
// Organizations policies, standalone documents, each list in model order.
// diags are the load diagnostics; a nil model is an empty one.
func NewInput(m *iam.Model, diags hcl.Diagnostics) *Input {
	if m == nil {
		m = &iam.Model{}
	}
	in := &Input{Model: m, Diags: diags}
	// add appends a document that belongs to owner (nil for a standalone
	// document) and is called name there ("" when the document is the
	// owner, as for a managed policy without versions).
	add := func(owner *iam.Node, name string, kind iam.Kind, p *iam.PolicyDocument) {
		if p == nil {
			return
		}
		d := &Document{Kind: kind, Policy: p, ownerRange: p.Range}
		if owner != nil && owner.Range.Filename != "" {
			d.ownerRange = owner.Range
		}
		switch {
		case owner == nil:
			d.Addr = firstNonEmpty(p.Addr, p.Range.Filename)
		case name == "":
			d.Owner = owner.Addr
			d.Addr = firstNonEmpty(owner.Addr, p.Addr, p.Range.Filename)
		default:
			d.Owner = owner.Addr
			d.Addr = owner.Addr + pathSep + documentSegment(owner.Addr, p.Addr, name)
		}
		in.Documents = append(in.Documents, d)
	}
	inline := func(owner *iam.Node, ps []*iam.InlinePolicy) {
		for _, p := range ps {
			add(owner, "inline policy "+strconv.Quote(p.Name), iam.KindIdentity, &p.PolicyDocument)
		}
	}
	for _, u := range m.Users {
		inline(&u.Node, u.Inline)
	}
	for _, g := range m.Groups {
		inline(&g.Node, g.Inline)
	}
	for _, r := range m.Roles {
		inline(&r.Node, r.Inline)
		add(&r.Node, "trust policy", iam.KindTrust, r.Trust)
	}
	for _, p := range m.Policies {
		if p.AWSManaged {
			continue
		}
		if len(p.Versions) == 0 {
			// A policy declared with one document (Terraform,
			// CloudFormation): the document is the policy, unless the
			// loader gives it an address of its own (a data source).
			name := ""
			if p.Default != nil && documentSegment(p.Addr, p.Default.Addr, "") != "" {
				name = "default version"
			}
			add(&p.Node, name, iam.KindIdentity, p.Default)
			continue
		}
		// An authorization details dump lists every version; the default
		// one is normally among them.
		listed := false
		for _, v := range p.Versions {
			listed = listed || v.IsDefault || &v.PolicyDocument == p.Default
		}
		if !listed {
			add(&p.Node, "default version", iam.KindIdentity, p.Default)
		}
		for _, v := range p.Versions {
			name := "version " + v.VersionID
			if v.IsDefault {
				name += " (default)"
			}
			add(&p.Node, name, iam.KindIdentity, &v.PolicyDocument)
		}
	}
	for _, p := range m.OrgPolicies {
		add(&p.Node, "", p.Kind, &p.PolicyDocument)
	}
	for _, s := range m.Documents {
		add(nil, "", s.Kind, &s.PolicyDocument)
	}
	return in
}

// documentSegment names a document under its owner: the document's own
// address when it is declared elsewhere (an aws_iam_role_policy resource, a
// data "aws_iam_policy_document"), else name, what it is (`inline policy
// "read"`, "trust policy"). An address that extends the owner's
// ("aws_iam_role.app.inline_policy[0]", "gaad.json#RoleDetailList[0]...")
// says no more than name.
func documentSegment(owner, addr, name string) string {
	if addr == "" || addr == owner {
		return name
	}
	for _, sep := range []string{".", "[", "#"} {
		if strings.HasPrefix(addr, owner+sep) {
			return name
		}
	}
	return addr
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// Policies returns the documents that hold a decoded policy (Policy.Doc is
// not nil): what the grammar rules walk.
func (in *Input) Policies() []*Document {
	var out []*Document
	for _, d := range in.Documents {
		if d.Policy.Doc != nil {
			out = append(out, d)
		}
	}
	return out
}

// Located reports whether a load diagnostic points into a file. IAM000
// reports located load errors as findings; the others stay diagnostics of
// the run (a path that does not exist has no position to report at).
func Located(d *hcl.Diagnostic) bool {
	return d.Subject != nil && d.Subject.Filename != ""
}

// Files returns the sorted names of the input files the run analysed:
// those of the model's accounts, principals and policies, of the
// documents, and of the load diagnostics.
func (in *Input) Files() []string {
	seen := map[string]bool{}
	add := func(r hcl.Range) {
		if r.Filename != "" {
			seen[r.Filename] = true
		}
	}
	m := in.Model
	for _, a := range m.Accounts {
		add(a.Range)
	}
	for _, u := range m.Users {
		add(u.Range)
	}
	for _, g := range m.Groups {
		add(g.Range)
	}
	for _, r := range m.Roles {
		add(r.Range)
	}
	for _, p := range m.InstanceProfiles {
		add(p.Range)
	}
	for _, p := range m.Policies {
		if !p.AWSManaged {
			add(p.Range)
		}
	}
	for _, d := range in.Documents {
		add(d.Policy.Range)
		if d.Policy.Doc != nil {
			add(d.Policy.Doc.Range)
		}
	}
	for _, d := range in.Diags {
		if d.Subject != nil {
			add(*d.Subject)
		}
	}
	out := make([]string, 0, len(seen))
	for f := range seen {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}
