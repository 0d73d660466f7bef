// Package cloudformation loads IAM resources from CloudFormation templates
// (JSON or YAML), and the workloads that run with a role (Lambda
// functions, EC2 instances, ...; see workload.go).
//
// Both formats become one position-carrying tree (iam/jsonpos values; see
// yaml.go for YAML), in which the short-form tags are their long forms.
// Intrinsic functions are then resolved as far as a template allows
// without deploying it (eval.go): parameters take their Default,
// conditions are decided from those defaults, references between IAM
// resources become names, ARNs and model pointers, and everything else is
// an explicit unknown. Policy documents go through iam.DecodePolicy, so
// every statement element keeps its line and column in the template.
package cloudformation

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"go.yaml.in/yaml/v3"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

// Resource types read.
const (
	typeUser            = "AWS::IAM::User"
	typeGroup           = "AWS::IAM::Group"
	typeRole            = "AWS::IAM::Role"
	typePolicy          = "AWS::IAM::Policy"
	typeManagedPolicy   = "AWS::IAM::ManagedPolicy"
	typeRolePolicy      = "AWS::IAM::RolePolicy"
	typeUserPolicy      = "AWS::IAM::UserPolicy"
	typeGroupPolicy     = "AWS::IAM::GroupPolicy"
	typeUserToGroup     = "AWS::IAM::UserToGroupAddition"
	typeAccessKey       = "AWS::IAM::AccessKey"
	typeInstanceProfile = "AWS::IAM::InstanceProfile"
	typeVirtualMFA      = "AWS::IAM::VirtualMFADevice"
	typeOrgPolicy       = "AWS::Organizations::Policy"
)

// identityProps gives, for the types with a name and an ARN, the property
// holding the name and the ARN's resource type.
var identityProps = map[string][2]string{
	typeUser:            {"UserName", "user"},
	typeGroup:           {"GroupName", "group"},
	typeRole:            {"RoleName", "role"},
	typeManagedPolicy:   {"ManagedPolicyName", "policy"},
	typeInstanceProfile: {"InstanceProfileName", "instance-profile"},
}

// accountID is the symbolic ID of the stack's account.
const accountID = "${" + pseudoAccountID + "}"

// IsTemplate reports whether YAML or JSON text looks like a template: it
// mentions AWSTemplateFormatVersion, or has Resources and an AWS:: type.
func IsTemplate(data []byte) bool {
	return bytes.Contains(data, []byte("AWSTemplateFormatVersion")) ||
		bytes.Contains(data, []byte("Resources")) && bytes.Contains(data, []byte("AWS::"))
}

// IsTemplateJSON reports whether parsed JSON is a template: an object with
// AWSTemplateFormatVersion, or whose Resources are objects with an AWS::
// Type.
func IsTemplateJSON(v *jsonpos.Value) bool {
	if v == nil || v.Kind != jsonpos.Object {
		return false
	}
	if v.Lookup("AWSTemplateFormatVersion") != nil {
		return true
	}
	res := v.Lookup("Resources")
	if res == nil || res.Value.Kind != jsonpos.Object {
		return false
	}
	for _, m := range res.Value.Members {
		if t := m.Value.Lookup("Type"); t != nil && t.Value.Kind == jsonpos.String && strings.HasPrefix(t.Value.Str, "AWS::") {
			return true
		}
	}
	return false
}

// Load parses a template and returns the IAM objects it declares.
func Load(path string, data []byte) (*iam.Model, hcl.Diagnostics) {
	t := &template{
		path:       path,
		model:      &iam.Model{},
		params:     map[string]*param{},
		conditions: map[string]*condition{},
		resources:  map[string]*resource{},
		unknown:    map[*jsonpos.Value]bool{},
		refs:       map[*jsonpos.Value]*resource{},
		derived:    map[*jsonpos.Value]bool{},
		badTags:    map[hcl.Pos]bool{},
		noValue:    &jsonpos.Value{Kind: jsonpos.Null, Str: "null"},
	}
	root := t.parse(data)
	if root != nil {
		t.load(root)
	}
	t.model.Sort()
	return t.model, dedupe(t.diags)
}

