// Package loader finds IAM definitions in files and folders — Terraform
// configurations, AWS JSON (policy documents, get-account-authorization-
// details dumps, password policies, Organizations policies), credential
// reports, CloudFormation templates and Terraform plans — and builds one
// iam.Model from all of them.
//
// Each input kind has its own package that returns a model fragment; Load
// walks the paths, routes every file to its loader, merges the fragments
// and links references across them (an attachment to an AWS managed
// policy, a credential report row to its user).
package loader

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
	"github.com/iamlint/iamlint/loader/awsjson"
	"github.com/iamlint/iamlint/loader/cloudformation"
	"github.com/iamlint/iamlint/loader/credreport"
	"github.com/iamlint/iamlint/loader/terraform"
	"github.com/iamlint/iamlint/loader/tfplan"
)

// DefaultMaxFileSize is the largest file Load reads unless Options says
// otherwise; larger files are skipped with an error.
const DefaultMaxFileSize = 50 << 20

// Options configure a load.
type Options struct {
	// VarFiles and Vars are Terraform variable values, as
	// --var-file FILE and --var NAME=VALUE give them.
	VarFiles []string
	Vars     []string
	// MaxFileSize bounds each file read; 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// Kind, when set, is the kind of every standalone policy document
	// (otherwise it is inferred per document).
	Kind iam.Kind
	// KindByPath overrides Kind for the files whose path matches a rule;
	// the first matching rule wins.
	KindByPath []PathKind
	// KindOf, when set, gives the kind of standalone documents of the
	// files no KindByPath rule matches (a configuration's policy_kinds);
	// iam.KindUnknown leaves the choice to Kind.
	KindOf func(path string) iam.Kind
	// Exclude, when set, leaves out the files and folders of a walk it
	// returns true for (a configuration's exclude patterns). Paths named
	// on the command line are always read.
	Exclude func(path string) bool
}

// PathKind gives the policy kind of the standalone documents whose path
// matches Pattern: a path.Match pattern on the slash-separated path as
// given ("scps/*.json"), or a folder prefix ("org/scps", "org/scps/").
type PathKind struct {
	Pattern string
	Kind    iam.Kind
}

// ParsePathKind reads "PATTERN=KIND" (or a bare KIND, which matches every
// path) as command lines and config files give it.
func ParsePathKind(s string) (PathKind, error) {
	pattern, name, found := strings.Cut(s, "=")
	if !found {
		pattern, name = "", s
	}
	k, ok := iam.ParseKind(name)
	if !ok || k == iam.KindUnknown {
		return PathKind{}, fmt.Errorf("unknown policy kind %q (want identity, resource, trust, boundary, scp, rcp or session)", name)
	}
	if _, err := path.Match(pattern, ""); err != nil {
		return PathKind{}, fmt.Errorf("bad pattern %q: %v", pattern, err)
	}
	return PathKind{Pattern: pattern, Kind: k}, nil
}

// kindFor returns the kind forced for a file, or KindUnknown to infer it.
func (o *Options) kindFor(file string) iam.Kind {
	slash := filepath.ToSlash(file)
	for _, r := range o.KindByPath {
		if r.Pattern == "" {
			return r.Kind
		}
		if MatchPath(filepath.ToSlash(r.Pattern), slash) {
			return r.Kind
		}
	}
	if o.KindOf != nil {
		if k := o.KindOf(file); k != iam.KindUnknown {
			return k
		}
	}
	return o.Kind
}

// MatchPath reports whether a slash-separated path matches a pattern as
// --kind and the configuration's paths use them: as path.Match does, or as
// a folder the path is in.
func MatchPath(pattern, p string) bool {
	if ok, _ := path.Match(pattern, p); ok {
		return true
	}
	return strings.HasPrefix(p, strings.TrimSuffix(pattern, "/")+"/")
}

// Load reads every path (files or folders) and returns the model with the
// problems found. A file that cannot be read or parsed yields an error
// diagnostic naming its position; every other file is still loaded.
func Load(ctx context.Context, paths []string, opts Options) (*iam.Model, hcl.Diagnostics) {
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	l := &load{opts: opts, model: &iam.Model{}, tfDirs: map[string]bool{}, seen: map[string]int{}}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			l.diags = append(l.diags, errorDiag("Load cancelled", err.Error(), nil))
			break
		}
		l.walk(ctx, p)
	}
	if len(l.tfDirs) > 0 {
		dirs := make([]string, 0, len(l.tfDirs))
		for d := range l.tfDirs {
			dirs = append(dirs, d)
		}
		sort.Strings(dirs)
		// file() and templatefile() may read below what the user named.
		var roots []string
		for _, p := range paths {
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				p = filepath.Dir(p)
			}
			roots = append(roots, p)
		}
		m, d := terraform.Load(ctx, dirs, terraform.Options{VarFiles: opts.VarFiles, Vars: opts.Vars, MaxFileSize: opts.MaxFileSize, Roots: roots})
		l.merge(m, d)
	}
	Link(l.model, l.reports)
	l.model.Sort()
	iam.SortDiagnostics(l.diags) // by position; those without one last
	return l.model, l.diags
}

type load struct {
	opts    Options
	model   *iam.Model
	reports []*iam.CredentialReport
	tfDirs  map[string]bool
	seen    map[string]int // routing state of each file, by cleaned path
	diags   hcl.Diagnostics
}

