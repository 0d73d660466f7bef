package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/iamlint/iamlint/reports"
	"github.com/iamlint/iamlint/rules"
)

// clock times the phases of a check for the JSON report. Tests stop it
// (see TestE2E), as they fix version, so that reports are the same bytes
// on every run.
var clock = time.Now

// reportOutput is one report check (or diff) writes: a format and where
// it goes (file "" is standard output).
type reportOutput struct {
	format string
	file   string
}

// parseOutputs reads check's --format and --output; see
// parseOutputsOf.
func parseOutputs(format string, outputs []string) ([]reportOutput, error) {
	return parseOutputsOf(reports.Formats(), format, outputs)
}

// parseOutputsOf reads --format (one or several of formats,
// comma-separated) and --output FORMAT=FILE (repeatable). A format named
// by --output goes to its file(s); the formats of --format that no
// --output names go to standard output, and at most one may.
func parseOutputsOf(formats []string, format string, outputs []string) ([]reportOutput, error) {
	known := func(name string) error {
		if !slices.Contains(formats, name) {
			return fmt.Errorf("unknown format %q (want %s)", name, strings.Join(formats, ", "))
		}
		return nil
	}
	var outs []reportOutput
	toFile := map[string]bool{}
	files := map[string]bool{}
	for _, o := range outputs {
		name, file, ok := strings.Cut(o, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" || file == "" {
			return nil, fmt.Errorf("--output %s: want FORMAT=FILE, such as sarif=iamlint.sarif", o)
		}
		if err := known(name); err != nil {
			return nil, fmt.Errorf("--output %s: %w", o, err)
		}
		if files[file] {
			return nil, fmt.Errorf("--output %s: %s is written twice", o, file)
		}
		files[file] = true
		toFile[name] = true
		outs = append(outs, reportOutput{format: name, file: file})
	}
	var stdout []string
	for _, name := range strings.Split(format, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			return nil, fmt.Errorf("--format %q: empty format name", format)
		}
		if err := known(name); err != nil {
			return nil, fmt.Errorf("--format: %w", err)
		}
		if toFile[name] || slices.Contains(stdout, name) {
			continue
		}
		stdout = append(stdout, name)
	}
	if len(stdout) > 1 {
		return nil, fmt.Errorf("--format %s: only one format can go to standard output; send the others to files with --output FORMAT=FILE", strings.Join(stdout, ","))
	}
	for _, name := range stdout {
		outs = append(outs, reportOutput{format: name})
	}
	return outs, nil
}

// writeReports renders the report in each output's format and writes it:
// files first, then standard output. Colour only ever goes to a terminal.
func (app *App) writeReports(outs []reportOutput, opts reports.Options, r *reports.Report) error {
	return app.writeOutputs(outs, func(format string, stdout bool, w io.Writer) error {
		op := opts
		op.Color = op.Color && stdout
		rep, err := reports.New(format, op)
		if err != nil {
			return err
		}
		return rep.Report(w, r)
	})
}

// writeOutputs renders each output with render (stdout says whether it
// goes to standard output, the only place colour may go) and writes it:
// files first, then standard output. A failed render stops; files that
// cannot be written are reported together.
func (app *App) writeOutputs(outs []reportOutput, render func(format string, stdout bool, w io.Writer) error) error {
	var errs []error
	for _, o := range outs {
		var buf bytes.Buffer
		if err := render(o.format, o.file == "", &buf); err != nil {
			return err
		}
		if o.file == "" {
			if _, err := app.Stdout.Write(buf.Bytes()); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		if err := os.WriteFile(o.file, buf.Bytes(), 0o644); err != nil {
			errs = append(errs, fmt.Errorf("--output %s=%s: %w", o.format, o.file, err))
		}
	}
	return errors.Join(errs...)
}

// reportOptions are the reporters' settings for a check run: colour on a
// terminal, --quiet, the fail-on severity of the markdown verdict, and the
// commit to link to from GitHub Actions' environment.
func (app *App) reportOptions(quiet bool, failOn rules.Severity) reports.Options {
	getenv := app.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	return reports.Options{
		Color:  app.colour(),
		Quiet:  quiet,
		FailOn: failOn,
		Repo: reports.GitHubRepo{
			ServerURL:  getenv("GITHUB_SERVER_URL"),
			Repository: getenv("GITHUB_REPOSITORY"),
			Commit:     getenv("GITHUB_SHA"),
		},
	}
}
