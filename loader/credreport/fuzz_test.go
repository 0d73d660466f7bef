package credreport

import (
	"os"
	"testing"
)

// FuzzCredentialReport loads any bytes as a credential report. It must
// never panic; every row has a user, and every diagnostic a range within
// the input.
func FuzzCredentialReport(f *testing.F) {
	data, err := os.ReadFile(fixture)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(append([]byte("\xEF\xBB\xBF"), data...))
	f.Add([]byte("user,arn,user_creation_time\n\"a\"\"b\",\"x\ny\",z\n"))
	f.Add([]byte("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,cert_1_active,cert_2_active\r\n" +
		"\"a,b\",arn:aws:iam::1:user/a,bad,maybe,N/A,N/A,N/A,false,false,N/A,N/A,false,N/A,N/A,false\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		IsReport(data)
		rows, diags := Load("r.csv", data)
		for _, r := range rows {
			if r.User == "" || r.Addr != "r.csv#"+r.User {
				t.Fatalf("row %+v", r)
			}
		}
		for _, d := range diags {
			s := d.Subject
			if s == nil || d.Summary == "" || d.Detail == "" {
				t.Fatalf("incomplete diagnostic %#v", d)
			}
			if s.Start.Byte < 0 || s.End.Byte > len(data) || s.Start.Byte > s.End.Byte || s.Start.Line < 1 || s.Start.Column < 1 {
				t.Fatalf("range %d:%d@%d-%d:%d@%d outside the %d-byte input", s.Start.Line, s.Start.Column, s.Start.Byte, s.End.Line, s.End.Column, s.End.Byte, len(data))
			}
		}
	})
}
