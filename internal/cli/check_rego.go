package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/config"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
	"github.com/iamlint/iamlint/rules/builtin"
	"github.com/iamlint/iamlint/rules/rego"
)

// defaultRuleTimeout is --rule-timeout's default.
const defaultRuleTimeout = rego.DefaultTimeout

// configPath returns the configuration file check reads: --config, else
// the nearest .iamlint.hcl; "" for none (--no-config, or none found).
func configPath(paths []string, f *checkFlags) (string, error) {
	file := f.config
	switch {
	case f.noConfig && file != "":
		return "", &ExitError{Code: ExitFailure, Err: errors.New("--config and --no-config exclude each other")}
	case f.noConfig:
		return "", nil
	case file == "":
		found, err := config.Find(paths[0])
		if err != nil || found == "" {
			return "", nil
		}
		file = relToWD(found)
	}
	return file, nil
}

// relToWD names a path relative to the working folder when it is below
// it, so that messages carry no absolute paths.
func relToWD(path string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return path
}

// withCustomRules loads the custom Rego rules of --rules and of the
// configuration's rules_dirs, adds them to the built-in rules, then reads
// the configuration against all of them (its rule blocks and ignores may
// name custom rules).
func (app *App) withCustomRules(ctx context.Context, paths []string, f *checkFlags, builtins []*rules.Rule) ([]*rules.Rule, *config.Config, error) {
	if f.ruleTimeout <= 0 {
		return nil, nil, &ExitError{Code: ExitFailure, Err: fmt.Errorf("--rule-timeout: %s is not a positive duration", f.ruleTimeout)}
	}
	file, err := configPath(paths, f)
	if err != nil {
		return nil, nil, err
	}
	all, err := customRules(ctx, f.rulesDirs, file, f.ruleTimeout, builtins)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := app.loadConfig(file, all)
	return all, cfg, err
}

// customRules returns the built-in rules followed by the custom rules of
// dirs and of the rules_dirs of the configuration file (none when file is
// ""). Mistakes in the rules are a usage failure listing each with its
// file and position.
func customRules(ctx context.Context, dirs []string, file string, timeout time.Duration, builtins []*rules.Rule) ([]*rules.Rule, error) {
	dirs = slices.Clone(dirs)
	if file != "" {
		more, diags := config.RulesDirsOf(file)
		if diags.HasErrors() {
			return nil, &ExitError{Code: ExitFailure, Err: fmt.Errorf("the configuration file %s has mistakes: %s", file, diagText(diags))}
		}
		dirs = append(dirs, more...)
	}
	if len(dirs) == 0 {
		return builtins, nil
	}
	set, err := rego.Load(ctx, dirs, rego.Options{Timeout: timeout, Known: builtins})
	if err != nil {
		var errs rego.Errors
		if errors.As(err, &errs) {
			err = fmt.Errorf("the custom rules have mistakes:\n  %s", strings.ReplaceAll(errs.Error(), "\n", "\n  "))
		}
		return nil, &ExitError{Code: ExitFailure, Err: err}
	}
	return append(slices.Clip(builtins), set.Rules...), nil
}

func diagText(diags hcl.Diagnostics) string {
	var parts []string
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		s := d.Summary
		if d.Subject != nil {
			s = d.Subject.String() + ": " + s
		}
		if d.Detail != "" {
			s += ": " + d.Detail
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// listedRules returns the rules `iamlint rules` and `iamlint explain`
// show: the built-in ones, and the custom rules of --rules and of the
// rules_dirs of the configuration file found from the working folder.
func listedRules(ctx context.Context, dirs []string) ([]*rules.Rule, error) {
	if ctx == nil { // a command run without ExecuteContext
		ctx = context.Background()
	}
	file, _ := config.Find(".")
	if file != "" {
		file = relToWD(file)
	}
	return customRules(ctx, dirs, file, defaultRuleTimeout, builtin.All())
}

// writeRegoInput prints the input document custom rules see (every
// section) for `iamlint inspect --format rego-input`.
func (app *App) writeRegoInput(m *iam.Model, diags hcl.Diagnostics, now string) error {
	day := time.Now().UTC().Truncate(24 * time.Hour)
	if now != "" {
		d, err := time.Parse(time.DateOnly, now)
		if err != nil {
			return fmt.Errorf("--now %s: not a date; write it as YYYY-MM-DD", now)
		}
		day = d
	}
	app.printDiags(diags)
	return rego.WriteInput(app.Stdout, rules.NewInput(m, diags), day)
}
