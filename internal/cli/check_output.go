package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
// files first, then standard output. Outputs are streamed, not held whole
// in memory (the SARIF of a large account runs to tens of megabytes); a
// file appears only once complete, written beside its final name and
// renamed. A failed render stops; files that cannot be written are
// reported together.
func (app *App) writeOutputs(outs []reportOutput, render func(format string, stdout bool, w io.Writer) error) error {
	var errs []error
	for _, o := range outs {
		if o.file == "" {
			bw := bufio.NewWriterSize(app.Stdout, 64<<10)
			err := render(o.format, true, bw)
			if err == nil {
				err = bw.Flush()
			}
			if err != nil {
				return err
			}
			continue
		}
		if err := writeFileAtomically(o.file, func(w io.Writer) error { return render(o.format, false, w) }); err != nil {
			var re renderError
			if errors.As(err, &re) {
				return re.error
			}
			errs = append(errs, fmt.Errorf("--output %s=%s: %w", o.format, o.file, err))
		}
	}
	return errors.Join(errs...)
}

// renderError marks a failure of the renderer, as opposed to one of the
// file it writes to.
type renderError struct{ error }

// writeFileAtomically writes name through write: into a temporary file in
// the same folder, renamed to name once complete, so that a reader never
// sees half a report and a failure leaves any previous file in place.
func writeFileAtomically(name string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		// Not the temporary name, which differs on every run.
		var pe *os.PathError
		if errors.As(err, &pe) {
			return pe.Err
		}
		return err
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := write(bw); err != nil {
		f.Close()
		return renderError{err}
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
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
