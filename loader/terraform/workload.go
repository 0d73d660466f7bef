package terraform

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

// Workloads: compute resources that run with a role (iam.Workload). Their
// instances are evaluated whole, like the aws_iam_* types, but only the
// arguments that name them, their region and their role or instance
// profile: references elsewhere in their bodies (environment variables,
// user data) are evaluated only when something reads them, as for any
// other resource.

// workloadType describes one resource type that runs with a role.
type workloadType struct {
	kind   iam.WorkloadKind
	schema *hcl.BodySchema
	// name is the argument holding the name AWS knows the resource by;
	// "" when AWS generates its identifier.
	name string
	// role is the argument naming the role, or the block and argument
	// ("instance_configuration.instance_role_arn"); "" when none.
	role string
	// profile is the argument naming an instance profile (a name), or a
	// block whose name or arn argument does; "" when none.
	profile string
	// service and resource form the ARN, arn:PARTITION:SERVICE:REGION:
	// ACCOUNT:RESOURCE; resource is given the name (in its symbolic form
	// when not known) and the address, for the parts AWS generates.
	service  string
	resource func(name, addr string) string
	// generated marks ARNs with a part AWS generates (an instance ID, a
	// revision), never known before apply.
	generated bool
	// idIsName marks types whose id attribute is their name.
	idIsName bool
}

// workloadTypes are the workload resource types, with the arguments read
// of each (as the AWS provider documents them). region is the provider
// 6 resource-level region argument.
var workloadTypes = map[string]*workloadType{
	"aws_lambda_function": {kind: iam.WorkloadLambdaFunction, schema: attrsSchema("function_name", "role", "region"),
		name: "function_name", role: "role", service: "lambda", idIsName: true,
		resource: func(name, _ string) string { return "function:" + name }},
	"aws_instance": {kind: iam.WorkloadEC2Instance, schema: attrsSchema("iam_instance_profile", "region"),
		profile: "iam_instance_profile", service: "ec2", generated: true,
		resource: func(_, addr string) string { return "instance/${" + addr + ".id}" }},
	"aws_launch_template": {kind: iam.WorkloadLaunchTemplate, schema: withBlocks(attrsSchema("name", "name_prefix", "region"), "iam_instance_profile"),
		name: "name", profile: "iam_instance_profile", service: "ec2", generated: true,
		resource: func(_, addr string) string { return "launch-template/${" + addr + ".id}" }},
	"aws_glue_dev_endpoint": {kind: iam.WorkloadGlueDevEndpoint, schema: attrsSchema("name", "role_arn", "region"),
		name: "name", role: "role_arn", service: "glue", idIsName: true,
		resource: func(name, _ string) string { return "devEndpoint/" + name }},
	"aws_glue_job": {kind: iam.WorkloadGlueJob, schema: attrsSchema("name", "role_arn", "region"),
		name: "name", role: "role_arn", service: "glue", idIsName: true,
		resource: func(name, _ string) string { return "job/" + name }},
	"aws_sagemaker_notebook_instance": {kind: iam.WorkloadSageMakerNotebook, schema: attrsSchema("name", "role_arn", "region"),
		name: "name", role: "role_arn", service: "sagemaker", idIsName: true,
		resource: func(name, _ string) string { return "notebook-instance/" + name }},
	// The stack's ARN ends in a unique ID CloudFormation generates.
	"aws_cloudformation_stack": {kind: iam.WorkloadCloudFormationStack, schema: attrsSchema("name", "iam_role_arn", "region"),
		name: "name", role: "iam_role_arn", service: "cloudformation", generated: true,
		resource: func(name, addr string) string { return "stack/" + name + "/${" + addr + ".unique_id}" }},
	"aws_codebuild_project": {kind: iam.WorkloadCodeBuildProject, schema: attrsSchema("name", "service_role", "region"),
		name: "name", role: "service_role", service: "codebuild",
		resource: func(name, _ string) string { return "project/" + name }},
	// The task role is the one the containers run with; the execution role
	// is the agent's (pulling images, writing logs) and is not recorded.
	"aws_ecs_task_definition": {kind: iam.WorkloadECSTaskDefinition, schema: attrsSchema("family", "task_role_arn", "region"),
		name: "family", role: "task_role_arn", service: "ecs", generated: true,
		resource: func(name, addr string) string { return "task-definition/" + name + ":${" + addr + ".revision}" }},
	"aws_apprunner_service": {kind: iam.WorkloadAppRunnerService, schema: withBlocks(attrsSchema("service_name", "region"), "instance_configuration"),
		name: "service_name", role: "instance_configuration.instance_role_arn", service: "apprunner", generated: true,
		resource: func(name, addr string) string { return "service/" + name + "/${" + addr + ".service_id}" }},
	// A pipeline has a name, but its ARN holds the ID AWS generates.
	"aws_datapipeline_pipeline": {kind: iam.WorkloadDataPipeline, schema: attrsSchema("name", "region"),
		name: "name", service: "datapipeline", generated: true,
		resource: func(_, addr string) string { return "pipeline/${" + addr + ".id}" }},
}

