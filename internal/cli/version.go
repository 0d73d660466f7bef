package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/iam/managed"
	"github.com/iamlint/iamlint/reports"
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

// embeddedData names the IAM data embedded in the binary, as reports
// show it: the service authorization reference and the managed policies.
// Tests fix it (see TestE2E), as they fix version, so that reports hold
// no real versions.
var embeddedData = func() (serviceReference, managedPolicies reports.DataVersion) {
	cat, mp := catalog.Default().Version(), managed.Version()
	return reports.DataVersion{Package: cat.Package, Version: cat.Version, Date: cat.Date},
		reports.DataVersion{Package: mp.Package, Version: mp.Version, Date: mp.Date}
}

// toolInfo names iamlint in reports: its version and its embedded data.
func toolInfo() reports.Tool {
	t := reports.Tool{Name: "iamlint", Version: Version()}
	t.ServiceReference, t.ManagedPolicies = embeddedData()
	return t
}