func (l *load) merge(m *iam.Model, d hcl.Diagnostics) {
	l.diags = append(l.diags, d...)
	if m == nil {
		return
	}
	l.model.Accounts = append(l.model.Accounts, m.Accounts...)
	l.model.Users = append(l.model.Users, m.Users...)
	l.model.Groups = append(l.model.Groups, m.Groups...)
	l.model.Roles = append(l.model.Roles, m.Roles...)
	l.model.InstanceProfiles = append(l.model.InstanceProfiles, m.InstanceProfiles...)
	l.model.Policies = append(l.model.Policies, m.Policies...)
	l.model.OrgPolicies = append(l.model.OrgPolicies, m.OrgPolicies...)
	l.model.Documents = append(l.model.Documents, m.Documents...)
	l.model.Workloads = append(l.model.Workloads, m.Workloads...)
}

// skipDir reports folders never searched: version control, Terraform's
// cache of downloaded modules and providers, node packages.
func skipDir(name string) bool {
	switch name {
	case ".git", ".hg", ".svn", ".terraform", "node_modules":
		return true
	}
	return false
}

func (l *load) walk(ctx context.Context, root string) {
	st, err := os.Stat(root)
	if err != nil {
		l.diags = append(l.diags, errorDiag("Cannot read path", err.Error(), nil))
		return
	}
	if !st.IsDir() {
		l.file(root, true)
		return
	}
	// WalkDir does not follow symbolic links, so link loops cannot trap it.
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			l.diags = append(l.diags, errorDiag("Cannot read path", err.Error(), nil))
			if d != nil && d.IsDir() && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if ctx.Err() != nil {
			return filepath.SkipAll
		}
		if d.IsDir() {
			if path != root && (skipDir(d.Name()) || (l.opts.Exclude != nil && l.opts.Exclude(path))) {
				return filepath.SkipDir
			}
			return nil
		}
		if l.opts.Exclude != nil && l.opts.Exclude(path) {
			return nil
		}
		if d.Type().IsRegular() {
			l.file(path, false)
		}
		return nil
	})
	if err != nil {
		l.diags = append(l.diags, errorDiag("Cannot read path", err.Error(), nil))
	}
}

// file routes one file by extension and content. explicit files (named on
// the command line) that are of no known kind are reported; files met in
// a walk are passed over silently.
func (l *load) file(path string, explicit bool) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".tf":
		l.tfDirs[filepath.Dir(path)] = true
		return
	case ".json", ".yaml", ".yml", ".template", ".csv":
	default:
		if explicit {
			l.diags = append(l.diags, errorDiag("Unknown input kind",
				fmt.Sprintf("%s: iamlint reads .tf, .json, .yaml/.yml/.template and .csv files", path), fileStart(path)))
		}
		return
	}
	clean := filepath.Clean(path)
	if l.seen[clean] == routed || l.seen[clean] == passed && !explicit {
		return // named twice, or named and met in a walk
	}
	l.seen[clean] = routed
	st, err := os.Stat(path)
	if err != nil {
		l.diags = append(l.diags, errorDiag("Cannot read file", err.Error(), fileStart(path)))
		return
	}
	if st.Size() > l.opts.MaxFileSize {
		l.diags = append(l.diags, errorDiag("File too large",
			fmt.Sprintf("%s is %d bytes; files over %d bytes are skipped (raise the limit with --max-file-size)", path, st.Size(), l.opts.MaxFileSize),
			fileStart(path)))
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		l.diags = append(l.diags, errorDiag("Cannot read file", err.Error(), fileStart(path)))
		return
	}
	switch ext {
	case ".csv":
		if credreport.IsReport(data) {
			rows, d := credreport.Load(path, data)
			l.reports = append(l.reports, rows...)
			l.diags = append(l.diags, d...)
		} else if explicit {
			l.diags = append(l.diags, errorDiag("Unknown CSV file",
				path+": only IAM credential reports are read; their first line starts with \"user,arn,user_creation_time\"", fileStart(path)))
		} else {
			l.seen[clean] = passed
		}
	case ".yaml", ".yml", ".template":
		if cloudformation.IsTemplate(data) {
			l.merge(cloudformation.Load(path, data))
		} else if explicit {
			l.diags = append(l.diags, errorDiag("Unknown YAML file",
				path+": only CloudFormation templates are read (with AWSTemplateFormatVersion or AWS::IAM resources)", fileStart(path)))
		} else {
			l.seen[clean] = passed
		}
	case ".json":
		if !l.json(path, data, explicit) {
			l.seen[clean] = passed
		}
	}
}

// Routing states of a file: routed to a loader (or reported), or passed
// over by a walk as of no known kind — a later explicit mention still
// reports it.
const (
	routed = iota + 1
	passed
)

// json routes a JSON file; it returns false when a walk passed over it
// as of no known kind.
func (l *load) json(path string, data []byte, explicit bool) bool {
	v, diags := jsonpos.Parse(data, jsonpos.Options{Filename: path})
	if diags.HasErrors() {
		l.diags = append(l.diags, diags...)
		return true
	}
	switch kind := awsjson.Detect(v); {
	case kind != awsjson.Unknown:
		l.merge(awsjson.Load(path, v, kind, l.opts.kindFor(path)))
	case cloudformation.IsTemplateJSON(v):
		l.merge(cloudformation.Load(path, data))
	case tfplan.IsPlan(v):
		l.merge(tfplan.Load(path, v))
	case explicit:
		l.diags = append(l.diags, errorDiag("Unknown JSON file",
			path+": not a policy document, an IAM export, a CloudFormation template or a Terraform plan", &v.Range))
	default:
		return false
	}
	return true
}

func errorDiag(summary, detail string, subject *hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: subject}
}

// fileStart is the range of a file's first character, the position of
// problems with a whole file.
func fileStart(path string) *hcl.Range {
	return &hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos}
}