// template is the state of one Load.
type template struct {
	path  string
	conv  *converter // for YAML templates; nil for JSON
	model *iam.Model
	diags hcl.Diagnostics

	params     map[string]*param
	conditions map[string]*condition
	resources  map[string]*resource
	sorted     []*resource // resources by logical ID
	names      []string    // parameter and resource names, for suggestions
	mappings   *jsonpos.Value
	account    *iam.Account

	// unknown marks evaluated strings holding a symbolic form; refs maps
	// evaluated strings to the resource they name or identify; derived
	// marks values made by functions (no source text of their own).
	unknown map[*jsonpos.Value]bool
	refs    map[*jsonpos.Value]*resource
	derived map[*jsonpos.Value]bool
	badTags map[hcl.Pos]bool
	noValue *jsonpos.Value // AWS::NoValue: removes the member or element

	// byName finds resources by type and resolved name or ARN; built on
	// first use, once every identity is resolved.
	byName map[[2]string]*resource
	// externals are the stubs of principals named but not declared, by
	// type, account and name.
	externals map[[3]string]*resource
}

type param struct {
	name string
	typ  string
	def  *jsonpos.Value
}

const (
	condTodo = iota
	condBusy
	condDone
)

type condition struct {
	keyRange hcl.Range
	expr     *jsonpos.Value
	state    int
	val      tri
}

const (
	idTodo = iota
	idBusy
	idDone
)

type resource struct {
	id       string
	typ      string
	addr     string
	rng      hcl.Range
	keyRange hcl.Range
	decl     *jsonpos.Value
	props    *jsonpos.Value // Properties as written, or an empty object
	skipped  bool           // its Condition is false

	// identity, resolved on first use
	idState                  int
	name, path, arn          string
	nameUnknown, pathUnknown bool

	// model objects
	user    *iam.User
	group   *iam.Group
	role    *iam.Role
	policy  *iam.ManagedPolicy
	profile *iam.InstanceProfile

	evaluated *jsonpos.Value // Properties after evaluation
}

func (t *template) errorf(rng hcl.Range, summary, format string, args ...any) {
	t.diags = append(t.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: rng.Ptr()})
}

func (t *template) warnf(rng hcl.Range, summary, format string, args ...any) {
	t.diags = append(t.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: rng.Ptr()})
}

// parse reads a .json file, or text starting with "{", with jsonpos
// (exact positions, strict JSON) and anything else as YAML. Text in
// another file that starts like JSON but is not JSON is read as YAML, as
// CloudFormation does; if that fails too, the JSON error is reported.
func (t *template) parse(data []byte) *jsonpos.Value {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")), " \t\r\n")
	var jsonDiags hcl.Diagnostics
	isJSON := strings.HasSuffix(strings.ToLower(t.path), ".json")
	if isJSON || len(trimmed) > 0 && trimmed[0] == '{' {
		v, diags := jsonpos.Parse(data, jsonpos.Options{Filename: t.path})
		if !diags.HasErrors() {
			return v
		}
		if isJSON {
			t.diags = append(t.diags, diags...)
			return nil
		}
		jsonDiags = diags
	}
	src := newSource(t.path, data)
	var doc yaml.Node
	if err := safeUnmarshal(data, &doc); err != nil {
		if jsonDiags != nil {
			// Text that starts like JSON gets JSON's (exact) error.
			t.diags = append(t.diags, jsonDiags...)
		} else {
			t.diags = append(t.diags, syntaxError(src, err))
		}
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		r := src.rng(0, 0)
		t.errorf(r, "Empty template", "The file holds no YAML document.")
		return nil
	}
	t.conv = &converter{src: src, badTags: t.badTags, literal: map[*jsonpos.Value]*blockInfo{}}
	v, _ := t.conv.value(doc.Content[0], 0)
	t.diags = append(t.diags, t.conv.diags...)
	return v
}

