package iam_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iamlint/iamlint/iam"
)

func TestDocumentJSON(t *testing.T) {
	src := `{"Statement": [
	  {"Effect": "Allow", "Sid": "A", "Resource": ["arn:aws:s3:::b/*"], "Action": ["s3:GetObject", "s3:PutObject"],
	   "Condition": {"Bool": {"aws:SecureTransport": true}, "StringEquals": {"aws:PrincipalTag/team": ["a", "b"], "s3:x": "<&>"}, "NumericLessThan": {"aws:MultiFactorAuthAge": 3600}}},
	  {"Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:root"], "Service": "ec2.amazonaws.com"}, "NotAction": "iam:*", "NotResource": "*"},
	  {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}
	], "Version": "2012-10-17", "Id": "x"}`
	doc, diags := iam.ParsePolicy([]byte(src), iam.ParseOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := `{"Version":"2012-10-17","Id":"x","Statement":[` +
		`{"Sid":"A","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*",` +
		`"Condition":{"Bool":{"aws:SecureTransport":true},"StringEquals":{"aws:PrincipalTag/team":["a","b"],"s3:x":"<&>"},"NumericLessThan":{"aws:MultiFactorAuthAge":3600}}},` +
		`{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root","Service":"ec2.amazonaws.com"},"NotAction":"iam:*","NotResource":"*"},` +
		`{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}`
	got := string(doc.JSON())
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("rendered JSON (-want +got):\n%s", d)
	}
	if !json.Valid([]byte(got)) {
		t.Fatal("not valid JSON")
	}
	// Rendering is a fixed point: parse the output and render again.
	again, diags := iam.ParsePolicy([]byte(got), iam.ParseOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if d := cmp.Diff(got, string(again.JSON())); d != "" {
		t.Errorf("second rendering differs:\n%s", d)
	}
}
