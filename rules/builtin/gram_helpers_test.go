package builtin

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/tools/txtar"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/glob"
)

// TestGramCoversSound checks gramCovers against brute force: whenever it
// says inner ⊆ outer, every short string inner matches is matched by
// outer. It also checks a few containments it must find.
func TestGramCoversSound(t *testing.T) {
	alphabet := []byte("ab*?")
	var patterns []string
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		patterns = append(patterns, prefix)
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			gen(prefix+string(c), n-1)
		}
	}
	gen("", 4)
	var strs []string
	var genS func(prefix string, n int)
	genS = func(prefix string, n int) {
		strs = append(strs, prefix)
		if n == 0 {
			return
		}
		for _, c := range []byte("ab") {
			genS(prefix+string(c), n-1)
		}
	}
	genS("", 6)
	for _, in := range patterns {
		for _, out := range patterns {
			if !gramCovers(in, out, false) {
				continue
			}
			for _, s := range strs {
				if glob.MatchString(in, s, false) && !glob.MatchString(out, s, false) {
					t.Fatalf("gramCovers(%q, %q) but %q matches only the first", in, out, s)
				}
			}
		}
	}
	for _, c := range []struct {
		in, out string
		fold    bool
	}{
		{"s3:GetObject", "s3:Get*", true},
		{"S3:GETOBJECT", "s3:getobject", true},
		{"s3:GetObject*", "s3:Get*", true},
		{"arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/*", false},
		{"arn:aws:s3:::b/x", "*", false},
		{"a?c", "a*", false},
	} {
		if !gramCovers(c.in, c.out, c.fold) {
			t.Errorf("gramCovers(%q, %q) = false, want true", c.in, c.out)
		}
	}
	for _, c := range [][2]string{
		{"arn:aws:s3:::b/x", "arn:aws:s3:::b/${*}"}, // ${*} is a literal asterisk
		{"a*", "a?"},
		{"arn:aws:s3:::B/*", "arn:aws:s3:::b/*"},
	} {
		if gramCovers(c[0], c[1], false) {
			t.Errorf("gramCovers(%q, %q) = true, want false", c[0], c[1])
		}
	}
}

// TestGramPolicySizeBound checks that the bound IAM318 uses to skip
// rendering is never below the size it stands for, on every JSON policy
// of the rule cases and on documents written to stress it: escapes,
// non-ASCII, numbers, Principal "*", conditions that
// share an operator.
func TestGramPolicySizeBound(t *testing.T) {
	docs := map[string][]byte{
		"escapes": []byte(`{"Version":"2012-10-17","Id":"q\"\\\u0001é","Statement":[{"Sid":"a\u2028b","Effect":"Allow","Principal":"*","Action":"s3:Get\u0000*","Resource":["arn:aws:s3:::b/ü","*"]}]}`),
		"deny":    []byte(`{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["ÿ\t","1"]},"NotAction":[],"NotResource":"x"}}`),
		"conditions": []byte(`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{
			"ForAllValues:StringNotEqualsIgnoreCaseIfExists":{"aws:TagKeys":["a","b"],"aws:RequestTag/x":"y"},
			"NumericLessThan":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":false},"Null":{"k":true}}}]}`),
	}
	archives, err := filepath.Glob(filepath.Join("testdata", "*", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range archives {
		ar, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if strings.HasSuffix(f.Name, ".json") {
				docs[name+":"+f.Name] = f.Data
			}
		}
	}
	checked := 0
	for name, data := range docs {
		doc, _ := iam.ParsePolicy(data, iam.ParseOptions{Filename: name})
		if doc == nil {
			if !strings.HasSuffix(name, ".json") {
				t.Errorf("%s: does not parse", name)
			}
			continue
		}
		checked++
		if size, bound := utf8.RuneCount(doc.JSON()), gramPolicySizeBound(doc); bound < size {
			t.Errorf("%s: bound %d below the size %d of %s", name, bound, size, doc.JSON())
		}
	}
	if checked < 100 {
		t.Errorf("checked only %d documents", checked)
	}
}
