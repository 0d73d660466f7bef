package tfplan

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
	"github.com/iamlint/iamlint/internal/modeltest"
)

const fixture = "../../testdata/tfplan/plan.json"

func load(t testing.TB, path string, data []byte) (*iam.Model, hcl.Diagnostics) {
	t.Helper()
	v, diags := jsonpos.Parse(data, jsonpos.Options{Filename: path})
	if diags.HasErrors() {
		t.Fatalf("parse: %v", diags)
	}
	return Load(path, v)
}

func loadFixture(t testing.TB) (*iam.Model, hcl.Diagnostics, []byte) {
	t.Helper()
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	m, diags := load(t, "plan.json", data)
	return m, diags, data
}

// The fixture is a plan with a root module and module "ci", whose role,
// policy and attachment are for_each instances ("prod", "staging"); the
// policy ARNs are unknown until apply and linked through the
// configuration's references.
func TestLoadPlan(t *testing.T) {
	m, diags, _ := loadFixture(t)
	want := []string{
		"account account:123456789012 123456789012",
		"user aws_iam_user.alice name=alice path=/ arn=arn:aws:iam::123456789012:user/alice account=123456789012",
		"  member aws_iam_user_group_membership.alice developers -> aws_iam_group.devs",
		"  key aws_iam_access_key.alice ${aws_iam_access_key.alice.id} active=true unknown=ID",
		"group aws_iam_group.devs name=developers path=/ arn=${aws_iam_group.devs.arn} unknown=ARN",
		"  members alice",
		"role aws_iam_role.app name=app path=/ arn=${aws_iam_role.app.arn} max=3600 unknown=ARN",
		"  trust aws_iam_role.app.assume_role_policy",
		"  trust   Allow Action[sts:AssumeRole] Service[ec2.amazonaws.com]",
		"  inline config aws_iam_role.app.inline_policy[0]",
		"  inline config   Allow Action[s3:GetObject] Resource[arn:aws:s3:::acme-app-config/*]",
		"  attached aws_iam_role.app.managed_policy_arns[0] arn:aws:iam::aws:policy/ReadOnlyAccess -> -",
		"  boundary aws_iam_role.app.permissions_boundary aws_iam_policy.boundary -> aws_iam_policy.boundary",
		"  profiles aws_iam_instance_profile.app",
		"  tags team=platform",
		`role external role "legacy-role" name=legacy-role path=/ arn=arn:aws:iam::123456789012:role/legacy-role max=0 external unknown=Path`,
		"  attached aws_iam_role_policy_attachment.legacy arn:aws:iam::aws:policy/AdministratorAccess -> -",
		`role module.ci.aws_iam_role.deploy["prod"] name=deploy-prod path=/ci/ arn=${module.ci.aws_iam_role.deploy["prod"].arn} max=3600 unknown=ARN,Attached,Inline`,
		`  trust module.ci.aws_iam_role.deploy["prod"].assume_role_policy`,
		"  trust   Allow Action[sts:AssumeRoleWithWebIdentity] Federated[arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com]",
		"  inline ecr-pull module.ci.aws_iam_role_policy.ecr",
		"  inline ecr-pull   Allow Action[ecr:GetAuthorizationToken ecr:BatchGetImage] Resource[*]",
		`  attached module.ci.aws_iam_role_policy_attachment.deploy["prod"] module.ci.aws_iam_policy.deploy["prod"] -> module.ci.aws_iam_policy.deploy["prod"]`,
		`role module.ci.aws_iam_role.deploy["staging"] name=deploy-staging path=/ci/ arn=${module.ci.aws_iam_role.deploy["staging"].arn} max=3600 unknown=ARN,Attached,Inline`,
		`  trust module.ci.aws_iam_role.deploy["staging"].assume_role_policy`,
		"  trust   Allow Action[sts:AssumeRoleWithWebIdentity] Federated[arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com]",
		`  attached module.ci.aws_iam_role_policy_attachment.deploy["staging"] module.ci.aws_iam_policy.deploy["staging"] -> module.ci.aws_iam_policy.deploy["staging"]`,
		"profile aws_iam_instance_profile.app name=app arn=${aws_iam_instance_profile.app.arn} refs=[app] roles=1 unknown=ARN",
		"policy aws_iam_policy.boundary name=boundary arn=${aws_iam_policy.boundary.arn} attachments=0 unknown=ARN",
		"  default aws_iam_policy.boundary",
		"  default   Allow NotAction[iam:* organizations:*] Resource[*]",
		`policy module.ci.aws_iam_policy.deploy["prod"] name=deploy-prod arn=${module.ci.aws_iam_policy.deploy["prod"].arn} attachments=1 unknown=ARN`,
		`  default module.ci.aws_iam_policy.deploy["prod"]`,
		"  default   Allow Deploy Action[ecs:UpdateService ecs:DescribeServices] Resource[arn:aws:ecs:eu-west-1:123456789012:service/prod/*]",
		"  default   Allow Action[iam:PassRole] Resource[*]",
		`policy module.ci.aws_iam_policy.deploy["staging"] name=deploy-staging arn=${module.ci.aws_iam_policy.deploy["staging"].arn} attachments=1 unknown=ARN`,
		`  default module.ci.aws_iam_policy.deploy["staging"]`,
		"  default   Allow Deploy Action[ecs:UpdateService ecs:DescribeServices] Resource[arn:aws:ecs:eu-west-1:123456789012:service/staging/*]",
		"  default   Allow Action[iam:PassRole] Resource[*]",
	}
	if d := cmp.Diff(want, modeltest.Summarize(m)); d != "" {
		t.Errorf("model (-want +got):\n%s", d)
	}
	// legacy-role, not in the plan, is an external stub: no warning.
	var wantDiags []string
	if d := cmp.Diff(wantDiags, modeltest.DiagLines(diags)); d != "" {
		t.Errorf("diagnostics (-want +got):\n%s", d)
	}
	wantPP := iam.PasswordPolicy{
		MinimumLength: 14, RequireSymbols: true, RequireNumbers: true, RequireUppercase: true, RequireLowercase: true,
		AllowUsersToChangePassword: true, MaxPasswordAge: 90, PasswordReusePrevention: 24,
	}
	pp := m.Accounts[0].PasswordPolicy
	if pp == nil || pp.Addr != "aws_iam_account_password_policy.strict" {
		t.Fatalf("password policy = %+v", pp)
	}
	if d := cmp.Diff(wantPP, *pp, cmp.FilterPath(func(p cmp.Path) bool { return p.String() == "Node" }, cmp.Ignore())); d != "" {
		t.Errorf("password policy (-want +got):\n%s", d)
	}
	// The attachment points at the same object as the model's policy.
	if m.Roles[2].Attached[0].Policy != m.Policies[1] || m.Roles[3].Attached[0].Policy != m.Policies[2] {
		t.Error("for_each attachments are not linked to their own instance's policy")
	}
}