// load reads the sections and builds the model.
func (t *template) load(root *jsonpos.Value) {
	if root.Kind != jsonpos.Object {
		t.errorf(root.Range, "Invalid template", "A template is a mapping of sections (Parameters, Resources, ...); found %s.", kindName(root))
		return
	}
	t.account = &iam.Account{
		Node: iam.Node{Addr: t.path + "#" + pseudoAccountID, Range: root.Range, Unknown: []string{"ID"}},
		ID:   accountID,
	}
	var resources *jsonpos.Value
	for _, m := range root.Members {
		switch m.Key {
		case "Parameters":
			t.readParams(m.Value)
		case "Mappings":
			if m.Value.Kind == jsonpos.Object {
				t.mappings = m.Value
			} else {
				t.errorf(m.Value.Range, "Invalid Mappings", "Mappings must be a mapping; found %s.", kindName(m.Value))
			}
		case "Conditions":
			t.readConditions(m.Value)
		case "Resources":
			resources = m.Value
		case "Transform":
			t.warnf(m.KeyRange, "Template transform not expanded",
				"iamlint reads the template as written; resources that a transform (such as AWS::Serverless) would create are not in the model.")
		}
	}
	if resources == nil {
		t.errorf(root.Range, "Missing Resources", "A template needs a Resources section.")
		return
	}
	t.readResources(resources)
	slices.Sort(t.names)
	t.checkCycles()
	t.build()
}

func (t *template) readParams(v *jsonpos.Value) {
	if v.Kind != jsonpos.Object {
		t.errorf(v.Range, "Invalid Parameters", "Parameters must be a mapping of parameter names to declarations; found %s.", kindName(v))
		return
	}
	for _, m := range v.Members {
		if _, dup := t.params[m.Key]; dup {
			t.errorf(m.KeyRange, "Duplicate parameter", "Parameter %s is declared more than once.", m.Key)
			continue
		}
		p := &param{name: m.Key, typ: "String"}
		if m.Value.Kind != jsonpos.Object {
			t.errorf(m.Value.Range, "Invalid parameter", "Parameter %s must be a mapping with a Type; found %s.", m.Key, kindName(m.Value))
		} else {
			if tm := m.Value.Lookup("Type"); tm != nil && tm.Value.Kind == jsonpos.String {
				p.typ = tm.Value.Str
			}
			if dm := m.Value.Lookup("Default"); dm != nil {
				p.def = dm.Value
			}
		}
		t.params[m.Key] = p
		t.names = append(t.names, m.Key)
	}
}

func (t *template) readConditions(v *jsonpos.Value) {
	if v.Kind != jsonpos.Object {
		t.errorf(v.Range, "Invalid Conditions", "Conditions must be a mapping of condition names to condition functions; found %s.", kindName(v))
		return
	}
	for _, m := range v.Members {
		if _, dup := t.conditions[m.Key]; dup {
			t.errorf(m.KeyRange, "Duplicate condition", "Condition %s is declared more than once.", m.Key)
			continue
		}
		t.conditions[m.Key] = &condition{keyRange: m.KeyRange, expr: m.Value}
	}
}

