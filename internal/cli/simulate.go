package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/simcase"
)

type simulateFlags struct {
	cases           string
	policies        []string
	boundary        string
	scps, rcps      []string
	resourcePolicy  string
	sessionPolicy   string
	principal       string
	action          string
	resource        string
	resourceAccount string
	context         []string
	format          string
}

func newSimulateCmd(app *App) *cobra.Command {
	var f simulateFlags
	cmd := &cobra.Command{
		Use:   "simulate",
		Short: "Decide single requests as AWS would",
		Long: `simulate answers "is this request allowed?" for a set of policies, with AWS's
evaluation logic: explicit denies win, every SCP and RCP level must allow, the
permissions boundary and session policy cap identity grants, and resource-based
policies follow the same- and cross-account rules.

Give the policies and one request with flags, or a file of cases with --cases
(a case object or an array; the format is documented in docs/simulate.md).
With --cases, one JSON line is printed per case; a case with an "expect"
field that does not hold makes the exit code 1.`,
		Example: `  iamlint simulate --policy admin.json --action iam:CreateUser --principal arn:aws:iam::111122223333:user/alice
  iamlint simulate --policy app.json --boundary boundary.json --action s3:GetObject \
      --resource arn:aws:s3:::bucket/key --context aws:SourceIp=10.1.2.3
  iamlint simulate --cases cases.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.cases != "" {
				return app.simulateCases(f.cases)
			}
			return app.simulateOne(&f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.cases, "cases", "", "read cases from `FILE` (JSON) and print one JSON line per case")
	fl.StringArrayVar(&f.policies, "policy", nil, "identity policy `FILE` (repeatable)")
	fl.StringVar(&f.boundary, "boundary", "", "permissions boundary policy `FILE`")
	fl.StringArrayVar(&f.scps, "scp", nil, "SCP `FILE`; each use is one organization level, root first (repeatable)")
	fl.StringArrayVar(&f.rcps, "rcp", nil, "RCP `FILE`; each use is one organization level (repeatable)")
	fl.StringVar(&f.resourcePolicy, "resource-policy", "", "resource-based policy `FILE` (a trust policy for sts:AssumeRole)")
	fl.StringVar(&f.sessionPolicy, "session-policy", "", "session policy `FILE`")
	fl.StringVar(&f.principal, "principal", "arn:aws:iam::111122223333:user/simulated", "caller `ARN`")
	fl.StringVar(&f.action, "action", "", "the action, e.g. s3:GetObject (required)")
	fl.StringVar(&f.resource, "resource", "*", "the resource `ARN`")
	fl.StringVar(&f.resourceAccount, "resource-account", "", "account owning the resource (default: from the resource ARN, else the principal's)")
	fl.StringArrayVar(&f.context, "context", nil, "request context `KEY=VALUE`; repeat a key for a multivalued key")
	fl.StringVar(&f.format, "format", "text", "output format: text or json")
	return cmd
}

// caseResult is the JSON line printed per case.
type caseResult struct {
	ID         string         `json:"id"`
	Decision   string         `json:"decision"`
	Reason     string         `json:"reason,omitempty"`
	Statements []statementOut `json:"statements,omitempty"`
	OK         *bool          `json:"ok,omitempty"`
}

type statementOut struct {
	Policy string `json:"policy"`
	Kind   string `json:"kind"`
	Index  int    `json:"index"`
	Sid    string `json:"sid,omitempty"`
	Effect string `json:"effect"`
	Pos    string `json:"pos,omitempty"`
}

func toResult(id string, r iam.Result) caseResult {
	out := caseResult{ID: id, Decision: r.Decision.String(), Reason: r.Reason}
	for _, s := range r.Statements {
		so := statementOut{Policy: s.Policy, Kind: s.Kind.String(), Index: s.Index, Sid: s.Sid, Effect: s.Effect.String()}
		if s.Range.Filename != "" {
			so.Pos = fmt.Sprintf("%s:%d:%d", s.Range.Filename, s.Range.Start.Line, s.Range.Start.Column)
		}
		out.Statements = append(out.Statements, so)
	}
	return out
}

func (app *App) simulateCases(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	cases, diags := simcase.Parse(data, path)
	if diags.HasErrors() {
		app.printDiags(diags)
		return &ExitError{Code: ExitFailure}
	}
	app.printDiags(diags) // policy problems: warnings, the cases still run
	enc := json.NewEncoder(app.Stdout)
	failed := false
	for _, c := range cases {
		out := toResult(c.ID, iam.Evaluate(&c.Request, &c.Set))
		if c.Expect != "" {
			ok := out.Decision == c.Expect
			out.OK = &ok
			failed = failed || !ok
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	if failed {
		return &ExitError{Code: ExitFindings}
	}
	return nil
}

func (app *App) simulateOne(f *simulateFlags) error {
	if f.action == "" {
		return &ExitError{Code: ExitFailure, Err: errors.New("simulate needs --action (or --cases FILE)")}
	}
	var diags hcl.Diagnostics
	load := func(path string, kind iam.Kind) iam.Policy {
		data, err := os.ReadFile(path)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read policy", Detail: err.Error()})
			return iam.Policy{Name: path}
		}
		doc, d := iam.ParsePolicy(data, iam.ParseOptions{Filename: path, Kind: kind})
		diags = append(diags, d...)
		return iam.Policy{Name: path, Doc: doc}
	}
	var set iam.PolicySet
	for _, p := range f.policies {
		set.Identity = append(set.Identity, load(p, iam.KindIdentity))
	}
	if f.boundary != "" {
		set.Boundary = []iam.Policy{load(f.boundary, iam.KindBoundary)}
	}
	for _, p := range f.scps {
		set.SCPs = append(set.SCPs, []iam.Policy{load(p, iam.KindSCP)})
	}
	for _, p := range f.rcps {
		set.RCPs = append(set.RCPs, []iam.Policy{load(p, iam.KindRCP)})
	}
	if f.resourcePolicy != "" {
		kind := iam.KindResource
		if strings.HasPrefix(strings.ToLower(f.action), "sts:assumerole") {
			kind = iam.KindTrust
		}
		p := load(f.resourcePolicy, kind)
		set.Resource = &p
	}
	if f.sessionPolicy != "" {
		p := load(f.sessionPolicy, iam.KindSession)
		set.Session = &p
	}
	if diags.HasErrors() {
		app.printDiags(diags)
		return &ExitError{Code: ExitFailure}
	}
	ctx := &iam.Context{}
	multi := map[string][]string{}
	var order []string
	for _, kv := range f.context {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return &ExitError{Code: ExitFailure, Err: fmt.Errorf("--context %q: want KEY=VALUE", kv)}
		}
		if _, seen := multi[k]; !seen {
			order = append(order, k)
		}
		multi[k] = append(multi[k], v)
	}
	for _, k := range order {
		if vs := multi[k]; len(vs) == 1 {
			ctx.Set(k, vs[0])
		} else {
			ctx.SetMulti(k, vs)
		}
	}
	req := iam.Request{Principal: f.principal, Action: f.action, Resource: f.resource, ResourceAccount: f.resourceAccount, Context: ctx}
	res := iam.Evaluate(&req, &set)
	switch f.format {
	case "json":
		return json.NewEncoder(app.Stdout).Encode(toResult("", res))
	case "text":
		fmt.Fprintf(app.Stdout, "%s: %s\n", res.Decision, res.Reason)
		for _, s := range res.Statements {
			fmt.Fprintf(app.Stdout, "  %s %s", s.Effect, s)
			if s.Range.Filename != "" {
				fmt.Fprintf(app.Stdout, " at %s:%d:%d", s.Range.Filename, s.Range.Start.Line, s.Range.Start.Column)
			}
			fmt.Fprintln(app.Stdout)
		}
		return nil
	}
	return &ExitError{Code: ExitFailure, Err: fmt.Errorf("unknown --format %q (want text or json)", f.format)}
}

// printDiags writes diagnostics as "file:line:col: severity: summary; detail".
func (app *App) printDiags(diags hcl.Diagnostics) {
	iam.SortDiagnostics(diags)
	for _, d := range diags {
		sev := "error"
		if d.Severity == hcl.DiagWarning {
			sev = "warning"
		}
		loc := ""
		if d.Subject != nil {
			loc = fmt.Sprintf("%s:%d:%d: ", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		fmt.Fprintf(app.Stderr, "%s%s: %s\n", loc, sev, msg)
	}
}