func rangeText(data []byte, r hcl.Range) string {
	return fmt.Sprintf("%d:%d-%d:%d %s", r.Start.Line, r.Start.Column, r.End.Line, r.End.Column, data[r.Start.Byte:r.End.Byte])
}

func TestPlanPositions(t *testing.T) {
	m, _, data := loadFixture(t)
	find := func(addr string) *iam.Role {
		for _, r := range m.Roles {
			if r.Addr == addr {
				return r
			}
		}
		t.Fatalf("no role %s", addr)
		return nil
	}
	prod := find(`module.ci.aws_iam_role.deploy["prod"]`)
	staging := find(`module.ci.aws_iam_role.deploy["staging"]`)
	cond := prod.Trust.Doc.Statements[0].Condition.Clauses[0]
	tests := []struct {
		name string
		rng  hcl.Range
		want string
	}{
		{"action in a module's for_each policy", m.Policies[1].Default.Doc.Statements[0].Action.Values[0].Range,
			`181:177-181:198 \"ecs:UpdateService\"`},
		{"resource of the other instance", m.Policies[2].Default.Doc.Statements[0].Resource.Values[0].Range,
			`199:265-199:321 \"arn:aws:ecs:eu-west-1:123456789012:service/staging/*\"`},
		{"trust condition key", cond.KeyRange, `213:385-213:428 \"token.actions.githubusercontent.com:sub\"`},
		{"trust condition value", cond.Values[0].Range, `213:430-213:464 \"repo:acme/app:environment:prod\"`},
		{"inline policy block", m.Roles[0].Inline[0].Range, "84:15-87:16 {"},
	}
	for _, tt := range tests {
		if got := rangeText(data, tt.rng); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s = %q, want %q", tt.name, got, tt.want)
		}
	}
	// Node.Range is the resource object of planned_values.
	text := string(data[staging.Range.Start.Byte:staging.Range.End.Byte])
	if !strings.HasPrefix(text, "{\n") || !strings.Contains(text, `"address": "module.ci.aws_iam_role.deploy[\"staging\"]"`) || !strings.HasSuffix(text, "}") {
		t.Errorf("staging role range covers %q", text)
	}
	if staging.Range.Start.Line != 224 {
		t.Errorf("staging role starts at line %d", staging.Range.Start.Line)
	}
}

