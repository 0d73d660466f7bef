package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/reports"
	"github.com/iamlint/iamlint/rules"
	"github.com/iamlint/iamlint/rules/builtin"
)

type checkFlags struct {
	format string
	failOn string
	kind   string
}

func newCheckCmd(app *App) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check PATH...",
		Short: "Lint IAM policy documents",
		Long: `check lints JSON policy documents and reports each problem at the element at
fault, with its rule ID (see 'iamlint rules' and 'iamlint explain').

A PATH may be a file or a directory. Directories are walked, skipping .git,
node_modules and .terraform; there, only .json files holding an object with a
"Statement" member are read, other JSON is skipped silently. A file named
explicitly is always read. JSON that does not parse is reported (IAM000)
wherever it is found, and the other files are still analysed.

The policy kind decides which elements a document needs. By default it is
detected per file: a trust policy when every statement names a Principal, has
no Resource and grants sts actions including sts:AssumeRole*; a resource-based
policy when every statement names a Principal; an identity policy otherwise.
--kind sets it for every file.

Exit status: 0 when nothing is at or above --fail-on, 1 when something is,
2 on usage errors, unreadable paths, JSON syntax errors or policies AWS
would reject (IAM000, IAM002 errors).`,
		Example: `  iamlint check policies/
  iamlint check --format json --fail-on high role-trust.json app-policy.json
  iamlint check --kind scp org/scps/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return app.check(cmd, args, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "text", "output format: "+strings.Join(reports.Formats(), " or "))
	fl.StringVar(&f.failOn, "fail-on", "low", "exit 1 when a finding is at least this severe: critical, high, medium, low or info")
	fl.StringVar(&f.kind, "kind", "auto", "policy kind of every file: auto, identity, resource, trust, boundary, scp, rcp or session")
	return cmd
}

func (app *App) check(cmd *cobra.Command, paths []string, f *checkFlags) error {
	usage := func(err error) error { return &ExitError{Code: ExitFailure, Err: err} }
	rep, err := reports.New(f.format, reports.Options{Color: app.colour()})
	if err != nil {
		return usage(fmt.Errorf("--format: %w", err))
	}
	failOn, err := rules.ParseSeverity(f.failOn)
	if err != nil {
		return usage(fmt.Errorf("--fail-on: %w", err))
	}
	opts := rules.JSONOptions{DetectKind: true}
	if f.kind != "auto" {
		kind, ok := iam.ParseKind(f.kind)
		if !ok || kind == iam.KindUnknown {
			return usage(fmt.Errorf("--kind: unknown policy kind %q (want auto, identity, resource, trust, boundary, scp, rcp or session)", f.kind))
		}
		opts = rules.JSONOptions{Kind: kind}
	}

	in, diags := loadPolicies(paths, opts)
	all := builtin.All()
	runner := rules.Runner{Rules: rules.Enabled(all)}
	findings, err := runner.Run(cmd.Context(), in)
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

	report := &reports.Report{
		Tool:        reports.Tool{Name: "iamlint", Version: Version()},
		Findings:    findings,
		Diagnostics: diags,
		Files:       len(in.Files),
		Sources:     map[string][]byte{},
		Rules:       all,
	}
	for _, pf := range in.Files {
		report.Sources[pf.Path] = pf.Source
	}
	if err := rep.Report(app.Stdout, report); err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}

	code := ExitOK
	for _, fd := range findings {
		if fd.Severity >= failOn {
			code = ExitFindings
		}
	}
	for _, pf := range in.Files {
		// Input errors: JSON that does not parse, or a document AWS would
		// reject (wrong types, missing elements). Its findings are still
		// reported above; the exit code says the input was bad.
		if pf.SyntaxError() || pf.Diags.HasErrors() {
			code = ExitFailure
		}
	}
	for _, d := range diags {
		if d.Severity == reports.DiagError {
			code = ExitFailure
		}
	}
	if code != ExitOK {
		return &ExitError{Code: code}
	}
	return nil
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

// skipDir reports whether a walk leaves a directory out.
func skipDir(name string) bool {
	return name == ".git" || name == "node_modules" || name == ".terraform"
}

// loadPolicies reads the policy files named by paths. Problems reading a
// path become error diagnostics; the other paths are still read.
// maxPolicyFileSize bounds what check reads into memory per file. AWS caps
// policy documents at 20 KB (bucket policies; identity policies far less),
// so 4 MiB leaves room for pretty-printed and padded files.
const maxPolicyFileSize = 4 << 20

func loadPolicies(paths []string, opts rules.JSONOptions) (*rules.Input, []reports.Diagnostic) {
	in := &rules.Input{}
	var diags []reports.Diagnostic
	fail := func(err error) {
		diags = append(diags, reports.Diagnostic{Severity: reports.DiagError, Message: err.Error()})
	}
	added := map[string]bool{}   // cleaned path → in the input
	skipped := map[string]bool{} // read by a walk, not a policy
	add := func(path string, explicit bool) {
		clean := filepath.Clean(path)
		if added[clean] || skipped[clean] && !explicit {
			return
		}
		if st, err := os.Stat(path); err == nil && st.Size() > maxPolicyFileSize {
			// Bounded memory: a walk passes over big JSON (lock files,
			// data); a file named explicitly is reported.
			if explicit {
				fail(fmt.Errorf("%s: %d bytes is too large for a policy document; iamlint reads policy files of up to %d MiB (AWS policies are at most a few KB)", path, st.Size(), maxPolicyFileSize>>20))
			}
			return
		}
		data, err := os.ReadFile(path)
		if err != nil {
			fail(err)
			return
		}
		pf, isPolicy := rules.ParseJSON(path, data, opts)
		if !isPolicy && !explicit {
			skipped[clean] = true // not kept: parsed JSON costs many times its size
			return
		}
		added[clean] = true
		in.Files = append(in.Files, pf)
	}
	for _, root := range paths {
		st, err := os.Stat(root)
		if err != nil {
			fail(err)
			continue
		}
		if !st.IsDir() {
			add(root, true)
			continue
		}
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				fail(err)
				if d != nil && d.IsDir() && path != root {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if path != root && skipDir(d.Name()) {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && strings.EqualFold(filepath.Ext(path), ".json") {
				add(path, false)
			}
			return nil
		})
		if err != nil {
			fail(err)
		}
	}
	return in, diags
}

// unjoin splits an errors.Join error into its parts.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
