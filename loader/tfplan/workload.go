package tfplan

import (
	"slices"
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

// workloadType describes a resource type that runs with a role, as the
// Terraform loader reads it from a configuration.
type workloadType struct {
	kind iam.WorkloadKind
	// name is the attribute holding the name AWS knows the resource by;
	// "" when AWS generates its identifier.
	name string
	// role is the attribute naming the role ("block.attr" for one in a
	// nested block); profiles the attributes naming an instance profile,
	// the first set wins.
	role     string
	profiles []string
	// service and resource form the ARN when the plan does not show it:
	// arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE. resource is given the
	// name and a function returning an attribute's value, or its symbolic
	// form when it is only known after apply.
	service  string
	resource func(name string, attr func(string) string) string
}

// workloadTypes are the workload resource types read.
var workloadTypes = map[string]*workloadType{
	"aws_lambda_function": {kind: iam.WorkloadLambdaFunction, name: "function_name", role: "role", service: "lambda",
		resource: func(name string, _ func(string) string) string { return "function:" + name }},
	"aws_instance": {kind: iam.WorkloadEC2Instance, profiles: []string{"iam_instance_profile"}, service: "ec2",
		resource: func(_ string, attr func(string) string) string { return "instance/" + attr("id") }},
	"aws_launch_template": {kind: iam.WorkloadLaunchTemplate, name: "name", profiles: []string{"iam_instance_profile.arn", "iam_instance_profile.name"},
		service: "ec2", resource: func(_ string, attr func(string) string) string { return "launch-template/" + attr("id") }},
	"aws_glue_dev_endpoint": {kind: iam.WorkloadGlueDevEndpoint, name: "name", role: "role_arn", service: "glue",
		resource: func(name string, _ func(string) string) string { return "devEndpoint/" + name }},
	"aws_glue_job": {kind: iam.WorkloadGlueJob, name: "name", role: "role_arn", service: "glue",
		resource: func(name string, _ func(string) string) string { return "job/" + name }},
	"aws_sagemaker_notebook_instance": {kind: iam.WorkloadSageMakerNotebook, name: "name", role: "role_arn", service: "sagemaker",
		resource: func(name string, _ func(string) string) string { return "notebook-instance/" + name }},
	// The id of a stack is its ARN, whose last part CloudFormation
	// generates.
	"aws_cloudformation_stack": {kind: iam.WorkloadCloudFormationStack, name: "name", role: "iam_role_arn", service: "cloudformation",
		resource: func(name string, attr func(string) string) string { return "stack/" + name + "/" + attr("unique_id") }},
	"aws_codebuild_project": {kind: iam.WorkloadCodeBuildProject, name: "name", role: "service_role", service: "codebuild",
		resource: func(name string, _ func(string) string) string { return "project/" + name }},
	// The execution role (the agent's) is not recorded.
	"aws_ecs_task_definition": {kind: iam.WorkloadECSTaskDefinition, name: "family", role: "task_role_arn", service: "ecs",
		resource: func(name string, attr func(string) string) string {
			return "task-definition/" + name + ":" + attr("revision")
		}},
	"aws_apprunner_service": {kind: iam.WorkloadAppRunnerService, name: "service_name", role: "instance_configuration.instance_role_arn",
		service: "apprunner", resource: func(name string, attr func(string) string) string {
			return "service/" + name + "/" + attr("service_id")
		}},
	"aws_datapipeline_pipeline": {kind: iam.WorkloadDataPipeline, name: "name", service: "datapipeline",
		resource: func(_ string, attr func(string) string) string { return "pipeline/" + attr("id") }},
}

// symbolicRegion is the region of a plan that shows none, written as the
// name of an aws_region data source (as symbolicAccount).
const symbolicRegion = "${data.aws_region.current.name}"

// workload adds a workload instance, linked to the plan's role or
// instance profile it names (by name, ARN or, when the value is only
// known after apply, the configuration's reference), or to the external
// role stub of that name; loader.Link resolves the others.
func (p *plan) workload(in *instance, wt *workloadType) {
	w := &iam.Workload{Node: p.node(in), Kind: wt.kind, Account: p.accountID}
	symbolic := false
	attr := func(name string) string {
		s := p.str(in, name)
		if !s.present || s.unknown {
			symbolic = true
			return "${" + in.addr + "." + name + "}"
		}
		return s.text
	}
	if wt.name == "" {
		w.Name = attr("id")
	} else {
		w.Name = attr(wt.name)
	}
	if symbolic {
		w.Unknown = append(w.Unknown, "Name")
	}
	arn := p.str(in, "arn")
	if id := p.str(in, "id"); !arn.present && id.present && !id.unknown && strings.HasPrefix(id.text, "arn:") {
		arn = id // a stack's id is its ARN
	}
	if arn.present && !arn.unknown && arn.text != "" {
		w.ARN = arn.text
		if a := iam.AccountOf(arn.text); iam.IsAccountID(a) {
			w.Account = a
		}
	} else {
		region := p.region(in)
		w.ARN = "arn:" + p.partition() + ":" + wt.service + ":" + region + ":" + p.accountID + ":" + wt.resource(w.Name, attr)
		if symbolic || region == symbolicRegion || !iam.IsAccountID(p.accountID) {
			w.Unknown = append(w.Unknown, "ARN")
		}
	}
	if !iam.IsAccountID(w.Account) {
		w.Unknown = append(w.Unknown, "Account")
	}
	if wt.role != "" {
		if s := p.str(in, wt.role); s.present {
			w.RoleRef = s.text
			if s.unknown {
				w.Unknown = append(w.Unknown, "RoleRef")
			}
			if t := p.workloadTarget(in, wt.role, s, tRole); t != nil {
				w.Role = t.role
			}
		}
	}
	for _, name := range wt.profiles {
		s := p.str(in, name)
		if !s.present {
			continue
		}
		w.ProfileRef = s.text
		if s.unknown {
			w.Unknown = append(w.Unknown, "ProfileRef")
		}
		if t := p.workloadTarget(in, name, s, tInstanceProfile); t != nil {
			w.Profile = t.profile
		}
		break
	}
	sortUnknown(&w.Node)
	p.model.Workloads = append(p.model.Workloads, w)
}

// region is the region an instance is created in: its region attribute
// (AWS provider 6), else the region its provider configuration sets.
func (p *plan) region(in *instance) string {
	if s := p.str(in, "region"); s.present && !s.unknown && s.text != "" {
		return s.text
	}
	if r, ok := p.regions[p.providerKeys[stripKeys(in.module)+"|"+in.typ+"."+in.name]]; ok {
		return r
	}
	return symbolicRegion
}

// workloadTarget finds the role or instance profile of the plan an
// attribute names: through the configuration's reference when the value
// is unknown, else by its name or ARN, else an external role stub that
// other resources made for that name or ARN.
func (p *plan) workloadTarget(in *instance, attr string, s strAttr, typ string) *instance {
	if s.unknown {
		if ts := p.targets(in, attr, typ); len(ts) == 1 {
			return ts[0]
		}
		return nil
	}
	if t := p.byName(typ, s.text); t != nil {
		return t
	}
	for _, c := range p.insts {
		if c.typ != typ {
			continue
		}
		if arn, _ := c.attr("arn"); arn != nil && arn.Kind == jsonpos.String && arn.Str == s.text {
			return c
		}
	}
	keys := make([][3]string, 0, len(p.externals))
	for k := range p.externals {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [3]string) int { return slices.Compare(a[:], b[:]) })
	for _, k := range keys {
		if c := p.externals[k]; c.typ == typ && c.role != nil && (c.role.ARN == s.text || c.name == s.text && k[1] == p.accountID) {
			return c
		}
	}
	return nil
}
