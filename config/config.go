// Package config reads iamlint's configuration file, .iamlint.hcl: which
// rules run and how severe they are, their options, paths to leave out,
// policy kinds per path, suppressions for files that cannot hold comments,
// and the reference date of age-based rules.
//
// The file is found by walking up from the first path being checked to the
// repository root (the first directory holding .git) or the filesystem
// root, unless --config names one. Paths in it are relative to its own
// directory. Every mistake in it is an error with its position.
package config

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/loader"
	"github.com/iamlint/iamlint/rules"
)

// FileName is the configuration file iamlint looks for.
const FileName = ".iamlint.hcl"

// Config is a parsed configuration file.
type Config struct {
	// File is the configuration file's path; Dir its directory, which
	// relative paths in it are relative to.
	File, Dir string

	// FailOn is the least severity that makes `iamlint check` fail; zero
	// when not set.
	FailOn      rules.Severity
	FailOnRange hcl.Range
	// Now is the reference date of age-based rules; zero when not set.
	Now time.Time
	// Exclude lists path patterns (relative to Dir) to leave out.
	Exclude []string
	// RulesDirs are folders of custom Rego rules, relative to Dir.
	RulesDirs []string
	// Kinds force the policy kind of standalone documents by path.
	Kinds []loader.PathKind
	// Rules are the rule blocks, in file order.
	Rules []*RuleConfig
	// Ignores are the ignore blocks, as suppressions.
	Ignores []*rules.Suppression
}

// RuleConfig is one `rule "PATTERN" { ... }` block: settings for the rules
// whose ID or slug the pattern (an ID, a slug, or a glob over either)
// matches.
type RuleConfig struct {
	Pattern  string
	Enabled  *bool
	Severity rules.Severity // zero when not set
	Options  map[string]cty.Value
	Range    hcl.Range // the block's label
	// OptionRanges are the positions of the options, for errors.
	OptionRanges map[string]hcl.Range
}

// fileSchema is the file as gohcl decodes it.
// Anything else in the file is an "Unsupported argument" or "Unsupported
// block type" error with its position.
type fileSchema struct {
	FailOn      *string        `hcl:"fail_on,optional"`
	Now         *string        `hcl:"now,optional"`
	Exclude     []string       `hcl:"exclude,optional"`
	RulesDirs   []string       `hcl:"rules_dirs,optional"`
	PolicyKinds *hcl.Attribute `hcl:"policy_kinds,optional"`
	Rules       []ruleSchema   `hcl:"rule,block"`
	Ignores     []ignoreSchema `hcl:"ignore,block"`
}

type ruleSchema struct {
	Pattern  string         `hcl:"pattern,label"`
	Enabled  *bool          `hcl:"enabled,optional"`
	Severity *string        `hcl:"severity,optional"`
	Options  *hcl.Attribute `hcl:"options,optional"`
}

type ignoreSchema struct {
	Rules     []string `hcl:"rules"`
	Paths     []string `hcl:"paths,optional"`
	Addresses []string `hcl:"addresses,optional"`
	Reason    string   `hcl:"reason"`
}

// Find returns the configuration file that applies to start (a file or
// folder): the first .iamlint.hcl in it or its parents, up to the
// repository root or the filesystem root. It returns "" when there is none.
func Find(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		dir = filepath.Dir(dir)
	}
	for {
		p := filepath.Join(dir, FileName)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return "", nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// Load reads and checks a configuration file against the known rules.
// Every problem is a diagnostic with its position; the configuration is
// returned whenever the file parses, with the faulty settings left out.
func Load(file string, known []*rules.Rule) (*Config, hcl.Diagnostics) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read the configuration file", Detail: err.Error()}}
	}
	return Parse(src, file, known)
}

