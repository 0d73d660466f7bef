package cloudformation

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
	"github.com/iamlint/iamlint/internal/modeltest"
)

const fixtures = "../../testdata/cloudformation/"

func loadFixture(t testing.TB, name string) (*iam.Model, hcl.Diagnostics, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	m, diags := Load("template/"+name, data)
	return m, diags, data
}

// The YAML template (short-form tags) and the JSON one (long forms)
// declare the same stack and must give the same model.
func TestLoadAppTemplate(t *testing.T) {
	want := []string{
		"account #AWS::AccountId ${AWS::AccountId} unknown=ID",
		"user #Resources.Alice name=alice path=/ arn=arn:aws:iam::${AWS::AccountId}:user/alice account=${AWS::AccountId} unknown=ARN,Account",
		"  member #Resources.Alice.Properties.Groups[0] developers -> #Resources.Developers",
		"  login #Resources.Alice.Properties.LoginProfile reset=true",
		"  key #Resources.AliceKey ${AliceKey} active=true unknown=ID",
		"user #Resources.Bob name=${Bob} path=/ arn=arn:aws:iam::${AWS::AccountId}:user/${Bob} account=${AWS::AccountId} unknown=ARN,Account,Name",
		"  inline bob-inline #Resources.BobPolicy",
		"  inline bob-inline   Allow Action[ec2:Describe*] Resource[*]",
		"  member #Resources.AddBob.Properties.Users[0] developers -> #Resources.Developers unknown=UserName",
		`user #external user "ci-user" name=ci-user path=/ arn=arn:aws:iam::${AWS::AccountId}:user/ci-user account=${AWS::AccountId} external unknown=ARN,Account,Path`,
		"  inline deploy #Resources.DeployPolicy",
		"  inline deploy   Allow Action[cloudformation:* iam:PassRole] Resource[*]",
		"group #Resources.Developers name=developers path=/ arn=arn:aws:iam::${AWS::AccountId}:group/developers unknown=ARN,Account",
		"  inline assume-app #Resources.AssumeApp",
		"  inline assume-app   Allow Action[sts:AssumeRole] Resource[arn:aws:iam::${AWS::AccountId}:role/app/app-prod?]",
		"  attached #Resources.SharedPolicy.Properties.Groups[0] arn:aws:iam::${AWS::AccountId}:policy/shared-logs -> #Resources.SharedPolicy unknown=PolicyRef",
		"  members alice,${Bob}",
		"role #Resources.AppRole name=app-prod path=/app/ arn=arn:aws:iam::${AWS::AccountId}:role/app/app-prod max=7200 unknown=ARN,Account",
		"  trust #Resources.AppRole.Properties.AssumeRolePolicyDocument",
		"  trust   Allow Action[sts:AssumeRole] Service[ec2.amazonaws.com] AWS[arn:aws:iam::${AWS::AccountId}:root?]",
		"  inline data-access #Resources.AppRole.Properties.Policies[0]",
		"  inline data-access   Allow ReadData Action[s3:GetObject s3:ListBucket] Resource[arn:aws:s3:::${DataBucket}/*? ${DataBucket.Arn}?]",
		"  inline data-access   Deny NoDelete Action[s3:DeleteObject] Resource[arn:aws:s3:::${BucketName}/*?]",
		"  inline deploy #Resources.DeployPolicy",
		"  inline deploy   Allow Action[cloudformation:* iam:PassRole] Resource[*]",
		"  attached #Resources.AppRole.Properties.ManagedPolicyArns[0] arn:aws:iam::aws:policy/ReadOnlyAccess -> -",
		"  attached #Resources.AppRole.Properties.ManagedPolicyArns[1] arn:aws:iam::${AWS::AccountId}:policy/shared-logs -> #Resources.SharedPolicy unknown=PolicyRef",
		"  boundary #Resources.AppRole.Properties.PermissionsBoundary arn:aws:iam::${AWS::AccountId}:policy/${BoundaryPolicy} -> #Resources.BoundaryPolicy unknown=PolicyRef",
		"  profiles #Resources.AppProfile",
		"  tags team=platform",
		"profile #Resources.AppProfile name=${AppProfile} arn=arn:aws:iam::${AWS::AccountId}:instance-profile/${AppProfile} refs=[app-prod] roles=1 unknown=ARN,Name",
		"policy #Resources.BoundaryPolicy name=${BoundaryPolicy} arn=arn:aws:iam::${AWS::AccountId}:policy/${BoundaryPolicy} attachments=0 unknown=ARN,Name",
		"  default #Resources.BoundaryPolicy.Properties.PolicyDocument",
		"  default   Allow NotAction[iam:*] Resource[*]",
		"policy #Resources.SharedPolicy name=shared-logs arn=arn:aws:iam::${AWS::AccountId}:policy/shared-logs attachments=1 unknown=ARN",
		"  default #Resources.SharedPolicy.Properties.PolicyDocument",
		"  default   Allow Action[logs:*] Resource[*]",
	}
	wantDiags := map[string][]string{
		"app.yaml": {
			"55:27: warning: Unresolved value: Parameter BucketName has no Default, so its value is only known at deployment; it is treated as unknown.",
		},
		"app.json": {
			"54:31: warning: Unresolved value: Parameter BucketName has no Default, so its value is only known at deployment; it is treated as unknown.",
		},
	}
	for _, name := range []string{"app.yaml", "app.json"} {
		t.Run(name, func(t *testing.T) {
			m, diags, _ := loadFixture(t, name)
			if d := cmp.Diff(want, modeltest.Summarize(m)); d != "" {
				t.Errorf("model (-want +got):\n%s", d)
			}
			if d := cmp.Diff(wantDiags[name], modeltest.DiagLines(diags)); d != "" {
				t.Errorf("diagnostics (-want +got):\n%s", d)
			}
			if m.Roles[0].Addr != "template/"+name+"#Resources.AppRole" {
				t.Errorf("role address = %q", m.Roles[0].Addr)
			}
		})
	}
}

