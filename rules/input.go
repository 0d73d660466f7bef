package rules

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

// Input is what rules analyse: for now, a set of standalone policy
// documents. It stands in for the richer model the loaders will build
// (principals, attachments, Terraform addresses); rules reach files only
// through Input and Pass, so swapping it touches this package, not them.
type Input struct {
	Files []*PolicyFile
}

// PolicyFile is one policy document read from a file.
type PolicyFile struct {
	// Path names the file as the user gave it; every range in Doc and
	// Diags carries it as Filename.
	Path string
	// Kind is the role the document plays, as given or detected.
	Kind iam.Kind
	// Doc is the decoded document, or nil when the file is not well-formed
	// JSON (then Diags holds the syntax error).
	Doc *iam.Document
	// Diags are the problems found while reading: a JSON syntax error when
	// Doc is nil, otherwise structural errors in the policy.
	Diags hcl.Diagnostics
	// Source is the file's content, for reporters that quote it.
	Source []byte

	root  *jsonpos.Value    // the parsed JSON, for element addresses
	addrs map[span]string   // element range → JSON pointer, built lazily
	sids  map[string]string // "/Statement/3" → "/Statement/[Sid]" where unique
}

// SyntaxError reports whether the file could not be parsed as JSON.
func (f *PolicyFile) SyntaxError() bool { return f.Doc == nil }

// Policies yields the files that hold a decoded document.
func (in *Input) Policies() []*PolicyFile {
	var out []*PolicyFile
	for _, f := range in.Files {
		if f.Doc != nil {
			out = append(out, f)
		}
	}
	return out
}

// File returns the file with the given path, or nil.
func (in *Input) File(path string) *PolicyFile {
	for _, f := range in.Files {
		if f.Path == path {
			return f
		}
	}
	return nil
}

// JSONOptions controls ParseJSON.
type JSONOptions struct {
	// Kind is the kind of the document. With DetectKind set it is ignored
	// and the kind is guessed from the document (see DetectKind).
	Kind       iam.Kind
	DetectKind bool
}

// ParseJSON reads a standalone JSON policy document. isPolicy is false
// when data is well-formed JSON that does not look like a policy document
// (an object with a "Statement" member); a directory walk skips such
// files. Malformed JSON counts as a policy, so that its syntax error is
// reported.
func ParseJSON(path string, data []byte, opts JSONOptions) (f *PolicyFile, isPolicy bool) {
	f = &PolicyFile{Path: path, Kind: opts.Kind, Source: data}
	v, diags := jsonpos.Parse(data, jsonpos.Options{Filename: path})
	if diags.HasErrors() {
		f.Diags = diags
		return f, true
	}
	if opts.DetectKind {
		f.Kind = DetectKind(v)
	}
	f.root = v
	f.Doc, f.Diags = iam.DecodePolicy(v, f.Kind)
	return f, LooksLikePolicy(v)
}

// LooksLikePolicy reports whether v is an object with a "Statement" member.
func LooksLikePolicy(v *jsonpos.Value) bool {
	return v != nil && v.Kind == jsonpos.Object && v.Lookup("Statement") != nil
}

// DetectKind guesses the kind of a policy document:
//
//   - trust, when every statement names a Principal, none has Resource or
//     NotResource, every action is an sts action and at least one is
//     sts:AssumeRole, sts:AssumeRoleWithSAML or sts:AssumeRoleWithWebIdentity
//     (trust policies often add sts:TagSession or sts:SetSourceIdentity);
//   - resource, when every statement names a Principal or NotPrincipal;
//   - identity otherwise.
func DetectKind(v *jsonpos.Value) iam.Kind {
	var stmts []*jsonpos.Value
	if m := v.Lookup("Statement"); m != nil {
		switch m.Value.Kind {
		case jsonpos.Object:
			stmts = []*jsonpos.Value{m.Value}
		case jsonpos.Array:
			stmts = m.Value.Elems
		}
	}
	if len(stmts) == 0 {
		return iam.KindIdentity
	}
	allPrincipal, trust, assume := true, true, false
	for _, s := range stmts {
		if s.Kind != jsonpos.Object {
			return iam.KindIdentity
		}
		hasP := s.Lookup("Principal") != nil
		if !hasP && s.Lookup("NotPrincipal") == nil {
			allPrincipal = false
		}
		if !hasP || s.Lookup("Resource") != nil || s.Lookup("NotResource") != nil {
			trust = false
		}
		acts := actionStrings(s.Lookup("Action"))
		if len(acts) == 0 {
			trust = false
		}
		for _, a := range acts {
			a = strings.ToLower(a)
			if !strings.HasPrefix(a, "sts:") || strings.ContainsAny(a, "*?") {
				trust = false
			}
			if strings.HasPrefix(a, "sts:assumerole") {
				assume = true
			}
		}
	}
	switch {
	case trust && assume:
		return iam.KindTrust
	case allPrincipal:
		return iam.KindResource
	}
	return iam.KindIdentity
}

func actionStrings(m *jsonpos.Member) []string {
	if m == nil {
		return nil
	}
	switch m.Value.Kind {
	case jsonpos.String:
		return []string{m.Value.Str}
	case jsonpos.Array:
		var out []string
		for _, e := range m.Value.Elems {
			if e.Kind == jsonpos.String {
				out = append(out, e.Str)
			}
		}
		return out
	}
	return nil
}
