package cloudformation

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam/jsonpos"
)

// This file evaluates intrinsic functions. Evaluation copies on write: a
// subtree without functions is returned as it is, with its source ranges;
// a function's scalar result is a new value carrying the range of the
// call (the whole "!Sub ..." node), so a finding on a resolved ARN points
// at the expression that produced it. Values that cannot be known before
// deployment are strings holding a symbolic form ("${AWS::AccountId}",
// "${Bucket.Arn}") and are recorded in template.unknown.
//
// Which unknowns are reported: inputs that a reader could supply but the
// template does not — a parameter without a Default, an SSM parameter,
// Fn::ImportValue, a condition that cannot be decided, a macro — get a
// warning where they are used. Values that are unknown for every template
// by nature — the account, region and stack, generated physical names,
// attributes of non-IAM resources — are symbolic without a warning; the
// account is also listed in the model's Unknown fields.

// tri is a condition's value: true, false, or undecidable statically.
type tri int8

const (
	triUnknown tri = iota
	triFalse
	triTrue
)

// Pseudo parameters. The partition is taken to be "aws" (and with it the
// URL suffix); account, region and stack are symbolic.
const (
	pseudoAccountID = "AWS::AccountId"
	partition       = "aws"
	urlSuffix       = "amazonaws.com"
)

func isIntrinsic(key string) bool { return key == "Ref" || strings.HasPrefix(key, "Fn::") }

// eval resolves the intrinsic functions in v.
func (t *template) eval(v *jsonpos.Value) *jsonpos.Value {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case jsonpos.Object:
		if len(v.Members) == 1 && isIntrinsic(v.Members[0].Key) {
			return t.call(v, v.Members[0])
		}
		var out []jsonpos.Member
		for i, m := range v.Members {
			e := t.eval(m.Value)
			if out == nil && e == m.Value {
				continue
			}
			if out == nil {
				out = make([]jsonpos.Member, i, len(v.Members))
				copy(out, v.Members[:i])
			}
			if e != t.noValue {
				out = append(out, jsonpos.Member{Key: m.Key, KeyRange: m.KeyRange, Value: e})
			}
		}
		if out == nil {
			return v
		}
		return &jsonpos.Value{Kind: jsonpos.Object, Range: v.Range, Members: out}
	case jsonpos.Array:
		var out []*jsonpos.Value
		for i, e := range v.Elems {
			r := t.eval(e)
			if out == nil && r == e {
				continue
			}
			if out == nil {
				out = make([]*jsonpos.Value, i, len(v.Elems))
				copy(out, v.Elems[:i])
			}
			if r != t.noValue {
				out = append(out, r)
			}
		}
		if out == nil {
			return v
		}
		return &jsonpos.Value{Kind: jsonpos.Array, Range: v.Range, Elems: out}
	}
	return v
}

// str makes a string result of a function call at rng.
func (t *template) str(rng hcl.Range, text string, unknown bool) *jsonpos.Value {
	v := &jsonpos.Value{Kind: jsonpos.String, Str: text, Range: rng}
	t.derived[v] = true
	if unknown {
		t.unknown[v] = true
	}
	return v
}

// symbol makes an unknown string "${text}".
func (t *template) symbol(rng hcl.Range, text string) *jsonpos.Value {
	return t.str(rng, "${"+text+"}", true)
}

// scalar returns a value's text if it is a string, number or boolean,
// with whether it is unknown.
func (t *template) scalar(v *jsonpos.Value) (text string, unknown, ok bool) {
	if v == nil {
		return "", false, false
	}
	switch v.Kind {
	case jsonpos.String, jsonpos.Number, jsonpos.Bool:
		return v.Str, t.unknown[v], true
	}
	return "", false, false
}

