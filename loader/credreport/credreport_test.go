package credreport

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
)

const fixture = "../../testdata/awsjson/credential-report.csv"

func fmtRange(r hcl.Range) string {
	return fmt.Sprintf("%d:%d@%d-%d:%d@%d", r.Start.Line, r.Start.Column, r.Start.Byte, r.End.Line, r.End.Column, r.End.Byte)
}

func fmtDiags(diags hcl.Diagnostics) []string {
	out := []string{}
	for _, d := range diags {
		sev := "error"
		if d.Severity == hcl.DiagWarning {
			sev = "warning"
		}
		out = append(out, fmt.Sprintf("%d:%d-%d:%d %s: %s: %s", d.Subject.Start.Line, d.Subject.Start.Column, d.Subject.End.Line, d.Subject.End.Column, sev, d.Summary, d.Detail))
	}
	return out
}

func TestReport(t *testing.T) {
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	if !IsReport(data) {
		t.Fatal("the fixture is not recognised")
	}
	rows, diags := Load("report.csv", data)
	if len(diags) != 0 {
		t.Errorf("diagnostics: %v", fmtDiags(diags))
	}
	none := iam.CredentialKey{}
	want := []*iam.CredentialReport{
		{
			User: "<root_account>", ARN: "arn:aws:iam::111122223333:root", UserCreationTime: "2019-01-10T08:00:00+00:00",
			PasswordLastUsed: "2024-06-01T10:11:12+00:00",
			AccessKeys:       [2]iam.CredentialKey{{Active: true, LastRotated: "2019-01-10T08:05:00+00:00", LastUsedDate: "2024-05-30T22:00:01+00:00", LastUsedRegion: "us-east-1", LastUsedService: "iam"}, none},
		},
		{
			User: "alice", ARN: "arn:aws:iam::111122223333:user/alice", UserCreationTime: "2024-03-01T09:30:00+00:00",
			PasswordEnabled: true, PasswordLastUsed: "2024-06-28T07:00:00+00:00", PasswordLastChanged: "2024-03-01T09:31:00+00:00",
			AccessKeys: [2]iam.CredentialKey{{Active: true, LastRotated: "2024-03-02T10:00:00+00:00", LastUsedDate: "2024-06-29T12:00:00+00:00", LastUsedRegion: "eu-west-1", LastUsedService: "s3"}, none},
		},
		{
			User: "bob", ARN: "arn:aws:iam::111122223333:user/contractors/bob", UserCreationTime: "2024-03-01T09:30:00+00:00",
			AccessKeys: [2]iam.CredentialKey{{LastRotated: "2024-03-05T10:00:00+00:00"}, none},
		},
	}
	nodes := []iam.Node{}
	for i, r := range rows {
		nodes = append(nodes, r.Node)
		if i < len(want) {
			want[i].Node = r.Node
		}
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	lines := strings.SplitAfter(string(data), "\n")
	off := len(lines[0])
	for i, n := range nodes {
		line := lines[i+1]
		end := off + len(strings.TrimSuffix(line, "\n"))
		wantNode := iam.Node{Addr: "report.csv#" + rows[i].User, Range: hcl.Range{Filename: "report.csv",
			Start: hcl.Pos{Line: i + 2, Column: 1, Byte: off},
			End:   hcl.Pos{Line: i + 2, Column: 1 + len(strings.TrimSuffix(line, "\n")), Byte: end}}}
		if diff := cmp.Diff(wantNode, n); diff != "" {
			t.Errorf("row %d node (-want +got):\n%s", i, diff)
		}
		off += len(line)
	}
}

// TestColumnOrderBOMAndCRLF reads a report whose columns are shuffled and
// partly quoted, with a byte order mark, CR LF line ends and a column
// AWS might add later.
func TestColumnOrderBOMAndCRLF(t *testing.T) {
	hdr := []string{"arn", "user", "mfa_active", "password_enabled", "user_creation_time", "password_last_used", "password_last_changed", "password_next_rotation",
		"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
		"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
		"cert_2_active", "cert_1_active", "future_column"}
	row := []string{"arn:aws:iam::111122223333:user/zoë", `"zoë"`, "FALSE", "TRUE", "2024-01-02T03:04:05Z", "no_information", "2024-01-02T03:04:05Z", "2024-04-01T00:00:00Z",
		"true", "2024-02-01T00:00:00+00:00", "N/A",
		"false", "N/A", "N/A",
		"false", "false", "x"}
	data := []byte("\xEF\xBB\xBF" + strings.Join(hdr, ",") + "\r\n" + strings.Join(row, ",") + "\r\n")
	if !IsReport(data) {
		t.Fatal("not recognised")
	}
	rows, diags := Load("r.csv", data)
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", fmtDiags(diags))
	}
	want := &iam.CredentialReport{
		User: "zoë", ARN: "arn:aws:iam::111122223333:user/zoë", UserCreationTime: "2024-01-02T03:04:05Z",
		PasswordEnabled: true, PasswordLastChanged: "2024-01-02T03:04:05Z", PasswordNextRotate: "2024-04-01T00:00:00Z",
		AccessKeys: [2]iam.CredentialKey{{}, {Active: true, LastRotated: "2024-02-01T00:00:00+00:00"}},
	}
	if len(rows) != 1 {
		t.Fatalf("%d rows", len(rows))
	}
	want.Node = rows[0].Node
	if diff := cmp.Diff(want, rows[0]); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Byte offsets count the byte order mark and the CR; columns count
	// characters (ë is two bytes, one column).
	hdrLen := 3 + len(strings.Join(hdr, ",")) + 2
	rowText := strings.Join(row, ",")
	wantRange := fmt.Sprintf("2:1@%d-2:%d@%d", hdrLen, 1+len([]rune(rowText)), hdrLen+len(rowText))
	if got := fmtRange(rows[0].Range); got != wantRange {
		t.Errorf("row range %s, want %s", got, wantRange)
	}
	if rows[0].Addr != "r.csv#zoë" {
		t.Errorf("address %s", rows[0].Addr)
	}
}

