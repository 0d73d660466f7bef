package datafile

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRoundTrip(t *testing.T) {
	h := Header{"format": "1", "kind": "test", "version": "1.2.3", "date": "2026-01-02", "package": "@a/b"}
	body := []byte(strings.Repeat("line\tof\tdata\n", 1000))
	var buf bytes.Buffer
	if err := Write(&buf, h, body); err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(buf.String(), "\n")
	if want := "iamlint-data format=1 kind=test date=2026-01-02 package=@a/b version=1.2.3"; first != want {
		t.Errorf("header line = %q, want %q", first, want)
	}
	gotH, gotBody, err := Read(buf.String())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(h, gotH); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if !bytes.Equal(gotBody, body) {
		t.Errorf("body differs: %d bytes, want %d", len(gotBody), len(body))
	}
	_, s, err := ReadString(buf.String())
	if err != nil || s != string(body) {
		t.Errorf("ReadString: %v, %d bytes", err, len(s))
	}
	// The same input gives the same bytes.
	var again bytes.Buffer
	if err := Write(&again, h, body); err != nil || !bytes.Equal(again.Bytes(), buf.Bytes()) {
		t.Errorf("Write is not reproducible (%v)", err)
	}
}

func TestErrors(t *testing.T) {
	if err := Write(&bytes.Buffer{}, Header{"format": "1", "bad": "has space"}, nil); err == nil {
		t.Error("Write accepted a value with a space")
	}
	for _, data := range []string{
		"",
		"no newline",
		"other-magic format=1\n",
		"iamlint-data format=1 novalue\n",
		"iamlint-data format=9\n",
		"iamlint-data format=1 kind=x\nnot gzip at all",
	} {
		if _, _, err := Read(data); err == nil {
			t.Errorf("Read(%q) succeeded", data)
		}
	}
}
