package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/iamlint/iamlint/accessdiff"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/loader"
	"github.com/iamlint/iamlint/reports"
	"github.com/iamlint/iamlint/rules"
	"github.com/iamlint/iamlint/rules/builtin"
)

type diffFlags struct {
	load     loadFlags
	format   string
	outputs  []string
	gitBase  string
	allowNew []string
	// As check's: custom rules and the configuration file.
	rulesDirs   []string
	ruleTimeout time.Duration
	config      string
	noConfig    bool
}

// diffFormats lists the formats diff writes.
func diffFormats() []string { return []string{"text", "json", "markdown", "sarif"} }

// diffCategory is the SARIF category of diff's results (see
// reports.SARIF): an upload of them leaves check's alerts alone.
const diffCategory = "iamlint-diff/"

func newDiffCmd(app *App) *cobra.Command {
	var f diffFlags
	cmd := &cobra.Command{
		Use:   "diff BASE HEAD | --git-base REF [PATH...]",
		Short: "Show how access changes between two versions of the inputs",
		Long: `diff compares the access two versions of the same inputs grant — a pull
request's base and head — and exits 1 when access grows beyond what
--allow-new permits: the offline counterpart of IAM Access Analyzer's
CheckNoNewAccess.

BASE and HEAD are two folders holding the two versions. With --git-base REF,
the base is the git revision REF (a branch, tag or commit) and the head the
working tree: REF's files are written to a temporary folder from the
repository's objects (no network, no change to the repository, its index or
its work trees) and removed afterwards. PATH... (default: the working
folder) are read in both, as 'iamlint check' reads them; a PATH that REF
does not have is empty there.

The comparison is semantic: it runs the analyzer on both versions, so
reformatting, moving a statement into a group policy or splitting a
policy changes nothing, while a statement that grants more does. It
reports:
  - principals (users and roles) added and removed, matched by ARN when it
    is known, else by Terraform address or file position
  - per principal, the actions of the service catalog gained and lost, by
    service and access level, certain (on every resource no deny names,
    in every request) or conditional; "widened" actions were conditional
    and became certain
  - trust relationships added and removed: who each role's trust policy
    admits (accounts, principals, services, federated providers, anyone)
  - role assumption: which principals of the inputs may assume which roles
  - escalation paths: each principal's shortest way to more permissions
  - findings of the enabled rules added and removed (matched by
    fingerprint; they do not change the exit status)

The rules are check's: the built-in rules and the custom Rego rules of
--rules DIR (repeatable) and of rules_dirs in the configuration file, each
evaluation limited to --rule-timeout. The configuration is HEAD's (the
.iamlint.hcl of HEAD's folder or the nearest parent up to the repository
root, or --config FILE; --no-config reads none); its rule blocks enable,
disable and configure rules, and its now sets the reference date, for both
states alike. Its exclude, kind and ignore blocks name paths of HEAD and are
not applied.

--format text (the default) prints a unified diff of each changed
principal's permission summary (one line per service and access level,
with its actions), then the other changes, a summary, and the verdict;
colours only on a terminal, never with NO_COLOR set. --format markdown
prints the same as a pull-request comment, --format json as one
documented object (version 1): version, tool, base, head, grows, allowNew,
violations (kind, principal, actions, detail), summary (counts),
principals (principal, change, adminBefore, adminAfter, gained, lost,
widened, narrowed: lists of {service, accessLevel, certain, actions}),
trust, assume, escalations and findings (each {added, removed}).
--format sarif writes SARIF 2.1.0 for GitHub code scanning (category
iamlint-diff, apart from check's alerts): a result for each new
escalation path (suppressed when --allow-new permits it), for each other
growth of access --allow-new does not permit (rules diff/new-access,
diff/new-trust, diff/new-assume), and for each new finding, located at the
statements of HEAD that grant it. As for check, --format takes several
formats, comma-separated, and --output FORMAT=FILE (repeatable) writes one
to a file instead of standard output, which takes at most one.

--allow-new PRINCIPAL:WHAT permits growth (repeatable):
  PRINCIPAL  a glob ('*', '?'), matched ignoring case against a principal's
             name, address or ARN; for a new trust relationship, against
             the trusted principal as written (account ID, ARN, service
             such as lambda.amazonaws.com, or *) and its account ID
  WHAT       an action glob SERVICE:ACTION (s3:*, s3:Get*, iam:PassRole);
             escalation, for a new escalation path of PRINCIPAL; or * for
             anything. A new can-assume edge is sts:AssumeRole of the
             principal that assumes; a new trust relationship the sts
             actions it allows to the trusted principal.
The action is the last two colon-separated fields when the first of them
can be a service prefix, so an ARN needs no quoting:
arn:aws:iam::111122223333:role/ci:s3:* is that role gaining S3 actions.

Exit status: 0 when access does not grow beyond --allow-new (also when it
shrinks), 1 when it does, 2 on usage errors, inputs of HEAD (the working
tree) that did not load, or a rule that failed. Load errors of BASE are
printed but do not fail the run: what BASE lacks only makes more access
look new.`,
		Example: `  iamlint diff old/ new/
  iamlint diff --git-base origin/main infra/
  iamlint diff --git-base main --allow-new 'aws_iam_role.ci:s3:*' --allow-new '*:logs:*' .
  iamlint diff --git-base HEAD --format markdown > comment.md
  iamlint diff --git-base origin/main --output sarif=diff.sarif --output markdown=comment.md .
  iamlint diff --rules policies/rules old/ new/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return app.diff(cmd, args, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "text", "output `FORMAT`s, comma-separated: text, json, markdown or sarif (only one may go to standard output)")
	fl.StringArrayVar(&f.outputs, "output", nil, "write the output in a format to a file, `FORMAT=FILE`, such as sarif=diff.sarif (repeatable)")
	fl.StringArrayVar(&f.rulesDirs, "rules", nil, "also run the custom Rego rules of `DIR` (repeatable; see docs/custom-rules.md)")
	fl.DurationVar(&f.ruleTimeout, "rule-timeout", defaultRuleTimeout, "time limit of each custom rule's evaluation")
	fl.StringVar(&f.config, "config", "", "configuration `FILE` (default: .iamlint.hcl in HEAD's folder, or with --git-base the first PATH's, or a parent, up to the repository root)")
	fl.BoolVar(&f.noConfig, "no-config", false, "read no configuration file")
	fl.StringVar(&f.gitBase, "git-base", "", "compare the working tree with this git revision (`REF`)")
	fl.StringArrayVar(&f.allowNew, "allow-new", nil, "permit this growth of access: `PRINCIPAL:WHAT`, WHAT an action glob, escalation or * (repeatable)")
	f.load.register(fl)
	return cmd
}

// diffSide is where one state of a diff is read from.
type diffSide struct {
	name  string   // for output
	root  string   // names below it are shown relative to it
	paths []string // what to load; none: an empty state
}

func (app *App) diff(cmd *cobra.Command, args []string, f *diffFlags) error {
	ctx := cmd.Context()
	outs, err := parseOutputsOf(diffFormats(), f.format, f.outputs)
	if err != nil {
		return usageError(err)
	}
	var allow []accessdiff.Allow
	for _, s := range f.allowNew {
		a, err := accessdiff.ParseAllow(s)
		if err != nil {
			return usageError(err)
		}
		allow = append(allow, a)
	}
	opts := loader.Options{VarFiles: f.load.varFiles, Vars: f.load.vars, MaxFileSize: f.load.maxFileSize}
	if opts.KindByPath, err = parseKinds(f.load.kind); err != nil {
		return usageError(err)
	}
	if f.load.maxFileSize <= 0 {
		return usageError(fmt.Errorf("--max-file-size: %d is not a positive number of bytes", f.load.maxFileSize))
	}

	var base, head diffSide
	if f.gitBase != "" {
		paths := args
		if len(paths) == 0 {
			paths = []string{"."}
		}
		dir, err := os.MkdirTemp("", "iamlint-diff-")
		if err != nil {
			return usageError(err)
		}
		defer os.RemoveAll(dir)
		if base, head, err = gitSides(ctx, f.gitBase, paths, dir); err != nil {
			return usageError(err)
		}
	} else {
		if len(args) != 2 {
			return usageError(errors.New("diff needs two folders, BASE and HEAD (e.g. iamlint diff old/ new/), or --git-base REF [PATH...] to compare the working tree with a git revision"))
		}
		for _, p := range args {
			if st, err := os.Stat(p); err != nil || !st.IsDir() {
				return usageError(fmt.Errorf("%s is not a folder: diff compares two folders, BASE and HEAD; use --git-base REF to compare with a git revision", p))
			}
		}
		base = diffSide{name: args[0], root: args[0], paths: args[:1]}
		head = diffSide{name: args[1], root: args[1], paths: args[1:]}
	}

	rs, err := app.diffRules(ctx, head.paths, f)
	if err != nil {
		return err
	}

	d, problems := compareStates(ctx, base, head, opts, rs)
	if err := ctx.Err(); err != nil {
		return usageError(err)
	}
	for i, s := range []diffSide{base, head} {
		app.printDiffProblems(s, problems[i])
	}

	violations := d.Violations(allow)
	err = app.writeOutputs(outs, func(format string, stdout bool, w io.Writer) error {
		switch format {
		case "json":
			return d.WriteJSON(w, Version(), allow, violations)
		case "markdown":
			return d.WriteMarkdown(w, violations)
		case "sarif":
			r := d.Report(allow, violations, rs.runner.Rules)
			r.Tool, r.Diagnostics = toolInfo(), problems[1].notes
			return reports.SARIF{Category: diffCategory}.Report(w, r)
		}
		return d.WriteText(w, violations, stdout && app.colour())
	})
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	switch {
	case problems[1].failed():
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%s did not load completely; the comparison may be wrong", head.name)}
	case len(violations) > 0:
		return &ExitError{Code: ExitFindings}
	}
	return nil
}

// gitSides sets up a --git-base comparison: REF's tree written into dir
// as the base, the working tree as the head, each read at paths (relative
// to the working folder).
func gitSides(ctx context.Context, ref string, paths []string, dir string) (base, head diffSide, err error) {
	repo, err := openGitRepo(ctx)
	if err != nil {
		return base, head, err
	}
	commit, err := repo.resolve(ctx, ref)
	if err != nil {
		return base, head, err
	}
	wd, err := os.Getwd()
	if err != nil {
		return base, head, err
	}
	root := filepath.Join(dir, filepath.FromSlash(repo.prefix))
	base = diffSide{name: ref, root: root}
	head = diffSide{name: "working tree"}
	for _, p := range paths {
		rel := p
		if filepath.IsAbs(p) {
			if rel, err = filepath.Rel(wd, p); err != nil {
				return base, head, fmt.Errorf("%s: %v", p, err)
			}
		}
		inRepo := filepath.Join(filepath.FromSlash(repo.prefix), rel)
		if inRepo != "." && !filepath.IsLocal(inRepo) {
			return base, head, fmt.Errorf("%s is outside the git work tree %s", p, repo.top)
		}
		head.paths = append(head.paths, rel)
		base.paths = append(base.paths, filepath.Join(root, rel))
	}
	if err := repo.export(ctx, commit, dir); err != nil {
		return base, head, err
	}
	// A path the revision does not have is empty there.
	kept := base.paths[:0]
	for _, p := range base.paths {
		if _, err := os.Lstat(p); err == nil {
			kept = append(kept, p)
		}
	}
	base.paths = kept
	return base, head, nil
}

// diffProblems are what went wrong loading and checking one state.
type diffProblems struct {
	diags    hcl.Diagnostics
	ruleErrs []error
	// notes are the problems as check's reports list them (SARIF's
	// tool-execution notifications).
	notes []reports.Diagnostic
}

func (p diffProblems) failed() bool { return p.diags.HasErrors() || len(p.ruleErrs) > 0 }

// diffRuleSet is what diff runs on both states.
type diffRuleSet struct {
	all    []*rules.Rule
	runner rules.Runner // its Rules are the enabled ones
}

// diffRules returns the rules check would run on HEAD: the built-in and
// custom rules (--rules, and rules_dirs of the configuration found from
// HEAD's paths), enabled and configured by the configuration's rule
// blocks and now.
func (app *App) diffRules(ctx context.Context, headPaths []string, f *diffFlags) (*diffRuleSet, error) {
	paths := headPaths
	if len(paths) == 0 {
		paths = []string{"."}
	}
	builtins := builtin.All()
	all, cfg, err := app.withCustomRules(ctx, paths, &checkFlags{
		rulesDirs: f.rulesDirs, ruleTimeout: f.ruleTimeout, config: f.config, noConfig: f.noConfig,
	}, builtins)
	if err != nil {
		return nil, err
	}
	rs := &diffRuleSet{all: all, runner: rules.Runner{Rules: rules.Enabled(all)}}
	if cfg != nil {
		rs.runner = rules.Runner{Rules: cfg.Select(all), Options: cfg.Option, Now: cfg.Now}
	}
	return rs, nil
}

// compareStates loads, analyses and checks base, keeps only what the
// comparison needs of it (an accessdiff.Base), then checks head and
// compares. One analysis is in memory at a time (two made side by side
// took twice the memory of a check), and head's files are read while
// base's rules run, which use one CPU.
func compareStates(ctx context.Context, base, head diffSide, opts loader.Options, rs *diffRuleSet) (*accessdiff.Diff, [2]diffProblems) {
	var problems [2]diffProblems
	var headModel *iam.Model
	var headDiags hcl.Diagnostics
	headLoaded := make(chan struct{})
	b := func() *accessdiff.Base {
		model, diags := loadDiffModel(ctx, base, opts)
		in := rules.NewInput(model, diags)
		in.Analysis() // on every CPU, before head's files are read
		go func() {
			defer close(headLoaded)
			headModel, headDiags = loadDiffModel(ctx, head, opts)
		}()
		st, p := checkDiffState(ctx, base, in, diags, rs)
		problems[0] = p
		return accessdiff.NewBase(st)
	}()
	<-headLoaded
	st, p := checkDiffState(ctx, head, rules.NewInput(headModel, headDiags), headDiags, rs)
	problems[1] = p
	return b.Compare(st), problems
}

// loadDiffModel loads one state's files (none: an empty state).
func loadDiffModel(ctx context.Context, s diffSide, opts loader.Options) (*iam.Model, hcl.Diagnostics) {
	if len(s.paths) == 0 {
		return nil, nil
	}
	return loader.Load(ctx, s.paths, opts)
}

// checkDiffState runs the rules on one state's input, with source
// suppressions applied.
func checkDiffState(ctx context.Context, s diffSide, in *rules.Input, diags hcl.Diagnostics, rs *diffRuleSet) (*accessdiff.State, diffProblems) {
	runner := rs.runner
	runner.Root = s.root
	findings, err := runner.Run(ctx, in)
	probs := diffProblems{diags: diags, notes: runDiagnostics(in, rules.Lookup(runner.Rules, "IAM000") != nil)}
	if err != nil {
		probs.ruleErrs = unjoin(err)
		for _, e := range probs.ruleErrs {
			probs.notes = append(probs.notes, reports.Diagnostic{Severity: reports.DiagError, Message: e.Error()})
		}
	}
	findings, _ = builtin.Suppress(in, findings, nil, rs.all, runner.Rules)
	return &accessdiff.State{Name: s.name, Root: s.root, Analysis: in.Analysis(), Findings: findings}, probs
}

// printDiffProblems prints a state's load diagnostics and rule failures
// on standard error, names relative to its root, each line prefixed with
// the state's name.
func (app *App) printDiffProblems(s diffSide, p diffProblems) {
	iam.SortDiagnostics(p.diags)
	for _, d := range p.diags {
		sev := "error"
		if d.Severity == hcl.DiagWarning {
			sev = "warning"
		}
		loc := ""
		if d.Subject != nil && d.Subject.Filename != "" {
			loc = fmt.Sprintf("%s:%d:%d: ", filepath.ToSlash(rules.TrimRoot(s.root, d.Subject.Filename)), d.Subject.Start.Line, d.Subject.Start.Column)
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		fmt.Fprintf(app.Stderr, "%s: %s%s: %s\n", s.name, loc, sev, rules.TrimRoot(s.root, msg))
	}
	for _, err := range p.ruleErrs {
		fmt.Fprintf(app.Stderr, "%s: error: %v\n", s.name, err)
	}
}
