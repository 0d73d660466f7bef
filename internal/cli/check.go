package cli

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/iamlint/iamlint/config"
	"github.com/iamlint/iamlint/loader"
	"github.com/iamlint/iamlint/reports"
	"github.com/iamlint/iamlint/rules"
	"github.com/iamlint/iamlint/rules/builtin"
)

type checkFlags struct {
	format      string
	outputs     []string
	quiet       bool
	failOn      string
	kind        []string
	varFiles    []string
	vars        []string
	maxFileSize int64
	config      string
	noConfig    bool
	now         string
	rulesDirs   []string
	ruleTimeout time.Duration
	baseline    string
	writeBase   string
}

func newCheckCmd(app *App) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check PATH...",
		Short: "Lint IAM policies in Terraform, JSON and other inputs",
		Long: `check lints every IAM policy document it finds and reports each problem at the
element at fault, with its rule ID (see 'iamlint rules' and 'iamlint explain').

A PATH may be a file or a directory. Directories are walked, skipping .git,
.hg, .svn, .terraform and node_modules. The inputs are those 'iamlint inspect'
reads: Terraform configurations (.tf; each directory is a root module), AWS
JSON (policy documents, account authorization details, Organizations
policies), CloudFormation templates, Terraform plans and credential reports.
In a walk, files of no known kind are passed over silently; a file named
explicitly must be of a known kind. Every policy document is checked: inline
and customer managed policies, role trust policies, SCPs and RCPs, and
standalone policy files. AWS managed policies are not: they are not yours to
fix.

A file that does not load (a syntax error, unreadable, larger than
--max-file-size) is reported as IAM000 at the first offending character, and
the other files are still analysed. Values the loader could not resolve (a
Terraform variable without a value) are listed as warnings after the
findings; give them with --var and --var-file.

The policy kind decides which elements a document needs. It comes from where
the document is used (an inline policy is an identity policy, a role's
assume-role policy a trust policy). For standalone policy files it is
inferred per file: a trust policy when every statement names a Principal, has
no Resource and grants sts:AssumeRole*; a resource-based policy when every
statement names a Principal; an identity policy otherwise. --kind KIND sets it
for every standalone file; --kind PATTERN=KIND for the files whose path
matches PATTERN (a glob such as 'org/*/scp-*.json', or a folder); the first
matching --kind wins.

Configuration: check reads .iamlint.hcl from the first PATH's folder or the
nearest parent up to the repository root (--config names another file,
--no-config reads none; 'iamlint init' writes a commented one). It enables
and disables rules, overrides severities and rule options, sets fail_on and
the reference date, excludes paths, forces policy kinds by path, and
suppresses findings in files that cannot hold comments. Flags given on the
command line win over the file.

Suppressions: a comment '# iamlint:ignore IAM101 reason' (or '//', '/* */')
silences the named rules (IDs, slugs or globs such as IAM1*) on the block or
attribute that starts on the line it names: its own line when code precedes
it there, else the next line with code. In a YAML CloudFormation template,
'# iamlint:ignore' silences them on the key or '- ' entry starting on that
line with everything nested under it. The reason is required (IAM003);
a directive that silences nothing is reported (IAM004). Suppressed findings
do not count towards the exit status; the JSON report lists them under
"suppressed" with their justification, SARIF as results with suppressions.

Baselines: --write-baseline FILE records every finding of the run in FILE
(JSON: rule ID and fingerprint, with the path and message for reviewers;
'-' writes it to standard output) instead of reporting them, and exits 0
unless inputs did not load. --baseline FILE then reports only the findings
FILE does not hold; the others are suppressed ("in the baseline FILE",
listed under "suppressed" in JSON) and do not count towards the exit
status. Fingerprints hash a finding's rule and logical address (resource,
statement, value), not its line, so they survive reformatting and moved
code; they hash file names as given, so write and use a baseline from the
same folder with the same paths.

Output: --format text (the default) prints findings for people, grouped by
file, with the source line and a caret under the element; --quiet prints
only its summary line. json is for programs (a versioned schema); sarif is
SARIF 2.1.0 for GitHub code scanning (upload it with
github/codeql-action/upload-sarif); github prints GitHub Actions workflow
commands, which annotate the pull request; markdown is a pull-request
comment, with escalation paths drawn as Mermaid diagrams and file:line links
to the commit when GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_SHA are
set. --format takes several formats, comma-separated, of which one may go to
standard output: --output FORMAT=FILE writes a format to a file instead
(repeatable; a format named only by --output is written too). Paths in
reports are as given on the command line: run iamlint from the repository
root for SARIF, annotations and links to find the files.

Custom rules: --rules DIR (repeatable) and rules_dirs in the configuration
add the rules written in Rego in the .rego files of those folders
(docs/custom-rules.md); they run like built-in rules, each evaluation limited
to --rule-timeout. Rules that do not load are a usage failure listing each
mistake with its file:line:column.

Age-based rules (unused credentials, key rotation, root use) measure from
--now (or now in the configuration; default today), so that a run can be
reproduced.

Exit status: 0 when nothing is at or above --fail-on, 1 when something is,
2 on usage errors, a configuration file with mistakes, input that does not
load (IAM000 and other load errors) or policies AWS would reject (IAM002).`,
		Example: `  iamlint check policies/
  iamlint check --format json --fail-on high role-trust.json app-policy.json
  iamlint check --format text --output sarif=iamlint.sarif --output markdown=comment.md .
  iamlint check --format github,sarif --output sarif=iamlint.sarif .
  iamlint check --var-file prod.tfvars --var env=prod infra/
  iamlint check --kind scp org/scps/
  iamlint check --kind 'org/scps=scp' --kind 'trust/*.json=trust' .
  iamlint check --write-baseline .iamlint-baseline.json .
  iamlint check --baseline .iamlint-baseline.json .`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return app.check(cmd, args, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "text", "output `FORMAT`s, comma-separated: "+strings.Join(reports.Formats(), ", ")+" (only one may go to standard output)")
	fl.StringArrayVar(&f.outputs, "output", nil, "write the report in a format to a file, `FORMAT=FILE`, such as sarif=iamlint.sarif (repeatable)")
	fl.BoolVar(&f.quiet, "quiet", false, "text format: print only the summary line")
	fl.StringVar(&f.failOn, "fail-on", "low", "exit 1 when a finding is at least this severe: critical, high, medium, low or info")
	fl.StringArrayVar(&f.kind, "kind", nil, "policy kind of standalone policy files: `[PATTERN=]KIND` with KIND one of identity, resource, trust, boundary, scp, rcp, session (default: inferred per file; repeatable)")
	fl.StringArrayVar(&f.varFiles, "var-file", nil, "Terraform variable definitions `FILE` (repeatable)")
	fl.StringArrayVar(&f.vars, "var", nil, "Terraform variable `NAME=VALUE` (repeatable)")
	fl.Int64Var(&f.maxFileSize, "max-file-size", loader.DefaultMaxFileSize, "report files larger than this many `BYTES` (IAM000) instead of reading them")
	fl.StringVar(&f.config, "config", "", "configuration `FILE` (default: .iamlint.hcl in the first PATH's folder or a parent, up to the repository root)")
	fl.BoolVar(&f.noConfig, "no-config", false, "read no configuration file")
	fl.StringVar(&f.now, "now", "", "reference `DATE` (YYYY-MM-DD) of age-based rules (default: the configuration's now, else today)")
	fl.StringArrayVar(&f.rulesDirs, "rules", nil, "also run the custom Rego rules of `DIR` (repeatable; see docs/custom-rules.md)")
	fl.DurationVar(&f.ruleTimeout, "rule-timeout", defaultRuleTimeout, "time limit of each custom rule's evaluation")
	fl.StringVar(&f.baseline, "baseline", "", "report only the findings not recorded in this baseline `FILE`")
	fl.StringVar(&f.writeBase, "write-baseline", "", "record every finding in this baseline `FILE` ('-': standard output) instead of reporting them")
	return cmd
}