func (t *template) call(v *jsonpos.Value, m jsonpos.Member) *jsonpos.Value {
	rng := v.Range
	switch m.Key {
	case "Ref":
		name, ok := t.argName(m, "Ref")
		if !ok {
			return t.symbol(rng, "Ref")
		}
		return t.ref(name, rng, m.Value.Range)
	case "Fn::GetAtt":
		return t.getAtt(m, rng)
	case "Fn::Sub":
		return t.sub(m, rng)
	case "Fn::Join":
		return t.join(m, rng)
	case "Fn::Select":
		return t.selectFn(m, rng)
	case "Fn::Split":
		return t.split(m, rng)
	case "Fn::If":
		return t.ifFn(m, rng)
	case "Fn::FindInMap":
		return t.findInMap(m, rng)
	case "Fn::Base64":
		a := t.eval(m.Value)
		s, unk, ok := t.scalar(a)
		if !ok {
			t.errorf(m.Value.Range, "Invalid Fn::Base64", "Fn::Base64 takes a string; found %s.", kindName(a))
			return t.symbol(rng, "Fn::Base64")
		}
		if unk {
			return t.symbol(rng, "Fn::Base64:"+s)
		}
		return t.str(rng, base64.StdEncoding.EncodeToString([]byte(s)), false)
	case "Fn::ImportValue":
		a := t.eval(m.Value)
		s, _, _ := t.scalar(a)
		t.warnf(rng, "Unresolved value", "Fn::ImportValue %q reads another stack's export, which is only known at deployment; the value is treated as unknown.", s)
		return t.symbol(rng, "Fn::ImportValue:"+s)
	case "Fn::GetAZs":
		return t.symbol(rng, "Fn::GetAZs")
	case "Fn::Cidr":
		return t.symbol(rng, "Fn::Cidr")
	case "Fn::Transform":
		t.warnf(rng, "Unresolved value", "Fn::Transform runs a macro at deployment; iamlint does not expand macros, so the value is treated as unknown.")
		return t.symbol(rng, "Fn::Transform")
	case "Fn::Length":
		a := t.eval(m.Value)
		if a != nil && a.Kind == jsonpos.Array {
			return t.number(rng, len(a.Elems))
		}
		return t.symbol(rng, "Fn::Length")
	case "Fn::ToJsonString":
		a := t.eval(m.Value)
		text, unknown := t.toJSON(a)
		return t.str(rng, text, unknown)
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
		t.errorf(m.KeyRange, "Condition function outside a condition",
			"%s can only be used in the Conditions section or as the condition of Fn::If; declare a condition and use Fn::If.", m.Key)
		return t.symbol(rng, m.Key)
	}
	if !t.badTags[m.KeyRange.Start] {
		t.errorf(m.KeyRange, "Unknown intrinsic function",
			"%s is not a CloudFormation intrinsic function; the value is treated as unknown.", m.Key)
	}
	return t.symbol(rng, m.Key)
}

func (t *template) number(rng hcl.Range, n int) *jsonpos.Value {
	v := &jsonpos.Value{Kind: jsonpos.Number, Str: strconv.Itoa(n), Range: rng}
	t.derived[v] = true
	return v
}

// argName evaluates a function argument that must be a known string.
func (t *template) argName(m jsonpos.Member, fn string) (string, bool) {
	a := t.eval(m.Value)
	s, unk, ok := t.scalar(a)
	if !ok || a.Kind != jsonpos.String {
		t.errorf(m.Value.Range, "Invalid "+fn, "%s takes the name of a parameter or resource as a string; found %s.", fn, kindName(a))
		return "", false
	}
	if unk {
		return "", false
	}
	return s, true
}