// Parse reads a configuration from src; file names it in positions and
// anchors relative paths.
func Parse(src []byte, file string, known []*rules.Rule) (*Config, hcl.Diagnostics) {
	f, diags := hclsyntax.ParseConfig(src, file, hcl.Pos{Line: 1, Column: 1})
	if diags.HasErrors() {
		return nil, diags
	}
	var fs fileSchema
	diags = append(diags, gohcl.DecodeBody(f.Body, nil, &fs)...)
	dir := filepath.Dir(file)
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	c := &Config{File: file, Dir: dir, Exclude: fs.Exclude, RulesDirs: fs.RulesDirs}
	rangeOf := func(name string) hcl.Range {
		if body, ok := f.Body.(*hclsyntax.Body); ok {
			if a := body.Attributes[name]; a != nil {
				return a.Expr.Range()
			}
		}
		return hcl.Range{Filename: file}
	}
	if fs.FailOn != nil {
		s, err := rules.ParseSeverity(*fs.FailOn)
		if err != nil {
			diags = append(diags, errDiag("Invalid fail_on", err.Error(), rangeOf("fail_on")))
		}
		c.FailOn, c.FailOnRange = s, rangeOf("fail_on")
	}
	if fs.Now != nil {
		t, err := time.Parse(time.DateOnly, *fs.Now)
		if err != nil {
			diags = append(diags, errDiag("Invalid now", fmt.Sprintf("%q is not a date: write it as YYYY-MM-DD, e.g. \"2026-11-01\".", *fs.Now), rangeOf("now")))
		}
		c.Now = t
	}
	for i, p := range fs.Exclude {
		if _, err := path.Match(p, ""); err != nil {
			diags = append(diags, errDiag("Invalid exclude pattern", fmt.Sprintf("exclude[%d] %q: %v", i, p, err), rangeOf("exclude")))
		}
	}
	if fs.PolicyKinds != nil {
		kinds, d := policyKinds(fs.PolicyKinds)
		c.Kinds, diags = kinds, append(diags, d...)
	}
	for i := range fs.Rules {
		rc, d := ruleConfig(&fs.Rules[i], f.Body, i, known)
		diags = append(diags, d...)
		if rc != nil {
			c.Rules = append(c.Rules, rc)
		}
	}
	for i := range fs.Ignores {
		s, d := c.ignore(&fs.Ignores[i], blockRange(f.Body, "ignore", i), known)
		diags = append(diags, d...)
		if s != nil {
			c.Ignores = append(c.Ignores, s)
		}
	}
	return c, diags
}

// RulesDirsOf reads the rules_dirs setting of a configuration file alone,
// each folder joined to the file's folder: the custom rules they hold must
// be loaded before the file's rule and ignore blocks can be checked
// against the known rules (see Load).
func RulesDirsOf(file string) ([]string, hcl.Diagnostics) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read the configuration file", Detail: err.Error()}}
	}
	if !bytes.Contains(src, []byte("rules_dirs")) {
		// Not set (Load reports any syntax error): no second parse.
		return nil, nil
	}
	f, diags := hclsyntax.ParseConfig(src, file, hcl.Pos{Line: 1, Column: 1})
	if diags.HasErrors() {
		return nil, diags
	}
	content, _, diags := f.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "rules_dirs"}}})
	a := content.Attributes["rules_dirs"]
	if a == nil || diags.HasErrors() {
		return nil, diags
	}
	var dirs []string
	if d := gohcl.DecodeExpression(a.Expr, nil, &dirs); d.HasErrors() {
		return nil, d
	}
	for i, d := range dirs {
		if !filepath.IsAbs(d) {
			dirs[i] = filepath.Join(filepath.Dir(file), filepath.FromSlash(d))
		}
	}
	return dirs, nil
}

func errDiag(summary, detail string, r hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: r.Ptr()}
}

// blockRange returns the definition range of the i-th block of a type.
func blockRange(body hcl.Body, typ string, i int) hcl.Range {
	if b, ok := body.(*hclsyntax.Body); ok {
		n := 0
		for _, blk := range b.Blocks {
			if blk.Type == typ {
				if n == i {
					if len(blk.LabelRanges) > 0 {
						return blk.LabelRanges[0]
					}
					return blk.DefRange()
				}
				n++
			}
		}
	}
	return hcl.Range{}
}

