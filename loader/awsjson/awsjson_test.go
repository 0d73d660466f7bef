package awsjson

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

func TestDetect(t *testing.T) {
	cases := []struct {
		in   string
		want Kind
	}{
		{`{"Version": "2012-10-17", "Statement": []}`, PolicyDocument},
		{`{"PolicyVersion": {"Document": {"Statement": []}, "VersionId": "v1"}}`, PolicyDocument},
		{`{"PolicyVersion": {"Document": "%7B%7D", "VersionId": "v1"}}`, PolicyDocument},
		{`{"RoleName": "r", "PolicyName": "p", "PolicyDocument": {"Statement": []}}`, PolicyDocument},
		{`{"UserName": "u", "PolicyName": "p", "PolicyDocument": {"Statement": []}}`, PolicyDocument},
		{`{"Role": {"RoleName": "r", "AssumeRolePolicyDocument": {"Statement": []}}}`, PolicyDocument},
		{`{"Policy": "{\"Statement\": []}"}`, PolicyDocument},
		{`{"Policy": "{\"Statement\": []}", "RevisionId": "1"}`, PolicyDocument},
		{`{"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}`, AuthorizationDetails},
		{`{"Policies": [{"PolicyName": "p", "PolicyVersionList": []}], "IsTruncated": false}`, AuthorizationDetails},
		{`{"PasswordPolicy": {"MinimumPasswordLength": 8}}`, PasswordPolicy},
		{`{"SummaryMap": {"Users": 1}}`, AccountSummary},
		{`{"Policy": {"PolicySummary": {"Type": "SERVICE_CONTROL_POLICY"}, "Content": "{}"}}`, OrganizationsPolicy},
		// Not ours: list-policies of Organizations, get-policy (no
		// document), a CloudFormation template, arrays, strings.
		{`{"Policies": [{"Id": "p-1", "Name": "FullAWSAccess", "Type": "SERVICE_CONTROL_POLICY"}]}`, Unknown},
		{`{"Policy": {"PolicyName": "p", "Arn": "arn:aws:iam::111122223333:policy/p", "DefaultVersionId": "v1"}}`, Unknown},
		{`{"Policy": "not json"}`, Unknown},
		{`{"Resources": {"R": {"Type": "AWS::IAM::Role"}}}`, Unknown},
		{`[{"Statement": []}]`, Unknown},
		{`"Statement"`, Unknown},
	}
	for _, tc := range cases {
		v, diags := jsonpos.Parse([]byte(tc.in), jsonpos.Options{Filename: "x.json"})
		if diags.HasErrors() {
			t.Fatalf("%s: %s", tc.in, diags.Error())
		}
		if got := Detect(v); got != tc.want {
			t.Errorf("Detect(%s) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if Detect(nil) != Unknown {
		t.Error("Detect(nil) must be Unknown")
	}
}

func TestStandaloneDocuments(t *testing.T) {
	identity := `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}`
	cases := []struct {
		name    string
		in      string
		docKind iam.Kind
		want    string // kind, statements and the range of the first action
	}{
		{"identity", identity, 0, "identity stmts=1 action=1:70-1:84"},
		{"SCP by --kind", identity, iam.KindSCP, "scp stmts=1 action=1:70-1:84"},
		{"trust", `{"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}]}`, 0,
			"trust stmts=1 action=1:94-1:110"},
		{"resource", `{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"}]}`, 0,
			"resource stmts=1 action=1:64-1:81"},
		{"get-policy-version", `{"PolicyVersion": {"Document": ` + identity + `, "VersionId": "v2", "IsDefaultVersion": true}}`, 0,
			"identity stmts=1 action=1:101-1:115"},
		{"get-policy-version, URL-encoded", `{"PolicyVersion": {"Document": "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Deny%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%7D"}}`, 0,
			"identity stmts=1 action=1:100-1:114"},
		{"get-role-policy", `{"RoleName": "app", "PolicyName": "p", "PolicyDocument": ` + identity + `}`, 0,
			"identity stmts=1 action=1:127-1:141"},
		{"get-role keeps trust over --kind", `{"Role": {"RoleName": "app", "AssumeRolePolicyDocument": {"Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}}, "MaxSessionDuration": 3600}}`, iam.KindIdentity,
			"trust stmts=1 action=1:158-1:174"},
		{"bucket policy string", `{"Policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}"}`, 0,
			"resource stmts=1 action=1:92-1:108"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.in)
			m, diags := loadBytes(t, "doc.json", data, tc.docKind)
			if got := allDiags(m, diags); len(got) > 0 {
				t.Errorf("unexpected diagnostics: %v", got)
			}
			if len(m.Documents) != 1 {
				t.Fatalf("%d documents, want 1", len(m.Documents))
			}
			sd := m.Documents[0]
			if sd.Addr != "doc.json" || sd.Doc == nil || sd.Kind != sd.Doc.Kind {
				t.Fatalf("document %+v", sd)
			}
			a := sd.Doc.Statements[0].Action.Values[0]
			got := fmt.Sprintf("%s stmts=%d action=%s", sd.Kind, len(sd.Doc.Statements), fmtRange(a.Range))
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
			checkSource(t, data, a.Range, a.Text)
		})
	}
}