// ref resolves a Ref to a pseudo parameter, parameter or resource.
func (t *template) ref(name string, rng, nameRange hcl.Range) *jsonpos.Value {
	switch name {
	case pseudoAccountID, "AWS::Region", "AWS::StackName", "AWS::StackId":
		return t.symbol(rng, name)
	case "AWS::NotificationARNs":
		return t.symbol(rng, name)
	case "AWS::Partition":
		return t.str(rng, partition, false)
	case "AWS::URLSuffix":
		return t.str(rng, urlSuffix, false)
	case "AWS::NoValue":
		return t.noValue
	}
	if strings.HasPrefix(name, "AWS::") {
		t.errorf(nameRange, "Unknown pseudo parameter", "%s is not a pseudo parameter; they are AWS::AccountId, AWS::NotificationARNs, AWS::NoValue, AWS::Partition, AWS::Region, AWS::StackId, AWS::StackName and AWS::URLSuffix.", name)
		return t.symbol(rng, name)
	}
	if p := t.params[name]; p != nil {
		return t.param(p, rng)
	}
	if r := t.resources[name]; r != nil {
		return t.resourceRef(r, rng)
	}
	t.errorf(nameRange, "Reference to an undefined name",
		"%q is neither a parameter nor a resource of this template%s.", name, t.suggest(name))
	return t.symbol(rng, name)
}

// suggest names a parameter or resource spelled like name, if one is.
func (t *template) suggest(name string) string {
	for _, n := range t.names {
		if strings.EqualFold(n, name) {
			return fmt.Sprintf(" (did you mean %q?)", n)
		}
	}
	return ""
}

// param returns a parameter's value: its Default, split at commas for a
// list type. Parameters without a Default, and SSM parameters (whose
// Default names the SSM parameter, not the value), are unknown.
func (t *template) param(p *param, rng hcl.Range) *jsonpos.Value {
	if strings.HasPrefix(p.typ, "AWS::SSM::Parameter::Value") {
		t.warnf(rng, "Unresolved value", "Parameter %s is read from SSM Parameter Store at deployment; the value is treated as unknown.", p.name)
		return t.symbol(rng, p.name)
	}
	if p.def == nil {
		t.warnf(rng, "Unresolved value", "Parameter %s has no Default, so its value is only known at deployment; it is treated as unknown.", p.name)
		return t.symbol(rng, p.name)
	}
	isList := p.typ == "CommaDelimitedList" || strings.HasPrefix(p.typ, "List<")
	d := p.def
	switch d.Kind {
	case jsonpos.String, jsonpos.Number, jsonpos.Bool:
		if !isList {
			return t.str(rng, d.Str, false)
		}
		out := &jsonpos.Value{Kind: jsonpos.Array, Range: rng}
		if d.Str != "" {
			for _, part := range strings.Split(d.Str, ",") {
				out.Elems = append(out.Elems, t.str(rng, strings.TrimSpace(part), false))
			}
		}
		t.derived[out] = true
		return out
	case jsonpos.Array:
		out := &jsonpos.Value{Kind: jsonpos.Array, Range: rng}
		for _, e := range d.Elems {
			s, _, ok := t.scalar(e)
			if ok {
				out.Elems = append(out.Elems, t.str(rng, s, false))
			}
		}
		t.derived[out] = true
		return out
	}
	t.errorf(d.Range, "Invalid parameter Default", "The Default of parameter %s must be a string; found %s.", p.name, kindName(d))
	return t.symbol(rng, p.name)
}

// resourceRef is what Ref returns for a resource: the name of a user,
// group, role or instance profile, the ARN of a managed policy, and a
// symbolic physical ID for anything else.
func (t *template) resourceRef(r *resource, rng hcl.Range) *jsonpos.Value {
	var v *jsonpos.Value
	switch r.typ {
	case typeUser, typeGroup, typeRole, typeInstanceProfile:
		t.identity(r)
		if r.idState != idDone {
			v = t.symbol(rng, r.id)
		} else {
			v = t.str(rng, r.name, r.nameUnknown)
		}
	case typeManagedPolicy:
		t.identity(r)
		if r.idState != idDone {
			v = t.symbol(rng, r.id)
		} else {
			v = t.str(rng, r.arn, true)
		}
	default:
		v = t.symbol(rng, r.id)
	}
	t.refs[v] = r
	return v
}

