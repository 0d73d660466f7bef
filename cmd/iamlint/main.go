// Command iamlint is a linter and static analyzer for AWS IAM policies.
package main

import (
	"context"
	"os"

	"github.com/iamlint/iamlint/internal/cli"
)

func main() {
	os.Exit(cli.Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
