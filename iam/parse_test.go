package iam_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
)

func pos(r hcl.Range) string { return fmt.Sprintf("%d:%d", r.Start.Line, r.Start.Column) }

func TestParsePolicyPositions(t *testing.T) {
	src := `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Read",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": "arn:aws:s3:::b/*",
      "Condition": {"StringEquals": {"aws:PrincipalTag/team": ["blue", true, 3]}}
    },
    {"Effect": "Deny", "NotAction": "iam:*", "NotResource": ["*"]}
  ]
}`
	doc, diags := iam.ParsePolicy([]byte(src), iam.ParseOptions{Filename: "p.json", Kind: iam.KindIdentity})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if doc.Version != iam.Version2012 || len(doc.Statements) != 2 {
		t.Fatalf("version %q, %d statements", doc.Version, len(doc.Statements))
	}
	s := doc.Statements[0]
	got := map[string]string{
		"statement":  pos(s.Range),
		"sid":        pos(s.SidRange),
		"effect":     pos(s.EffectRange),
		"action key": pos(s.Action.KeyRange),
		"action 0":   pos(s.Action.Values[0].Range),
		"action 1":   pos(s.Action.Values[1].Range),
		"resource":   pos(s.Resource.Values[0].Range),
		"operator":   pos(s.Condition.Clauses[0].OperatorRange),
		"cond key":   pos(s.Condition.Clauses[0].KeyRange),
		"cond val 1": pos(s.Condition.Clauses[0].Values[1].Range),
		"notaction":  pos(doc.Statements[1].NotAction.Values[0].Range),
	}
	want := map[string]string{
		"statement":  "4:5",
		"sid":        "5:14",
		"effect":     "6:17",
		"action key": "7:7",
		"action 0":   "7:18",
		"action 1":   "7:34",
		"resource":   "8:19",
		"operator":   "9:21",
		"cond key":   "9:38",
		"cond val 1": "9:72",
		"notaction":  "11:37",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("positions (-want +got):\n%s", d)
	}
	vals := s.Condition.Clauses[0].Values
	if vals[1].Text != "true" || vals[1].JSONKind != iam.BoolValue || vals[2].JSONKind != iam.NumberValue {
		t.Errorf("condition values: %+v", vals)
	}
	if acts, not := doc.Statements[1].Actions(); !not || acts.Values[0].Text != "iam:*" {
		t.Errorf("NotAction not recognised: %+v", acts)
	}
}