// attributes lists the GetAtt attributes of the IAM types; attributes of
// other types are not checked.
var attributes = map[string][]string{
	typeRole:            {"Arn", "RoleId"},
	typeUser:            {"Arn"},
	typeGroup:           {"Arn"},
	typeInstanceProfile: {"Arn"},
	typeManagedPolicy:   {"AttachmentCount", "CreateDate", "DefaultVersionId", "IsAttachable", "PermissionsBoundaryUsageCount", "PolicyArn", "PolicyId", "UpdateDate"},
	typeAccessKey:       {"SecretAccessKey"},
}

func (t *template) getAtt(m jsonpos.Member, rng hcl.Range) *jsonpos.Value {
	a := m.Value
	var name, attr string
	switch {
	case a.Kind == jsonpos.String:
		name, attr, _ = strings.Cut(a.Str, ".")
	case a.Kind == jsonpos.Array && len(a.Elems) == 2:
		n, nunk, ok1 := t.scalar(t.eval(a.Elems[0]))
		at, aunk, ok2 := t.scalar(t.eval(a.Elems[1]))
		if !ok1 || !ok2 {
			break
		}
		if nunk || aunk {
			return t.symbol(rng, "Fn::GetAtt")
		}
		name, attr = n, at
	}
	if name == "" || attr == "" {
		t.errorf(a.Range, "Invalid Fn::GetAtt", "Fn::GetAtt takes [LogicalId, Attribute] (or \"LogicalId.Attribute\" in YAML).")
		return t.symbol(rng, "Fn::GetAtt")
	}
	r := t.resources[name]
	if r == nil {
		t.errorf(a.Range, "Reference to an undefined name", "Fn::GetAtt names %q, which is not a resource of this template%s.", name, t.suggest(name))
		return t.symbol(rng, name+"."+attr)
	}
	if list, ok := attributes[r.typ]; ok && !slices.Contains(list, attr) {
		t.errorf(a.Range, "Unknown attribute", "%s has no attribute %q; %s has %s.", name, attr, r.typ, strings.Join(list, ", "))
		return t.symbol(rng, name+"."+attr)
	}
	if attr == "Arn" && r.typ != typeManagedPolicy || attr == "PolicyArn" && r.typ == typeManagedPolicy {
		if _, ok := identityProps[r.typ]; ok {
			t.identity(r)
			if r.idState == idDone {
				v := t.str(rng, r.arn, true)
				t.refs[v] = r
				return v
			}
		}
	}
	return t.symbol(rng, name+"."+attr)
}

// subPart is a literal run or a ${variable} of a Fn::Sub string.
type subPart struct {
	text  string
	isVar bool
}

// parseSub splits a Fn::Sub string; "${!x}" is the literal "${x}".
func parseSub(s string) []subPart {
	var parts []subPart
	lit := strings.Builder{}
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			lit.WriteString(s)
			break
		}
		lit.WriteString(s[:i])
		rest := s[i+2:]
		if strings.HasPrefix(rest, "!") {
			lit.WriteString("${")
			s = rest[1:]
			continue
		}
		j := strings.IndexByte(rest, '}')
		if j < 0 {
			lit.WriteString(s[i:])
			break
		}
		if lit.Len() > 0 {
			parts = append(parts, subPart{text: lit.String()})
			lit.Reset()
		}
		parts = append(parts, subPart{text: strings.TrimSpace(rest[:j]), isVar: true})
		s = rest[j+1:]
	}
	if lit.Len() > 0 {
		parts = append(parts, subPart{text: lit.String()})
	}
	return parts
}

