package awsjson

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

// FuzzLoadAuthorizationDetails loads any JSON both as what Detect says it
// is and as a get-account-authorization-details dump. It must never
// panic, and every diagnostic and every range in a decoded document must
// lie within the input.
func FuzzLoadAuthorizationDetails(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(testdata, "*.json"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::111122223333:user/u", "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": "%7B%22Statement%22%3A%5B%5D%7D"}], "GroupList": ["g"]}],
"GroupDetailList": [{"GroupName": "g", "Arn": "arn:aws:iam::111122223333:group/g"}]}`))
	f.Add([]byte(`{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r", "AssumeRolePolicyDocument": "{\"Statement\": [}", "InstanceProfileList": [{"Arn": "x", "Roles": [{"Arn": "arn:aws:iam::111122223333:role/r"}]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, diags := jsonpos.Parse(data, jsonpos.Options{Filename: "f.json"})
		if diags.HasErrors() {
			return
		}
		for _, kind := range []Kind{Detect(v), AuthorizationDetails} {
			m, diags := Load("f.json", v, kind, iam.KindUnknown)
			if m == nil {
				t.Fatal("nil model")
			}
			for _, d := range docs(m) {
				diags = append(diags, d.Diags...)
				if d.Doc != nil {
					for _, val := range values(d.Doc) {
						inside(t, data, val.Range)
					}
				}
			}
			for _, d := range diags {
				if d.Subject == nil || d.Summary == "" || d.Detail == "" {
					t.Fatalf("incomplete diagnostic %#v", d)
				}
				inside(t, data, *d.Subject)
			}
		}
	})
}

func inside(t *testing.T, data []byte, r hcl.Range) {
	t.Helper()
	if r.Filename != "f.json" || r.Start.Byte < 0 || r.End.Byte > len(data) || r.Start.Byte > r.End.Byte ||
		r.Start.Line < 1 || r.Start.Column < 1 || r.End.Line < r.Start.Line {
		t.Fatalf("range %s %d:%d@%d-%d:%d@%d outside the %d-byte input", r.Filename,
			r.Start.Line, r.Start.Column, r.Start.Byte, r.End.Line, r.End.Column, r.End.Byte, len(data))
	}
}
