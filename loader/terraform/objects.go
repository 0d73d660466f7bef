package terraform

import (
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// computeObject is a modelled instance as references see it: the
// arguments as configured, absent ones null, plus the attributes the
// provider computes — rendered the way it renders them when that follows
// from the configuration (an ARN from the name, path and account),
// unknown otherwise (unique IDs, secrets, dates).
func (r *root) computeObject(inst *resInst) cty.Value {
	d := inst.decl
	m := map[string]cty.Value{}
	for _, a := range d.schema().Attributes {
		if v, ok := inst.attrs[a.Name]; ok {
			m[a.Name] = v
		} else {
			m[a.Name] = cty.NullVal(cty.DynamicPseudoType)
		}
	}
	str := func(name string) (string, bool) {
		v, ok := inst.attrs[name]
		if !ok {
			return "", false
		}
		v, _ = v.Unmark()
		if !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.String) {
			return "", false
		}
		return v.AsString(), true
	}
	unknown := func(names ...string) {
		for _, n := range names {
			m[n] = cty.UnknownVal(cty.String)
		}
	}
	// nameAndARN fills name, path and arn of an IAM entity of the given
	// ARN resource kind ("role", "user", "policy", ...).
	nameAndARN := func(kind, nameAttr string) (cty.Value, cty.Value) {
		path := "/"
		pathKnown := true
		if v, ok := inst.attrs["path"]; ok && !v.IsNull() {
			path, pathKnown = str("path")
		}
		m["path"] = cty.StringVal(path)
		if !pathKnown {
			m["path"] = cty.UnknownVal(cty.String)
		}
		name, ok := str(nameAttr)
		if !ok {
			// No name (or name_prefix): the provider picks a unique one.
			m["name"] = cty.UnknownVal(cty.String)
			return cty.UnknownVal(cty.String), cty.UnknownVal(cty.String)
		}
		m["name"] = cty.StringVal(name)
		if !pathKnown {
			return cty.StringVal(name), cty.UnknownVal(cty.String)
		}
		return cty.StringVal(name), cty.StringVal(r.iamARN(kind, path, name))
	}
	switch d.typ {
	case "aws_iam_user", "aws_iam_group", "aws_iam_role", "aws_iam_instance_profile":
		kind := strings.TrimPrefix(d.typ, "aws_iam_")
		if kind == "instance_profile" {
			kind = "instance-profile"
		}
		name, arn := nameAndARN(kind, "name")
		m["arn"], m["id"] = arn, name
		unknown("unique_id", "create_date")
		m["tags_all"] = r.tagsAll(inst)
		if d.typ == "aws_iam_group" {
			m["tags_all"] = cty.DynamicVal // groups take no tags
		}
		if d.typ == "aws_iam_role" {
			if v, ok := inst.attrs["max_session_duration"]; !ok || v.IsNull() {
				m["max_session_duration"] = cty.NumberIntVal(3600)
			}
		}
	case "aws_iam_policy":
		_, arn := nameAndARN("policy", "name")
		m["arn"], m["id"] = arn, arn
		unknown("policy_id")
		m["attachment_count"] = cty.UnknownVal(cty.Number)
		m["tags_all"] = r.tagsAll(inst)
	case "aws_iam_virtual_mfa_device":
		name, arn := nameAndARN("mfa", "virtual_mfa_device_name")
		m["virtual_mfa_device_name"] = name
		m["arn"], m["id"] = arn, arn
		unknown("base_32_string_seed", "qr_code_png", "user_name", "enable_date")
	case "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role_policy":
		owner := strings.TrimSuffix(strings.TrimPrefix(d.typ, "aws_iam_"), "_policy")
		o, ok1 := str(owner)
		n, ok2 := str("name")
		if ok1 && ok2 {
			m["id"] = cty.StringVal(o + ":" + n)
		} else {
			unknown("id")
		}
		if !ok2 {
			unknown("name")
		}
	case "aws_iam_access_key":
		unknown("id", "secret", "encrypted_secret", "ses_smtp_password_v4", "encrypted_ses_smtp_password_v4", "key_fingerprint", "create_date")
		if v, ok := inst.attrs["status"]; !ok || v.IsNull() {
			m["status"] = cty.StringVal("Active")
		}
	case "aws_iam_user_login_profile":
		unknown("id", "password", "encrypted_password", "key_fingerprint")
	case "aws_organizations_policy":
		unknown("id", "arn")
		if v, ok := inst.attrs["type"]; !ok || v.IsNull() {
			m["type"] = cty.StringVal("SERVICE_CONTROL_POLICY")
		}
	case "aws_caller_identity":
		m["account_id"] = cty.StringVal(r.account)
		m["id"] = cty.StringVal(r.account)
		unknown("arn", "user_id")
	case "aws_partition":
		m["partition"] = cty.StringVal(r.partition)
		m["id"] = cty.StringVal(r.partition)
		suffix := "amazonaws.com"
		if r.partition == "aws-cn" {
			suffix = "amazonaws.com.cn"
		}
		m["dns_suffix"] = cty.StringVal(suffix)
		m["reverse_dns_prefix"] = cty.StringVal(reverseDNS(suffix))
	case "aws_region":
		region := ""
		for _, a := range []string{"region", "name", "id"} {
			if s, ok := str(a); ok {
				region = s
				break
			}
		}
		if region == "" {
			region = r.region
		}
		if region == "" {
			region = "${data.aws_region." + d.name + ".name}"
		}
		for _, a := range []string{"region", "name", "id"} {
			m[a] = cty.StringVal(region)
		}
		unknown("endpoint", "description")
	case "aws_iam_policy_document":
		json, minified := cty.UnknownVal(cty.String), cty.UnknownVal(cty.String)
		if inst.doc != nil {
			if s, ok := renderJSON(inst.doc, "  "); ok {
				json = cty.StringVal(s)
			}
			if s, ok := renderJSON(inst.doc, ""); ok {
				minified = cty.StringVal(s)
			}
		}
		m["json"], m["minified_json"] = json, minified
		unknown("id")
	default:
		unknown("id")
		if w := workload(d); w != nil {
			r.workloadObject(inst, w, m)
		}
	}
	return cty.ObjectVal(m)
}