func (t *template) sub(m jsonpos.Member, rng hcl.Range) *jsonpos.Value {
	a := m.Value
	var tmpl *jsonpos.Value
	var vars map[string]*jsonpos.Value
	switch a.Kind {
	case jsonpos.String:
		tmpl = a
	case jsonpos.Array:
		if len(a.Elems) == 2 && a.Elems[0].Kind == jsonpos.String {
			tmpl = a.Elems[0]
			vm := t.eval(a.Elems[1])
			if vm.Kind != jsonpos.Object {
				if !t.unknown[vm] {
					t.errorf(a.Elems[1].Range, "Invalid Fn::Sub", "The second element of Fn::Sub must map variable names to values; found %s.", kindName(vm))
				}
				return t.symbol(rng, "Fn::Sub")
			}
			vars = map[string]*jsonpos.Value{}
			for _, vmm := range vm.Members {
				vars[vmm.Key] = vmm.Value
			}
		}
	}
	if tmpl == nil {
		t.errorf(a.Range, "Invalid Fn::Sub", "Fn::Sub takes a string, or [string, {variables}]; found %s.", kindName(a))
		return t.symbol(rng, "Fn::Sub")
	}
	var b strings.Builder
	unknown := false
	var only *resource // the resource when the string is exactly one reference to it
	parts := parseSub(tmpl.Str)
	for _, p := range parts {
		if !p.isVar {
			b.WriteString(p.text)
			continue
		}
		v := t.subVar(p.text, vars, rng, tmpl.Range)
		if v == nil {
			b.WriteString("${" + p.text + "}")
			continue
		}
		s, unk, ok := t.scalar(v)
		if !ok {
			t.errorf(tmpl.Range, "Invalid Fn::Sub variable", "${%s} is %s; Fn::Sub can only insert strings.", p.text, kindName(v))
			s, unk = "${"+p.text+"}", true
		}
		b.WriteString(s)
		unknown = unknown || unk
		if len(parts) == 1 {
			only = t.refs[v]
		}
	}
	out := t.str(rng, b.String(), unknown)
	if only != nil {
		t.refs[out] = only
	}
	return out
}

// subVar resolves one ${name} of a Fn::Sub string; nil when it is not
// resolvable at all (an error has been reported).
func (t *template) subVar(name string, vars map[string]*jsonpos.Value, rng, strRange hcl.Range) *jsonpos.Value {
	if v, ok := vars[name]; ok {
		return v
	}
	if strings.HasPrefix(name, "AWS::") || t.params[name] != nil {
		return t.ref(name, rng, strRange)
	}
	if r := t.resources[name]; r != nil {
		return t.resourceRef(r, rng)
	}
	if res, attr, ok := strings.Cut(name, "."); ok && t.resources[res] != nil {
		return t.getAtt(jsonpos.Member{Key: "Fn::GetAtt", Value: &jsonpos.Value{
			Kind: jsonpos.Array, Range: strRange,
			Elems: []*jsonpos.Value{{Kind: jsonpos.String, Str: res, Range: strRange}, {Kind: jsonpos.String, Str: attr, Range: strRange}},
		}}, rng)
	}
	hint := ""
	if strings.Contains(name, ":") {
		hint = fmt.Sprintf(" To keep the IAM policy variable ${%s} in the text, write ${!%s}.", name, name)
	}
	t.errorf(strRange, "Undefined Fn::Sub variable",
		"${%s} is not a parameter, resource, resource attribute or pseudo parameter%s.%s", name, t.suggest(name), hint)
	return nil
}

func (t *template) join(m jsonpos.Member, rng hcl.Range) *jsonpos.Value {
	a := m.Value
	if a.Kind != jsonpos.Array || len(a.Elems) != 2 {
		t.errorf(a.Range, "Invalid Fn::Join", "Fn::Join takes [delimiter, [values]].")
		return t.symbol(rng, "Fn::Join")
	}
	delim, dunk, ok := t.scalar(t.eval(a.Elems[0]))
	if !ok {
		t.errorf(a.Elems[0].Range, "Invalid Fn::Join", "The delimiter of Fn::Join must be a string.")
		return t.symbol(rng, "Fn::Join")
	}
	list := t.eval(a.Elems[1])
	if t.unknown[list] {
		return t.str(rng, "${Fn::Join:"+list.Str+"}", true)
	}
	if list.Kind != jsonpos.Array {
		t.errorf(a.Elems[1].Range, "Invalid Fn::Join", "The second element of Fn::Join must be a list; found %s.", kindName(list))
		return t.symbol(rng, "Fn::Join")
	}
	texts := make([]string, 0, len(list.Elems))
	unknown := dunk
	for _, e := range list.Elems {
		s, unk, ok := t.scalar(e)
		if !ok {
			t.errorf(e.Range, "Invalid Fn::Join", "Fn::Join can only join strings; found %s.", kindName(e))
			s, unk = "${Fn::Join}", true
		}
		texts = append(texts, s)
		unknown = unknown || unk
	}
	return t.str(rng, strings.Join(texts, delim), unknown)
}