// Pointers, not only text, link the objects of one template.
func TestLoadAppTemplateLinks(t *testing.T) {
	m, _, _ := loadFixture(t, "app.yaml")
	byAddr := map[string]any{}
	for _, u := range m.Users {
		byAddr[u.Addr] = u
	}
	role := m.Roles[0]
	if role.Attached[1].Policy != m.Policies[1] || role.Boundary.Policy != m.Policies[0] {
		t.Error("role attachments do not point at the template's managed policies")
	}
	if len(role.InstanceProfiles) != 1 || role.InstanceProfiles[0] != m.InstanceProfiles[0] || m.InstanceProfiles[0].Roles[0] != role {
		t.Error("instance profile and role are not linked both ways")
	}
	g := m.Groups[0]
	for _, ms := range g.Members {
		if ms.Group != g || ms.User == nil || byAddr[ms.User.Addr] != ms.User {
			t.Errorf("membership %s is not linked both ways", ms.Addr)
		}
	}
	if m.Users[0].AccessKeys[0].Addr != "template/app.yaml#Resources.AliceKey" {
		t.Errorf("access key = %+v", m.Users[0].AccessKeys[0])
	}
	// One document object is shared by the inline copies of an
	// AWS::IAM::Policy, the one on the external user's stub included.
	ci, _ := byAddr[`template/app.yaml#external user "ci-user"`].(*iam.User)
	if ci == nil || !ci.External || len(ci.Inline) != 1 || role.Inline[1].Doc != ci.Inline[0].Doc || len(m.Documents) != 0 {
		t.Error("AWS::IAM::Policy document is not shared with the external user's copy")
	}
}

// rangeText renders a range as "line:col-line:col text".
func rangeText(data []byte, r hcl.Range) string {
	return fmt.Sprintf("%d:%d-%d:%d %s", r.Start.Line, r.Start.Column, r.End.Line, r.End.Column, data[r.Start.Byte:r.End.Byte])
}

func TestTemplatePositions(t *testing.T) {
	type pick func(m *iam.Model) hcl.Range
	action := func(m *iam.Model) hcl.Range { return m.Roles[0].Inline[0].Doc.Statements[0].Action.Values[1].Range }
	subResource := func(m *iam.Model) hcl.Range { return m.Roles[0].Inline[0].Doc.Statements[0].Resource.Values[0].Range }
	getAtt := func(m *iam.Model) hcl.Range { return m.Roles[0].Inline[0].Doc.Statements[0].Resource.Values[1].Range }
	trustAWS := func(m *iam.Model) hcl.Range {
		return m.Roles[0].Trust.Doc.Statements[0].Principal.Entries[1].Values[0].Range
	}
	trustKey := func(m *iam.Model) hcl.Range { return m.Roles[0].Trust.Doc.Statements[0].Principal.Entries[1].TypeRange }
	ifEffect := func(m *iam.Model) hcl.Range { return m.Roles[0].Inline[0].Doc.Statements[1].EffectRange }
	roleNode := func(m *iam.Model) hcl.Range { return m.Roles[0].Range }
	inlineNode := func(m *iam.Model) hcl.Range { return m.Roles[0].Inline[0].Range }
	tests := []struct {
		name       string
		pick       pick
		yaml, json string
	}{
		{"action in inline policy", action,
			"48:21-48:34 s3:ListBucket",
			`44:46-44:61 "s3:ListBucket"`},
		{"Fn::Sub resource", subResource,
			"50:21-50:54 !Sub arn:aws:s3:::${DataBucket}/*",
			`46:21-46:64 {"Fn::Sub": "arn:aws:s3:::${DataBucket}/*"}`},
		{"Fn::GetAtt resource", getAtt,
			"51:21-51:43 !GetAtt DataBucket.Arn",
			`47:21-47:58 {"Fn::GetAtt": ["DataBucket", "Arn"]}`},
		{"trust principal", trustAWS,
			"33:20-33:74 !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root",
			`27:24-27:88 {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}`},
		{"trust principal type", trustKey, "33:15-33:18 AWS", `27:17-27:22 "AWS"`},
		{"Fn::If branch", ifEffect, "53:38-53:42 Deny", `52:51-52:57 "Deny"`},
		{"inline policy node", inlineNode,
			"40:11-55:62 PolicyName: data-access\n          PolicyDocument:",
			"36:11-58:12 {\n            \"PolicyName\": \"data-access\","},
	}
	for _, format := range []string{"yaml", "json"} {
		m, _, data := loadFixture(t, "app."+format)
		for _, tt := range tests {
			want := tt.yaml
			if format == "json" {
				want = tt.json
			}
			got := rangeText(data, tt.pick(m))
			if !strings.HasPrefix(got, want) {
				t.Errorf("%s %s = %q, want %q", format, tt.name, got, want)
			}
		}
		r := roleNode(m)
		first, _, _ := strings.Cut(string(data[r.Start.Byte:r.End.Byte]), "\n")
		if first != "AppRole:" && first != `"AppRole": {` {
			t.Errorf("%s role node starts %q", format, first)
		}
		if r.End.Line != map[string]int{"yaml": 58, "json": 62}[format] {
			t.Errorf("%s role node ends at line %d", format, r.End.Line)
		}
	}
}

