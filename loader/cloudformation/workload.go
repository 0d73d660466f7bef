package cloudformation

import (
	"slices"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

// workloadType describes a resource type that runs with a role: where its
// name, role and instance profile are, and how its ARN is formed. Only
// those properties are evaluated; the rest of a workload's Properties
// (code, environment, user data) is not read.
type workloadType struct {
	kind iam.WorkloadKind
	// name is the property holding the resource's name; "" when AWS
	// generates its identifier. An absent name is generated too.
	name string
	// role and profile are paths to the property naming the role or the
	// instance profile (a name or an ARN); nil when none.
	role, profile [][]string
	// service and resource form the ARN, arn:aws:SERVICE:${AWS::Region}:
	// ${AWS::AccountId}:RESOURCE; resource is given the name (symbolic
	// when generated) and the logical ID, for the parts AWS generates.
	service  string
	resource func(name, id string) string
	// generated marks ARNs with a part AWS generates.
	generated bool
}

func propPath(p ...string) [][]string { return [][]string{p} }

// workloadTypes are the workload resource types read.
var workloadTypes = map[string]*workloadType{
	"AWS::Lambda::Function": {kind: iam.WorkloadLambdaFunction, name: "FunctionName", role: propPath("Role"), service: "lambda",
		resource: func(name, _ string) string { return "function:" + name }},
	"AWS::EC2::Instance": {kind: iam.WorkloadEC2Instance, profile: propPath("IamInstanceProfile"), service: "ec2", generated: true,
		resource: func(_, id string) string { return "instance/${" + id + "}" }},
	"AWS::EC2::LaunchTemplate": {kind: iam.WorkloadLaunchTemplate, name: "LaunchTemplateName", service: "ec2", generated: true,
		profile: [][]string{
			{"LaunchTemplateData", "IamInstanceProfile", "Arn"},
			{"LaunchTemplateData", "IamInstanceProfile", "Name"},
		},
		resource: func(_, id string) string { return "launch-template/${" + id + "}" }},
	"AWS::Glue::DevEndpoint": {kind: iam.WorkloadGlueDevEndpoint, name: "EndpointName", role: propPath("RoleArn"), service: "glue",
		resource: func(name, _ string) string { return "devEndpoint/" + name }},
	"AWS::Glue::Job": {kind: iam.WorkloadGlueJob, name: "Name", role: propPath("Role"), service: "glue",
		resource: func(name, _ string) string { return "job/" + name }},
	"AWS::SageMaker::NotebookInstance": {kind: iam.WorkloadSageMakerNotebook, name: "NotebookInstanceName", role: propPath("RoleArn"), service: "sagemaker",
		resource: func(name, _ string) string { return "notebook-instance/" + name }},
	// A nested stack has no role of its own: it is created with the
	// parent stack's.
	"AWS::CloudFormation::Stack": {kind: iam.WorkloadCloudFormationStack, service: "cloudformation", generated: true,
		resource: func(_, id string) string { return "stack/${" + id + "}/${" + id + ".UniqueId}" }},
	"AWS::CodeBuild::Project": {kind: iam.WorkloadCodeBuildProject, name: "Name", role: propPath("ServiceRole"), service: "codebuild",
		resource: func(name, _ string) string { return "project/" + name }},
	// The task role is the one the containers run with; the execution role
	// is the agent's and is not recorded.
	"AWS::ECS::TaskDefinition": {kind: iam.WorkloadECSTaskDefinition, name: "Family", role: propPath("TaskRoleArn"), service: "ecs", generated: true,
		resource: func(name, id string) string { return "task-definition/" + name + ":${" + id + ".Revision}" }},
	"AWS::AppRunner::Service": {kind: iam.WorkloadAppRunnerService, name: "ServiceName", role: propPath("InstanceConfiguration", "InstanceRoleArn"),
		service: "apprunner", generated: true,
		resource: func(name, id string) string { return "service/" + name + "/${" + id + ".ServiceId}" }},
	"AWS::DataPipeline::Pipeline": {kind: iam.WorkloadDataPipeline, name: "Name", service: "datapipeline", generated: true,
		resource: func(_, id string) string { return "pipeline/${" + id + "}" }},
}

// buildWorkload adds a workload to the model, linked to the role or
// instance profile it names when the template declares it, or names it
// elsewhere as an external principal; loader.Link resolves the others.
func (t *template) buildWorkload(r *resource, wt *workloadType) {
	w := &iam.Workload{Node: iam.Node{Addr: r.addr, Range: r.rng, Unknown: []string{"ARN", "Account"}}, Kind: wt.kind, Account: accountID}
	w.Name = "${" + r.id + "}"
	nameUnknown := true
	if wt.name != "" {
		if v := t.evalPath(r.props, []string{wt.name}); v != nil {
			if s, unk, ok := t.text(v, wt.name); ok {
				w.Name, nameUnknown = s, unk
			}
		}
	}
	if nameUnknown {
		w.Unknown = append(w.Unknown, "Name")
	}
	w.ARN = "arn:" + partition + ":" + wt.service + ":${AWS::Region}:" + accountID + ":" + wt.resource(w.Name, r.id)
	if v, text, unk := t.firstOf(r.props, wt.role, "role"); v != nil {
		w.RoleRef = text
		if unk {
			w.Unknown = append(w.Unknown, "RoleRef")
		}
		if role := t.workloadTarget(v, text, typeRole); role != nil {
			w.Role = role.role
		}
	}
	if v, text, unk := t.firstOf(r.props, wt.profile, "instance profile"); v != nil {
		w.ProfileRef = text
		if unk {
			w.Unknown = append(w.Unknown, "ProfileRef")
		}
		if ip := t.workloadTarget(v, text, typeInstanceProfile); ip != nil {
			w.Profile = ip.profile
		}
	}
	slices.Sort(w.Unknown)
	t.model.Workloads = append(t.model.Workloads, w)
}

// firstOf evaluates the first of the property paths that is set: the
// value, its text and whether it is unknown. v is nil when none is set
// (or the value is not a string, which is reported).
func (t *template) firstOf(props *jsonpos.Value, paths [][]string, what string) (v *jsonpos.Value, text string, unknown bool) {
	for _, p := range paths {
		v = t.evalPath(props, p)
		if v == nil {
			continue
		}
		text, unknown, ok := t.text(v, what)
		if !ok {
			return nil, "", false
		}
		return v, text, unknown
	}
	return nil, "", false
}

// evalPath evaluates the property at a path of nested mappings, and only
// that: a step that is a function (Fn::If, a Ref to a parameter) is
// evaluated to find the next one. nil when the path leads nowhere or to
// AWS::NoValue.
func (t *template) evalPath(v *jsonpos.Value, p []string) *jsonpos.Value {
	for _, key := range p {
		if v == nil {
			return nil
		}
		if v.Kind == jsonpos.Object && len(v.Members) == 1 && isIntrinsic(v.Members[0].Key) {
			v = t.eval(v)
		}
		if v.Kind != jsonpos.Object {
			return nil
		}
		v = get(v, key)
	}
	if v == nil {
		return nil
	}
	if v = t.eval(v); v == t.noValue {
		return nil
	}
	return v
}

// workloadTarget finds the role or instance profile a workload names: a
// resource of the template (by reference, name or ARN), or the stub of
// an external role another resource of the template names.
func (t *template) workloadTarget(v *jsonpos.Value, text, typ string) *resource {
	if r := t.target(v, text, typ); r != nil {
		return r
	}
	for _, k := range sortedExternals(t.externals) {
		r := t.externals[k]
		if r.typ == typ && (r.arn == text || r.name == text && k[1] == accountID) {
			return r
		}
	}
	return nil
}

// sortedExternals lists the keys of the external stubs in order.
func sortedExternals(m map[[3]string]*resource) [][3]string {
	keys := make([][3]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [3]string) int { return slices.Compare(a[:], b[:]) })
	return keys
}