func policyKinds(a *hcl.Attribute) ([]loader.PathKind, hcl.Diagnostics) {
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		return nil, diags
	}
	if !v.Type().IsObjectType() && !v.Type().IsMapType() {
		return nil, hcl.Diagnostics{errDiag("Invalid policy_kinds", `policy_kinds maps path patterns to kinds: policy_kinds = { "scp/*.json" = "scp" }.`, a.Expr.Range())}
	}
	var out []loader.PathKind
	keys := []string{}
	m := v.AsValueMap()
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		kv := m[k]
		if !kv.Type().Equals(cty.String) || kv.IsNull() {
			diags = append(diags, errDiag("Invalid policy_kinds", fmt.Sprintf("the kind of %q must be a string.", k), a.Expr.Range()))
			continue
		}
		pk, err := loader.ParsePathKind(k + "=" + kv.AsString())
		if err != nil {
			diags = append(diags, errDiag("Invalid policy_kinds", err.Error(), a.Expr.Range()))
			continue
		}
		out = append(out, pk)
	}
	return out, diags
}

func ruleConfig(rs *ruleSchema, body hcl.Body, i int, known []*rules.Rule) (*RuleConfig, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	rng := blockRange(body, "rule", i)
	rc := &RuleConfig{Pattern: rs.Pattern, Enabled: rs.Enabled, Range: rng}
	matched := matching(rs.Pattern, known)
	if len(matched) == 0 {
		diags = append(diags, errDiag("Unknown rule", fmt.Sprintf("%q is no rule's ID or slug and matches none as a glob%s. `iamlint rules` lists them.", rs.Pattern, suggest(rs.Pattern, known)), rng))
		return nil, diags
	}
	if rs.Severity != nil {
		s, err := rules.ParseSeverity(*rs.Severity)
		if err != nil {
			diags = append(diags, errDiag("Invalid severity", err.Error(), rng))
		}
		rc.Severity = s
	}
	if rs.Options != nil {
		v, d := rs.Options.Expr.Value(nil)
		diags = append(diags, d...)
		if !d.HasErrors() {
			if !v.Type().IsObjectType() && !v.Type().IsMapType() {
				diags = append(diags, errDiag("Invalid options", "options is an object: options = { days = 90 }.", rs.Options.Expr.Range()))
			} else {
				rc.Options = v.AsValueMap()
				for name := range rc.Options {
					if !optionKnown(name, matched) {
						diags = append(diags, errDiag("Unknown rule option", fmt.Sprintf("no rule matching %q has an option %q%s.", rs.Pattern, name, optionList(matched)), rs.Options.Expr.Range()))
					}
				}
			}
		}
	}
	return rc, diags
}

func matching(pattern string, known []*rules.Rule) []*rules.Rule {
	var out []*rules.Rule
	for _, r := range known {
		if rules.MatchRule(pattern, &r.Meta) {
			out = append(out, r)
		}
	}
	return out
}