// policyValues loads a template holding one role with one inline policy
// and returns the policy's resources, as summarize writes them, with the
// diagnostics.
func policyValues(t *testing.T, params, resource string) (string, []string) {
	t.Helper()
	src := "Parameters:\n" + params + `
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Other:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: "sts:AssumeRole"}]}
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: "sts:AssumeRole"}]}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: ` + resource + "\n"
	m, diags := Load("t.yaml", []byte(src))
	var role *iam.Role
	for _, r := range m.Roles {
		if strings.HasSuffix(r.Addr, ".R") {
			role = r
		}
	}
	if role == nil || len(role.Inline) != 1 || role.Inline[0].Doc == nil || len(role.Inline[0].Doc.Statements) == 0 {
		return "(no document)", modeltest.DiagLines(diags)
	}
	var vals []string
	for _, v := range role.Inline[0].Doc.Statements[0].Resource.Values {
		s := v.Text
		if v.Unknown {
			s += "?"
		}
		vals = append(vals, s)
	}
	return strings.Join(vals, " "), modeltest.DiagLines(diags)
}

func TestIntrinsics(t *testing.T) {
	const params = `  Env: {Type: String, Default: dev}
  Open: {Type: String}
  Names: {Type: CommaDelimitedList, Default: "a,b"}
  Ssm: {Type: "AWS::SSM::Parameter::Value<String>", Default: /app/bucket}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsOpen: !Equals [!Ref Open, x]
  NotProd: !Not [!Condition IsProd]
Mappings:
  Buckets:
    dev: {name: dev-data}`
	tests := []struct {
		name, resource, want string
		diags                []string
	}{
		{name: "Join", resource: `!Join ["", ["arn:aws:s3:::", !Ref Env, "/*"]]`, want: "arn:aws:s3:::dev/*"},
		{name: "Join with unknown", resource: `!Join [":", [a, !Ref "AWS::Region"]]`, want: "a:${AWS::Region}?"},
		{name: "Select and Split", resource: `!Select [1, !Split [",", "x,y,z"]]`, want: "y"},
		{name: "list parameter", resource: `!Ref Names`, want: "a b"},
		{name: "Split as a list", resource: `!Split ["|", "arn:aws:s3:::a|arn:aws:s3:::b"]`, want: "arn:aws:s3:::a arn:aws:s3:::b"},
		{name: "FindInMap", resource: `!Sub ["arn:aws:s3:::${N}/*", {N: !FindInMap [Buckets, !Ref Env, name]}]`, want: "arn:aws:s3:::dev-data/*"},
		{name: "If decided by defaults", resource: `!If [IsProd, "arn:aws:s3:::prod/*", "arn:aws:s3:::dev/*"]`, want: "arn:aws:s3:::dev/*"},
		{name: "Not and Condition", resource: `!If [NotProd, yes, no]`, want: "yes"},
		{name: "If undecidable", resource: `!If [IsOpen, "arn:aws:s3:::a", "arn:aws:s3:::b"]`, want: "${Fn::If:IsOpen}?",
			diags: []string{
				"8:20: warning: Unresolved value: Parameter Open has no Default, so its value is only known at deployment; it is treated as unknown.",
				"31:27: warning: Unresolved value: Condition IsOpen cannot be decided before deployment, so this Fn::If is treated as unknown (neither branch is assumed).",
			}},
		{name: "If with equal branches", resource: `!If [IsOpen, "*", "*"]`, want: "*",
			diags: []string{"8:20: warning: Unresolved value: Parameter Open has no Default, so its value is only known at deployment; it is treated as unknown."}},
		{name: "NoValue removes an element", resource: `["arn:aws:s3:::a", !If [IsProd, "arn:aws:s3:::b", !Ref AWS::NoValue]]`, want: "arn:aws:s3:::a"},
		{name: "Sub literal and partition", resource: `!Sub "arn:${AWS::Partition}:s3:::${!literal}"`, want: "arn:aws:s3:::${literal}"},
		{name: "Sub of a bucket", resource: `!Sub "arn:aws:s3:::${Bucket}/*"`, want: "arn:aws:s3:::${Bucket}/*?"},
		{name: "GetAtt of a role", resource: `!GetAtt Other.Arn`, want: "arn:aws:iam::${AWS::AccountId}:role/${Other}?"},
		{name: "GetAtt list form", resource: `{"Fn::GetAtt": [Other, RoleId]}`, want: "${Other.RoleId}?"},
		{name: "ImportValue", resource: `!ImportValue shared-bucket-arn`, want: "${Fn::ImportValue:shared-bucket-arn}?",
			diags: []string{`31:27: warning: Unresolved value: Fn::ImportValue "shared-bucket-arn" reads another stack's export, which is only known at deployment; the value is treated as unknown.`}},
		{name: "SSM parameter", resource: `!Ref Ssm`, want: "${Ssm}?",
			diags: []string{"31:27: warning: Unresolved value: Parameter Ssm is read from SSM Parameter Store at deployment; the value is treated as unknown."}},
		{name: "Base64", resource: `!Base64 abc`, want: "YWJj"},
		{name: "Sub with a policy variable", resource: `!Sub "arn:aws:s3:::b/${aws:username}"`, want: "arn:aws:s3:::b/${aws:username}",
			diags: []string{"31:32: error: Undefined Fn::Sub variable: ${aws:username} is not a parameter, resource, resource attribute or pseudo parameter. To keep the IAM policy variable ${aws:username} in the text, write ${!aws:username}."}},
		{name: "Ref to an undefined name", resource: `!Ref bucket`, want: "${bucket}?",
			diags: []string{`31:32: error: Reference to an undefined name: "bucket" is neither a parameter nor a resource of this template (did you mean "Bucket"?).`}},
		{name: "GetAtt of an unknown attribute", resource: `!GetAtt Other.Name`, want: "${Other.Name}?",
			diags: []string{`31:35: error: Unknown attribute: Other has no attribute "Name"; AWS::IAM::Role has Arn, RoleId.`}},
		{name: "unknown function", resource: `{"Fn::Upper": abc}`, want: "${Fn::Upper}?",
			diags: []string{"31:28: error: Unknown intrinsic function: Fn::Upper is not a CloudFormation intrinsic function; the value is treated as unknown."}},
		{name: "condition function as a value", resource: `!Equals [a, b]`, want: "${Fn::Equals}?",
			diags: []string{"31:27: error: Condition function outside a condition: Fn::Equals can only be used in the Conditions section or as the condition of Fn::If; declare a condition and use Fn::If."}},
		{name: "Select out of range", resource: `!Select [5, [a]]`, want: "${Fn::Select}?",
			diags: []string{"31:36: error: Fn::Select index out of range: Index 5 is outside the list of 1 values."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, diags := policyValues(t, params, tt.resource)
			if got != tt.want {
				t.Errorf("Resource = %q, want %q", got, tt.want)
			}
			if d := cmp.Diff(tt.diags, diags); d != "" {
				t.Errorf("diagnostics (-want +got):\n%s", d)
			}
		})
	}
}

