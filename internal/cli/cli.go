// Package cli implements iamlint's command line. Run is the whole program:
// main only passes it the arguments and standard streams, and tests call it
// in-process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
)

// Exit codes.
const (
	ExitOK       = 0 // nothing at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on
	ExitFailure  = 2 // usage or input errors
)

// App carries the process environment into commands, so tests can run
// them in-process.
type App struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	IsTerminal     bool // Stdout is a terminal (colour allowed unless NO_COLOR)
}

// ExitError makes a command end with a given exit code. A nil Err
// means the command already reported what went wrong.
type ExitError struct {
	Code int
	Err  error
}

func (e ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e ExitError) Unwrap() error { return e.Err }

// version is set at build time with -ldflags "-X .../internal/cli.version=v1.2.3".
var version = ""

// Version returns the tool version: the linker-set value, else the module
// version from the build information, else "devel".
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// Run executes iamlint with args and returns the process exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	app := &App{Stdout: stdout, Stderr: stderr, Getenv: os.Getenv}
	if f, ok := stdout.(*os.File); ok {
		app.IsTerminal = isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
	}
	return app.Run(ctx, args)
}

// Run executes iamlint with args in this environment.
func (app *App) Run(ctx context.Context, args []string) int {
	root := newRootCmd(app)
	root.SetArgs(args)
	root.SetOut(app.Stdout)
	root.SetErr(app.Stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	var ev ExitError
	switch {
	case errors.As(err, &ee):
		ev = *ee
	case errors.As(err, &ev):
	default:
		// Cobra usage errors (unknown flag, wrong argument count).
		fmt.Fprintln(app.Stderr, "iamlint:", err)
		fmt.Fprintln(app.Stderr, "Run 'iamlint --help' for usage.")
		return ExitFailure
	}
	if ev.Err != nil {
		fmt.Fprintln(app.Stderr, "iamlint:", ev.Err)
	}
	return ev.Code
}

func newRootCmd(app *App) *cobra.Command {
	root := &cobra.Command{
		Use:   "iamlint",
		Short: "Lint and analyze AWS IAM policies",
		Long: `iamlint finds least-privilege problems in AWS IAM policies: grammar errors,
over-broad grants and risky trust, with the exact file:line:column of each.

It works offline: the AWS service authorization reference and the AWS managed
policies are embedded in the binary.`,
		Example: `  iamlint check policies/
  iamlint check --format json --fail-on high .
  iamlint paths dana examples/escalation
  iamlint who-can iam:PassRole infra/
  iamlint diff --git-base origin/main infra/
  iamlint actions 's3:Get*'
  iamlint simulate --policy p.json --action s3:GetObject --resource arn:aws:s3:::b/k`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(
		newCheckCmd(app),
		newDiffCmd(app),
		newInitCmd(app),
		newActionsCmd(app),
		newInspectCmd(app),
		newAccessCmd(app),
		newWhoCanCmd(app),
		newPathsCmd(app),
		newGraphCmd(app),
		newSimulateCmd(app),
		newRulesCmd(app),
		newExplainCmd(app),
		newVersionCmd(app),
	)
	return root
}