func TestFixtureDocuments(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"trust.json", "trust Statement[0].Action[1] sts:TagSession 11:17-11:33"},
		{"bucket-policy.json", "resource Statement[0].Action[1] s3:ListBucket 2:198-2:215"},
		{"get-policy-version.json", "identity Statement[0].Action[1] ec2:RunInstances 10:25-10:43"},
	} {
		data, m, diags := loadFile(t, tc.file, 0)
		if got := allDiags(m, diags); len(got) > 0 {
			t.Errorf("%s: unexpected diagnostics: %v", tc.file, got)
		}
		if len(m.Documents) != 1 || m.Documents[0].Doc == nil {
			t.Fatalf("%s: %d documents", tc.file, len(m.Documents))
		}
		sd := m.Documents[0]
		a := sd.Doc.Statements[0].Action.Values[1]
		if got := fmt.Sprintf("%s Statement[0].Action[1] %s %s", sd.Kind, a.Text, fmtRange(a.Range)); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.file, got, tc.want)
		}
		for _, v := range values(sd.Doc) {
			checkSource(t, data, v.Range, v.Text)
		}
	}
}

func TestStandaloneProblems(t *testing.T) {
	// Grammar problems stay with the document; the file itself is fine.
	m, diags := loadBytes(t, "p.json", []byte(`{"Statement": {"Action": "s3:*", "Resource": "*"}}`), 0)
	if len(diags) != 0 {
		t.Errorf("load diagnostics: %v", diags)
	}
	if diff := cmp.Diff([]string{"1:15 error: Missing Effect"}, allDiags(m, diags)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	// Load on a value of another shape reports it.
	v, _ := jsonpos.Parse([]byte(`{"a": 1}`), jsonpos.Options{Filename: "p.json"})
	m, diags = Load("p.json", v, PolicyDocument, 0)
	if len(m.Documents) != 0 || len(diags) != 1 || diags[0].Summary != "Not a policy document" {
		t.Errorf("got %d documents, %v", len(m.Documents), diags)
	}
}

// TestHugeDocument loads a 5 MB policy: it is read whole, and its size,
// far over every AWS quota, draws no diagnostic (rule IAM318 measures
// sizes, not the loader).
func TestHugeDocument(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Version": "2012-10-17", "Statement": [`)
	for i := 0; b.Len() < 5<<20; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"Sid": "S%d", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::bucket-%d/*"}`, i, i)
	}
	b.WriteString("]}")
	for _, kind := range []iam.Kind{iam.KindIdentity, iam.KindSCP} {
		m, diags := loadBytes(t, "huge.json", []byte(b.String()), kind)
		sd := m.Documents[0]
		if len(diags) != 0 || sd.Doc == nil || len(sd.Doc.Statements) < 40000 {
			t.Fatalf("%s: huge document not loaded: %v", kind, diags)
		}
		if got := allDiags(m, diags); len(got) != 0 {
			t.Errorf("%s: diagnostics: %v", kind, got)
		}
	}
}

// TestOversizedDocuments loads, as every kind and through every wrapper
// the loader once measured, a well-formed document larger than any AWS
// quota (20,480 characters without white space, the most a resource-based
// policy may have): none draws a diagnostic, since sizes are rule
// IAM318's to report.
func TestOversizedDocuments(t *testing.T) {
	list := func(format string) string {
		var vs []string
		for i := range 600 {
			vs = append(vs, strconv.Quote(fmt.Sprintf(format, i)))
		}
		return "[" + strings.Join(vs, ", ") + "]"
	}
	buckets := list("arn:aws:s3:::bucket-number-%05d/*")
	roles := list("arn:aws:iam::111122223333:role/deployer-%05d")
	doc := func(stmt string) string {
		return `{"Version": "2012-10-17", "Statement": {` + stmt + `}}`
	}
	identity := doc(`"Effect": "Allow", "Action": "s3:GetObject", "Resource": ` + buckets)
	rcp := doc(`"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": ` + buckets)
	trust := doc(`"Effect": "Allow", "Principal": {"AWS": ` + roles + `}, "Action": "sts:AssumeRole"`)
	resource := doc(`"Effect": "Allow", "Principal": {"AWS": ` + roles + `}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"`)
	org := func(typ, content string) string {
		return `{"Policy": {"PolicySummary": {"Id": "p-1", "Name": "big", "Type": "` + typ + `"}, "Content": ` + strconv.Quote(content) + `}}`
	}
	for _, tc := range []struct {
		name, in string
		kind     iam.Kind
	}{
		{"identity", identity, iam.KindIdentity},
		{"boundary", identity, iam.KindBoundary},
		{"session", identity, iam.KindSession},
		{"scp", identity, iam.KindSCP},
		{"rcp", rcp, iam.KindRCP},
		{"trust", trust, iam.KindTrust},
		{"inferred trust", trust, iam.KindUnknown},
		{"resource", resource, iam.KindResource},
		{"inferred resource", resource, iam.KindUnknown},
		{"get-role", `{"Role": {"RoleName": "r", "AssumeRolePolicyDocument": ` + trust + `}}`, iam.KindUnknown},
		{"get-policy-version", `{"PolicyVersion": {"VersionId": "v1", "Document": ` + strconv.Quote(url.PathEscape(identity)) + `}}`, iam.KindUnknown},
		{"get-bucket-policy", `{"Policy": ` + strconv.Quote(resource) + `}`, iam.KindUnknown},
		{"organizations scp", org("SERVICE_CONTROL_POLICY", identity), iam.KindUnknown},
		{"organizations rcp", org("RESOURCE_CONTROL_POLICY", rcp), iam.KindUnknown},
	} {
		m, diags := loadBytes(t, tc.name+".json", []byte(tc.in), tc.kind)
		ds := docs(m)
		if len(ds) != 1 || ds[0].Doc == nil {
			t.Errorf("%s: document not loaded: %v", tc.name, allDiags(m, diags))
			continue
		}
		if n := utf8.RuneCount(ds[0].Doc.JSON()); n <= 20480 {
			t.Errorf("%s: the document has %d characters without white space; the test needs more than 20,480", tc.name, n)
		}
		if got := allDiags(m, diags); len(got) != 0 {
			t.Errorf("%s: diagnostics: %v", tc.name, got)
		}
	}
}

func TestPercentDecode(t *testing.T) {
	for _, tc := range []struct {
		in, out string
		bad     int
	}{
		{"%7B%22a%22%3A1%7D", `{"a":1}`, -1},
		{"a+b%2Bc", "a+b+c", -1},
		{"%e2%82%ac", "€", -1},
		{"%", "", 0},
		{"ab%4", "", 2},
		{"%zz", "", 0},
	} {
		out, esc, bad := percentDecode(tc.in)
		if string(out) != tc.out || bad != tc.bad {
			t.Errorf("percentDecode(%q) = %q, %d; want %q, %d", tc.in, out, bad, tc.out, tc.bad)
			continue
		}
		if bad >= 0 {
			continue
		}
		// Every decoded byte maps to the text that produced it.
		for i := 0; i <= len(out); i++ {
			src := sourceOffset(esc, i)
			switch {
			case i == len(out):
				if src != len(tc.in) {
					t.Errorf("%q: end maps to %d", tc.in, src)
				}
			case tc.in[src] == '%':
				if c := byte(unhex(tc.in[src+1])<<4 | unhex(tc.in[src+2])); c != out[i] {
					t.Errorf("%q: byte %d maps to escape %q", tc.in, i, tc.in[src:src+3])
				}
			case tc.in[src] != out[i]:
				t.Errorf("%q: byte %d maps to %q", tc.in, i, tc.in[src])
			}
		}
	}
}

func TestOrganizationsPolicy(t *testing.T) {
	data, m, diags := loadFile(t, "scp.json", 0)
	if got := allDiags(m, diags); len(got) > 0 {
		t.Errorf("unexpected diagnostics: %v", got)
	}
	if len(m.OrgPolicies) != 1 {
		t.Fatalf("%d org policies", len(m.OrgPolicies))
	}
	op := m.OrgPolicies[0]
	var targets []string
	for _, tg := range op.Targets {
		targets = append(targets, tg.TargetID+" "+tg.Addr+" "+fmtRange(tg.Range))
	}
	got := fmt.Sprintf("%s %s name=%s id=%s kind=%s stmts=%d targets=%v", op.Addr, fmtRange(op.Range), op.Name, op.ID, op.Kind, len(op.Doc.Statements), targets)
	want := "scp.json 2:15-12:6 name=guardrails id=p-examplepolicyid111 kind=scp stmts=2 targets=[ou-exam-ple12345 scp.json#Targets[0] 14:9-19:10 222233334444 scp.json#Targets[1] 20:9-25:10]"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// "eu-central-1" is written \"eu-central-1\" at columns 572 to 587 of
	// line 11, inside the JSON string that holds the document.
	region := op.Doc.Statements[1].Condition.Clauses[0].Values[1]
	if got, want := region.Text+" "+fmtRange(region.Range), "eu-central-1 11:572-11:588"; got != want {
		t.Errorf("region value: got %s, want %s", got, want)
	}
	for _, v := range values(op.Doc) {
		checkSource(t, data, v.Range, v.Text)
	}
}

func TestOrganizationsPolicyKinds(t *testing.T) {
	rcp := `{"Policy": {"PolicySummary": {"Id": "p-1", "Name": "r", "Type": "RESOURCE_CONTROL_POLICY"},
"Content": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}"}}`
	m, diags := loadBytes(t, "rcp.json", []byte(rcp), 0)
	// The Principal every RCP statement must have ("Principal": "*")
	// decodes without a problem, as the RCP grammar wants.
	if len(diags) != 0 || len(m.OrgPolicies) != 1 || m.OrgPolicies[0].Kind != iam.KindRCP || m.OrgPolicies[0].Doc.Kind != iam.KindRCP || len(m.OrgPolicies[0].Diags) != 0 {
		t.Errorf("RCP: %v %+v", diags, m.OrgPolicies)
	}

	tag := `{"Policy": {"PolicySummary": {"Id": "p-2", "Name": "t", "Type": "TAG_POLICY"}, "Content": "{\"tags\":{}}"}}`
	m, diags = loadBytes(t, "tag.json", []byte(tag), 0)
	if diff := cmp.Diff([]string{"1:65 warning: Not an IAM policy"}, allDiags(m, diags)); diff != "" || len(m.OrgPolicies) != 0 {
		t.Errorf("tag policy (-want +got):\n%s", diff)
	}

	bad := `{"Policy": {"PolicySummary": {"Type": "SERVICE_CONTROL_POLICY"}, "Content": "{\"Statement\": "}}`
	m, diags = loadBytes(t, "bad.json", []byte(bad), 0)
	if diff := cmp.Diff([]string{"1:94 error: Unclosed object"}, allDiags(m, diags)); diff != "" {
		t.Errorf("malformed content (-want +got):\n%s", diff)
	}
	if len(m.OrgPolicies) != 1 || m.OrgPolicies[0].Doc != nil {
		t.Errorf("an unreadable policy stays in the model without a document")
	}
}

func TestPasswordPolicy(t *testing.T) {
	_, m, diags := loadFile(t, "password-policy.json", 0)
	if len(diags) != 0 {
		t.Errorf("diagnostics: %v", diags)
	}
	want := []*iam.Account{{
		Node: iam.Node{Addr: "password-policy.json"},
		PasswordPolicy: &iam.PasswordPolicy{
			Node:          iam.Node{Addr: "password-policy.json#PasswordPolicy"},
			MinimumLength: 14, RequireSymbols: true, RequireNumbers: true, RequireUppercase: true,
			AllowUsersToChangePassword: true, MaxPasswordAge: 90, PasswordReusePrevention: 24,
		},
	}}
	ignoreRanges := cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Range" }, cmp.Ignore())
	if diff := cmp.Diff(want, m.Accounts, ignoreRanges); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if r := m.Accounts[0].PasswordPolicy.Range; fmtRange(r) != "2:23-13:6" {
		t.Errorf("password policy at %s", fmtRange(r))
	}

	m, diags = loadBytes(t, "pp.json", []byte(`{"PasswordPolicy": {"MinimumPasswordLength": "14", "ExpirePasswords": false, "MaxPasswordAge": 90}}`), 0)
	if diff := cmp.Diff([]string{"1:46 error: Unexpected JSON type"}, allDiags(m, diags)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if pp := m.Accounts[0].PasswordPolicy; pp.MaxPasswordAge != 0 || pp.MinimumLength != 0 {
		t.Errorf("ExpirePasswords false must mean no maximum age: %+v", pp)
	}
}

func TestAccountSummary(t *testing.T) {
	data, m, diags := loadFile(t, "account-summary.json", 0)
	if len(diags) != 0 || len(m.Accounts) != 1 || m.Accounts[0].Summary == nil || !m.Accounts[0].Summary.AccessKeysPresent || m.Accounts[0].Summary.MFAEnabled {
		t.Errorf("diagnostics %v, model %+v", diags, m)
	}
	v, _ := jsonpos.Parse(data, jsonpos.Options{Filename: "s.json"})
	d := &decoder{path: "s.json"}
	got := d.accountSummary(v)
	want := &iam.AccountSummary{Node: iam.Node{Addr: "s.json#SummaryMap", Range: got.Range}, AccessKeysPresent: true}
	if diff := cmp.Diff(want, got); diff != "" || len(d.diags) != 0 {
		t.Errorf("(-want +got):\n%s%v", diff, d.diags)
	}

	_, diags = loadBytes(t, "s.json", []byte(`{"SummaryMap": {"AccountMFAEnabled": true, "Users": 2}}`), 0)
	if diff := cmp.Diff([]string{"1:38 error: Unexpected JSON type"}, allDiags(&iam.Model{}, diags)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestStringLocator checks the locator against Value.InnerPos at every
// offset, asked for in an order that goes back now and then.
func TestStringLocator(t *testing.T) {
	for _, in := range []string{
		`"%7B%22Version%22%3A%222012-10-17%22%7D"`,
		`"plain ascii"`,
		`"zoë → ∑ 𝄞 end"`,
		`"{\"a\": \"\u00e9\"}"`,
		`""`,
	} {
		v, diags := jsonpos.Parse([]byte(`{"k":`+"\n  "+in+`}`), jsonpos.Options{})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		s := v.Members[0].Value
		l := newStringLocator(s)
		var offs []int
		for i := 0; i <= len(s.Str); i++ {
			offs = append(offs, i)
			if i%5 == 4 {
				offs = append(offs, i/2)
			}
		}
		for _, off := range offs {
			if got, want := l.pos(off), s.InnerPos(off); got != want {
				t.Errorf("%s: offset %d: got %s@%d, want %s@%d", in, off, fmtPos(got), got.Byte, fmtPos(want), want.Byte)
			}
		}
	}
}

// TestHugeURLEncodedDocument loads a dump holding a 5 MB URL-encoded
// policy: in linear time, with positions at its far end still exact.
func TestHugeURLEncodedDocument(t *testing.T) {
	var doc strings.Builder
	doc.WriteString(`{"Version":"2012-10-17","Statement":[`)
	n := 0
	for ; doc.Len() < 5<<20/3; n++ {
		if n > 0 {
			doc.WriteString(",")
		}
		fmt.Fprintf(&doc, `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b%d/*"}`, n)
	}
	doc.WriteString("]}")
	enc := strings.NewReplacer(`{`, "%7B", `}`, "%7D", `"`, "%22", `:`, "%3A", `,`, "%2C", `[`, "%5B", `]`, "%5D", `/`, "%2F", `*`, "%2A").Replace(doc.String())
	in := `{"Policies": [{"PolicyName": "big", "Arn": "arn:aws:iam::111122223333:policy/big", "DefaultVersionId": "v1",
 "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document": "` + enc + `"}]}]}`
	data := []byte(in)
	m, diags := loadBytes(t, "gaad.json", data, 0)
	if len(diags) != 0 || len(m.Policies) != 1 || m.Policies[0].Default == nil || m.Policies[0].Default.Doc == nil {
		t.Fatalf("not loaded: %v", diags)
	}
	pd := m.Policies[0].Default
	if got := allDiags(m, diags); len(got) != 0 {
		t.Errorf("diagnostics: %v", got)
	}
	stmts := pd.Doc.Statements
	if len(stmts) != n {
		t.Fatalf("%d statements, want %d", len(stmts), n)
	}
	last := stmts[n-1].Resource.Values[0]
	checkSource(t, data, last.Range, last.Text)
}