// An unknown where the policy needs a structure (a whole statement) is
// listed in the document's Unknown instead of producing decoder errors.
func TestUnknownStatement(t *testing.T) {
	src := `Parameters:
  Mode: {Type: String}
Conditions:
  Strict: !Equals [!Ref Mode, strict]
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: "*"
          - !If [Strict, {Effect: Deny, Action: "s3:*", Resource: "*"}, !Ref AWS::NoValue]
`
	m, diags := Load("t.yaml", []byte(src))
	want := []string{
		"account #AWS::AccountId ${AWS::AccountId} unknown=ID",
		"policy #Resources.P name=${P} arn=arn:aws:iam::${AWS::AccountId}:policy/${P} attachments=0 unknown=ARN,Name",
		"  default #Resources.P.Properties.PolicyDocument unknown=Doc",
		"  default   Allow Action[s3:GetObject] Resource[*]",
	}
	if d := cmp.Diff(want, modeltest.Summarize(m)); d != "" {
		t.Errorf("model (-want +got):\n%s", d)
	}
	wantDiags := []string{
		"4:20: warning: Unresolved value: Parameter Mode has no Default, so its value is only known at deployment; it is treated as unknown.",
		"15:13: warning: Unresolved value: Condition Strict cannot be decided before deployment, so this Fn::If is treated as unknown (neither branch is assumed).",
	}
	if d := cmp.Diff(wantDiags, modeltest.DiagLines(diags)); d != "" {
		t.Errorf("diagnostics (-want +got):\n%s", d)
	}
}