// workload returns the workload type of a managed resource block, nil
// for every other block.
func workload(d *resDecl) *workloadType {
	if d.data {
		return nil
	}
	return workloadTypes[d.typ]
}

// reads reports whether a top-level argument or block of a workload is
// one the loader reads (for a dynamic block, name is its label).
func (w *workloadType) reads(name string) bool {
	for _, a := range w.schema.Attributes {
		if a.Name == name {
			return true
		}
	}
	for _, b := range w.schema.Blocks {
		if b.Type == name {
			return true
		}
	}
	return false
}

// workloadObject fills the computed attributes of a workload instance:
// the ARN and the ID when they follow from the configuration, unknown
// otherwise.
func (r *root) workloadObject(inst *resInst, w *workloadType, m map[string]cty.Value) {
	m["arn"], m["id"] = cty.UnknownVal(cty.String), cty.UnknownVal(cty.String)
	name, ok := knownAttr(inst, w.name)
	if !ok {
		return
	}
	if w.idIsName {
		m["id"] = cty.StringVal(name)
	}
	region, known := r.workloadRegion(inst)
	if w.generated || !known {
		return
	}
	m["arn"] = cty.StringVal(r.workloadARN(w, region, name, inst.addr))
}

// knownAttr returns a string argument of an instance when it is known.
func knownAttr(inst *resInst, name string) (string, bool) {
	v, ok := inst.attrs[name]
	if !ok || name == "" {
		return "", false
	}
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() {
		return "", false
	}
	sv, err := convert.Convert(v, cty.String)
	if err != nil {
		return "", false
	}
	return sv.AsString(), true
}

func (r *root) workloadARN(w *workloadType, region, name, addr string) string {
	return "arn:" + r.partition + ":" + w.service + ":" + region + ":" + r.account + ":" + w.resource(name, addr)
}

// workloadRegion is the region an instance is created in: its own region
// argument, else the region of the aws provider configuration it uses —
// a known region, or the symbolic form an aws_region data source of the
// configuration returns. known is false when the region argument is set
// but not known statically.
func (r *root) workloadRegion(inst *resInst) (string, bool) {
	if v, ok := inst.attrs["region"]; ok && !(v.IsKnown() && v.IsNull()) {
		return knownAttr(inst, "region")
	}
	alias := ""
	if a := inst.decl.syntax().Body.Attributes["provider"]; a != nil {
		ref, ok := providerRef(a.Expr)
		if !ok {
			return "", false
		}
		alias = strings.TrimPrefix(strings.TrimPrefix(ref, "aws"), ".")
	}
	return r.providerRegion(inst.in, alias), true
}