func (app *App) check(cmd *cobra.Command, paths []string, f *checkFlags) error {
	start := clock()
	usage := func(err error) error { return &ExitError{Code: ExitFailure, Err: err} }
	outs, err := parseOutputs(f.format, f.outputs)
	if err != nil {
		return usage(err)
	}
	failOn, err := rules.ParseSeverity(f.failOn)
	if err != nil {
		return usage(fmt.Errorf("--fail-on: %w", err))
	}
	opts := loader.Options{VarFiles: f.varFiles, Vars: f.vars, MaxFileSize: f.maxFileSize}
	if opts.KindByPath, err = parseKinds(f.kind); err != nil {
		return usage(err)
	}
	if f.maxFileSize <= 0 {
		return usage(fmt.Errorf("--max-file-size: %d is not a positive number of bytes", f.maxFileSize))
	}
	var base *reports.Baseline
	switch {
	case f.baseline != "" && f.writeBase != "":
		return usage(errors.New("--baseline and --write-baseline exclude each other"))
	case f.baseline != "":
		if base, err = readBaseline(f.baseline); err != nil {
			return err
		}
	}
	all, cfg, err := app.withCustomRules(cmd.Context(), paths, f, builtin.All())
	if err != nil {
		return err
	}
	enabled := rules.Enabled(all)
	runner := rules.Runner{Rules: enabled}
	if cfg != nil {
		enabled = cfg.Select(all)
		runner = rules.Runner{Rules: enabled, Options: cfg.Option, Now: cfg.Now}
		opts.Exclude, opts.KindOf = cfg.Excluded, cfg.KindOf
		if cfg.FailOn != 0 && !cmd.Flags().Changed("fail-on") {
			failOn = cfg.FailOn
		}
	}
	if f.now != "" {
		if runner.Now, err = time.Parse(time.DateOnly, f.now); err != nil {
			return usage(fmt.Errorf("--now %s: not a date; write it as YYYY-MM-DD", f.now))
		}
	}

	loadStart := clock()
	in := rules.NewInput(loader.Load(cmd.Context(), paths, opts))
	if err := cmd.Context().Err(); err != nil {
		return usage(err)
	}
	in.Clock = clock
	rulesStart := clock()
	findings, err := runner.Run(cmd.Context(), in)
	var suppressed []rules.Finding
	if cmd.Context().Err() == nil {
		var ignores []*rules.Suppression
		if cfg != nil {
			ignores = cfg.Ignores
		}
		findings, suppressed = builtin.Suppress(in, findings, ignores, all, enabled)
	}
	// The analysis runs when the first rule needs it: its time is taken
	// out of the rules'.
	analysis := in.AnalysisTime()
	timing := reports.Timing{Load: rulesStart.Sub(loadStart), Analysis: analysis, Rules: clock().Sub(rulesStart) - analysis}
	diags := runDiagnostics(in, rules.Lookup(enabled, "IAM000") != nil)
	if err != nil {
		var ctxErr error
		for _, e := range unjoin(err) {
			var re *rules.RuleError
			if !errors.As(e, &re) {
				ctxErr = e
				continue
			}
			diags = append(diags, reports.Diagnostic{Severity: reports.DiagError, Message: e.Error()})
		}
		if ctxErr != nil {
			return usage(ctxErr)
		}
	}
	if f.writeBase != "" {
		return app.writeBaseline(f.writeBase, in, findings, diags)
	}
	if base != nil {
		findings, suppressed, diags = applyBaseline(base, f.baseline, findings, suppressed, diags)
	}

	timing.Total = clock().Sub(start)
	report := &reports.Report{
		Tool:        toolInfo(),
		Timing:      timing,
		Start:       start,
		Findings:    findings,
		Suppressed:  suppressed,
		Diagnostics: diags,
		Files:       len(in.Files()),
		Source:      reports.FileSource(f.maxFileSize),
		Rules:       enabled,
	}
	if err := app.writeReports(outs, app.reportOptions(f.quiet, failOn), report); err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}

	code := ExitOK
	for _, fd := range findings {
		if fd.Severity >= failOn {
			code = ExitFindings
		}
	}
	if inputErrors(in) || slices.ContainsFunc(diags, func(d reports.Diagnostic) bool { return d.Severity == reports.DiagError }) {
		code = ExitFailure
	}
	if code != ExitOK {
		return &ExitError{Code: code}
	}
	return nil
}

