package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/iam/managed"
)

func newVersionCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the iamlint version and the embedded IAM data versions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cat := catalog.Default().Version()
			mp := managed.Version()
			fmt.Fprintf(app.Stdout, "iamlint %s\n", Version())
			fmt.Fprintf(app.Stdout, "service reference: %s %s (data of %s, %s)\n", cat.Package, cat.Version, cat.Date, cat.License)
			fmt.Fprintf(app.Stdout, "managed policies:  %s %s (newest policy %s, %s)\n", mp.Package, mp.Version, mp.Date, mp.License)
			return nil
		},
	}
}