// providerRegion is the region of the aws provider configuration a block
// of module instance in uses: the default one (alias "") or an alias,
// followed through the providers arguments of the module calls up to the
// root module's provider blocks.
func (r *root) providerRegion(in *instance, alias string) string {
	for in.parent != nil {
		key := "aws"
		if alias != "" {
			key += "." + alias
		}
		target, passed := in.call.providerMap()[key]
		switch {
		case passed:
			alias = strings.TrimPrefix(strings.TrimPrefix(target, "aws"), ".")
		case alias != "":
			// An alias the call does not pass is a configuration of the
			// module's own, which iamlint does not read.
			return "${region:" + in.qualify("aws."+alias) + "}"
		}
		in = in.parent
	}
	if alias == "" {
		if r.region == "" {
			return r.symRegion
		}
		return r.region
	}
	if reg, ok := r.aliasRegions[alias]; ok {
		return reg
	}
	return "${region:aws." + alias + "}"
}

// providerMap reads the providers argument of a module call: the provider
// configuration ("aws", "aws.alias") the module sees under each name, in
// the caller's names.
func (mc *moduleCall) providerMap() map[string]string {
	a := mc.block.Body.Attributes["providers"]
	if a == nil {
		return nil
	}
	obj, ok := a.Expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return nil
	}
	out := map[string]string{}
	for _, it := range obj.Items {
		key := it.KeyExpr
		if k, ok := key.(*hclsyntax.ObjectConsKeyExpr); ok {
			key = k.Wrapped
		}
		from, ok1 := providerRef(key)
		to, ok2 := providerRef(it.ValueExpr)
		if ok1 && ok2 {
			out[from] = to
		}
	}
	return out
}

// providerRef reads a reference to an aws provider configuration: "aws"
// or "aws.alias".
func providerRef(e hcl.Expression) (string, bool) {
	t, diags := hcl.AbsTraversalForExpr(e)
	if diags.HasErrors() || t.RootName() != "aws" {
		return "", false
	}
	switch len(t) {
	case 1:
		return "aws", true
	case 2:
		if a, ok := t[1].(hcl.TraverseAttr); ok {
			return "aws." + a.Name, true
		}
	}
	return "", false
}

// symbolicRegion decides how the region of the default aws provider is
// written when the provider block does not name it: the name attribute of
// the configuration's aws_region data source (one without a region of its
// own: the first of the root module, else of the modules it calls,
// breadth first), which returns exactly that; else a symbolic form of
// the configuration's own.
func (r *root) symbolicRegion() string {
	queue := []*config{r.cfg}
	seen := map[string]bool{r.cfg.abs: true}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		for _, key := range c.resOrder {
			d := c.resources[key]
			if !d.data || d.typ != "aws_region" {
				continue
			}
			attrs := d.syntax().Body.Attributes
			if attrs["region"] == nil && attrs["name"] == nil && attrs["id"] == nil {
				return "${data.aws_region." + d.name + ".name}"
			}
		}
		for _, t := range r.l.localTargets(c) {
			if tc := r.l.configs[t]; tc != nil && !seen[t] {
				seen[t] = true
				queue = append(queue, tc)
			}
		}
	}
	return "${region:" + r.cfg.dir + "}"
}