func (t *template) readResources(v *jsonpos.Value) {
	if v.Kind != jsonpos.Object {
		t.errorf(v.Range, "Invalid Resources", "Resources must be a mapping of logical IDs to resources; found %s.", kindName(v))
		return
	}
	for _, m := range v.Members {
		if first := t.resources[m.Key]; first != nil {
			t.errorf(m.KeyRange, "Duplicate logical ID", "Resource %s is declared twice (first at line %d); CloudFormation's behaviour is undefined. Only the first is read.", m.Key, first.keyRange.Start.Line)
			continue
		}
		if _, clash := t.params[m.Key]; clash {
			t.errorf(m.KeyRange, "Duplicate logical ID", "%s names both a parameter and a resource; logical IDs must be unique.", m.Key)
		}
		r := &resource{
			id:       m.Key,
			addr:     t.path + "#Resources." + m.Key,
			keyRange: m.KeyRange,
			rng:      hcl.RangeBetween(m.KeyRange, m.Value.Range),
			decl:     m.Value,
			props:    &jsonpos.Value{Kind: jsonpos.Object, Range: m.Value.Range},
		}
		t.resources[m.Key] = r
		t.sorted = append(t.sorted, r)
		t.names = append(t.names, m.Key)
		if m.Value.Kind != jsonpos.Object {
			t.errorf(m.Value.Range, "Invalid resource", "Resource %s must be a mapping with a Type; found %s.", m.Key, kindName(m.Value))
			continue
		}
		if tm := m.Value.Lookup("Type"); tm == nil || tm.Value.Kind != jsonpos.String {
			t.errorf(m.KeyRange, "Missing resource type", "Resource %s needs a Type such as AWS::IAM::Role.", m.Key)
		} else {
			r.typ = tm.Value.Str
		}
		if pm := m.Value.Lookup("Properties"); pm != nil {
			if pm.Value.Kind == jsonpos.Object {
				r.props = pm.Value
			} else {
				t.errorf(pm.Value.Range, "Invalid Properties", "The Properties of %s must be a mapping; found %s.", m.Key, kindName(pm.Value))
			}
		}
	}
	sort.Slice(t.sorted, func(i, j int) bool { return t.sorted[i].id < t.sorted[j].id })
	// Conditional resources: a false condition (with the parameters'
	// defaults) leaves the resource out, and says so.
	for _, r := range t.sorted {
		cm := r.decl.Lookup("Condition")
		if cm == nil {
			continue
		}
		if cm.Value.Kind != jsonpos.String {
			t.errorf(cm.Value.Range, "Invalid Condition", "A resource's Condition is the name of a condition.")
			continue
		}
		if t.condition(cm.Value.Str, cm.Value.Range) == triFalse && isModelled(r.typ) {
			r.skipped = true
			t.warnf(r.keyRange, "Resource not created", "Condition %s is false with the parameters' default values, so %s is left out of the model.", cm.Value.Str, r.id)
		}
	}
}

func isModelled(typ string) bool {
	switch typ {
	case typeUser, typeGroup, typeRole, typePolicy, typeManagedPolicy, typeRolePolicy, typeUserPolicy, typeGroupPolicy,
		typeUserToGroup, typeAccessKey, typeInstanceProfile, typeVirtualMFA, typeOrgPolicy:
		return true
	}
	return workloadTypes[typ] != nil
}

// prop returns a property of a resource's Properties as written.
func prop(props *jsonpos.Value, name string) *jsonpos.Value {
	if m := props.Lookup(name); m != nil {
		return m.Value
	}
	return nil
}

// identity resolves a user's, group's, role's, managed policy's or
// instance profile's name, path and ARN. Absent names are generated by
// CloudFormation at deployment: the name is then "${LogicalId}". A
// reference cycle through names leaves the identity unresolved (the cycle
// is reported by checkCycles).
func (t *template) identity(r *resource) {
	if r.idState != idTodo {
		return
	}
	ip, ok := identityProps[r.typ]
	if !ok {
		return
	}
	r.idState = idBusy
	r.path, r.name, r.nameUnknown = "/", "${"+r.id+"}", true
	if p := prop(r.props, "Path"); p != nil {
		if s, unk, ok := t.scalar(t.eval(p)); ok {
			r.path, r.pathUnknown = s, unk
		} else {
			t.errorf(p.Range, "Invalid Path", "Path must be a string such as \"/division/\".")
		}
	}
	if n := prop(r.props, ip[0]); n != nil {
		if s, unk, ok := t.scalar(t.eval(n)); ok {
			r.name, r.nameUnknown = s, unk
		} else {
			t.errorf(n.Range, "Invalid "+ip[0], "%s must be a string.", ip[0])
		}
	}
	r.arn = "arn:" + partition + ":iam::" + accountID + ":" + ip[1] + r.path + r.name
	r.idState = idDone
}

// dedupe drops repeated diagnostics (a value evaluated twice reports
// twice) and sorts them.
func dedupe(diags hcl.Diagnostics) hcl.Diagnostics {
	type key struct {
		sev             hcl.DiagnosticSeverity
		summary, detail string
		rng             hcl.Range
	}
	seen := map[key]bool{}
	out := diags[:0]
	for _, d := range diags {
		k := key{sev: d.Severity, summary: d.Summary, detail: d.Detail}
		if d.Subject != nil {
			k.rng = *d.Subject
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, d)
	}
	iam.SortDiagnostics(out)
	return out
}