func TestBadRows(t *testing.T) {
	hdr := "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,cert_1_active,cert_2_active\n"
	good := "alice,arn:aws:iam::111122223333:user/alice,2024-03-01T09:30:00+00:00,true,N/A,N/A,N/A,false,false,N/A,N/A,false,N/A,N/A,false,false\n"
	cases := []struct {
		name string
		in   string
		rows int
		want []string
	}{
		{
			name: "bad date and boolean",
			in:   hdr + "alice,arn:aws:iam::111122223333:user/alice,2024-13-01,maybe,N/A,N/A,N/A,false,false,N/A,N/A,false,N/A,N/A,false,false\n",
			rows: 1,
			want: []string{
				`2:44-2:54 warning: Invalid date: user_creation_time is "2024-13-01", which is not an RFC 3339 time such as 2024-05-01T12:00:00+00:00; it is ignored.`,
				`2:55-2:60 warning: Invalid value: password_enabled is "maybe"; expected true or false. It is read as false.`,
			},
		},
		{
			name: "short and long rows",
			in:   hdr + "bob,arn:aws:iam::111122223333:user/bob,N/A\n" + good + strings.TrimSuffix(good, "\n") + ",extra\n",
			rows: 1,
			want: []string{
				"2:1-2:43 error: Wrong number of fields: Line 2 has 3 fields; the header has 16, so every row must have 16. The row is skipped.",
				"4:1-4:138 error: Wrong number of fields: Line 4 has 17 fields; the header has 16, so every row must have 16. The row is skipped.",
			},
		},
		{
			name: "missing columns",
			in:   "user,arn,user_creation_time,mfa_active\nalice,arn:aws:iam::111122223333:user/alice,N/A,false\n",
			want: []string{"1:1-1:39 error: Incomplete credential report header: The header lacks the column(s) password_enabled, password_last_used, password_last_changed, password_next_rotation, access_key_1_active, access_key_1_last_rotated, access_key_1_last_used_date, access_key_2_active, access_key_2_last_rotated, access_key_2_last_used_date, cert_1_active, cert_2_active, which every IAM credential report has."},
		},
		{
			name: "CSV syntax error, duplicate and nameless rows",
			in:   hdr + good + "b\"ob" + good[5:] + good + "," + good[6:],
			rows: 1,
			want: []string{
				`3:2-3:2 error: Invalid CSV: Bare " in non-quoted-field.`,
				`4:1-4:132 warning: Duplicate row: User "alice" already has a row at line 2; this one is ignored.`,
				"5:1-5:127 error: Missing user: Line 5 has no user name; the row is skipped.",
			},
		},
		{
			name: "bad ARN and invalid UTF-8",
			in:   hdr + strings.Replace(good, "arn:aws:iam::111122223333:user/alice", "alice", 1) + strings.Replace(good, "alice,", "al\xffice,", 1),
			rows: 1,
			want: []string{
				`2:7-2:12 warning: Invalid ARN: The arn of alice is "alice", which is not an ARN; the row cannot be joined to its user.`,
				"3:1-3:133 error: Invalid UTF-8: Line 3 is not valid UTF-8 text; the row is skipped.",
			},
		},
		{
			name: "empty",
			in:   "",
			want: []string{"1:1-1:1 error: Empty credential report: The file has no header line; expected one starting with user,arn,user_creation_time."},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rows, diags := Load("r.csv", []byte(tc.in))
			if diff := cmp.Diff(tc.want, fmtDiags(diags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			if len(rows) != tc.rows {
				t.Errorf("%d rows, want %d", len(rows), tc.rows)
			}
		})
	}
}

func TestGarbage(t *testing.T) {
	var b strings.Builder
	b.WriteString("user,arn,user_creation_time\n")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&b, "\x00\x01\xfe%d,\"x\n", i)
	}
	rows, diags := Load("g.csv", []byte(b.String()))
	if len(rows) != 0 || len(diags) != 1 {
		t.Errorf("%d rows, diagnostics %v", len(rows), fmtDiags(diags))
	}
	header := "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,cert_1_active,cert_2_active\n"
	rows, diags = Load("g.csv", []byte(header+strings.Repeat("\x00\x01\xfe,\"\x7f\n", 1000)))
	stopped := false
	for _, d := range diags {
		stopped = stopped || d.Summary == "Too many errors"
	}
	if len(rows) != 0 || len(diags) != maxErrors+1 || !stopped {
		t.Errorf("%d rows, %d diagnostics: %v", len(rows), len(diags), fmtDiags(diags))
	}
}

func TestIsReport(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"user,arn,user_creation_time,password_enabled\n", true},
		{"\xEF\xBB\xBFuser,arn,user_creation_time\r\n", true},
		{"arn,\"user\",user_creation_time", true},
		{"user,arn\nuser_creation_time\n", false},
		{"name,arn,created\n", false},
		{"", false},
		{strings.Repeat("x", 5000), false},
	} {
		if got := IsReport([]byte(tc.in)); got != tc.want {
			t.Errorf("IsReport(%.40q) = %v", tc.in, got)
		}
	}
}