// workload adds a workload instance to the model, linked to the role or
// instance profile it names when the configuration declares it (or
// refers to it elsewhere, as an external principal); loader.Link resolves
// the others by ARN or name.
func (b *builder) workload(inst *resInst, w *workloadType) {
	r := b.r
	addr := inst.addr
	wl := &iam.Workload{Node: b.baseNode(inst), Kind: w.kind, Account: r.account}
	name, known, set := "", false, false
	if w.name != "" {
		name, known, set = b.str(inst, w.name)
	}
	switch {
	case w.name == "" || !set:
		// No name (or a name_prefix): AWS or the provider generates it.
		wl.Name = "${" + addr + ".name}"
		if w.name == "" {
			wl.Name = "${" + addr + ".id}"
		}
		wl.Unknown = append(wl.Unknown, "Name")
	case !known:
		wl.Name = name
		wl.Unknown = append(wl.Unknown, "Name")
	default:
		wl.Name = name
	}
	region, regionKnown := r.workloadRegion(inst)
	if !regionKnown {
		if region, _, _ = b.str(inst, "region"); region == "" {
			region = "${" + addr + ".region}"
		}
	}
	wl.ARN = r.workloadARN(w, region, wl.Name, addr)
	if w.generated || wl.IsUnknown("Name") || !regionKnown || isSymbolic(region) || r.symbolic {
		wl.Unknown = append(wl.Unknown, "ARN")
	}
	if r.symbolic {
		wl.Unknown = append(wl.Unknown, "Account")
	}
	if w.role != "" {
		n := b.workloadArg(inst, w.role, "")
		wl.RoleRef, wl.Role = b.roleRef(n)
		if refUnknown(n) {
			wl.Unknown = append(wl.Unknown, "RoleRef")
		}
	}
	if w.profile != "" {
		n := b.workloadArg(inst, w.profile, "name")
		if n == nil || n.kind == jsonpos.Null {
			n = b.workloadArg(inst, w.profile, "arn")
		}
		wl.ProfileRef, wl.Profile = b.profileRef(n)
		if refUnknown(n) {
			wl.Unknown = append(wl.Unknown, "ProfileRef")
		}
	}
	slices.Sort(wl.Unknown)
	b.l.model.Workloads = append(b.l.model.Workloads, wl)
}

// workloadArg is the positioned value of a workload's role or profile
// argument: a top-level argument, an argument of a block ("block.arg"),
// or, when inner is given and name is a block, the block's argument
// inner. nil when absent.
func (b *builder) workloadArg(inst *resInst, name, inner string) *pnode {
	block, arg, nested := strings.Cut(name, ".")
	if !nested {
		if a := inst.content.Attributes[name]; a != nil || inner == "" {
			return b.node(inst, name)
		}
		block, arg = name, inner
	}
	for _, blk := range inst.content.Blocks {
		if blk.Type != block {
			continue
		}
		c, _, diags := blk.Body.PartialContent(attrsSchema(arg))
		b.l.diags = append(b.l.diags, diags...)
		a := c.Attributes[arg]
		if a == nil {
			return nil
		}
		v, diags := a.Expr.Value(inst.ctx)
		b.l.diags = append(b.l.diags, diags...)
		if diags.HasErrors() {
			v = cty.DynamicVal
		}
		return b.placer(inst).place(a.Expr, v)
	}
	return nil
}

// refUnknown reports whether a role or profile reference is not known
// statically (or holds a symbolic account or region).
func refUnknown(n *pnode) bool {
	if n == nil || n.kind == jsonpos.Null {
		return false
	}
	return n.unknown || n.kind != jsonpos.String || isSymbolic(n.str)
}

// refText is a reference as written: the text, or its symbolic form.
func refText(n *pnode) string {
	if n == nil || n.kind == jsonpos.Null {
		return ""
	}
	return n.str
}

// roleRef resolves a workload's role: the role whose address the value
// was read from (aws_iam_role.app.arn), else the role, declared or
// external, the text names by name or ARN.
func (b *builder) roleRef(n *pnode) (string, *iam.Role) {
	text := refText(n)
	if text == "" {
		return "", nil
	}
	if n.ref != "" {
		if ro := b.roles["\x00"+n.ref]; ro != nil {
			return text, ro
		}
	}
	if n.unknown || n.kind != jsonpos.String {
		return text, nil
	}
	if ro := b.roles[text]; ro != nil {
		return text, ro
	}
	return text, b.roleARNs[text]
}

// profileRef is roleRef for instance profiles.
func (b *builder) profileRef(n *pnode) (string, *iam.InstanceProfile) {
	text := refText(n)
	if text == "" {
		return "", nil
	}
	if n.ref != "" {
		if ip := b.profiles["\x00"+n.ref]; ip != nil {
			return text, ip
		}
	}
	if n.unknown || n.kind != jsonpos.String {
		return text, nil
	}
	return text, b.profiles[text]
}