// loadConfig finds and reads the configuration file: --config, else the
// nearest .iamlint.hcl (none with --no-config). Its mistakes are a usage
// failure listing each with its position.
func (app *App) loadConfig(file string, all []*rules.Rule) (*config.Config, error) {
	if file == "" {
		return nil, nil
	}
	cfg, diags := config.Load(file, all)
	if diags.HasErrors() {
		var b strings.Builder
		fmt.Fprintf(&b, "the configuration file %s has mistakes:", file)
		for _, d := range diags {
			if d.Severity != hcl.DiagError {
				continue
			}
			b.WriteString("\n  ")
			if d.Subject != nil {
				fmt.Fprintf(&b, "%s: ", d.Subject)
			}
			b.WriteString(d.Summary)
			if d.Detail != "" {
				b.WriteString(": " + d.Detail)
			}
		}
		return nil, &ExitError{Code: ExitFailure, Err: errors.New(b.String())}
	}
	return cfg, nil
}

// inputErrors reports whether the input is bad whatever the rules say: a
// file that did not load, or a document AWS would reject (wrong types,
// missing elements). Their findings (IAM000, IAM002) are reported all the
// same; the exit code says the input was bad.
func inputErrors(in *rules.Input) bool {
	if in.Diags.HasErrors() {
		return true
	}
	for _, d := range in.Documents {
		if d.Policy.Diags.HasErrors() {
			return true
		}
	}
	return false
}