func TestParsePolicyBase(t *testing.T) {
	// A heredoc whose first byte sits at line 10, column 20 of a .tf file.
	src := "{\"Statement\": {\"Effect\": \"Allow\",\n  \"Action\": \"s3:*\", \"Resource\": \"*\"}}"
	doc, diags := iam.ParsePolicy([]byte(src), iam.ParseOptions{Filename: "main.tf", Base: hcl.Pos{Line: 10, Column: 20, Byte: 300}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s := doc.Statements[0]
	if got := pos(s.EffectRange); got != "10:45" {
		t.Errorf("effect at %s, want 10:45 (first line shifts by the base column)", got)
	}
	if got := pos(s.Action.Values[0].Range); got != "11:13" {
		t.Errorf("action at %s, want 11:13 (later lines keep their column)", got)
	}
	if s.Action.Values[0].Range.Filename != "main.tf" || s.Action.Values[0].Range.Start.Byte != 300+46 {
		t.Errorf("range %+v", s.Action.Values[0].Range)
	}
}

func TestParsePolicyDiagnostics(t *testing.T) {
	cases := []struct {
		name, src string
		kind      iam.Kind
		want      []string // "line:col summary"
	}{
		{"missing effect", `{"Version":"2012-10-17","Statement":{"Action":"s3:*","Resource":"*"}}`, iam.KindIdentity,
			[]string{"1:37 Missing Effect"}},
		{"bad effect case", `{"Statement":{"Effect":"allow","Action":"s3:*","Resource":"*"}}`, iam.KindIdentity,
			[]string{"1:24 Invalid Effect"}},
		{"action and notaction", `{"Statement":{"Effect":"Allow","Action":"a:b","NotAction":"c:d","Resource":"*"}}`, iam.KindIdentity,
			[]string{"1:47 Both Action and NotAction"}},
		{"no action", `{"Statement":{"Effect":"Allow","Resource":"*"}}`, iam.KindIdentity,
			[]string{"1:14 Missing Action"}},
		{"unknown top-level", `{"Version":"2012-10-17","Statment":[]}`, iam.KindIdentity,
			[]string{"1:1 Missing Statement", "1:25 Unknown policy element"}},
		{"misspelled element", `{"Statement":{"effect":"Allow","Action":"a:b","Resource":"*"}}`, iam.KindIdentity,
			[]string{"1:14 Missing Effect", "1:15 Misspelled policy element"}},
		{"duplicate key", `{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"a:b","Resource":"*"}}`, iam.KindIdentity,
			[]string{"1:32 Duplicate key"}},
		{"wrong type", `{"Statement":{"Effect":"Allow","Action":42,"Resource":"*"}}`, iam.KindIdentity,
			[]string{"1:41 Invalid Action"}},
		{"non-string in list", `{"Statement":{"Effect":"Allow","Action":["a:b",null],"Resource":"*"}}`, iam.KindIdentity,
			[]string{"1:48 Invalid Action value"}},
		{"resource in trust policy", `{"Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}}`, iam.KindTrust,
			[]string{"1:102 Resource in a trust policy"}},
		{"principal in identity policy", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"a:b","Resource":"*"}}`, iam.KindIdentity,
			[]string{"1:32 Principal in an identity policy"}},
		{"missing principal", `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`, iam.KindResource,
			[]string{"1:14 Missing Principal"}},
		{"principal string", `{"Statement":{"Effect":"Allow","Principal":"arn:aws:iam::1:root","Action":"a:b","Resource":"*"}}`, iam.KindResource,
			[]string{"1:44 Invalid Principal"}},
		{"unknown principal type", `{"Statement":{"Effect":"Allow","Principal":{"Aws":"*"},"Action":"a:b","Resource":"*"}}`, iam.KindResource,
			[]string{"1:45 Misspelled policy element"}},
		{"bad version", `{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"a:b","Resource":"*"}}`, iam.KindIdentity,
			[]string{"1:12 Invalid Version"}},
		{"unknown operator", `{"Statement":{"Effect":"Allow","Action":"a:b","Resource":"*","Condition":{"StringEqual":{"k":"v"}}}}`, iam.KindIdentity,
			[]string{"1:75 Unknown condition operator"}},
		{"operator case", `{"Statement":{"Effect":"Allow","Action":"a:b","Resource":"*","Condition":{"stringequals":{"k":"v"}}}}`, iam.KindIdentity,
			[]string{"1:75 Condition operator in unusual case"}},
		{"duplicate sid", `{"Statement":[{"Sid":"A","Effect":"Allow","Action":"a:b","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"a:b","Resource":"*"}]}`, iam.KindIdentity,
			[]string{"1:81 Duplicate Sid"}},
		{"statement not object", `{"Statement":["x"]}`, iam.KindIdentity,
			[]string{"1:15 Statement is not an object"}},
		{"document not object", `[]`, iam.KindIdentity,
			[]string{"1:1 Policy document is not an object"}},
		{"notprincipal with allow", `{"Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"*"},"Action":"a:b","Resource":"*"}}`, iam.KindResource,
			[]string{"1:32 NotPrincipal with Allow"}},
		{"empty action list", `{"Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}`, iam.KindIdentity,
			[]string{"1:41 Empty Action"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, diags := iam.ParsePolicy([]byte(c.src), iam.ParseOptions{Filename: "p.json", Kind: c.kind})
			iam.SortDiagnostics(diags)
			var got []string
			for _, d := range diags {
				got = append(got, pos(*d.Subject)+" "+d.Summary)
				if d.Detail == "" {
					t.Errorf("%s: no detail", d.Summary)
				}
			}
			if d := cmp.Diff(c.want, got); d != "" {
				t.Errorf("diagnostics (-want +got):\n%s", d)
			}
		})
	}
}

func TestParsePolicyHostileInput(t *testing.T) {
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	for name, src := range map[string]string{
		"deep arrays":    deep,
		"deep objects":   strings.Repeat(`{"a":`, 100000) + "1" + strings.Repeat("}", 100000),
		"deep statement": `{"Statement":` + deep + `}`,
		"truncated":      `{"Statement": [{"Effect": "Allow"`,
		"empty":          ``,
		"garbage":        "\x00\xff",
	} {
		doc, diags := iam.ParsePolicy([]byte(src), iam.ParseOptions{Filename: "p.json"})
		if !diags.HasErrors() {
			t.Errorf("%s: no error", name)
		}
		if doc != nil && name != "deep statement" {
			t.Errorf("%s: got a document from malformed JSON", name)
		}
		for _, d := range diags {
			if d.Subject == nil || d.Subject.Filename != "p.json" || d.Subject.Start.Line < 1 {
				t.Errorf("%s: diagnostic without position: %v", name, d)
			}
		}
	}
}

func FuzzParsePolicy(f *testing.F) {
	for _, name := range []string{"../examples/grammar-mistakes.json", "../examples/github-deploy-trust.json", "../examples/reports-bucket-policy.json", "jsonpos/testdata/policy10k.json"} {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["a*",1,true]}}}}`))
	f.Add([]byte(`{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["1"]},"NotAction":[],"NotResource":"*"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, kind := range []iam.Kind{iam.KindIdentity, iam.KindTrust, iam.KindResource} {
			doc, diags := iam.ParsePolicy(data, iam.ParseOptions{Filename: "f.json", Kind: kind})
			for _, d := range diags {
				if d.Subject == nil {
					t.Fatalf("diagnostic without a range: %v", d)
				}
			}
			if doc == nil {
				continue
			}
			// Every statement must be evaluable without panicking.
			req := &iam.Request{Principal: "arn:aws:iam::111122223333:user/u", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
			set := &iam.PolicySet{Identity: []iam.Policy{{Name: "f", Doc: doc}}}
			if kind == iam.KindResource {
				set = &iam.PolicySet{Resource: &iam.Policy{Name: "f", Doc: doc}}
			}
			iam.Evaluate(req, set)
		}
	})
}

