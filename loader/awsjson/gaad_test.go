package awsjson

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
)

// summary renders the model as lines that name every object with its
// address, range and links, so one cmp.Diff shows what changed.
func summary(m *iam.Model) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	doc := func(pd *iam.PolicyDocument) string {
		if pd == nil {
			return "none"
		}
		if pd.Doc == nil {
			return "unreadable " + pd.Addr
		}
		return fmt.Sprintf("%s %s %s stmts=%d", pd.Doc.Kind, pd.Addr, fmtRange(pd.Doc.Range), len(pd.Doc.Statements))
	}
	att := func(a *iam.Attachment) string {
		return fmt.Sprintf("%s %s → %s resolved=%v", a.Addr, fmtRange(a.Range), a.PolicyRef, a.Policy != nil)
	}
	tags := func(t map[string]string) string {
		var kv []string
		for k, v := range t {
			kv = append(kv, k+"="+v)
		}
		sort.Strings(kv)
		return strings.Join(kv, ",")
	}
	identity := func(id *iam.Identity) {
		add("  name=%s path=%s arn=%s account=%s tags=%s", id.Name, id.Path, id.ARN, id.Account, tags(id.Tags))
		for _, ip := range id.Inline {
			add("  inline %s %s %s: %s", ip.Name, ip.Addr, fmtRange(ip.Range), doc(&ip.PolicyDocument))
		}
		for _, a := range id.Attached {
			add("  attached %s", att(a))
		}
		if id.Boundary != nil {
			add("  boundary %s", att(id.Boundary))
		}
	}
	for _, a := range m.Accounts {
		add("account %s %s id=%s", a.Addr, fmtRange(a.Range), a.ID)
	}
	for _, u := range m.Users {
		add("user %s %s", u.Addr, fmtRange(u.Range))
		identity(&u.Identity)
		for _, g := range u.Groups {
			add("  member %s %s of %s resolved=%v", g.Addr, fmtRange(g.Range), g.GroupName, g.Group != nil)
		}
	}
	for _, g := range m.Groups {
		add("group %s %s name=%s path=%s arn=%s account=%s", g.Addr, fmtRange(g.Range), g.Name, g.Path, g.ARN, g.Account)
		for _, ip := range g.Inline {
			add("  inline %s %s %s: %s", ip.Name, ip.Addr, fmtRange(ip.Range), doc(&ip.PolicyDocument))
		}
		for _, a := range g.Attached {
			add("  attached %s", att(a))
		}
		for _, mb := range g.Members {
			add("  members %s", mb.UserName)
		}
	}
	for _, r := range m.Roles {
		add("role %s %s max=%d lastUsed=%s", r.Addr, fmtRange(r.Range), r.MaxSessionDuration, r.LastUsed)
		identity(&r.Identity)
		add("  trust %s", doc(r.Trust))
		for _, ip := range r.InstanceProfiles {
			add("  profile %s", ip.Name)
		}
	}
	for _, ip := range m.InstanceProfiles {
		var roles []string
		for _, r := range ip.Roles {
			roles = append(roles, r.Name)
		}
		add("profile %s %s name=%s arn=%s refs=%v roles=%v", ip.Addr, fmtRange(ip.Range), ip.Name, ip.ARN, ip.RoleRefs, roles)
	}
	for _, p := range m.Policies {
		add("policy %s %s name=%s arn=%s aws=%v default=%s attachments=%d", p.Addr, fmtRange(p.Range), p.Name, p.ARN, p.AWSManaged, p.DefaultVersion, p.AttachmentCount)
		for _, v := range p.Versions {
			add("  version %s default=%v isDefault=%v created=%s %s: %s", v.VersionID, p.Default == &v.PolicyDocument, v.IsDefault, v.Created, fmtRange(v.Range), doc(&v.PolicyDocument))
		}
	}
	return out
}

