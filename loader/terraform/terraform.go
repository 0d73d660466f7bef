// Package terraform loads IAM objects from Terraform configurations.
//
// It is a small evaluator of its own, not a fork of Terraform's: each
// folder is parsed with hclsyntax, blocks are decoded with hcl.BodySchema,
// and expressions are evaluated lazily with an hcl.EvalContext built for
// exactly the references each one makes (variables, locals, resources, data
// sources, module outputs). Only the aws_iam_* resources, the Organizations
// policies, the data sources an IAM policy can depend on and the workloads
// that run with a role (Lambda functions, EC2 instances, ...; see
// workload.go) are modelled; everything else a policy refers to is either
// read from its configuration (an attribute the user set) or an explicit
// unknown.
//
// Positions are the point of the package: every element of every policy
// document keeps the range the user wrote it at, whether the document was
// a heredoc, a jsonencode(...) object, a file, a template or an
// aws_iam_policy_document data source (see place.go and template.go).
// Documents are built as position-carrying JSON trees and decoded with
// iam.DecodePolicy, so they get the same structure and the same checks as
// JSON policies.
//
// Memory: on large configurations the syntax trees (about twelve times
// the size of the text) and the evaluated values of blocks would be most
// of what a load holds, so neither is kept longer than needed. Each file
// is parsed once, in parallel, for its declarations and to report syntax
// errors, and the trees of resource and data blocks are dropped at once
// (shrinkBody); a block is parsed again from its text when it is
// evaluated, ahead of the builder on another goroutine (prefetch.go),
// and its tree dropped once it is built (release). What other blocks
// read of a built block is dropped once every block referring to it is
// built too (refs.go).
//
// Not read: .tf.json files, override files (reported), TF_VAR_
// environment variables, remote modules (reported; their outputs are
// unknown), provider aliases (everything is one account; only the region
// of an aliased provider is read, for workload ARNs), and resources other
// than the modelled ones beyond the arguments they set.
package terraform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
)

// Options configure a load.
type Options struct {
	VarFiles    []string // --var-file, applied in order after the tfvars files
	Vars        []string // --var NAME=VALUE, applied last, in order
	MaxFileSize int64
	// Roots are the folders the user named. file() and templatefile() read
	// only below them or below a loaded module folder. When empty, the
	// deepest folder containing every entry of dirs is used.
	Roots []string
}

// defaultMaxFileSize bounds every file read when Options leaves it zero.
const defaultMaxFileSize = 50 << 20

// Load reads the Terraform root modules in dirs (each folder holding .tf
// files) and returns the IAM objects they declare.
//
// A folder that another loaded folder calls as a local module ("./x",
// "../x") is evaluated as that module, with its inputs, and not again as a
// root of its own; every other folder is a root configuration.
func Load(ctx context.Context, dirs []string, opts Options) (*iam.Model, hcl.Diagnostics) {
	return load(ctx, dirs, opts, false)
}

// load is Load; with keepAll, every syntax tree and evaluated value is
// kept to the end of the load instead of being dropped as soon as nothing
// will read it (see shrinkBody and refs.go), which must not change the
// result: tests compare the two.
func load(ctx context.Context, dirs []string, opts Options, keepAll bool) (*iam.Model, hcl.Diagnostics) {
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = defaultMaxFileSize
	}
	l := newLoader(ctx, opts)
	l.keepAll = keepAll
	l.setSandbox(dirs)
	l.parseVarOptions()

	var cfgs []*config
	seen := map[string]bool{}
	for _, d := range dirs {
		c := l.config(filepath.Clean(d))
		if c == nil || seen[c.abs] {
			continue
		}
		seen[c.abs] = true
		cfgs = append(cfgs, c)
	}
	for _, c := range chooseRoots(l, cfgs) {
		if ctx.Err() != nil {
			l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Load cancelled", Detail: ctx.Err().Error()})
			break
		}
		l.loadRoot(c)
	}
	l.checkUnusedVars()
	l.model.Sort()
	return l.model, l.finishDiags()
}

// chooseRoots returns the configurations that are not called as a local
// module by another one. Folders only reachable through a module cycle get
// the first of them (in name order) as a root, so nothing is skipped.
func chooseRoots(l *loader, cfgs []*config) []*config {
	called := map[string]bool{}
	for _, c := range cfgs {
		for _, t := range l.localTargets(c) {
			if t != c.abs {
				called[t] = true
			}
		}
	}
	var roots []*config
	reached := map[string]bool{}
	var reach func(c *config)
	reach = func(c *config) {
		if reached[c.abs] {
			return
		}
		reached[c.abs] = true
		for _, t := range l.localTargets(c) {
			if tc := l.configs[t]; tc != nil {
				reach(tc)
			}
		}
	}
	for _, c := range cfgs {
		if !called[c.abs] {
			roots = append(roots, c)
			reach(c)
		}
	}
	sorted := append([]*config(nil), cfgs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].dir < sorted[j].dir })
	for _, c := range sorted {
		if !reached[c.abs] {
			roots = append(roots, c)
			reach(c)
		}
	}
	sort.SliceStable(roots, func(i, j int) bool { return roots[i].dir < roots[j].dir })
	// Count the roots each folder serves: the syntax of a folder only one
	// root uses can be dropped as that root is built.
	for _, r := range roots {
		reached = map[string]bool{}
		reach(r)
		for abs := range reached {
			l.rootUses[abs]++
		}
	}
	return roots
}

// localTargets lists the folders c calls as local modules (absolute).
func (l *loader) localTargets(c *config) []string {
	var out []string
	for _, name := range c.callOrder {
		mc := c.calls[name]
		if mc.local {
			abs, err := filepath.Abs(filepath.Join(c.dir, mc.source))
			if err == nil {
				if l.config(filepath.Join(c.dir, mc.source)) != nil {
					out = append(out, abs)
				}
			}
		}
	}
	return out
}

// setSandbox fixes the folders file() may read from.
func (l *loader) setSandbox(dirs []string) {
	roots := l.opts.Roots
	if len(roots) == 0 {
		roots = []string{commonAncestor(dirs)}
	}
	for _, r := range roots {
		if r == "" {
			continue
		}
		l.addAllowed(r)
	}
}

func (l *loader) addAllowed(dir string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return
	}
	// Both the path and its real path are kept: paths are checked before
	// and after resolving symbolic links.
	paths := []string{abs}
	if real, err := filepath.EvalSymlinks(abs); err == nil && real != abs {
		paths = append(paths, real)
	}
	for _, p := range paths {
		if !l.mayRead(p) {
			l.allowed = append(l.allowed, p)
		}
	}
}

// commonAncestor returns the deepest folder containing every dir.
func commonAncestor(dirs []string) string {
	var common string
	for i, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			continue
		}
		if i == 0 || common == "" {
			common = abs
			continue
		}
		for !within(common, abs) {
			parent := filepath.Dir(common)
			if parent == common {
				break
			}
			common = parent
		}
	}
	return common
}

// within reports whether path is dir or below it (both absolute, clean).
func within(dir, path string) bool {
	if dir == path {
		return true
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// readLimited reads a file, refusing ones over the size limit.
func (l *loader) readLimited(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s is a directory", path)
	}
	if st.Size() > l.opts.MaxFileSize {
		return nil, fmt.Errorf("%s is %d bytes; files over %d bytes are skipped", path, st.Size(), l.opts.MaxFileSize)
	}
	return os.ReadFile(path)
}