// runDiagnostics returns the load diagnostics the report lists after the
// findings: errors without a position in a file (a path that does not
// exist), every load error when IAM000 does not run, and warnings — a
// loader's (an unresolved value) or a document's (an operator in unusual
// case), each once although several owners share a document. Located
// load errors are IAM000 findings.
func runDiagnostics(in *rules.Input, iam000 bool) []reports.Diagnostic {
	var out []reports.Diagnostic
	type key struct {
		sev        hcl.DiagnosticSeverity
		summary    string
		detail     string
		file       string
		start, end int
	}
	seen := map[key]bool{}
	add := func(d *hcl.Diagnostic) {
		k := key{sev: d.Severity, summary: d.Summary, detail: d.Detail}
		if d.Subject != nil {
			k.file, k.start, k.end = d.Subject.Filename, d.Subject.Start.Byte, d.Subject.End.Byte
		}
		if seen[k] {
			return
		}
		seen[k] = true
		rd := reports.Diagnostic{Severity: reports.DiagError, Message: d.Summary}
		if d.Severity == hcl.DiagWarning {
			rd.Severity = reports.DiagWarning
		}
		if d.Detail != "" {
			rd.Message += ": " + d.Detail
		}
		if rules.Located(d) {
			rng := *d.Subject
			rd.Range = &rng
		}
		out = append(out, rd)
	}
	for _, d := range in.Diags {
		if d.Severity == hcl.DiagError && iam000 && rules.Located(d) {
			continue
		}
		add(d)
	}
	for _, doc := range in.Documents {
		for _, d := range doc.Policy.Diags {
			if d.Severity == hcl.DiagWarning {
				add(d)
			}
		}
	}
	return out
}

// parseKinds reads the --kind values; "auto" (the old default) infers.
func parseKinds(values []string) ([]loader.PathKind, error) {
	var out []loader.PathKind
	for _, v := range values {
		if v == "auto" {
			continue
		}
		pk, err := loader.ParsePathKind(v)
		if err != nil {
			return nil, fmt.Errorf("--kind %s: %w", v, err)
		}
		out = append(out, pk)
	}
	return out, nil
}

// colour reports whether output may be coloured: a terminal, and NO_COLOR
// unset or empty (https://no-color.org).
func (app *App) colour() bool {
	if !app.IsTerminal {
		return false
	}
	getenv := app.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	return getenv("NO_COLOR") == ""
}

// unjoin splits an errors.Join error into its parts.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