func TestAuthorizationDetails(t *testing.T) {
	data, m, diags := loadFile(t, "gaad.json", iam.KindUnknown)
	if got := allDiags(m, diags); len(got) > 0 {
		t.Errorf("unexpected diagnostics:\n%s", strings.Join(got, "\n"))
	}
	want := []string{
		"account account:111122223333 7:20-7:58 id=111122223333",
		"user gaad.json#UserDetailList[0] 3:9-26:10",
		"  name=alice path=/ arn=arn:aws:iam::111122223333:user/alice account=111122223333 tags=team=data",
		"  inline reports gaad.json#UserDetailList[0].UserPolicyList[0] 10:17-13:18: identity gaad.json#UserDetailList[0].UserPolicyList[0] 12:40-12:547 stmts=2",
		"  member gaad.json#UserDetailList[0].GroupList[0] 16:17-16:29 of developers resolved=true",
		"  member gaad.json#UserDetailList[0].GroupList[1] 17:17-17:27 of auditors resolved=true",
		"user gaad.json#UserDetailList[1] 27:9-47:10",
		"  name=bob path=/contractors/ arn=arn:aws:iam::111122223333:user/contractors/bob account=111122223333 tags=",
		"  attached gaad.json#UserDetailList[1].AttachedManagedPolicies[0] 37:17-40:18 → arn:aws:iam::111122223333:policy/deploy resolved=true",
		"  boundary gaad.json#UserDetailList[1].PermissionsBoundary 42:36-45:14 → arn:aws:iam::111122223333:policy/boundary resolved=true",
		"  member gaad.json#UserDetailList[1].GroupList[0] 34:17-34:29 of developers resolved=true",
		"group gaad.json#GroupDetailList[0] 50:9-77:10 name=developers path=/ arn=arn:aws:iam::111122223333:group/developers account=111122223333",
		"  inline logs gaad.json#GroupDetailList[0].GroupPolicyList[0] 57:17-69:18: identity gaad.json#GroupDetailList[0].GroupPolicyList[0] 59:39-68:22 stmts=1",
		"  attached gaad.json#GroupDetailList[0].AttachedManagedPolicies[0] 72:17-75:18 → arn:aws:iam::aws:policy/ReadOnlyAccess resolved=true",
		"  members alice",
		"  members bob",
		"group gaad.json#GroupDetailList[1] 78:9-91:10 name=auditors path=/ arn=arn:aws:iam::111122223333:group/auditors account=111122223333",
		"  attached gaad.json#GroupDetailList[1].AttachedManagedPolicies[0] 86:17-89:18 → arn:aws:iam::aws:policy/SecurityAudit resolved=false",
		"  members alice",
		"role gaad.json#RoleDetailList[0] 94:9-172:10 max=0 lastUsed=2024-06-30T17:45:12+00:00",
		"  name=app-server path=/service-role/ arn=arn:aws:iam::111122223333:role/service-role/app-server account=111122223333 tags=env=prod,team=platform",
		"  inline jobs gaad.json#RoleDetailList[0].RolePolicyList[0] 143:17-146:18: identity gaad.json#RoleDetailList[0].RolePolicyList[0] 145:40-145:501 stmts=1",
		"  attached gaad.json#RoleDetailList[0].AttachedManagedPolicies[0] 149:17-152:18 → arn:aws:iam::aws:policy/ReadOnlyAccess resolved=true",
		"  boundary gaad.json#RoleDetailList[0].PermissionsBoundary 154:36-157:14 → arn:aws:iam::111122223333:policy/boundary resolved=true",
		"  trust trust gaad.json#RoleDetailList[0].AssumeRolePolicyDocument 100:41-111:14 stmts=1",
		"  profile app-server",
		"role gaad.json#RoleDetailList[1] 173:9-190:10 max=0 lastUsed=",
		"  name=ci-deploy path=/ arn=arn:aws:iam::111122223333:role/ci-deploy account=111122223333 tags=",
		"  attached gaad.json#RoleDetailList[1].AttachedManagedPolicies[0] 183:17-186:18 → arn:aws:iam::111122223333:policy/deploy resolved=true",
		"  trust trust gaad.json#RoleDetailList[1].AssumeRolePolicyDocument 179:42-179:502 stmts=1",
		"profile gaad.json#RoleDetailList[0].InstanceProfileList[0] 113:17-140:18 name=app-server arn=arn:aws:iam::111122223333:instance-profile/app-server refs=[arn:aws:iam::111122223333:role/service-role/app-server] roles=[app-server]",
		"policy gaad.json#Policies[0] 193:9-233:10 name=deploy arn=arn:aws:iam::111122223333:policy/deploy aws=false default=v3 attachments=2",
		"  version v3 default=true isDefault=true created=2024-05-02T08:00:00+00:00 205:17-210:18: identity gaad.json#Policies[0].PolicyVersionList[0] 206:34-206:410 stmts=1",
		"  version v2 default=false isDefault=false created=2024-04-01T08:00:00+00:00 211:17-216:18: identity gaad.json#Policies[0].PolicyVersionList[1] 212:34-212:261 stmts=1",
		"  version v1 default=false isDefault=false created=2024-03-01T09:30:00+00:00 217:17-231:18: identity gaad.json#Policies[0].PolicyVersionList[2] 218:33-227:22 stmts=1",
		"policy gaad.json#Policies[1] 234:9-271:10 name=boundary arn=arn:aws:iam::111122223333:policy/boundary aws=false default=v1 attachments=0",
		"  version v1 default=true isDefault=true created=2024-03-01T09:30:00+00:00 246:17-269:18: identity gaad.json#Policies[1].PolicyVersionList[0] 247:33-265:22 stmts=2",
		"policy gaad.json#Policies[2] 272:9-291:10 name=ReadOnlyAccess arn=arn:aws:iam::aws:policy/ReadOnlyAccess aws=true default=v112 attachments=2",
		"  version v112 default=true isDefault=true created=2024-06-20T17:12:32+00:00 284:17-289:18: identity gaad.json#Policies[2].PolicyVersionList[0] 285:34-285:314 stmts=1",
	}
	if diff := cmp.Diff(want, summary(m)); diff != "" {
		t.Errorf("model (-want +got):\n%s", diff)
	}

	// Every element of every document covers exactly its own text in the
	// dump, whichever way the document is encoded.
	for _, pd := range docs(m) {
		if pd.Doc == nil {
			t.Errorf("%s: no document", pd.Addr)
			continue
		}
		for _, v := range values(pd.Doc) {
			checkSource(t, data, v.Range, v.Text)
		}
		for _, s := range pd.Doc.Statements {
			checkSource(t, data, s.EffectRange, s.Effect.String())
		}
	}
}

