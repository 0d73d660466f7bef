package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
)

type accessFlags struct {
	load     loadFlags
	format   string
	services []string
	actions  []string
	resource string
}

// maxTextRows is how many permission rows the text output lists without
// a filter; an administrator has every action of the catalog.
const maxTextRows = 200

func newAccessCmd(app *App) *cobra.Command {
	var f accessFlags
	cmd := &cobra.Command{
		Use:   "access PRINCIPAL PATH...",
		Short: "Show what a user or role may do, and why",
		Long: `access prints the effective permissions of one user or role of the inputs:
what its identity policies (its own and its groups') allow, after its
permissions boundary, the SCPs attached to its account, and every deny.

PRINCIPAL is a user or role, named by its name (dana), ARN or address
(aws_iam_user.dana); a name that several inputs use must be given as an
address. PATH... are the inputs, as for 'iamlint check'.

The text output has these parts:
  - access by service: for each service, how many of its actions of each
    access level (List, Read, Write, Permissions management, Tagging) the
    principal may perform; "*" marks a count where some are allowed only
    under conditions or on some resources
  - permissions: one row per action, with its access level, whether it is
    allowed ("yes": on every resource no deny names; "conditional": only
    under conditions or on some resources), the resources the granting
    statements name, and the statements involved (numbers; "limit" for a
    boundary or SCP statement that lets it through, "deny" for a deny that
    may apply)
  - blocked: the actions its identity policies allow but that it may not
    perform, and why: outside the permissions boundary, not allowed by the
    SCPs, or denied
  - statements: each cited statement with its file:line:column and the path
    that brings it to the principal (user → membership → group →
    attachment → policy)

--service and --action narrow the rows. --resource decides each action on
one resource ARN with AWS's evaluation logic and shows the statements that
decide it; only the actions that act on that kind of resource are listed.
Without a filter, an administrator's hundreds of rows are summarised.

--format json prints the same as one object (version 1): "principal",
"admin", "boundary", "incomplete" (policies that did not resolve),
"services" (per access level: allowed, certain, total), "actions" (action,
service, accessLevel, allowed, grants/limits/denies as statement ids, and
with --resource a "decision": allowed, decision, reason, statements),
"blocked" (action, service, accessLevel, reason, grants/limits/denies) and
"statements" (id, layer, effect, sid, index, pos, policy, hops, actions,
resources, conditions). Every row is listed, even for an administrator.

Exit status: 0 with an answer, 2 on usage errors, an unknown principal or
inputs that did not load (the answer printed may then be incomplete).`,
		Example: `  iamlint access dana examples/escalation
  iamlint access ci-release examples/escalation --service iam --service lambda
  iamlint access aws_iam_role.ci_deploy infra/ --action 's3:*' --resource arn:aws:s3:::artifacts/app/x
  iamlint access --format json arn:aws:iam::111122223333:user/carol gaad.json`,
		Args: needArgs("access", "a PRINCIPAL", "iamlint access dana infra/"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return app.access(cmd, args[0], args[1:], &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "text", "output format: text or json")
	fl.StringArrayVar(&f.services, "service", nil, "only the actions of this service `PREFIX`, e.g. s3 (repeatable)")
	fl.StringArrayVar(&f.actions, "action", nil, "only the actions this `PATTERN` matches, e.g. 's3:Get*' (repeatable)")
	fl.StringVar(&f.resource, "resource", "", "decide each action on this resource `ARN`")
	f.load.register(fl)
	return cmd
}

// accessJSON is the output of access --format json.
type accessJSON struct {
	Version    int            `json:"version"`
	Principal  principalOut   `json:"principal"`
	Admin      string         `json:"admin"`
	Boundary   string         `json:"boundary,omitempty"`
	Resource   string         `json:"resource,omitempty"`
	Incomplete []missingJSON  `json:"incomplete"`
	Services   []serviceJSON  `json:"services"`
	Actions    []actionRowOut `json:"actions"`
	Blocked    []blockedOut   `json:"blocked"`
	Statements []stmtJSON     `json:"statements"`
}

// blockedOut is an action the identity policies allow but that is not in
// effect: a deny, the boundary or an SCP takes it away.
type blockedOut struct {
	Action      string `json:"action"`
	Service     string `json:"service"`
	AccessLevel string `json:"accessLevel"`
	Reason      string `json:"reason"`
	Grants      []int  `json:"grants"`
	Limits      []int  `json:"limits"`
	Denies      []int  `json:"denies"`
}

type missingJSON struct {
	Path       string `json:"path"`
	Unresolved string `json:"unresolved,omitempty"`
}

type serviceJSON struct {
	Service string      `json:"service"`
	Levels  []levelJSON `json:"levels"`
}

type levelJSON struct {
	Level   string `json:"level"`
	Allowed int    `json:"allowed"`
	Certain int    `json:"certain"`
	Total   int    `json:"total"`
}

type actionRowOut struct {
	Action      string        `json:"action"`
	Service     string        `json:"service"`
	AccessLevel string        `json:"accessLevel"`
	Allowed     string        `json:"allowed"`
	Grants      []int         `json:"grants"`
	Limits      []int         `json:"limits"`
	Denies      []int         `json:"denies"`
	Decision    *decisionJSON `json:"decision,omitempty"`
}

type decisionJSON struct {
	Allowed    string `json:"allowed"`
	Decision   string `json:"decision"`
	Reason     string `json:"reason,omitempty"`
	Statements []int  `json:"statements"`
}

// accessRow is one row of the answer, its statements numbered.
type accessRow struct {
	analyzer.ActionAccess
	grants, limits, denies []*stmtEntry
	decision               *iam.PartialResult
	deciding               []*stmtEntry
	// reason says why a blocked action is not in effect.
	reason string
}

func (app *App) access(cmd *cobra.Command, who string, paths []string, f *accessFlags) error {
	if err := checkFormat(f.format, "text", "json"); err != nil {
		return err
	}
	keep, err := accessFilter(f)
	if err != nil {
		return usageError(err)
	}
	q, err := app.analyze(cmd, paths, &f.load)
	if err != nil {
		return err
	}
	n, err := resolvePrincipal(q.a.Graph, "principal", who)
	if err != nil {
		return usageError(err)
	}
	p := q.a.Permissions(n)
	var st stmtTable
	var rows []accessRow
	for _, row := range p.Table(keep) {
		r := accessRow{ActionAccess: row}
		for _, g := range row.Grants {
			r.grants = append(r.grants, st.grant(g))
		}
		for _, g := range row.Limits {
			r.limits = append(r.limits, st.grant(g))
		}
		for _, g := range row.Denies {
			r.denies = append(r.denies, st.grant(g))
		}
		if f.resource != "" {
			res := p.Decide(row.Action.FullName(), f.resource)
			r.decision = &res
			refs := res.Best.Statements
			if res.Allowed == iam.Maybe && res.Worst.Decision == iam.ExplicitDeny {
				refs = append(slices.Clone(refs), res.Worst.Statements...)
			}
			r.deciding = st.refsOf(p, refs)
		}
		rows = append(rows, r)
	}
	blocked := blockedRows(p, keep, &st)
	filtered := f.resource != "" || len(f.services) > 0 || len(f.actions) > 0
	summary := p.Summary()
	if filtered {
		// Only the services the rows are of.
		summary = slices.DeleteFunc(summary, func(s analyzer.ServiceSummary) bool {
			return !slices.ContainsFunc(rows, func(r accessRow) bool { return r.Action.Service == s.Service })
		})
	}
	if f.format == "json" {
		err = writeAccessJSON(app.Stdout, q.a, n, f.resource, summary, rows, blocked, &st)
	} else {
		err = writeAccessText(app.Stdout, q.a, n, f.resource, summary, rows, blocked, &st, filtered)
	}
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	return q.done()
}

// blockedRows lists the actions that identity policies allow but that
// the principal may not perform: every one is denied outright, or left out
// by the boundary or the SCPs.
func blockedRows(p *analyzer.Permissions, keep func(*catalog.Action) bool, st *stmtTable) []accessRow {
	cat := catalog.Default()
	set := catalog.NewSet(cat.NumActions())
	for _, g := range p.Allows {
		set.Union(g.Actions())
	}
	set.Subtract(p.Actions)
	var out []accessRow
	for _, act := range cat.SetActions(set) {
		if !keep(act) {
			continue
		}
		row := p.Access(act)
		r := accessRow{ActionAccess: row}
		for _, g := range row.Grants {
			r.grants = append(r.grants, st.grant(g))
		}
		for _, g := range row.Limits {
			r.limits = append(r.limits, st.grant(g))
		}
		for _, g := range row.Denies {
			r.denies = append(r.denies, st.grant(g))
		}
		covers := func(kind iam.Kind) bool {
			return slices.ContainsFunc(row.Limits, func(g *analyzer.Grant) bool { return g.Kind == kind })
		}
		var why []string
		if len(p.Set.Boundary) > 0 && !covers(iam.KindBoundary) {
			why = append(why, "outside the permissions boundary")
		}
		if len(p.Set.SCPs) > 0 && !covers(iam.KindSCP) {
			why = append(why, "not allowed by the SCPs")
		}
		if len(row.Denies) > 0 {
			why = append(why, "denied")
		}
		r.reason = strings.Join(why, "; ")
		if r.reason == "" {
			r.reason = "not in effect"
		}
		out = append(out, r)
	}
	return out
}

// accessFilter checks the filters and returns the rows they keep.
func accessFilter(f *accessFlags) (func(*catalog.Action) bool, error) {
	cat := catalog.Default()
	var services []*catalog.Service
	for _, s := range f.services {
		svc := cat.Service(s)
		if svc == nil {
			return nil, fmt.Errorf("--service: unknown service prefix %q%s", s, suggestion(cat.Suggest(s)))
		}
		services = append(services, svc)
	}
	for _, a := range f.actions {
		if _, err := expandPattern(cat, a); err != nil {
			return nil, fmt.Errorf("--action: %w", err)
		}
	}
	res := f.resource
	if res != "" && res != "*" {
		if _, ok := iam.ParseARN(res); !ok {
			return nil, fmt.Errorf("--resource: %q is not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE) or \"*\"", res)
		}
	}
	return func(act *catalog.Action) bool {
		if len(services) > 0 && !slices.Contains(services, act.Service) {
			return false
		}
		if len(f.actions) > 0 && !slices.ContainsFunc(f.actions, func(p string) bool { return iam.MatchAction(p, act.FullName()) }) {
			return false
		}
		if res != "" && res != "*" && len(act.ResourcesMatching(res)) == 0 {
			return false
		}
		return true
	}, nil
}

func boundaryOf(a *analyzer.Analysis, n *analyzer.Node) string {
	if b := a.Graph.Boundary(n); b != nil {
		if len(b.Hops) > 0 {
			return b.Hops[len(b.Hops)-1].Src.Addr
		}
		return b.Unresolved
	}
	return ""
}

func writeAccessJSON(w io.Writer, a *analyzer.Analysis, n *analyzer.Node, resource string, summary []analyzer.ServiceSummary, rows, blocked []accessRow, st *stmtTable) error {
	p := a.Permissions(n)
	out := accessJSON{Version: 1, Principal: principalJSON(n), Admin: p.Admin.String(), Boundary: boundaryOf(a, n), Resource: resource,
		Incomplete: []missingJSON{}, Services: []serviceJSON{}, Actions: []actionRowOut{}, Blocked: []blockedOut{}}
	for _, r := range blocked {
		out.Blocked = append(out.Blocked, blockedOut{Action: r.Action.FullName(), Service: r.Action.Service.Prefix, AccessLevel: r.Action.Access.String(),
			Reason: r.reason, Grants: ids(r.grants), Limits: ids(r.limits), Denies: ids(r.denies)})
	}
	for _, m := range p.Missing {
		out.Incomplete = append(out.Incomplete, missingJSON{Path: m.String(), Unresolved: m.Unresolved})
	}
	for _, s := range summary {
		sj := serviceJSON{Service: s.Service.Prefix, Levels: []levelJSON{}}
		for lvl := catalog.List; lvl <= catalog.PermissionsManagement; lvl++ {
			lc := s.Levels[lvl]
			if lc.Total > 0 {
				sj.Levels = append(sj.Levels, levelJSON{Level: lvl.String(), Allowed: lc.Allowed, Certain: lc.Certain, Total: lc.Total})
			}
		}
		out.Services = append(out.Services, sj)
	}
	for _, r := range rows {
		ro := actionRowOut{Action: r.Action.FullName(), Service: r.Action.Service.Prefix, AccessLevel: r.Action.Access.String(),
			Allowed: r.Allowed.String(), Grants: ids(r.grants), Limits: ids(r.limits), Denies: ids(r.denies)}
		if d := r.decision; d != nil {
			ro.Decision = &decisionJSON{Allowed: d.Allowed.String(), Decision: d.Best.Decision.String(), Reason: d.Best.Reason, Statements: ids(r.deciding)}
		}
		out.Actions = append(out.Actions, ro)
	}
	out.Statements = st.json()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func writeAccessText(w io.Writer, a *analyzer.Analysis, n *analyzer.Node, resource string, summary []analyzer.ServiceSummary, rows, blocked []accessRow, st *stmtTable, filtered bool) error {
	p := a.Permissions(n)
	var b strings.Builder
	fmt.Fprintln(&b, heading(n))
	fmt.Fprintf(&b, "administrator: %s\n", p.Admin)
	if bd := boundaryOf(a, n); bd != "" {
		fmt.Fprintf(&b, "permissions boundary: %s\n", bd)
	}
	if len(p.Set.SCPs) > 0 {
		fmt.Fprintf(&b, "SCPs: %d attached to its account\n", len(p.Set.SCPs[0]))
	}
	for _, m := range p.Missing {
		what := m.Unresolved
		if what == "" {
			what = "a document iamlint could not render"
		}
		fmt.Fprintf(&b, "incomplete: %s is not in the inputs (%s); the answer leaves it out\n", what, m.String())
	}

	b.WriteString("\n")
	if len(summary) == 0 {
		if filtered {
			b.WriteString("permissions: none match the filters\n")
		} else {
			b.WriteString("permissions: none, no policy allows it anything\n")
		}
		writeBlocked(&b, blocked, filtered)
		if len(st.list) > 0 {
			b.WriteString("\nstatements\n")
			st.writeText(&b, "  ")
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	b.WriteString("access by service (allowed/all actions of each access level; * some only under conditions or on some resources)\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  SERVICE\tLIST\tREAD\tWRITE\tPERMISSIONS\tTAGGING")
	for _, s := range summary {
		fmt.Fprintf(tw, "  %s", s.Service.Prefix)
		for _, lvl := range []catalog.AccessLevel{catalog.List, catalog.Read, catalog.Write, catalog.PermissionsManagement, catalog.Tagging} {
			lc := s.Levels[lvl]
			cell := "-"
			if lc.Allowed > 0 {
				cell = fmt.Sprintf("%d/%d", lc.Allowed, lc.Total)
				if lc.Certain < lc.Allowed {
					cell += "*"
				}
			}
			fmt.Fprintf(tw, "\t%s", cell)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()

	b.WriteString("\n")
	if !filtered && len(rows) > maxTextRows {
		fmt.Fprintf(&b, "permissions: %d actions in %d services; list them with --service PREFIX or --action PATTERN, or all of them with --format json\n",
			len(rows), len(summary))
	} else {
		if resource != "" {
			fmt.Fprintf(&b, "permissions on %s: %d actions\n", resource, len(rows))
		} else {
			fmt.Fprintf(&b, "permissions: %d actions\n", len(rows))
		}
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		if resource != "" {
			fmt.Fprintln(tw, "  ACTION\tACCESS\tDECISION\tDECIDED BY")
		} else {
			fmt.Fprintln(tw, "  ACTION\tACCESS\tALLOWED\tRESOURCES\tSTATEMENTS")
		}
		for _, r := range rows {
			if resource != "" {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", r.Action.FullName(), r.Action.Access, decisionWord(*r.decision), orDash(refList(r.deciding)))
				continue
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", r.Action.FullName(), r.Action.Access, r.Allowed, grantResources(r.Grants), rowRefs(r))
		}
		tw.Flush()
	}
	writeBlocked(&b, blocked, filtered)
	b.WriteString("\nstatements\n")
	st.writeText(&b, "  ")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeBlocked lists the actions its identity policies allow that the
// principal may not perform, and why.
func writeBlocked(b *strings.Builder, blocked []accessRow, filtered bool) {
	if len(blocked) == 0 {
		return
	}
	b.WriteString("\n")
	if !filtered && len(blocked) > maxTextRows {
		fmt.Fprintf(b, "blocked: %d actions its identity policies allow are not in effect; list them with --service PREFIX or --action PATTERN\n", len(blocked))
		return
	}
	fmt.Fprintf(b, "blocked: %d %s its identity policies allow but it may not perform\n", len(blocked), plural(len(blocked), "action", "actions"))
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  ACTION\tACCESS\tWHY\tSTATEMENTS")
	for _, r := range blocked {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", r.Action.FullName(), r.Action.Access, r.reason, rowRefs(r))
	}
	tw.Flush()
}

// decisionWord says how a decision on one resource came out.
func decisionWord(r iam.PartialResult) string {
	switch {
	case r.Allowed == iam.Yes:
		return "allowed"
	case r.Allowed == iam.Maybe:
		return "conditional"
	case r.Best.Decision == iam.ExplicitDeny:
		return "denied"
	}
	return "not allowed"
}

func rowRefs(r accessRow) string {
	s := refList(r.grants)
	if len(r.limits) > 0 {
		s += "; limit " + refList(r.limits)
	}
	if len(r.denies) > 0 {
		s += "; deny " + refList(r.denies)
	}
	return s
}

// grantResources lists the resources the granting statements name.
func grantResources(grants []*analyzer.Grant) string {
	var parts []string
	for _, g := range grants {
		res, not := g.Statement.Resources()
		if !res.Present {
			parts = append(parts, "*")
			continue
		}
		for _, v := range res.Values {
			t := v.Text
			if not {
				t = "all but " + t
			}
			if !slices.Contains(parts, t) {
				parts = append(parts, t)
			}
		}
	}
	if slices.Contains(parts, "*") {
		return "*"
	}
	const show = 3
	if len(parts) > show {
		parts = append(parts[:show], fmt.Sprintf("+%d more", len(parts)-show))
	}
	return strings.Join(parts, ", ")
}