func suggest(pattern string, known []*rules.Rule) string {
	if strings.ContainsAny(pattern, "*?") {
		return ""
	}
	best, dist := "", 4
	for _, r := range known {
		for _, name := range []string{r.ID, r.Slug} {
			if d := catalog.EditDistance(strings.ToLower(pattern), strings.ToLower(name), 3); d < dist {
				best, dist = name, d
			}
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func optionKnown(name string, rs []*rules.Rule) bool {
	for _, r := range rs {
		for _, o := range r.Options {
			if o.Name == name {
				return true
			}
		}
	}
	return false
}

func optionList(rs []*rules.Rule) string {
	var names []string
	for _, r := range rs {
		for _, o := range r.Options {
			if !slices.Contains(names, o.Name) {
				names = append(names, o.Name)
			}
		}
	}
	if len(names) == 0 {
		return " (they have no options)"
	}
	slices.Sort(names)
	return " (options: " + strings.Join(names, ", ") + ")"
}

// ignore turns an ignore block into a suppression matching findings by
// file (paths) and by the address their path starts with (addresses); a
// finding must match both lists when both are given.
func (c *Config) ignore(is *ignoreSchema, rng hcl.Range, known []*rules.Rule) (*rules.Suppression, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	if strings.TrimSpace(is.Reason) == "" {
		diags = append(diags, errDiag("Ignore without a reason", `an ignore block needs a reason: reason = "why this is acceptable".`, rng))
	}
	if len(is.Paths) == 0 && len(is.Addresses) == 0 {
		diags = append(diags, errDiag("Ignore without a scope", `an ignore block needs paths = [...] or addresses = [...], or both: it would silence the rules everywhere (disable them with a rule block instead).`, rng))
	}
	for _, r := range is.Rules {
		if len(matching(r, known)) == 0 {
			diags = append(diags, errDiag("Unknown rule", fmt.Sprintf("%q is no rule's ID or slug and matches none as a glob%s.", r, suggest(r, known)), rng))
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	paths, addrs, dir := is.Paths, is.Addresses, c.Dir
	s := &rules.Suppression{Rules: is.Rules, Reason: is.Reason, Range: rng, External: true}
	// Findings come many to a file: match each file once.
	var mu sync.Mutex
	inPaths := map[string]bool{}
	s.Match = func(f *rules.Finding) bool {
		if len(paths) > 0 {
			mu.Lock()
			in, seen := inPaths[f.Range.Filename]
			if !seen {
				in = matchAny(paths, relTo(dir, f.Range.Filename))
				inPaths[f.Range.Filename] = in
			}
			mu.Unlock()
			if !in {
				return false
			}
		}
		if len(addrs) > 0 && !slices.ContainsFunc(addrs, func(a string) bool { return addressOf(f.Path, a) }) {
			return false
		}
		return true
	}
	return s, diags
}

// addressOf reports whether a finding's logical path is at or under an
// address: "aws_iam_role.app" covers "aws_iam_role.app → inline policy ...".
func addressOf(findingPath, addr string) bool {
	return findingPath == addr || strings.HasPrefix(findingPath, addr+" ")
}

// relTo returns file relative to dir with forward slashes, or file as
// written when it is not under dir.
func relTo(dir, file string) string {
	abs, err := filepath.Abs(file)
	if err != nil {
		return filepath.ToSlash(file)
	}
	rel, err := filepath.Rel(dir, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(file)
	}
	return filepath.ToSlash(rel)
}

func matchAny(patterns []string, p string) bool {
	return slices.ContainsFunc(patterns, func(pat string) bool { return loader.MatchPath(pat, p) })
}

// Excluded reports whether a file or folder is left out by exclude.
func (c *Config) Excluded(file string) bool {
	return c != nil && matchAny(c.Exclude, relTo(c.Dir, file))
}

// Select applies the rule blocks to the known rules, in file order (a
// later block overrides an earlier one): which run, at which severity.
// It returns copies; the inputs are not modified.
func (c *Config) Select(known []*rules.Rule) []*rules.Rule {
	var out []*rules.Rule
	for _, r := range known {
		cp := *r
		on := r.Default
		for _, rc := range c.rulesFor(r) {
			if rc.Enabled != nil {
				on = *rc.Enabled
			}
			if rc.Severity != 0 {
				cp.Severity = rc.Severity
			}
		}
		if on {
			out = append(out, &cp)
		}
	}
	return out
}

// Option returns the value of a rule option, set by the last rule block
// that matches the rule and sets it.
func (c *Config) Option(r *rules.Rule, name string) (cty.Value, bool) {
	var v cty.Value
	found := false
	for _, rc := range c.rulesFor(r) {
		if o, ok := rc.Options[name]; ok {
			v, found = o, true
		}
	}
	return v, found
}

func (c *Config) rulesFor(r *rules.Rule) []*RuleConfig {
	if c == nil {
		return nil
	}
	var out []*RuleConfig
	for _, rc := range c.Rules {
		if rules.MatchRule(rc.Pattern, &r.Meta) {
			out = append(out, rc)
		}
	}
	return out
}

// KindOf is a convenience for tests and callers: the kind forced for a
// path by policy_kinds, or iam.KindUnknown.
func (c *Config) KindOf(file string) iam.Kind {
	if c == nil {
		return iam.KindUnknown
	}
	rel := relTo(c.Dir, file)
	for _, k := range c.Kinds {
		if loader.MatchPath(k.Pattern, rel) {
			return k.Kind
		}
	}
	return iam.KindUnknown
}