// TestURLEncodedPositions pins positions inside URL-encoded documents: a
// one-line document and one pretty-printed before encoding (its newlines
// are %0A, so the whole document stays on one line of the dump).
func TestURLEncodedPositions(t *testing.T) {
	_, m, _ := loadFile(t, "gaad.json", iam.KindUnknown)
	alice := m.Users[0].Inline[0].Doc
	if len(alice.Statements) != 2 {
		t.Fatalf("alice's inline policy has %d statements, want 2", len(alice.Statements))
	}
	got := []string{}
	for _, s := range alice.Statements {
		for _, v := range s.Action.Values {
			got = append(got, v.Text+" "+fmtRange(v.Range))
		}
		got = append(got, "Sid "+s.Sid+" "+fmtRange(s.SidRange))
	}
	// Line 12 holds the whole document; "s3:ListBucket" is written
	// %22s3%3AListBucket%22 at columns 231 to 251.
	want := []string{
		"s3:GetObject 12:205-12:225",
		"s3:ListBucket 12:231-12:252",
		"Sid ReadReports 12:126-12:143",
		"s3:DeleteObject 12:480-12:503",
		"Sid NoDelete 12:408-12:422",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("alice's actions (-want +got):\n%s", diff)
	}
	jobs := m.Roles[0].Inline[0].Doc.Statements[0].Action.Values[1]
	if got, want := jobs.Text+" "+fmtRange(jobs.Range), "sqs:ReceiveMessage 145:316-145:342"; got != want {
		t.Errorf("jobs action: got %s, want %s", got, want)
	}
	term := m.Policies[0].Default.Doc.Statements[0].Action.Values[2]
	if got, want := term.Text+" "+fmtRange(term.Range), "ec2:TerminateInstances 206:220-206:250"; got != want {
		t.Errorf("deploy v3 action: got %s, want %s", got, want)
	}
}