// minimalPlan wraps resources (JSON objects) into a plan, with optional
// resource changes and configuration.
func minimalPlan(resources, changes, config string) []byte {
	s := `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [` + resources + `]}}`
	if changes != "" {
		s += `, "resource_changes": [` + changes + `]`
	}
	if config != "" {
		s += `, "configuration": {"root_module": ` + config + `}`
	}
	return []byte(s + "}")
}

func TestPlanUnknowns(t *testing.T) {
	data := minimalPlan(
		`{"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r", "values": {"name": "r", "path": "/"}},
		 {"address": "aws_iam_role_policy.p", "mode": "managed", "type": "aws_iam_role_policy", "name": "p", "values": {"name": "p"}},
		 {"address": "aws_iam_user.u", "mode": "managed", "type": "aws_iam_user", "name": "u", "values": {"path": "/"}}`,
		`{"address": "aws_iam_role.r", "change": {"actions": ["create"], "after_unknown": {"arn": true, "assume_role_policy": true}}},
		 {"address": "aws_iam_role_policy.p", "change": {"actions": ["create"], "after_unknown": {"policy": true, "role": true}}},
		 {"address": "aws_iam_user.u", "change": {"actions": ["create"], "after_unknown": {"name": true, "arn": true}}}`,
		`{"resources": [{"address": "aws_iam_role_policy.p", "expressions": {"role": {"references": ["aws_iam_role.r.name", "aws_iam_role.r"]}}}]}`)
	m, diags := load(t, "p.json", data)
	want := []string{
		"account #account ${data.aws_caller_identity.current.account_id} unknown=ID",
		"user aws_iam_user.u name=${aws_iam_user.u.name} path=/ arn=${aws_iam_user.u.arn} account=${data.aws_caller_identity.current.account_id} unknown=ARN,Account,Name",
		"role aws_iam_role.r name=r path=/ arn=${aws_iam_role.r.arn} max=0 unknown=ARN,Account",
		"  trust aws_iam_role.r.assume_role_policy unknown=Doc",
		"  inline p aws_iam_role_policy.p unknown=Doc",
	}
	if d := cmp.Diff(want, modeltest.Summarize(m)); d != "" {
		t.Errorf("model (-want +got):\n%s", d)
	}
	wantDiags := []string{
		"1:76: warning: Unresolved value: The assume_role_policy of aws_iam_role.r is only known after apply, so it is not analysed; run iamlint on the configuration, or on a plan whose inputs exist.",
		"2:4: warning: Unresolved value: The policy of aws_iam_role_policy.p is only known after apply, so it is not analysed; run iamlint on the configuration, or on a plan whose inputs exist.",
	}
	if d := cmp.Diff(wantDiags, modeltest.DiagLines(diags)); d != "" {
		t.Errorf("diagnostics (-want +got):\n%s", d)
	}
}

// A plan without planned_values is read from resource_changes; resources
// being deleted are left out.
func TestPlanFromResourceChanges(t *testing.T) {
	data := []byte(`{"format_version": "1.2", "resource_changes": [
  {"address": "module.m[0].aws_iam_group.g", "module_address": "module.m[0]", "mode": "managed", "type": "aws_iam_group", "name": "g",
   "change": {"actions": ["create"], "after": {"name": "ops", "path": "/"}, "after_unknown": {"arn": true}}},
  {"address": "aws_iam_user.old", "mode": "managed", "type": "aws_iam_user", "name": "old",
   "change": {"actions": ["delete"], "before": {"name": "old"}, "after": null}}
]}`)
	m, diags := load(t, "p.json", data)
	want := []string{
		"account #account ${data.aws_caller_identity.current.account_id} unknown=ID",
		"group module.m[0].aws_iam_group.g name=ops path=/ arn=${module.m[0].aws_iam_group.g.arn} unknown=ARN,Account",
		"  members ",
	}
	if d := cmp.Diff(want, modeltest.Summarize(m)); d != "" {
		t.Errorf("model (-want +got):\n%s", d)
	}
	if len(diags) > 0 {
		t.Errorf("diagnostics: %v", modeltest.DiagLines(diags))
	}
}

