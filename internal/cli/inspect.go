package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/loader"
)

type inspectFlags struct {
	format      string
	varFiles    []string
	vars        []string
	maxFileSize int64
	kind        []string
	now         string
}

func newInspectCmd(app *App) *cobra.Command {
	var f inspectFlags
	cmd := &cobra.Command{
		Use:   "inspect PATH...",
		Short: "Print the IAM model iamlint resolved from the inputs",
		Long: `inspect loads every input — Terraform, policy JSON, account authorization
details, credential reports, CloudFormation, Terraform plans — and prints the
model it resolved: accounts, users, groups, roles, instance profiles and
policies, each with its address and source position, the policies attached to
it and what they grant. Use it to check what iamlint understood.

Values iamlint could not determine (a variable without a value, a data source
lookup) are shown in their symbolic form, ${...}, and listed as unknown.`,
		Example: `  iamlint inspect infra/
  iamlint inspect --format json gaad.json credential-report.csv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return app.inspect(cmd, args, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "text", "output format: text, json, or rego-input (the input document of custom Rego rules, docs/rego-input.schema.json)")
	fl.StringVar(&f.now, "now", "", "rego-input: the reference `DATE` (YYYY-MM-DD) it holds as now (default today)")
	fl.StringArrayVar(&f.varFiles, "var-file", nil, "Terraform variable definitions `FILE` (repeatable)")
	fl.StringArrayVar(&f.vars, "var", nil, "Terraform variable `NAME=VALUE` (repeatable)")
	fl.Int64Var(&f.maxFileSize, "max-file-size", loader.DefaultMaxFileSize, "skip files larger than this many `BYTES`, with an error")
	fl.StringArrayVar(&f.kind, "kind", nil, "policy kind of standalone policy files: `[PATTERN=]KIND` (default: inferred per file; repeatable; see 'iamlint check --help')")
	return cmd
}

func (app *App) inspect(cmd *cobra.Command, paths []string, f *inspectFlags) error {
	opts := loader.Options{VarFiles: f.varFiles, Vars: f.vars, MaxFileSize: f.maxFileSize}
	var err error
	if opts.KindByPath, err = parseKinds(f.kind); err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	if f.format != "text" && f.format != "json" && f.format != "rego-input" {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("unknown --format %q (want text, json or rego-input)", f.format)}
	}
	model, diags := loader.Load(cmd.Context(), paths, opts)
	if f.format == "rego-input" {
		err = app.writeRegoInput(model, diags, f.now)
	} else if f.format == "json" {
		err = writeModelJSON(app.Stdout, model, diags)
	} else {
		writeModelText(app.Stdout, model)
		app.printDiags(diags)
	}
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	if diags.HasErrors() {
		return &ExitError{Code: ExitFailure}
	}
	return nil
}

func posOf(r hcl.Range) string {
	if r.Filename == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

// ---- text ----

func writeModelText(w io.Writer, m *iam.Model) {
	at := func(n *iam.Node) string {
		s := n.Addr
		if p := posOf(n.Range); p != "" && !strings.HasPrefix(n.Addr, p) {
			s += " (" + p + ")"
		}
		if len(n.Unknown) > 0 {
			s += " [unknown: " + strings.Join(n.Unknown, ", ") + "]"
		}
		return s
	}
	for _, a := range m.Accounts {
		fmt.Fprintf(w, "account %s  %s\n", orDash(a.ID), at(&a.Node))
		if a.Root != nil && a.Root.Credentials != nil {
			fmt.Fprintf(w, "  root user: %s\n", credentialSummary(a.Root.Credentials))
		}
		if sm := a.Summary; sm != nil {
			fmt.Fprintf(w, "  root MFA enabled %v, root access keys present %v  %s\n", sm.MFAEnabled, sm.AccessKeysPresent, at(&sm.Node))
		}
		if p := a.PasswordPolicy; p != nil {
			fmt.Fprintf(w, "  password policy: minimum length %d, max age %d days, reuse prevention %d  %s\n",
				p.MinimumLength, p.MaxPasswordAge, p.PasswordReusePrevention, at(&p.Node))
		}
	}
	for _, u := range m.Users {
		fmt.Fprintf(w, "user %s  %s  %s\n", u.Name, orDash(u.ARN), at(&u.Node))
		for _, ms := range u.Groups {
			name := ms.GroupName
			if ms.Group != nil {
				name = ms.Group.Addr
			}
			fmt.Fprintf(w, "  member of %s  %s\n", name, at(&ms.Node))
		}
		writeIdentityText(w, &u.Identity, at)
		if u.LoginProfile != nil {
			fmt.Fprintf(w, "  console password  %s\n", at(&u.LoginProfile.Node))
		}
		for _, k := range u.AccessKeys {
			fmt.Fprintf(w, "  access key %s active=%v  %s\n", orDash(k.ID), k.Active, at(&k.Node))
		}
		for _, d := range u.MFADevices {
			fmt.Fprintf(w, "  MFA device %s  %s\n", orDash(d.Serial), at(&d.Node))
		}
		if u.Credentials != nil {
			fmt.Fprintf(w, "  credential report: %s\n", credentialSummary(u.Credentials))
		}
	}
	for _, g := range m.Groups {
		fmt.Fprintf(w, "group %s  %s  %s\n", g.Name, orDash(g.ARN), at(&g.Node))
		for _, ms := range g.Members {
			name := ms.UserName
			if ms.User != nil {
				name = ms.User.Addr
			}
			fmt.Fprintf(w, "  member %s  %s\n", name, at(&ms.Node))
		}
		for _, p := range g.Inline {
			writeDocText(w, "inline "+p.Name, &p.PolicyDocument, at)
		}
		for _, a := range g.Attached {
			writeAttachmentText(w, "attached", a, at)
		}
	}
	for _, r := range m.Roles {
		fmt.Fprintf(w, "role %s  %s  %s\n", r.Name, orDash(r.ARN), at(&r.Node))
		if r.Trust != nil {
			writeDocText(w, "trust", r.Trust, at)
		}
		writeIdentityText(w, &r.Identity, at)
		for _, ip := range r.InstanceProfiles {
			fmt.Fprintf(w, "  instance profile %s\n", ip.Addr)
		}
	}
	for _, ip := range m.InstanceProfiles {
		var roles []string
		for _, r := range ip.Roles {
			roles = append(roles, r.Addr)
		}
		if len(roles) == 0 {
			roles = ip.RoleRefs
		}
		fmt.Fprintf(w, "instance profile %s  roles: %s  %s\n", ip.Name, orDash(strings.Join(roles, ", ")), at(&ip.Node))
	}
	for _, p := range m.Policies {
		kind := "customer managed"
		if p.AWSManaged {
			kind = "AWS managed"
		}
		fmt.Fprintf(w, "policy %s  %s  %s  %s\n", p.Name, kind, orDash(p.ARN), at(&p.Node))
		if p.Default != nil && !p.AWSManaged {
			writeDocText(w, "default version "+orDash(p.DefaultVersion), p.Default, at)
		}
	}
	for _, p := range m.OrgPolicies {
		fmt.Fprintf(w, "%s %s  %s\n", strings.ToUpper(p.Kind.String()), p.Name, at(&p.Node))
		writeDocText(w, "document", &p.PolicyDocument, at)
		for _, t := range p.Targets {
			fmt.Fprintf(w, "  attached to %s  %s\n", t.TargetID, at(&t.Node))
		}
	}
	for _, d := range m.Documents {
		fmt.Fprintf(w, "%s policy document  %s\n", d.Kind, at(&d.Node))
		writeDocText(w, "", &d.PolicyDocument, at)
	}
	for _, wl := range m.Workloads {
		fmt.Fprintf(w, "workload %s %s  %s  %s\n", wl.Kind, wl.Name, orDash(wl.ARN), at(&wl.Node))
		if wl.RoleRef != "" || wl.Role != nil {
			fmt.Fprintf(w, "  role %s %s\n", wl.RoleRef, linkTarget(roleAddr(wl.Role)))
		}
		if wl.ProfileRef != "" || wl.Profile != nil {
			fmt.Fprintf(w, "  instance profile %s %s\n", wl.ProfileRef, linkTarget(profileAddr(wl.Profile)))
		}
	}
}

// linkTarget shows where a reference resolved to: "→ address", or that
// the inputs do not hold it.
func linkTarget(addr string) string {
	if addr == "" {
		return "(not in the inputs)"
	}
	return "→ " + addr
}

// roleAddr and profileAddr are the address of a linked role or instance
// profile, "" when the link is not resolved.
func roleAddr(r *iam.Role) string {
	if r == nil {
		return ""
	}
	return r.Addr
}

func profileAddr(ip *iam.InstanceProfile) string {
	if ip == nil {
		return ""
	}
	return ip.Addr
}

func writeIdentityText(w io.Writer, id *iam.Identity, at func(*iam.Node) string) {
	for _, p := range id.Inline {
		writeDocText(w, "inline "+p.Name, &p.PolicyDocument, at)
	}
	for _, a := range id.Attached {
		writeAttachmentText(w, "attached", a, at)
	}
	if id.Boundary != nil {
		writeAttachmentText(w, "boundary", id.Boundary, at)
	}
}

func writeAttachmentText(w io.Writer, label string, a *iam.Attachment, at func(*iam.Node) string) {
	target := "(not in the inputs)"
	if a.Policy != nil {
		target = "→ " + a.Policy.Addr
		if a.Policy.AWSManaged {
			target += " [AWS managed]"
		}
	}
	fmt.Fprintf(w, "  %s %s %s  %s\n", label, a.PolicyRef, target, at(&a.Node))
}

func writeDocText(w io.Writer, label string, p *iam.PolicyDocument, at func(*iam.Node) string) {
	indent := "  "
	if label != "" {
		fmt.Fprintf(w, "  %s  %s\n", label, at(&p.Node))
		indent = "    "
	}
	if p.Doc == nil {
		fmt.Fprintf(w, "%s(not resolved)\n", indent)
		return
	}
	for _, s := range p.Doc.Statements {
		fmt.Fprintf(w, "%s%s  %s\n", indent, statementSummary(s), posOf(s.Range))
	}
}

// statementSummary is one line: effect, principals, actions, resources,
// and whether conditions apply.
func statementSummary(s *iam.Statement) string {
	var b strings.Builder
	b.WriteString(s.Effect.String())
	if s.Sid != "" {
		fmt.Fprintf(&b, " [%s]", s.Sid)
	}
	if s.Principal != nil {
		b.WriteString(" to " + principalSummary(s.Principal))
	}
	if s.NotPrincipal != nil {
		b.WriteString(" to all but " + principalSummary(s.NotPrincipal))
	}
	acts, notA := s.Actions()
	if notA {
		b.WriteString(" all actions but")
	}
	b.WriteString(" " + listSummary(acts.Values))
	if res, notR := s.Resources(); res.Present {
		if notR {
			b.WriteString(" on all resources but ")
		} else {
			b.WriteString(" on ")
		}
		b.WriteString(listSummary(res.Values))
	}
	if n := len(s.Condition.Clauses); n > 0 {
		var ops []string
		for _, c := range s.Condition.Clauses {
			ops = append(ops, c.Operator.String()+" "+c.Key)
		}
		b.WriteString(" if " + strings.Join(ops, " and "))
	}
	return b.String()
}

func principalSummary(p *iam.Principal) string {
	if p.Any {
		return "*"
	}
	var parts []string
	for _, e := range p.Entries {
		parts = append(parts, e.Type+" "+listSummary(e.Values))
	}
	return strings.Join(parts, "; ")
}

func listSummary(vals []iam.Value) string {
	const show = 4
	var parts []string
	for i, v := range vals {
		if i == show {
			parts = append(parts, fmt.Sprintf("+%d more", len(vals)-show))
			break
		}
		parts = append(parts, v.Text)
	}
	return strings.Join(parts, ", ")
}

func credentialSummary(c *iam.CredentialReport) string {
	keys := 0
	for _, k := range c.AccessKeys {
		if k.Active {
			keys++
		}
	}
	return fmt.Sprintf("password enabled %v, last used %s, MFA active %v, %d active access keys",
		c.PasswordEnabled, orDash(c.PasswordLastUsed), c.MFAActive, keys)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// ---- JSON ----

// modelJSON is the versioned JSON projection of the model printed by
// `iamlint inspect --format json`. Links are given as addresses.
type modelJSON struct {
	Version          int                `json:"version"`
	Accounts         []accountJSON      `json:"accounts"`
	Users            []userJSON         `json:"users"`
	Groups           []groupJSON        `json:"groups"`
	Roles            []roleJSON         `json:"roles"`
	InstanceProfiles []profileJSON      `json:"instanceProfiles"`
	Policies         []policyJSON       `json:"policies"`
	OrgPolicies      []orgPolicyJSON    `json:"orgPolicies"`
	Documents        []documentJSON     `json:"documents"`
	Workloads        []workloadJSON     `json:"workloads"`
	Diagnostics      []diagnosticJSONIn `json:"diagnostics"`
}

type nodeJSON struct {
	Addr    string   `json:"addr"`
	Pos     string   `json:"pos,omitempty"`
	Unknown []string `json:"unknown,omitempty"`
}

func node(n *iam.Node) nodeJSON {
	return nodeJSON{Addr: n.Addr, Pos: posOf(n.Range), Unknown: n.Unknown}
}

type accountJSON struct {
	nodeJSON
	ID             string              `json:"id"`
	Root           *credentialsJSON    `json:"rootCredentials,omitempty"`
	Summary        *summaryJSON        `json:"summary,omitempty"`
	PasswordPolicy *passwordPolicyJSON `json:"passwordPolicy,omitempty"`
}

type summaryJSON struct {
	nodeJSON
	RootMFAEnabled         bool `json:"rootMfaEnabled"`
	RootAccessKeysPresent  bool `json:"rootAccessKeysPresent"`
	RootSigningCertPresent bool `json:"rootSigningCertificatesPresent"`
}

type credentialsJSON struct {
	nodeJSON
	User                string     `json:"user"`
	ARN                 string     `json:"arn"`
	PasswordEnabled     bool       `json:"passwordEnabled"`
	PasswordLastUsed    string     `json:"passwordLastUsed,omitempty"`
	PasswordLastChanged string     `json:"passwordLastChanged,omitempty"`
	MFAActive           bool       `json:"mfaActive"`
	AccessKeys          [2]keyJSON `json:"accessKeys"`
}

type keyJSON struct {
	Active       bool   `json:"active"`
	LastRotated  string `json:"lastRotated,omitempty"`
	LastUsedDate string `json:"lastUsed,omitempty"`
}

func credentials(c *iam.CredentialReport) *credentialsJSON {
	if c == nil {
		return nil
	}
	out := &credentialsJSON{nodeJSON: node(&c.Node), User: c.User, ARN: c.ARN, PasswordEnabled: c.PasswordEnabled,
		PasswordLastUsed: c.PasswordLastUsed, PasswordLastChanged: c.PasswordLastChanged, MFAActive: c.MFAActive}
	for i, k := range c.AccessKeys {
		out.AccessKeys[i] = keyJSON{Active: k.Active, LastRotated: k.LastRotated, LastUsedDate: k.LastUsedDate}
	}
	return out
}

type passwordPolicyJSON struct {
	nodeJSON
	MinimumLength              int  `json:"minimumLength"`
	RequireSymbols             bool `json:"requireSymbols"`
	RequireNumbers             bool `json:"requireNumbers"`
	RequireUppercase           bool `json:"requireUppercase"`
	RequireLowercase           bool `json:"requireLowercase"`
	AllowUsersToChangePassword bool `json:"allowUsersToChangePassword"`
	MaxPasswordAge             int  `json:"maxPasswordAge"`
	PasswordReusePrevention    int  `json:"passwordReusePrevention"`
	HardExpiry                 bool `json:"hardExpiry"`
}

type docJSON struct {
	nodeJSON
	Document json.RawMessage `json:"document,omitempty"`
}

func doc(p *iam.PolicyDocument) docJSON {
	d := docJSON{nodeJSON: node(&p.Node)}
	if p.Doc != nil {
		d.Document = p.Doc.JSON()
	}
	return d
}

type inlineJSON struct {
	Name string `json:"name"`
	docJSON
}

type attachmentJSON struct {
	nodeJSON
	PolicyRef string `json:"policyRef"`
	Policy    string `json:"policy,omitempty"` // address of the resolved policy
}

func attachment(a *iam.Attachment) attachmentJSON {
	out := attachmentJSON{nodeJSON: node(&a.Node), PolicyRef: a.PolicyRef}
	if a.Policy != nil {
		out.Policy = a.Policy.Addr
	}
	return out
}

type identityJSON struct {
	nodeJSON
	Name     string            `json:"name"`
	Path     string            `json:"path"`
	ARN      string            `json:"arn"`
	Account  string            `json:"account"`
	Inline   []inlineJSON      `json:"inline"`
	Attached []attachmentJSON  `json:"attached"`
	Boundary *attachmentJSON   `json:"boundary,omitempty"`
	Tags     map[string]string `json:"tags,omitempty"`
}

func identity(id *iam.Identity) identityJSON {
	out := identityJSON{nodeJSON: node(&id.Node), Name: id.Name, Path: id.Path, ARN: id.ARN, Account: id.Account, Tags: id.Tags,
		Inline: []inlineJSON{}, Attached: []attachmentJSON{}}
	for _, p := range id.Inline {
		out.Inline = append(out.Inline, inlineJSON{Name: p.Name, docJSON: doc(&p.PolicyDocument)})
	}
	for _, a := range id.Attached {
		out.Attached = append(out.Attached, attachment(a))
	}
	if id.Boundary != nil {
		b := attachment(id.Boundary)
		out.Boundary = &b
	}
	return out
}

type membershipJSON struct {
	nodeJSON
	User  string `json:"user"`
	Group string `json:"group"`
}

func membership(m *iam.Membership) membershipJSON {
	out := membershipJSON{nodeJSON: node(&m.Node), User: m.UserName, Group: m.GroupName}
	if m.User != nil {
		out.User = m.User.Addr
	}
	if m.Group != nil {
		out.Group = m.Group.Addr
	}
	return out
}

type userJSON struct {
	identityJSON
	Groups       []membershipJSON `json:"groups"`
	LoginProfile *nodeJSON        `json:"loginProfile,omitempty"`
	AccessKeys   []accessKeyJSON  `json:"accessKeys"`
	MFADevices   []mfaJSON        `json:"mfaDevices"`
	Credentials  *credentialsJSON `json:"credentials,omitempty"`
}

type accessKeyJSON struct {
	nodeJSON
	ID     string `json:"id"`
	Active bool   `json:"active"`
}

type mfaJSON struct {
	nodeJSON
	Serial  string `json:"serial"`
	Virtual bool   `json:"virtual"`
}

type groupJSON struct {
	nodeJSON
	Name     string           `json:"name"`
	Path     string           `json:"path"`
	ARN      string           `json:"arn"`
	Account  string           `json:"account"`
	Inline   []inlineJSON     `json:"inline"`
	Attached []attachmentJSON `json:"attached"`
	Members  []membershipJSON `json:"members"`
}

type roleJSON struct {
	identityJSON
	Trust              *docJSON `json:"trust,omitempty"`
	InstanceProfiles   []string `json:"instanceProfiles"`
	MaxSessionDuration int      `json:"maxSessionDuration,omitempty"`
	LastUsed           string   `json:"lastUsed,omitempty"`
}

type profileJSON struct {
	nodeJSON
	Name  string   `json:"name"`
	ARN   string   `json:"arn"`
	Roles []string `json:"roles"`
}

type policyJSON struct {
	nodeJSON
	Name           string    `json:"name"`
	Path           string    `json:"path"`
	ARN            string    `json:"arn"`
	AWSManaged     bool      `json:"awsManaged"`
	DefaultVersion string    `json:"defaultVersion,omitempty"`
	Default        *docJSON  `json:"default,omitempty"`
	Versions       []docJSON `json:"versions,omitempty"`
}

type orgPolicyJSON struct {
	docJSON
	Name    string     `json:"name"`
	ID      string     `json:"id,omitempty"`
	Kind    string     `json:"kind"`
	Targets []nodeJSON `json:"targets"`
}

type documentJSON struct {
	docJSON
	Kind string `json:"kind"`
}

// workloadJSON is a workload; role and instanceProfile are the addresses
// the references resolved to, absent when they did not.
type workloadJSON struct {
	nodeJSON
	Kind            string `json:"kind"`
	Name            string `json:"name"`
	ARN             string `json:"arn"`
	Account         string `json:"account"`
	RoleRef         string `json:"roleRef,omitempty"`
	Role            string `json:"role,omitempty"`
	ProfileRef      string `json:"instanceProfileRef,omitempty"`
	InstanceProfile string `json:"instanceProfile,omitempty"`
}

type diagnosticJSONIn struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail,omitempty"`
	Pos      string `json:"pos,omitempty"`
}

func writeModelJSON(w io.Writer, m *iam.Model, diags hcl.Diagnostics) error {
	out := modelJSON{Version: 1, Accounts: []accountJSON{}, Users: []userJSON{}, Groups: []groupJSON{}, Roles: []roleJSON{},
		InstanceProfiles: []profileJSON{}, Policies: []policyJSON{}, OrgPolicies: []orgPolicyJSON{}, Documents: []documentJSON{},
		Workloads: []workloadJSON{}, Diagnostics: []diagnosticJSONIn{}}
	for _, a := range m.Accounts {
		aj := accountJSON{nodeJSON: node(&a.Node), ID: a.ID}
		if a.Root != nil {
			aj.Root = credentials(a.Root.Credentials)
		}
		if sm := a.Summary; sm != nil {
			aj.Summary = &summaryJSON{nodeJSON: node(&sm.Node), RootMFAEnabled: sm.MFAEnabled, RootAccessKeysPresent: sm.AccessKeysPresent, RootSigningCertPresent: sm.SigningCertificatesPresent}
		}
		if p := a.PasswordPolicy; p != nil {
			aj.PasswordPolicy = &passwordPolicyJSON{nodeJSON: node(&p.Node), MinimumLength: p.MinimumLength, RequireSymbols: p.RequireSymbols,
				RequireNumbers: p.RequireNumbers, RequireUppercase: p.RequireUppercase, RequireLowercase: p.RequireLowercase,
				AllowUsersToChangePassword: p.AllowUsersToChangePassword, MaxPasswordAge: p.MaxPasswordAge,
				PasswordReusePrevention: p.PasswordReusePrevention, HardExpiry: p.HardExpiry}
		}
		out.Accounts = append(out.Accounts, aj)
	}
	for _, u := range m.Users {
		uj := userJSON{identityJSON: identity(&u.Identity), Groups: []membershipJSON{}, AccessKeys: []accessKeyJSON{}, MFADevices: []mfaJSON{}, Credentials: credentials(u.Credentials)}
		for _, ms := range u.Groups {
			uj.Groups = append(uj.Groups, membership(ms))
		}
		if u.LoginProfile != nil {
			n := node(&u.LoginProfile.Node)
			uj.LoginProfile = &n
		}
		for _, k := range u.AccessKeys {
			uj.AccessKeys = append(uj.AccessKeys, accessKeyJSON{nodeJSON: node(&k.Node), ID: k.ID, Active: k.Active})
		}
		for _, d := range u.MFADevices {
			uj.MFADevices = append(uj.MFADevices, mfaJSON{nodeJSON: node(&d.Node), Serial: d.Serial, Virtual: d.Virtual})
		}
		out.Users = append(out.Users, uj)
	}
	for _, g := range m.Groups {
		gj := groupJSON{nodeJSON: node(&g.Node), Name: g.Name, Path: g.Path, ARN: g.ARN, Account: g.Account,
			Inline: []inlineJSON{}, Attached: []attachmentJSON{}, Members: []membershipJSON{}}
		for _, p := range g.Inline {
			gj.Inline = append(gj.Inline, inlineJSON{Name: p.Name, docJSON: doc(&p.PolicyDocument)})
		}
		for _, a := range g.Attached {
			gj.Attached = append(gj.Attached, attachment(a))
		}
		for _, ms := range g.Members {
			gj.Members = append(gj.Members, membership(ms))
		}
		out.Groups = append(out.Groups, gj)
	}
	for _, r := range m.Roles {
		rj := roleJSON{identityJSON: identity(&r.Identity), InstanceProfiles: []string{}, MaxSessionDuration: r.MaxSessionDuration, LastUsed: r.LastUsed}
		if r.Trust != nil {
			t := doc(r.Trust)
			rj.Trust = &t
		}
		for _, ip := range r.InstanceProfiles {
			rj.InstanceProfiles = append(rj.InstanceProfiles, ip.Addr)
		}
		out.Roles = append(out.Roles, rj)
	}
	for _, ip := range m.InstanceProfiles {
		pj := profileJSON{nodeJSON: node(&ip.Node), Name: ip.Name, ARN: ip.ARN, Roles: []string{}}
		for _, r := range ip.Roles {
			pj.Roles = append(pj.Roles, r.Addr)
		}
		if len(ip.Roles) == 0 {
			pj.Roles = append(pj.Roles, ip.RoleRefs...)
		}
		out.InstanceProfiles = append(out.InstanceProfiles, pj)
	}
	for _, p := range m.Policies {
		pj := policyJSON{nodeJSON: node(&p.Node), Name: p.Name, Path: p.Path, ARN: p.ARN, AWSManaged: p.AWSManaged, DefaultVersion: p.DefaultVersion}
		if p.Default != nil {
			d := doc(p.Default)
			pj.Default = &d
		}
		for _, v := range p.Versions {
			pj.Versions = append(pj.Versions, doc(&v.PolicyDocument))
		}
		out.Policies = append(out.Policies, pj)
	}
	for _, p := range m.OrgPolicies {
		oj := orgPolicyJSON{docJSON: doc(&p.PolicyDocument), Name: p.Name, ID: p.ID, Kind: p.Kind.String(), Targets: []nodeJSON{}}
		for _, t := range p.Targets {
			n := node(&t.Node)
			n.Addr = t.TargetID
			oj.Targets = append(oj.Targets, n)
		}
		out.OrgPolicies = append(out.OrgPolicies, oj)
	}
	for _, d := range m.Documents {
		out.Documents = append(out.Documents, documentJSON{docJSON: doc(&d.PolicyDocument), Kind: d.Kind.String()})
	}
	for _, wl := range m.Workloads {
		out.Workloads = append(out.Workloads, workloadJSON{nodeJSON: node(&wl.Node), Kind: wl.Kind.String(), Name: wl.Name, ARN: wl.ARN,
			Account: wl.Account, RoleRef: wl.RoleRef, Role: roleAddr(wl.Role), ProfileRef: wl.ProfileRef, InstanceProfile: profileAddr(wl.Profile)})
	}
	iam.SortDiagnostics(diags)
	for _, d := range diags {
		sev := "error"
		switch d.Severity {
		case hcl.DiagWarning:
			sev = "warning"
		}
		dj := diagnosticJSONIn{Severity: sev, Summary: d.Summary, Detail: d.Detail}
		if d.Subject != nil {
			dj.Pos = posOf(*d.Subject)
		}
		out.Diagnostics = append(out.Diagnostics, dj)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