func TestGAADBadInput(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "lists of the wrong type",
			in: `{"UserDetailList": {"UserName": "alice"},
"RoleDetailList": [42, {"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}}]}`,
			want: []string{"1:20 error: Unexpected JSON type", "2:20 error: Unexpected JSON type", "2:152 error: Empty Statement"},
		},
		{
			name: "field of the wrong type",
			in: `{"UserDetailList": [{"UserName": 7, "Arn": "arn:aws:iam::111122223333:user/x",
  "GroupList": ["a", null], "Tags": [{"Key": "k", "Value": 1}]}]}`,
			want: []string{"1:34 error: Unexpected JSON type", "2:22 error: Unexpected JSON type", "2:60 error: Unexpected JSON type"},
		},
		{
			name: "missing names and ARNs",
			in:   `{"GroupDetailList": [{"Path": "/"}]}`,
			want: []string{"1:22 error: Missing field", "1:22 error: Missing field"},
		},
		{
			name: "invalid URL encoding",
			in: `{"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::111122223333:user/u",
  "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": "%7B%22Version%22%3A%2"}]}]}`,
			want: []string{"2:80 error: Invalid URL encoding"},
		},
		{
			name: "malformed URL-encoded JSON",
			in: `{"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::111122223333:user/u",
  "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": "%7B%22Version%22%3A%20%222012-10-17%22%2C%20%22Statement%22%3A%20%5B%7B%22Effect%22%20%22Allow%22%7D%5D%7D"}]}]}`,
			// The colon is missing after "Effect": the error is at the %22 opening "Allow".
			want: []string{"2:147 error: Missing colon"},
		},
		{
			name: "malformed plain JSON string",
			in: `{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r",
  "AssumeRolePolicyDocument": "{\"Version\": \"2012-10-17\",\n \"Statement\": [}"}]}`,
			want: []string{"2:80 error: Missing value"},
		},
		{
			name: "document of the wrong type",
			in: `{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r",
  "AssumeRolePolicyDocument": 3}]}`,
			want: []string{"2:31 error: Policy document of the wrong type"},
		},
		{
			name: "truncated and duplicated",
			in: `{"IsTruncated": true, "Marker": "abc",
"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::111122223333:user/u"},
                   {"UserName": "u", "Arn": "arn:aws:iam::111122223333:user/u"}]}`,
			want: []string{"1:17 warning: Incomplete authorization details", "3:20 warning: Duplicate entry"},
		},
		{
			name: "default versions",
			in: `{"Policies": [
{"PolicyName": "a", "Arn": "arn:aws:iam::111122223333:policy/a", "DefaultVersionId": "v2", "PolicyVersionList": [
  {"Document": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}, "VersionId": "v1", "IsDefaultVersion": true},
  {"Document": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}, "VersionId": "v2", "IsDefaultVersion": true}]},
{"PolicyName": "b", "Arn": "arn:aws:iam::111122223333:policy/b", "DefaultVersionId": "v9", "PolicyVersionList": [
  {"Document": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}, "VersionId": "v1"}]}]}`,
			want: []string{"3:3 warning: Inconsistent default version", "4:3 error: Two default versions", "5:1 warning: No default version"},
		},
		{
			name: "bad numbers and dates",
			in: `{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r", "MaxSessionDuration": 1.5,
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}},
  "RoleLastUsed": {"LastUsedDate": "yesterday"}}]}`,
			want: []string{"1:104 error: Unexpected number", "3:36 warning: Invalid date"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, diags := loadBytes(t, "gaad.json", []byte(tc.in), iam.KindUnknown)
			if diff := cmp.Diff(tc.want, allDiags(m, diags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
				for _, d := range append(diags, docDiags(m)...) {
					t.Logf("%s: %s", fmtRange(*d.Subject), d.Detail)
				}
			}
			for _, d := range append(diags, docDiags(m)...) {
				if d.Subject == nil || d.Subject.Filename != "gaad.json" || d.Detail == "" {
					t.Errorf("diagnostic without a position or detail: %#v", d)
				}
			}
		})
	}
}