func TestPlanOrganizations(t *testing.T) {
	data := minimalPlan(
		`{"address": "aws_organizations_policy.scp", "mode": "managed", "type": "aws_organizations_policy", "name": "scp",
		  "values": {"name": "deny-leave", "type": "SERVICE_CONTROL_POLICY", "content": "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"organizations:LeaveOrganization\",\"Resource\":\"*\"}}"}},
		 {"address": "aws_organizations_policy_attachment.root", "mode": "managed", "type": "aws_organizations_policy_attachment", "name": "root",
		  "values": {"target_id": "r-abcd"}},
		 {"address": "aws_organizations_policy.tags", "mode": "managed", "type": "aws_organizations_policy", "name": "tags",
		  "values": {"name": "tags", "type": "TAG_POLICY", "content": "{}"}}`,
		`{"address": "aws_organizations_policy.scp", "change": {"actions": ["create"], "after_unknown": {"id": true, "arn": true}}},
		 {"address": "aws_organizations_policy_attachment.root", "change": {"actions": ["create"], "after_unknown": {"policy_id": true}}}`,
		`{"resources": [{"address": "aws_organizations_policy_attachment.root", "expressions": {"policy_id": {"references": ["aws_organizations_policy.scp.id", "aws_organizations_policy.scp"]}}}]}`)
	m, diags := load(t, "p.json", data)
	want := []string{
		"org scp deny-leave ${aws_organizations_policy.scp.id} targets=[r-abcd] aws_organizations_policy.scp unknown=ID",
		"org scp deny-leave ${aws_organizations_policy.scp.id} targets=[r-abcd]   Deny Action[organizations:LeaveOrganization] Resource[*]",
	}
	if d := cmp.Diff(want, modeltest.Summarize(m)); d != "" {
		t.Errorf("model (-want +got):\n%s", d)
	}
	if len(diags) > 0 {
		t.Errorf("diagnostics: %v", modeltest.DiagLines(diags))
	}
}

func TestPlanDiagnostics(t *testing.T) {
	res := func(typ, values string) string {
		return `{"address": "` + typ + `.x", "mode": "managed", "type": "` + typ + `", "name": "x", "values": ` + values + `}`
	}
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"resources not an array", []byte(`{"format_version": "1.2", "planned_values": {"root_module": {"resources": {}}}}`),
			[]string{"1:75: error: Invalid plan: resources must be an array; found an object."}},
		{"no values", minimalPlan(`{"address": "aws_iam_user.x", "mode": "managed", "type": "aws_iam_user", "name": "x"}`, "", ""),
			[]string{"1:76: error: Invalid plan: Resource aws_iam_user.x has no values object."}},
		{"policy is not JSON", minimalPlan(res("aws_iam_policy", `{"name": "p", "policy": "{\"Version\": \"2012-10-17\", \"Statement\": [}"}`), "", ""),
			[]string{"1:247: error: Missing value: Expected a value after '[', but found '}'. Add the missing value, or remove the extra separator."}},
		{"policy error at its element", minimalPlan(res("aws_iam_policy", `{"name": "p", "policy": "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}"}`), "", ""),
			[]string{`1:259: error: Invalid Effect: Effect is case-sensitive: write "Allow".`}},
		{"policy not a string", minimalPlan(res("aws_iam_policy", `{"name": "p", "policy": {"Version": "2012-10-17"}}`), "", ""),
			[]string{"1:200: error: Invalid policy: aws_iam_policy.x.policy must be a JSON string; found an object."}},
		{"name not a string", minimalPlan(res("aws_iam_user", `{"name": ["u"]}`), "", ""),
			[]string{"1:181: error: Invalid attribute: aws_iam_user.x.name must be a string; found an array."}},
		{"child module without address", []byte(`{"format_version": "1.2", "planned_values": {"root_module": {"child_modules": [{"resources": []}]}}}`),
			[]string{"1:80: error: Invalid plan: A child module needs an address."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := load(t, "p.json", tt.data)
			if d := cmp.Diff(tt.want, modeltest.DiagLines(diags)); d != "" {
				t.Errorf("diagnostics (-want +got):\n%s", d)
			}
		})
	}
}