func TestTemplateDiagnostics(t *testing.T) {
	const trust = `{Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: "sts:AssumeRole"}]}`
	tests := []struct {
		name, file, src string
		want            []string
	}{
		{"YAML syntax error", "t.yaml", "Resources:\n  R:\n    Type: a: b\n",
			[]string{"3:12: error: YAML syntax error: Mapping values are not allowed in this context."}},
		{"YAML indentation", "t.yaml", "Resources:\n  R:\n    Type: x\n   Properties: {}\n",
			[]string{"4:4: error: YAML syntax error: Did not find expected key."}},
		{"malformed JSON", "t.json", "{\"Resources\": {\"R\": {\"Type\": \"AWS::IAM::User\",}}}",
			[]string{`1:46: error: Trailing comma: A trailing comma is not allowed in JSON; remove the ',' before '}'.`}},
		{"Policies not a list", "t.yaml", "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: " + trust + "\n      Policies: {PolicyName: p}\n",
			[]string{"6:17: error: Invalid Policies: Policies must be a list; found an object."}},
		{"unknown tag", "t.yaml", "Resources:\n  R:\n    Type: AWS::IAM::User\n    Properties:\n      UserName: !Upper bob\n",
			[]string{"5:17: error: Unknown YAML tag: !Upper is not a CloudFormation intrinsic function; the short forms are !Ref, !Sub, !GetAtt, !Join, !Select, !Split, !If, !Equals, !And, !Or, !Not, !FindInMap, !ImportValue, !Base64, !GetAZs, !Cidr, !Condition, !Transform."}},
		{"Ref to a missing resource", "t.yaml", "Resources:\n  R:\n    Type: AWS::IAM::User\n    Properties:\n      Groups: [!Ref Team]\n",
			[]string{`5:21: error: Reference to an undefined name: "Team" is neither a parameter nor a resource of this template.`}},
		{"GetAtt cycle", "t.yaml", `Resources:
  A:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "${B}-a"
      AssumeRolePolicyDocument: ` + trust + `
  B:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: ` + trust + `
      Policies:
        - PolicyName: p
          PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "sts:AssumeRole", Resource: !GetAtt C.Arn}]}
  C:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Join ["-", [!Ref A, c]]
      AssumeRolePolicyDocument: ` + trust + `
`, []string{"2:3: error: Circular dependency between resources: CloudFormation rejects the template: A → B → C → A."}},
		{"self reference", "t.yaml", "Resources:\n  A:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !Ref A\n      AssumeRolePolicyDocument: " + trust + "\n",
			[]string{"2:3: error: Circular dependency between resources: CloudFormation rejects the template: A → A."}},
		{"alias", "t.yaml", "Resources:\n  R: &r\n    Type: AWS::IAM::User\n  S: *r\n",
			[]string{
				"4:6: error: Unsupported YAML alias: CloudFormation does not support YAML aliases (*r); write the value out.",
				"4:6: error: Invalid resource: Resource S must be a mapping with a Type; found null.",
			}},
		{"duplicate logical ID", "t.json", `{"Resources": {"R": {"Type": "AWS::IAM::User"}, "R": {"Type": "AWS::IAM::Group"}}}`,
			[]string{"1:49: error: Duplicate logical ID: Resource R is declared twice (first at line 1); CloudFormation's behaviour is undefined. Only the first is read."}},
		{"missing trust policy", "t.yaml", "Resources:\n  R:\n    Type: AWS::IAM::Role\n",
			[]string{"2:3: error: Missing AssumeRolePolicyDocument: Role R has no AssumeRolePolicyDocument; CloudFormation requires the trust policy."}},
		{"policy error at its element", "t.yaml", "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: allow\n            Principal: {Service: ec2.amazonaws.com}\n            Action: sts:AssumeRole\n",
			[]string{`8:21: error: Invalid Effect: Effect is case-sensitive: write "Allow".`}},
		{"not a mapping", "t.yaml", "- a\n- b\n",
			[]string{"1:1: error: Invalid template: A template is a mapping of sections (Parameters, Resources, ...); found a list."}},
		{"resource condition false", "t.yaml", "Conditions:\n  Never: !Equals [a, b]\nResources:\n  R:\n    Type: AWS::IAM::User\n    Condition: Never\n",
			[]string{"4:3: warning: Resource not created: Condition Never is false with the parameters' default values, so R is left out of the model."}},
		{"transform", "t.yaml", "Transform: AWS::Serverless-2016-10-31\nResources: {}\n",
			[]string{"1:1: warning: Template transform not expanded: iamlint reads the template as written; resources that a transform (such as AWS::Serverless) would create are not in the model."}},
		{"tab", "t.yaml", "Resources:\n\tR: 1\n",
			[]string{"2:1: error: YAML syntax error: Found character that cannot start any token."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Load(tt.file, []byte(tt.src))
			if d := cmp.Diff(tt.want, modeltest.DiagLines(diags)); d != "" {
				t.Errorf("diagnostics (-want +got):\n%s", d)
			}
			for _, d := range diags {
				if d.Subject == nil || d.Subject.Filename != tt.file {
					t.Errorf("diagnostic %q has no subject in %s", d.Summary, tt.file)
				}
			}
		})
	}
}

// Policies written as JSON strings keep positions: in a YAML literal
// block, and inside an escaped JSON string of a JSON template.
func TestStringPolicies(t *testing.T) {
	yamlSrc := `Resources:
  SCP:
    Type: AWS::Organizations::Policy
    Properties:
      Name: deny-leave
      Type: SERVICE_CONTROL_POLICY
      TargetIds: [ou-abcd-12345678]
      Content: |
        {
          "Version": "2012-10-17",
          "Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}]
        }
`
	m, diags := Load("scp.yaml", []byte(yamlSrc))
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", modeltest.DiagLines(diags))
	}
	want := []string{
		"org scp deny-leave ${SCP} targets=[ou-abcd-12345678] #Resources.SCP unknown=ID",
		"org scp deny-leave ${SCP} targets=[ou-abcd-12345678]   Deny Action[organizations:LeaveOrganization] Resource[*]",
	}
	if d := cmp.Diff(want, modeltest.Summarize(m)); d != "" {
		t.Errorf("model (-want +got):\n%s", d)
	}
	got := rangeText([]byte(yamlSrc), m.OrgPolicies[0].Doc.Statements[0].Action.Values[0].Range)
	if want := `11:54-11:87 "organizations:LeaveOrganization"`; got != want {
		t.Errorf("action = %q, want %q", got, want)
	}

	jsonSrc := `{"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
  "PolicyDocument": "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}"}}}}`
	m, diags = Load("p.json", []byte(jsonSrc))
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", modeltest.DiagLines(diags))
	}
	got = rangeText([]byte(jsonSrc), m.Policies[0].Default.Doc.Statements[0].Action.Values[0].Range)
	if want := `2:103-2:111 \"s3:*\"`; got != want {
		t.Errorf("action = %q, want %q", got, want)
	}
}