func (t *template) selectFn(m jsonpos.Member, rng hcl.Range) *jsonpos.Value {
	a := m.Value
	if a.Kind != jsonpos.Array || len(a.Elems) != 2 {
		t.errorf(a.Range, "Invalid Fn::Select", "Fn::Select takes [index, [values]].")
		return t.symbol(rng, "Fn::Select")
	}
	is, iunk, ok := t.scalar(t.eval(a.Elems[0]))
	idx, err := strconv.Atoi(is)
	if ok && !iunk && err != nil {
		ok = false
	}
	if !ok {
		t.errorf(a.Elems[0].Range, "Invalid Fn::Select", "The index of Fn::Select must be a whole number.")
		return t.symbol(rng, "Fn::Select")
	}
	list := t.eval(a.Elems[1])
	if iunk || t.unknown[list] {
		return t.symbol(rng, "Fn::Select")
	}
	if list.Kind != jsonpos.Array {
		t.errorf(a.Elems[1].Range, "Invalid Fn::Select", "The second element of Fn::Select must be a list; found %s.", kindName(list))
		return t.symbol(rng, "Fn::Select")
	}
	if idx < 0 || idx >= len(list.Elems) {
		t.errorf(a.Elems[0].Range, "Fn::Select index out of range", "Index %d is outside the list of %d values.", idx, len(list.Elems))
		return t.symbol(rng, "Fn::Select")
	}
	e := list.Elems[idx]
	if s, unk, ok := t.scalar(e); ok {
		v := t.str(rng, s, unk)
		v.Kind, v.Bool = e.Kind, e.Bool
		if r := t.refs[e]; r != nil {
			t.refs[v] = r
		}
		return v
	}
	return e
}

func (t *template) split(m jsonpos.Member, rng hcl.Range) *jsonpos.Value {
	a := m.Value
	if a.Kind != jsonpos.Array || len(a.Elems) != 2 {
		t.errorf(a.Range, "Invalid Fn::Split", "Fn::Split takes [delimiter, string].")
		return t.symbol(rng, "Fn::Split")
	}
	delim, dunk, ok1 := t.scalar(t.eval(a.Elems[0]))
	s, sunk, ok2 := t.scalar(t.eval(a.Elems[1]))
	if !ok1 || !ok2 || delim == "" && !dunk {
		t.errorf(a.Range, "Invalid Fn::Split", "Fn::Split takes a non-empty delimiter and a string.")
		return t.symbol(rng, "Fn::Split")
	}
	if dunk || sunk {
		return t.str(rng, "${Fn::Split:"+s+"}", true)
	}
	out := &jsonpos.Value{Kind: jsonpos.Array, Range: rng}
	for _, p := range strings.Split(s, delim) {
		out.Elems = append(out.Elems, t.str(rng, p, false))
	}
	t.derived[out] = true
	return out
}

