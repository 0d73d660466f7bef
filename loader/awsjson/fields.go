package awsjson

import (
	"fmt"
	"strconv"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam/jsonpos"
)

// decoder reads the AWS CLI's JSON shapes from a parsed file. Every field
// accessor checks the JSON type and reports a mismatch at the value's
// range; an absent field, or null, reads as the zero value. Fields the
// loaders do not know are ignored: AWS adds fields to its responses.
type decoder struct {
	path  string // the file as named by the caller; every address starts with it
	diags hcl.Diagnostics
}

func (d *decoder) errorf(rng hcl.Range, summary, format string, args ...any) {
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: rng.Ptr(),
	})
}

func (d *decoder) warnf(rng hcl.Range, summary, format string, args ...any) {
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagWarning, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: rng.Ptr(),
	})
}

// addr is the address of the element at ptr, such as
// "gaad.json#UserDetailList[3]"; ptr "" addresses the whole file.
func (d *decoder) addr(ptr string) string {
	if ptr == "" {
		return d.path
	}
	return d.path + "#" + ptr
}

// field returns the value of obj's member key, or nil when obj is not an
// object, has no such member, or the member is null.
func field(obj *jsonpos.Value, key string) *jsonpos.Value {
	if obj == nil || obj.Kind != jsonpos.Object {
		return nil
	}
	m := obj.Lookup(key)
	if m == nil || m.Value.Kind == jsonpos.Null {
		return nil
	}
	return m.Value
}

// typed returns obj's member key if it has the wanted kind, reporting a
// mismatch. ptr locates obj for the message ("UserDetailList[3]").
func (d *decoder) typed(obj *jsonpos.Value, key, ptr string, want jsonpos.Kind) *jsonpos.Value {
	v := field(obj, key)
	if v == nil {
		return nil
	}
	if v.Kind != want {
		d.errorf(v.Range, "Unexpected JSON type", "%s must be %s; found %s.", join(ptr, key), want.Phrase(), v.Kind.Phrase())
		return nil
	}
	return v
}

func (d *decoder) str(obj *jsonpos.Value, key, ptr string) string {
	if v := d.typed(obj, key, ptr, jsonpos.String); v != nil {
		return v.Str
	}
	return ""
}

func (d *decoder) boolean(obj *jsonpos.Value, key, ptr string) bool {
	if v := d.typed(obj, key, ptr, jsonpos.Bool); v != nil {
		return v.Bool
	}
	return false
}

// integer reads a whole JSON number that fits an int.
func (d *decoder) integer(obj *jsonpos.Value, key, ptr string) int {
	v := d.typed(obj, key, ptr, jsonpos.Number)
	if v == nil {
		return 0
	}
	n, err := strconv.Atoi(v.Str)
	if err != nil {
		d.errorf(v.Range, "Unexpected number", "%s must be a whole number; found %s.", join(ptr, key), v.Str)
		return 0
	}
	return n
}

func (d *decoder) object(obj *jsonpos.Value, key, ptr string) *jsonpos.Value {
	return d.typed(obj, key, ptr, jsonpos.Object)
}

func (d *decoder) array(obj *jsonpos.Value, key, ptr string) []*jsonpos.Value {
	if v := d.typed(obj, key, ptr, jsonpos.Array); v != nil {
		return v.Elems
	}
	return nil
}

// objects reads an array of objects, reporting (and skipping) elements of
// another type. visit gets each object with its pointer ("Key[i]").
func (d *decoder) objects(obj *jsonpos.Value, key, ptr string, visit func(v *jsonpos.Value, ptr string)) {
	for i, e := range d.array(obj, key, ptr) {
		p := join(ptr, key) + index(i)
		if e.Kind != jsonpos.Object {
			d.errorf(e.Range, "Unexpected JSON type", "%s must be an object; found %s.", p, e.Kind.Phrase())
			continue
		}
		visit(e, p)
	}
}

// tags reads an AWS tag list, [{"Key": k, "Value": v}, ...]; nil when empty.
func (d *decoder) tags(obj *jsonpos.Value, ptr string) map[string]string {
	var out map[string]string
	d.objects(obj, "Tags", ptr, func(t *jsonpos.Value, p string) {
		if out == nil {
			out = map[string]string{}
		}
		out[d.str(t, "Key", p)] = d.str(t, "Value", p)
	})
	return out
}

// join appends a member name to a pointer.
func join(ptr, key string) string {
	if ptr == "" {
		return key
	}
	return ptr + "." + key
}

// index is the pointer suffix of an array element.
func index(i int) string { return "[" + strconv.Itoa(i) + "]" }