func TestIsTemplate(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want bool
	}{
		{"AWSTemplateFormatVersion: 2010-09-09\n", true},
		{"Resources:\n  R:\n    Type: AWS::IAM::Role\n", true},
		{"apiVersion: v1\nkind: ConfigMap\n", false},
		{`{"Version": "2012-10-17", "Statement": []}`, false},
	} {
		if got := IsTemplate([]byte(tt.src)); got != tt.want {
			t.Errorf("IsTemplate(%q) = %v", tt.src, got)
		}
	}
	for _, tt := range []struct {
		src  string
		want bool
	}{
		{`{"AWSTemplateFormatVersion": "2010-09-09"}`, true},
		{`{"Resources": {"R": {"Type": "AWS::IAM::User"}}}`, true},
		{`{"Resources": {"R": {"Type": "Custom"}}}`, false},
		{`{"Version": "2012-10-17", "Statement": []}`, false},
		{`[1]`, false},
	} {
		v, diags := jsonpos.Parse([]byte(tt.src), jsonpos.Options{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		if got := IsTemplateJSON(v); got != tt.want {
			t.Errorf("IsTemplateJSON(%s) = %v", tt.src, got)
		}
	}
}

// checkRanges fails when a range lies outside the input.
func checkRanges(t *testing.T, data []byte, m *iam.Model, diags hcl.Diagnostics) {
	t.Helper()
	check := func(what string, r hcl.Range) {
		if r.Start.Byte < 0 || r.End.Byte > len(data) || r.Start.Byte > r.End.Byte {
			t.Fatalf("%s range %v out of bounds (len %d)", what, r, len(data))
		}
	}
	for _, d := range diags {
		if d.Subject == nil {
			t.Fatalf("diagnostic %q without a subject", d.Summary)
		}
		check("diagnostic", *d.Subject)
	}
	docs := func(pd *iam.PolicyDocument) {
		if pd == nil || pd.Doc == nil {
			return
		}
		for _, s := range pd.Doc.Statements {
			for _, v := range append(append(s.Action.Values, s.NotAction.Values...), append(s.Resource.Values, s.NotResource.Values...)...) {
				check("value", v.Range)
			}
		}
	}
	for _, r := range m.Roles {
		check("role", r.Range)
		docs(r.Trust)
		for _, p := range r.Inline {
			docs(&p.PolicyDocument)
		}
	}
	for _, p := range m.Policies {
		check("policy", p.Range)
		docs(p.Default)
	}
}

func FuzzCloudFormation(f *testing.F) {
	for _, name := range []string{"app.yaml", "app.json"} {
		data, err := os.ReadFile(filepath.Join(fixtures, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !Sub '${R}'\n",
		"Resources:\n  A: {Type: AWS::IAM::User, Properties: {UserName: !Ref B}}\n  B: {Type: AWS::IAM::User, Properties: {UserName: !Ref A}}\n",
		"Resources:\n  R: &a {Type: AWS::IAM::Group}\n  S: *a\n<<: {}\n",
		"Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: |\n        {\"Statement\": []}\n",
		`{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyDocument": {"Fn::If": ["C", {}, {}]}}]}}}}`,
		"Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nResources:\n  R: {Type: AWS::IAM::User, Condition: A}\n",
		"Resources:\n  R:\n    Type: AWS::IAM::User\n    Properties:\n      Groups: !Split [',', !Select [0, !GetAZs '']]\n",
		"\xEF\xBB\xBFResources: {R: {Type: AWS::IAM::User, Properties: {Path: \"/é/\"}}}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, diags := Load("fuzz.yaml", data)
		checkRanges(t, data, m, diags)
	})
}

// genTemplate writes a template of n resources: roles with inline
// policies, managed policies attached to them, users and groups.
func genTemplate(n int, json bool) []byte {
	var b strings.Builder
	if json {
		b.WriteString(`{"AWSTemplateFormatVersion": "2010-09-09", "Parameters": {"Env": {"Type": "String", "Default": "prod"}}, "Resources": {`)
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			switch i % 4 {
			case 0:
				fmt.Fprintf(&b, `
"Role%d": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": {"Fn::Sub": "role-%d-${Env}"},
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
  "ManagedPolicyArns": [{"Ref": "Policy%d"}, "arn:aws:iam::aws:policy/ReadOnlyAccess"],
  "Policies": [{"PolicyName": "inline", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": {"Fn::Sub": "arn:aws:s3:::bucket-%d-${Env}/*"}}]}}]}}`, i, i, i+1, i)
			case 1:
				fmt.Fprintf(&b, `
"Policy%d": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": {"Fn::Sub": "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/t%d"}}]}}}`, i, i)
			case 2:
				fmt.Fprintf(&b, `
"Group%d": {"Type": "AWS::IAM::Group", "Properties": {"GroupName": "group-%d"}}`, i, i)
			case 3:
				fmt.Fprintf(&b, `
"User%d": {"Type": "AWS::IAM::User", "Properties": {"UserName": "user-%d", "Groups": [{"Ref": "Group%d"}]}}`, i, i, i-1)
			}
		}
		b.WriteString("}}\n")
		return []byte(b.String())
	}
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  Env: {Type: String, Default: prod}\nResources:\n")
	for i := range n {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, `  Role%d:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub role-%d-${Env}
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Ref Policy%d
        - arn:aws:iam::aws:policy/ReadOnlyAccess
      Policies:
        - PolicyName: inline
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [s3:GetObject, s3:PutObject]
                Resource: !Sub arn:aws:s3:::bucket-%d-${Env}/*
`, i, i, i+1, i)
		case 1:
			fmt.Fprintf(&b, `  Policy%d:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: dynamodb:*
            Resource: !Sub arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/t%d
`, i, i)
		case 2:
			fmt.Fprintf(&b, "  Group%d:\n    Type: AWS::IAM::Group\n    Properties:\n      GroupName: group-%d\n", i, i)
		case 3:
			fmt.Fprintf(&b, "  User%d:\n    Type: AWS::IAM::User\n    Properties:\n      UserName: user-%d\n      Groups:\n        - !Ref Group%d\n", i, i, i-1)
		}
	}
	return []byte(b.String())
}