// tagsAll is the tags_all of an instance: the default aws provider's
// default_tags merged with the instance's own tags, which win on
// conflict. It is a map of strings, null when neither sets any tag, and
// unknown when either is not known statically.
func (r *root) tagsAll(inst *resInst) cty.Value {
	var out map[string]cty.Value
	for _, v := range []cty.Value{r.defaultTags, inst.attrs["tags"]} {
		if v == cty.NilVal {
			continue
		}
		v, _ = v.UnmarkDeep()
		if v.IsKnown() && v.IsNull() {
			continue
		}
		if !v.IsWhollyKnown() || !v.CanIterateElements() || !(v.Type().IsMapType() || v.Type().IsObjectType()) {
			return cty.UnknownVal(cty.Map(cty.String))
		}
		if out == nil {
			out = map[string]cty.Value{}
		}
		for it := v.ElementIterator(); it.Next(); {
			k, tv := it.Element()
			sv, err := convert.Convert(tv, cty.String)
			if err != nil || sv.IsNull() {
				continue
			}
			out[k.AsString()] = sv
		}
	}
	switch {
	case out == nil:
		return cty.NullVal(cty.Map(cty.String))
	case len(out) == 0:
		return cty.MapValEmpty(cty.String)
	}
	return cty.MapVal(out)
}

func reverseDNS(s string) string {
	parts := strings.Split(s, ".")
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, ".")
}

// iamARN renders the ARN of an IAM entity the way the provider does.
func (r *root) iamARN(kind, path, name string) string {
	return "arn:" + r.partition + ":iam::" + r.account + ":" + kind + path + name
}

// symbolicMarkers are the prefixes of the symbolic strings this package
// writes for values that stand for something unknown but definite (the
// account, the region); text containing one is an unknown Value.
var symbolicMarkers = []string{"${data.aws_caller_identity.", "${data.aws_region.", "${account:", "${region:"}

func isSymbolic(s string) bool {
	if !strings.Contains(s, "${") {
		return false
	}
	for _, m := range symbolicMarkers {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}