func BenchmarkParsePolicy10KB(b *testing.B) {
	data, err := os.ReadFile("jsonpos/testdata/policy10k.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := iam.ParsePolicy(data, iam.ParseOptions{Filename: "p.json", Kind: iam.KindIdentity}); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}

func TestParsePolicyManyKeysIsLinear(t *testing.T) {
	// 200,000 distinct keys in one statement and 200,000 duplicate
	// condition keys: must finish quickly (a quadratic duplicate check
	// would not) and report every duplicate.
	var b strings.Builder
	b.WriteString(`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{`)
	for i := 0; i < 200000; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"K":"v"`)
	}
	b.WriteString(`}}`)
	for i := 0; i < 200000; i++ {
		fmt.Fprintf(&b, `,"x%d":1`, i)
	}
	b.WriteString(`}}`)
	_, diags := iam.ParsePolicy([]byte(b.String()), iam.ParseOptions{Kind: iam.KindIdentity})
	dups, unknown := 0, 0
	for _, d := range diags {
		switch d.Summary {
		case "Duplicate key":
			dups++
		case "Unknown policy element":
			unknown++
		}
	}
	if dups != 199999 || unknown != 200000 {
		t.Errorf("%d duplicate-key and %d unknown-element diagnostics", dups, unknown)
	}
}

func TestParseRCP(t *testing.T) {
	good := `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-1"}}}}`
	if _, diags := iam.ParsePolicy([]byte(good), iam.ParseOptions{Kind: iam.KindRCP}); diags.HasErrors() {
		t.Errorf("valid RCP rejected: %v", diags)
	}
	for src, want := range map[string]string{
		`{"Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}`:                                       "Missing Principal",
		`{"Statement":{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}}`:    "Invalid Principal",
		`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`:                      "Allow in an RCP",
		`{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}}`: "NotPrincipal in an RCP",
	} {
		_, diags := iam.ParsePolicy([]byte(src), iam.ParseOptions{Kind: iam.KindRCP})
		if len(diags) != 1 || diags[0].Summary != want {
			t.Errorf("%s: got %v, want %q", src, diags, want)
		}
	}
}