func TestGeneratedTemplate(t *testing.T) {
	for _, json := range []bool{false, true} {
		m, diags := Load("gen", genTemplate(200, json))
		if len(diags) > 0 {
			t.Fatalf("json=%v: %v", json, modeltest.DiagLines(diags)[0])
		}
		if len(m.Roles) != 50 || len(m.Policies) != 50 || len(m.Groups) != 50 || len(m.Users) != 50 {
			t.Fatalf("json=%v: %d roles, %d policies, %d groups, %d users", json, len(m.Roles), len(m.Policies), len(m.Groups), len(m.Users))
		}
		for _, r := range m.Roles {
			if r.Attached[0].Policy == nil {
				t.Fatalf("%s: attachment not linked", r.Addr)
			}
		}
	}
}

func BenchmarkLoadTemplate(b *testing.B) {
	for _, format := range []string{"yaml", "json"} {
		data := genTemplate(200, format == "json")
		b.Run(fmt.Sprintf("%s-200-resources", format), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				Load("bench."+format, data)
			}
		})
	}
}

// Inputs that once could loop: a mapping naming itself, conditions
// naming each other, a name referring to its own resource.
func TestNoRunawayRecursion(t *testing.T) {
	src := `Mappings:
  M: {a: {b: !FindInMap [M, a, b]}}
Conditions:
  A: !Condition B
  B: !Not [!Condition A]
Resources:
  R:
    Type: AWS::IAM::User
    Condition: A
    Properties:
      UserName: !FindInMap [M, a, b]
      Path: !Sub "/${R}/"
`
	_, diags := Load("t.yaml", []byte(src))
	want := []string{
		"4:3: error: Circular condition: Condition A refers to itself through other conditions.",
		"7:3: error: Circular dependency between resources: CloudFormation rejects the template: R → R.",
		"11:17: error: Invalid UserName: UserName must be a string.",
	}
	if d := cmp.Diff(want, modeltest.DiagLines(diags)); d != "" {
		t.Errorf("diagnostics (-want +got):\n%s", d)
	}
}

// Principals the template names without declaring get external stubs
// holding what the template attaches to them.
func TestExternalPrincipals(t *testing.T) {
	m, diags, data := loadFixture(t, "external.yaml")
	want := []string{
		"account #AWS::AccountId ${AWS::AccountId} unknown=ID",
		`user #external user "bob" name=bob path=/ arn=arn:aws:iam::${AWS::AccountId}:user/bob account=${AWS::AccountId} external unknown=ARN,Account,Path`,
		"  member #Resources.AddBob.Properties.Users[0] devs -> #Resources.Devs",
		`  member #Resources.AddBobLegacy.Properties.Users[0] legacy-admins -> #external group "legacy-admins"`,
		"  key #Resources.BobKey ${BobKey} active=true unknown=ID",
	}
	got := modeltest.Summarize(m)
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, strings.Join(got, "\n"))
		}
	}
	roles := map[string]*iam.Role{}
	for _, r := range m.Roles {
		roles[strings.TrimPrefix(r.Addr, "template/external.yaml")] = r
	}
	ro := roles[`#external role "existing-role"`]
	if ro == nil || !ro.External || ro.Name != "existing-role" || !ro.IsUnknown("Path") {
		t.Fatalf("external role: %+v", ro)
	}
	if got := rangeText(data, ro.Range); got != "15:15-15:28 existing-role" {
		t.Errorf("stub range = %s, want the first reference", got)
	}
	if len(ro.Inline) != 1 || ro.Inline[0].Name != "extra" || ro.Inline[0].Doc == nil {
		t.Errorf("inline policies: %+v", ro.Inline)
	}
	if len(ro.Attached) != 1 || ro.Attached[0].Policy == nil || ro.Attached[0].Policy.Name != "shared" {
		t.Fatalf("attachments: %+v", ro.Attached)
	}
	if got := rangeText(data, ro.Attached[0].Range); got != "27:11-27:24 existing-role" {
		t.Errorf("attachment range = %s", got)
	}
	cross := roles[`#external role "arn:aws:iam::210987654321:role/ops/deployer"`]
	if cross == nil || cross.Name != "deployer" || cross.Path != "/ops/" || cross.Account != "210987654321" || len(cross.Attached) != 1 {
		t.Errorf("cross-account role: %+v", cross)
	}
	var groups []string
	for _, g := range m.Groups {
		groups = append(groups, fmt.Sprintf("%s external=%t members=%d", strings.TrimPrefix(g.Addr, "template/external.yaml"), g.External, len(g.Members)))
	}
	if d := cmp.Diff([]string{"#Resources.Devs external=false members=1", `#external group "legacy-admins" external=true members=1`}, groups); d != "" {
		t.Errorf("groups (-want +got):\n%s", d)
	}
	// Only the name known at deployment is still reported.
	if d := cmp.Diff([]string{
		"29:11: warning: Unresolved value: Parameter OtherRole has no Default, so its value is only known at deployment; it is treated as unknown.",
		`29:11: warning: Link outside the template: Managed policy Shared is attached to role "${OtherRole}", which cannot be resolved statically; the model has no place for an attachment to a principal it does not hold, so this attachment is not analysed.`,
	}, modeltest.DiagLines(diags)); d != "" {
		t.Errorf("diagnostics (-want +got):\n%s", d)
	}
}