// TestGAADOversizedPolicies loads a dump whose documents exceed AWS's
// size quotas: inline policies of a user, a group and a role that are
// each under their principal's aggregate quota (2,048, 5,120 and 10,240
// characters) but over it together, a trust policy over 2,048, and
// customer and AWS managed policy versions over 6,144. The loader
// reports none of it: sizes are rule IAM318's.
func TestGAADOversizedPolicies(t *testing.T) {
	// doc is an identity policy of about n characters without white space.
	doc := func(n int) string {
		return `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::` + strings.Repeat("b", n) + `/*"}}`
	}
	inline := func(n int) string {
		return `[{"PolicyName": "a", "PolicyDocument": ` + doc(n) + `}, {"PolicyName": "b", "PolicyDocument": ` + doc(n) + `}]`
	}
	trust := `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/` + strings.Repeat("r", 2100) + `"}, "Action": "sts:AssumeRole"}}`
	versions := `[{"VersionId": "v1", "IsDefaultVersion": false, "Document": ` + doc(6200) + `}, {"VersionId": "v2", "IsDefaultVersion": true, "Document": ` + doc(6200) + `}]`
	in := `{"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::111122223333:user/u", "UserPolicyList": ` + inline(1000) + `}],
"GroupDetailList": [{"GroupName": "g", "Arn": "arn:aws:iam::111122223333:group/g", "GroupPolicyList": ` + inline(2600) + `}],
"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r", "AssumeRolePolicyDocument": ` + trust + `, "RolePolicyList": ` + inline(5200) + `}],
"Policies": [{"PolicyName": "c", "Arn": "arn:aws:iam::111122223333:policy/c", "DefaultVersionId": "v2", "PolicyVersionList": ` + versions + `},
  {"PolicyName": "a", "Arn": "arn:aws:iam::aws:policy/a", "DefaultVersionId": "v2", "PolicyVersionList": ` + versions + `}]}`
	m, diags := loadBytes(t, "gaad.json", []byte(in), 0)
	if len(m.Users) != 1 || len(m.Groups) != 1 || len(m.Roles) != 1 || len(m.Policies) != 2 {
		t.Fatalf("dump not loaded: %v", allDiags(m, diags))
	}
	size := func(pd *iam.PolicyDocument) int {
		if pd == nil || pd.Doc == nil {
			t.Fatalf("a document is missing or not decoded: %v", allDiags(m, diags))
		}
		return utf8.RuneCount(pd.Doc.JSON())
	}
	over := func(what string, n, quota int) {
		if n <= quota {
			t.Errorf("%s: %d characters without white space; the test needs more than %d", what, n, quota)
		}
	}
	total := func(ips []*iam.InlinePolicy) int {
		n := 0
		for _, ip := range ips {
			n += size(&ip.PolicyDocument)
		}
		return n
	}
	over("user inline policies", total(m.Users[0].Inline), 2048)
	over("group inline policies", total(m.Groups[0].Inline), 5120)
	over("role inline policies", total(m.Roles[0].Inline), 10240)
	over("trust policy", size(m.Roles[0].Trust), 2048)
	for _, p := range m.Policies {
		for _, v := range p.Versions {
			over(v.Addr, size(&v.PolicyDocument), 6144)
		}
	}
	if got := allDiags(m, diags); len(got) != 0 {
		t.Errorf("diagnostics: %v", got)
	}
}

func docDiags(m *iam.Model) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range docs(m) {
		out = append(out, d.Diags...)
	}
	return out
}

// TestSharedInstanceProfile: a profile listed under two roles (as a dump
// can show while a role is being replaced) is one model object linked to
// both; references to roles outside the file stay as text.
func TestSharedInstanceProfile(t *testing.T) {
	in := `{"RoleDetailList": [
{"RoleName": "a", "Arn": "arn:aws:iam::111122223333:role/a", "AssumeRolePolicyDocument": {"Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}},
 "InstanceProfileList": [{"InstanceProfileName": "p", "Arn": "arn:aws:iam::111122223333:instance-profile/p",
   "Roles": [{"RoleName": "a", "Arn": "arn:aws:iam::111122223333:role/a"}, {"RoleName": "gone", "Arn": "arn:aws:iam::111122223333:role/gone"}]}]},
{"RoleName": "b", "Arn": "not-an-arn", "AssumeRolePolicyDocument": {"Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}},
 "InstanceProfileList": [{"InstanceProfileName": "p", "Arn": "arn:aws:iam::111122223333:instance-profile/p", "Roles": []}]}]}`
	m, diags := loadBytes(t, "gaad.json", []byte(in), 0)
	if diff := cmp.Diff([]string{"5:26 warning: Not an ARN"}, allDiags(m, diags)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if len(m.InstanceProfiles) != 1 {
		t.Fatalf("%d instance profiles, want 1", len(m.InstanceProfiles))
	}
	ip := m.InstanceProfiles[0]
	var roles []string
	for _, r := range ip.Roles {
		roles = append(roles, r.Name)
	}
	got := fmt.Sprintf("%s refs=%v roles=%v a=%d b=%d", ip.Addr, ip.RoleRefs, roles, len(m.Roles[0].InstanceProfiles), len(m.Roles[1].InstanceProfiles))
	want := "gaad.json#RoleDetailList[0].InstanceProfileList[0] refs=[arn:aws:iam::111122223333:role/a arn:aws:iam::111122223333:role/gone not-an-arn] roles=[a b] a=1 b=1"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
