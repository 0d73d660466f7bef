package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/iamlint/iamlint/config"
)

func newInitCmd(app *App) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Write a commented .iamlint.hcl configuration file",
		Long: `init writes .iamlint.hcl into DIR (default: the current folder): every setting
check reads from it, commented out with its default and an explanation, so the
file changes nothing until you edit it. It does not overwrite an existing file
unless --force is given.`,
		Example: `  iamlint init
  iamlint init infra/`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%s is not a folder", dir)}
			}
			file := filepath.Join(dir, config.FileName)
			flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
			if force {
				flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			}
			f, err := os.OpenFile(file, flag, 0o644)
			if errors.Is(err, fs.ErrExist) {
				return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%s exists already; edit it, or use --force to replace it", file)}
			}
			if err != nil {
				return &ExitError{Code: ExitFailure, Err: err}
			}
			if _, err := f.WriteString(config.Template); err != nil {
				f.Close()
				return &ExitError{Code: ExitFailure, Err: err}
			}
			if err := f.Close(); err != nil {
				return &ExitError{Code: ExitFailure, Err: err}
			}
			fmt.Fprintf(app.Stdout, "wrote %s: every setting is commented out; edit it to change what check does\n", file)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "replace an existing file")
	return cmd
}