// ifFn picks a branch when the condition can be decided (from parameter
// defaults and the partition). When it cannot, the result is unknown —
// not both branches, which would invent a policy no deployment has —
// unless both branches are the same scalar.
func (t *template) ifFn(m jsonpos.Member, rng hcl.Range) *jsonpos.Value {
	a := m.Value
	if a.Kind != jsonpos.Array || len(a.Elems) != 3 || a.Elems[0].Kind != jsonpos.String {
		t.errorf(a.Range, "Invalid Fn::If", "Fn::If takes [ConditionName, value if true, value if false].")
		return t.symbol(rng, "Fn::If")
	}
	name := a.Elems[0].Str
	switch t.condition(name, a.Elems[0].Range) {
	case triTrue:
		return t.eval(a.Elems[1])
	case triFalse:
		return t.eval(a.Elems[2])
	}
	x, y := t.eval(a.Elems[1]), t.eval(a.Elems[2])
	if x == t.noValue && y == t.noValue {
		return t.noValue
	}
	if xs, xu, ok := t.scalar(x); ok && !xu {
		if ys, yu, ok := t.scalar(y); ok && !yu && xs == ys {
			return t.str(rng, xs, false)
		}
	}
	if _, ok := t.conditions[name]; ok {
		t.warnf(rng, "Unresolved value", "Condition %s cannot be decided before deployment, so this Fn::If is treated as unknown (neither branch is assumed).", name)
	}
	return t.symbol(rng, "Fn::If:"+name)
}

func (t *template) findInMap(m jsonpos.Member, rng hcl.Range) *jsonpos.Value {
	a := m.Value
	if a.Kind != jsonpos.Array || len(a.Elems) < 3 || len(a.Elems) > 4 {
		t.errorf(a.Range, "Invalid Fn::FindInMap", "Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey].")
		return t.symbol(rng, "Fn::FindInMap")
	}
	var keys [3]string
	for i := range keys {
		s, unk, ok := t.scalar(t.eval(a.Elems[i]))
		if !ok {
			t.errorf(a.Elems[i].Range, "Invalid Fn::FindInMap", "The keys of Fn::FindInMap must be strings.")
			return t.symbol(rng, "Fn::FindInMap")
		}
		if unk {
			return t.symbol(rng, "Fn::FindInMap:"+keys[0])
		}
		keys[i] = s
	}
	var def *jsonpos.Value
	if len(a.Elems) == 4 {
		if d := t.eval(a.Elems[3]); d.Kind == jsonpos.Object {
			if dm := d.Lookup("DefaultValue"); dm != nil {
				def = dm.Value
			}
		}
	}
	v := t.mappings.Lookup(keys[0])
	what := "mapping " + keys[0]
	if v != nil {
		v = v.Value.Lookup(keys[1])
		what = fmt.Sprintf("key %q of mapping %s", keys[1], keys[0])
		if v != nil {
			v = v.Value.Lookup(keys[2])
			what = fmt.Sprintf("key %q under %q of mapping %s", keys[2], keys[1], keys[0])
		}
	}
	if v == nil {
		if def != nil {
			return def
		}
		t.errorf(a.Range, "Fn::FindInMap finds nothing", "The template has no %s.", what)
		return t.symbol(rng, "Fn::FindInMap:"+keys[0])
	}
	// Mappings hold literal values only (CloudFormation rejects functions
	// there), so the value is not evaluated: a FindInMap inside a mapping
	// must not recurse.
	r := v.Value
	if s, unk, ok := t.scalar(r); ok {
		out := t.str(rng, s, unk)
		out.Kind, out.Bool = r.Kind, r.Bool
		return out
	}
	if r.Kind == jsonpos.Array {
		out := &jsonpos.Value{Kind: jsonpos.Array, Range: rng}
		for _, e := range r.Elems {
			if s, unk, ok := t.scalar(e); ok {
				out.Elems = append(out.Elems, t.str(rng, s, unk))
			} else {
				out.Elems = append(out.Elems, e)
			}
		}
		t.derived[out] = true
		return out
	}
	return r
}