// Workloads of every type, linked to the template's role and instance
// profile by Ref, Fn::GetAtt, name or ARN, or to an external role stub;
// roles in another account or only known at deployment stay references.
// Only the properties naming a workload's role and profile are evaluated.
func TestWorkloads(t *testing.T) {
	m, diags, _ := loadFixture(t, "workloads.yaml")
	var got []string
	for _, l := range modeltest.Summarize(m) {
		if strings.HasPrefix(l, "workload ") || strings.HasPrefix(l, "account ") {
			got = append(got, l)
		}
	}
	want := []string{
		"account #AWS::AccountId ${AWS::AccountId} unknown=ID",
		"workload lambda-function #Resources.Api name=api-prod arn=arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:api-prod account=${AWS::AccountId} role=arn:aws:iam::${AWS::AccountId}:role/svc/app -> #Resources.AppRole unknown=ARN,Account,RoleRef",
		"workload codebuild-project #Resources.Build name=build arn=arn:aws:codebuild:${AWS::Region}:${AWS::AccountId}:project/build account=${AWS::AccountId} role=legacy-builder -> #external role \"legacy-builder\" unknown=ARN,Account",
		"workload glue-dev-endpoint #Resources.Dev name=dev arn=arn:aws:glue:${AWS::Region}:${AWS::AccountId}:devEndpoint/dev account=${AWS::AccountId} role=arn:aws:iam::${AWS::AccountId}:role/svc/app -> #Resources.AppRole unknown=ARN,Account,RoleRef",
		"workload glue-job #Resources.Etl name=etl arn=arn:aws:glue:${AWS::Region}:${AWS::AccountId}:job/etl account=${AWS::AccountId} role=app -> #Resources.AppRole unknown=ARN,Account",
		"workload lambda-function #Resources.Generated name=${Generated} arn=arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${Generated} account=${AWS::AccountId} role=arn:aws:iam::${AWS::AccountId}:role/svc/app -> #Resources.AppRole unknown=ARN,Account,Name,RoleRef",
		"workload cloudformation-stack #Resources.Network name=${Network} arn=arn:aws:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/${Network}/${Network.UniqueId} account=${AWS::AccountId} unknown=ARN,Account,Name",
		"workload datapipeline #Resources.Nightly name=nightly arn=arn:aws:datapipeline:${AWS::Region}:${AWS::AccountId}:pipeline/${Nightly} account=${AWS::AccountId} unknown=ARN,Account",
		"workload launch-template #Resources.OtherTemplate name=${OtherTemplate} arn=arn:aws:ec2:${AWS::Region}:${AWS::AccountId}:launch-template/${OtherTemplate} account=${AWS::AccountId} profile=shared-profile -> - unknown=ARN,Account,Name",
		"workload sagemaker-notebook #Resources.Research name=research arn=arn:aws:sagemaker:${AWS::Region}:${AWS::AccountId}:notebook-instance/research account=${AWS::AccountId} role=${NotebookRole} -> - unknown=ARN,Account,RoleRef",
		"workload apprunner-service #Resources.Site name=site arn=arn:aws:apprunner:${AWS::Region}:${AWS::AccountId}:service/site/${Site.ServiceId} account=${AWS::AccountId} role=arn:aws:iam::${AWS::AccountId}:role/svc/app -> #Resources.AppRole unknown=ARN,Account,RoleRef",
		"workload ecs-task-definition #Resources.Svc name=svc arn=arn:aws:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/svc:${Svc.Revision} account=${AWS::AccountId} role=arn:aws:iam::444455556666:role/task -> - unknown=ARN,Account",
		"workload ec2-instance #Resources.Web name=${Web} arn=arn:aws:ec2:${AWS::Region}:${AWS::AccountId}:instance/${Web} account=${AWS::AccountId} profile=app -> #Resources.AppProfile unknown=ARN,Account,Name",
		"workload launch-template #Resources.WebTemplate name=web arn=arn:aws:ec2:${AWS::Region}:${AWS::AccountId}:launch-template/${WebTemplate} account=${AWS::AccountId} profile=arn:aws:iam::${AWS::AccountId}:instance-profile/app -> #Resources.AppProfile unknown=ARN,Account,ProfileRef",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("workloads (-want +got):\n%s", d)
	}
	// The notebook's role parameter is reported; the Secret the function's
	// environment reads is not; the condition leaves DevOnly out.
	if d := cmp.Diff([]string{
		"93:16: warning: Unresolved value: Parameter NotebookRole has no Default, so its value is only known at deployment; it is treated as unknown.",
		"120:3: warning: Resource not created: Condition IsDev is false with the parameters' default values, so DevOnly is left out of the model.",
	}, modeltest.DiagLines(diags)); d != "" {
		t.Errorf("diagnostics (-want +got):\n%s", d)
	}
}