func TestIsPlan(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want bool
	}{
		{`{"format_version": "1.2", "planned_values": {}}`, true},
		{`{"format_version": "1.2", "resource_changes": []}`, true},
		{`{"format_version": "1.0", "values": {}}`, false}, // a state, not a plan
		{`{"Version": "2012-10-17"}`, false},
		{`[]`, false},
	} {
		v, diags := jsonpos.Parse([]byte(tt.src), jsonpos.Options{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		if got := IsPlan(v); got != tt.want {
			t.Errorf("IsPlan(%s) = %v", tt.src, got)
		}
	}
}

func FuzzPlan(f *testing.F) {
	data, err := os.ReadFile(fixture)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(minimalPlan(`{"address": "aws_iam_role_policy_attachment.a", "mode": "managed", "type": "aws_iam_role_policy_attachment", "name": "a", "index": 0, "values": {"role": null}}`,
		`{"address": "aws_iam_role_policy_attachment.a", "change": {"after_unknown": {"policy_arn": true, "role": [true]}}}`,
		`{"resources": [{"address": "aws_iam_role_policy_attachment.a", "expressions": {"policy_arn": {"references": ["aws_iam_policy.p[\"x]", "count.index"]}}}], "module_calls": {"m": {"module": {}}}}`))
	f.Add([]byte(`{"format_version": "1.2", "resource_changes": [{"address": "x", "mode": "managed", "type": "aws_iam_group_membership", "name": "x", "change": {"after": {"users": [null, "a"], "group": 1}, "after_unknown": {"users": [true]}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, diags := jsonpos.Parse(data, jsonpos.Options{Filename: "fuzz.json"})
		if diags.HasErrors() || !IsPlan(v) {
			return
		}
		m, diags := Load("fuzz.json", v)
		for _, d := range diags {
			if d.Subject == nil {
				t.Fatalf("diagnostic %q without a subject", d.Summary)
			}
			if r := *d.Subject; r.Start.Byte < 0 || r.End.Byte > len(data) || r.Start.Byte > r.End.Byte {
				t.Fatalf("diagnostic range %v out of bounds", r)
			}
		}
		for _, p := range m.Policies {
			if p.Default != nil && p.Default.Doc != nil {
				for _, s := range p.Default.Doc.Statements {
					for _, v := range s.Action.Values {
						if v.Range.End.Byte > len(data) {
							t.Fatalf("value range %v out of bounds", v.Range)
						}
					}
				}
			}
		}
	})
}

// genPlan builds a plan of n resources: in a module with for_each
// instances, roles with trust and inline policies, managed policies and
// attachments whose policy ARNs are unknown.
func genPlan(n int) []byte {
	policy := func(i int) string {
		b, _ := json.MarshalIndent(map[string]any{"Version": "2012-10-17", "Statement": []any{
			map[string]any{"Effect": "Allow", "Action": []string{"s3:GetObject", "s3:PutObject"}, "Resource": fmt.Sprintf("arn:aws:s3:::bucket-%d/*", i)},
		}}, "", "  ")
		return string(b)
	}
	trust, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"},
	}})
	var resources, changes []any
	for i := range n {
		key := fmt.Sprintf("k%d", i/3)
		var typ string
		values := map[string]any{}
		after := map[string]any{"id": true}
		switch i % 3 {
		case 0:
			typ = "aws_iam_role"
			values = map[string]any{"name": "role-" + key, "path": "/", "assume_role_policy": string(trust), "max_session_duration": 3600,
				"inline_policy": []any{map[string]any{"name": "inline", "policy": policy(i)}}}
			after["arn"] = true
		case 1:
			typ = "aws_iam_policy"
			values = map[string]any{"name": "policy-" + key, "path": "/", "policy": policy(i)}
			after["arn"] = true
		case 2:
			typ = "aws_iam_role_policy_attachment"
			values = map[string]any{"role": "role-" + key}
			after["policy_arn"] = true
		}
		addr := fmt.Sprintf("module.svc.%s.this[%q]", typ, key)
		resources = append(resources, map[string]any{"address": addr, "mode": "managed", "type": typ, "name": "this", "index": key, "values": values})
		changes = append(changes, map[string]any{"address": addr, "module_address": "module.svc", "change": map[string]any{"actions": []string{"create"}, "after": values, "after_unknown": after}})
	}
	plan := map[string]any{
		"format_version":   "1.2",
		"planned_values":   map[string]any{"root_module": map[string]any{"child_modules": []any{map[string]any{"address": "module.svc", "resources": resources}}}},
		"resource_changes": changes,
		"configuration": map[string]any{"root_module": map[string]any{"module_calls": map[string]any{"svc": map[string]any{"module": map[string]any{
			"resources": []any{map[string]any{"address": "aws_iam_role_policy_attachment.this", "expressions": map[string]any{
				"policy_arn": map[string]any{"references": []string{"aws_iam_policy.this", "each.key"}},
			}}},
		}}}}},
	}
	b, _ := json.Marshal(plan)
	return b
}

func TestGeneratedPlan(t *testing.T) {
	m, diags := load(t, "gen.json", genPlan(999))
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", modeltest.DiagLines(diags)[0])
	}
	if len(m.Roles) != 333 || len(m.Policies) != 333 {
		t.Fatalf("%d roles, %d policies", len(m.Roles), len(m.Policies))
	}
	for _, r := range m.Roles {
		if len(r.Attached) != 1 || r.Attached[0].Policy == nil {
			t.Fatalf("%s: attachment not linked", r.Addr)
		}
	}
}

func BenchmarkLoadPlan(b *testing.B) {
	data := genPlan(1000)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		v, _ := jsonpos.Parse(data, jsonpos.Options{Filename: "bench.json"})
		Load("bench.json", v)
	}
}

// Principals the plan names without holding get external stubs with what
// the plan attaches to them.
func TestExternalPrincipals(t *testing.T) {
	data, err := os.ReadFile("../../testdata/tfplan/external.json")
	if err != nil {
		t.Fatal(err)
	}
	m, diags := load(t, "external.json", data)
	want := []string{
		"account account:123456789012 123456789012",
		`user external user "bob" name=bob path=/ arn=arn:aws:iam::123456789012:user/bob account=123456789012 external unknown=Path`,
		"  member aws_iam_user_group_membership.bob devs -> aws_iam_group.devs",
		`  member aws_iam_user_group_membership.bob legacy-admins -> external group "legacy-admins"`,
		"  key aws_iam_access_key.bob ${aws_iam_access_key.bob.id} active=true unknown=ID",
		"group aws_iam_group.devs name=devs path=/ arn=arn:aws:iam::123456789012:group/devs",
		"  members bob",
		`group external group "legacy-admins" name=legacy-admins path=/ arn=arn:aws:iam::123456789012:group/legacy-admins external unknown=Path`,
		"  members bob",
		`role external role "existing-role" name=existing-role path=/ arn=arn:aws:iam::123456789012:role/existing-role max=0 external unknown=Path`,
		"  inline extra aws_iam_role_policy.extra",
		"  inline extra   Allow Action[s3:GetObject] Resource[*]",
		"  attached aws_iam_role_policy_attachment.admin arn:aws:iam::aws:policy/AdministratorAccess -> -",
	}
	if d := cmp.Diff(want, modeltest.Summarize(m)); d != "" {
		t.Errorf("model (-want +got):\n%s", d)
	}
	if len(diags) != 0 {
		t.Errorf("diagnostics: %v", modeltest.DiagLines(diags))
	}
	ro := m.Roles[0]
	if !ro.External || ro.Account != "123456789012" || !ro.IsUnknown("Path") {
		t.Errorf("external role = %+v", ro)
	}
	if got := rangeText(data, ro.Range); got != `36:21-36:36 "existing-role"` {
		t.Errorf("stub range = %s, want the first reference", got)
	}
	if got := rangeText(data, ro.Attached[0].Range); !strings.HasPrefix(got, "39:9-48:10 {") {
		t.Errorf("attachment range = %s", got)
	}
	bob := m.Users[0]
	if got := rangeText(data, bob.Range); got != `14:21-14:26 "bob"` {
		t.Errorf("user stub range = %s, want the first reference", got)
	}
}

// Workloads of every type, count and for_each instances, a module, roles
// and instance profiles linked by name, by ARN, through the
// configuration's references (values only known after apply, in nested
// blocks too) or to an external role stub; a role in another account or
// only known at apply stays a reference.
func TestPlanWorkloads(t *testing.T) {
	data, err := os.ReadFile("../../testdata/tfplan/workloads.json")
	if err != nil {
		t.Fatal(err)
	}
	m, diags := load(t, "workloads.json", data)
	var got []string
	for _, l := range modeltest.Summarize(m) {
		if strings.HasPrefix(l, "workload ") || strings.HasPrefix(l, "account ") {
			got = append(got, l)
		}
	}
	want := []string{
		"account account:123456789012 123456789012",
		"workload apprunner-service aws_apprunner_service.web name=web arn=arn:aws:apprunner:eu-west-1:123456789012:service/web/${aws_apprunner_service.web.service_id} account=123456789012 role=${aws_iam_role.app.arn} -> aws_iam_role.app unknown=ARN,RoleRef",
		"workload cloudformation-stack aws_cloudformation_stack.network name=network arn=arn:aws:cloudformation:eu-west-1:123456789012:stack/network/${aws_cloudformation_stack.network.unique_id} account=123456789012 unknown=ARN",
		"workload codebuild-project aws_codebuild_project.build name=build arn=arn:aws:codebuild:eu-west-1:123456789012:project/build account=123456789012 role=legacy-builder -> external role \"legacy-builder\"",
		"workload datapipeline aws_datapipeline_pipeline.nightly name=nightly arn=arn:aws:datapipeline:eu-west-1:123456789012:pipeline/${aws_datapipeline_pipeline.nightly.id} account=123456789012 unknown=ARN",
		"workload ecs-task-definition aws_ecs_task_definition.svc name=svc arn=arn:aws:ecs:eu-west-1:123456789012:task-definition/svc:${aws_ecs_task_definition.svc.revision} account=123456789012 role=${aws_iam_role.app.arn} -> aws_iam_role.app unknown=ARN,RoleRef",
		"workload glue-dev-endpoint aws_glue_dev_endpoint.dev name=dev arn=arn:aws:glue:eu-west-1:123456789012:devEndpoint/dev account=123456789012 role=${var.dev_role_arn} -> - unknown=RoleRef",
		"workload glue-job aws_glue_job.etl[\"hourly\"] name=etl-hourly arn=arn:aws:glue:us-east-1:123456789012:job/etl-hourly account=123456789012 role=arn:aws:iam::123456789012:role/glue -> aws_iam_role.glue",
		"workload glue-job aws_glue_job.etl[\"nightly\"] name=etl-nightly arn=arn:aws:glue:us-east-1:123456789012:job/etl-nightly account=123456789012 role=arn:aws:iam::123456789012:role/glue -> aws_iam_role.glue",
		"workload ec2-instance aws_instance.web name=${aws_instance.web.id} arn=arn:aws:ec2:eu-west-1:123456789012:instance/${aws_instance.web.id} account=123456789012 profile=app -> aws_iam_instance_profile.app unknown=ARN,Name",
		"workload lambda-function aws_lambda_function.api name=api arn=arn:aws:lambda:eu-west-1:123456789012:function:api account=123456789012 role=${aws_iam_role.app.arn} -> aws_iam_role.app unknown=RoleRef",
		"workload lambda-function aws_lambda_function.worker[0] name=worker-0 arn=arn:aws:lambda:eu-west-1:123456789012:function:worker-0 account=123456789012 role=${aws_iam_role.worker} -> aws_iam_role.worker[0] unknown=RoleRef",
		"workload lambda-function aws_lambda_function.worker[1] name=worker-1 arn=arn:aws:lambda:eu-west-1:123456789012:function:worker-1 account=123456789012 role=${aws_iam_role.worker} -> aws_iam_role.worker[1] unknown=RoleRef",
		"workload launch-template aws_launch_template.web name=web arn=arn:aws:ec2:eu-west-1:123456789012:launch-template/${aws_launch_template.web.id} account=123456789012 profile=${aws_iam_instance_profile.app.arn} -> aws_iam_instance_profile.app unknown=ARN,ProfileRef",
		"workload sagemaker-notebook aws_sagemaker_notebook_instance.research name=research arn=arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/research account=123456789012 role=arn:aws:iam::444455556666:role/notebook -> -",
		"workload lambda-function module.ci.aws_lambda_function.deploy name=deploy arn=arn:aws:lambda:eu-west-1:123456789012:function:deploy account=123456789012 role=${module.ci.aws_iam_role.deploy.arn} -> module.ci.aws_iam_role.deploy unknown=RoleRef",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("workloads (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string(nil), modeltest.DiagLines(diags)); d != "" {
		t.Errorf("diagnostics (-want +got):\n%s", d)
	}
}