// toJSON renders an evaluated value as compact JSON (Fn::ToJsonString).
func (t *template) toJSON(v *jsonpos.Value) (string, bool) {
	var b strings.Builder
	unknown := false
	var walk func(v *jsonpos.Value)
	walk = func(v *jsonpos.Value) {
		switch v.Kind {
		case jsonpos.Object:
			b.WriteByte('{')
			for i, m := range v.Members {
				if i > 0 {
					b.WriteByte(',')
				}
				k, _ := json.Marshal(m.Key)
				b.Write(k)
				b.WriteByte(':')
				walk(m.Value)
			}
			b.WriteByte('}')
		case jsonpos.Array:
			b.WriteByte('[')
			for i, e := range v.Elems {
				if i > 0 {
					b.WriteByte(',')
				}
				walk(e)
			}
			b.WriteByte(']')
		case jsonpos.String:
			s, _ := json.Marshal(v.Str)
			b.Write(s)
			unknown = unknown || t.unknown[v]
		default:
			b.WriteString(v.Str)
		}
	}
	walk(v)
	return b.String(), unknown
}

// condition returns the value of a named condition, evaluating it once.
func (t *template) condition(name string, at hcl.Range) tri {
	c := t.conditions[name]
	if c == nil {
		t.errorf(at, "Undefined condition", "The template has no condition named %q.", name)
		return triUnknown
	}
	switch c.state {
	case condDone:
		return c.val
	case condBusy:
		t.errorf(c.keyRange, "Circular condition", "Condition %s refers to itself through other conditions.", name)
		return triUnknown
	}
	c.state = condBusy
	c.val = t.condExpr(c.expr)
	c.state = condDone
	return c.val
}

// condExpr evaluates a condition function.
func (t *template) condExpr(v *jsonpos.Value) tri {
	if v.Kind != jsonpos.Object || len(v.Members) != 1 {
		t.errorf(v.Range, "Invalid condition", "A condition is one of Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition.")
		return triUnknown
	}
	m := v.Members[0]
	args := m.Value
	switch m.Key {
	case "Condition":
		if args.Kind != jsonpos.String {
			t.errorf(args.Range, "Invalid condition", "Condition takes a condition name.")
			return triUnknown
		}
		return t.condition(args.Str, args.Range)
	case "Fn::Equals":
		if args.Kind != jsonpos.Array || len(args.Elems) != 2 {
			t.errorf(args.Range, "Invalid Fn::Equals", "Fn::Equals takes two values.")
			return triUnknown
		}
		x, y := t.eval(args.Elems[0]), t.eval(args.Elems[1])
		xs, xu := t.toJSON(x)
		ys, yu := t.toJSON(y)
		if x == t.noValue || y == t.noValue || xu || yu {
			return triUnknown
		}
		if x.Kind != jsonpos.Object && x.Kind != jsonpos.Array {
			xs = x.Str
		}
		if y.Kind != jsonpos.Object && y.Kind != jsonpos.Array {
			ys = y.Str
		}
		if xs == ys {
			return triTrue
		}
		return triFalse
	case "Fn::And", "Fn::Or":
		if args.Kind != jsonpos.Array || len(args.Elems) == 0 {
			t.errorf(args.Range, "Invalid "+m.Key, "%s takes a list of conditions.", m.Key)
			return triUnknown
		}
		and := m.Key == "Fn::And"
		out := triTrue
		if !and {
			out = triFalse
		}
		for _, e := range args.Elems {
			switch t.condExpr(e) {
			case triUnknown:
				out = triUnknown
			case triFalse:
				if and {
					return triFalse
				}
			case triTrue:
				if !and {
					return triTrue
				}
			}
		}
		return out
	case "Fn::Not":
		if args.Kind != jsonpos.Array || len(args.Elems) != 1 {
			t.errorf(args.Range, "Invalid Fn::Not", "Fn::Not takes a list of one condition.")
			return triUnknown
		}
		switch t.condExpr(args.Elems[0]) {
		case triTrue:
			return triFalse
		case triFalse:
			return triTrue
		}
		return triUnknown
	}
	t.errorf(m.KeyRange, "Invalid condition", "%s is not a condition function; use Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition.", m.Key)
	return triUnknown
}

// kindName names a value's kind in template terms (a YAML sequence is "a
// list").
func kindName(v *jsonpos.Value) string {
	switch {
	case v == nil:
		return "nothing"
	case v.Kind == jsonpos.Array:
		return "a list"
	}
	return v.Kind.Phrase()
}
