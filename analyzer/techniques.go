package analyzer

import (
	"slices"

	"github.com/iamlint/iamlint/iam"
)

// technique is a Technique with what the search needs to apply it.
type technique struct {
	Technique
	// key is an action every use needs: principals without it are never
	// candidates.
	key string
	// target is the kind of principal it acts on: KindUser, KindRole, or
	// KindAccount for both.
	target NodeKind
	// service is the service principal a passed role must trust;
	// workload the kind of workload a hijacked role must run. They narrow
	// the targets worth checking.
	service  string
	workload iam.WorkloadKind
	// index is the technique's position in the table.
	index int
	// ready, when set, says whether p can use the technique at all,
	// whatever the target (a passed role's service must let it create
	// and run something): targets are not tried for an actor that is
	// not ready.
	ready func(c *checker, p *Permissions) bool
	// check returns the moves by which p uses the technique on q (for
	// Become, gaining q's permissions; for Empower, giving q any).
	check func(c *checker, p *Permissions, q *Node) []*Move
	// lift, set instead of check for the techniques by which a
	// principal takes a guardrail off itself (a deny, its boundary),
	// returns each way p can do so with the permissions it keeps.
	lift func(c *checker, p *Permissions) []lifted
}

// lifted is a guardrail a principal can take off itself: the move that
// does it, and its permissions afterwards.
type lifted struct {
	move  *Move
	perms *Permissions
}

// adminPolicyARN is the policy an attacker attaches: it exists in every
// account.
const adminPolicyARN = "arn:aws:iam::aws:policy/AdministratorAccess"

// techniques is every escalation technique iamlint knows, in ID order
// within each kind. Refs: "Rhino N" is Rhino Security Labs' method N;
// "privescN" BishopFox iam-vulnerable's path N.
var techniques = []*technique{
	// Become another user.
	{
		Technique: Technique{ID: "iam-create-access-key", Name: "create an access key for another user", Kind: Become,
			Actions:     []string{"iam:CreateAccessKey"},
			Description: "Creating an access key for a user gives its permissions to whoever holds the key. It fails when the user already has two keys.",
			Refs:        []string{"Rhino 4", "privesc4"}},
		key: "iam:CreateAccessKey", target: KindUser,
		check: func(c *checker, p *Permissions, q *Node) []*Move {
			if activeKeys(q.User) >= 2 {
				return nil
			}
			return one(move(c.tech("iam-create-access-key"), p.Principal, q, nil, c.step(p, "iam:CreateAccessKey", q.User.ARN)))
		},
	},
	{
		Technique: Technique{ID: "iam-create-login-profile", Name: "set a console password for a user who has none", Kind: Become,
			Actions:     []string{"iam:CreateLoginProfile"},
			Description: "Creating a login profile lets the actor sign in to the console as the user. A user with an MFA device would still ask for it.",
			Refs:        []string{"Rhino 5", "privesc5"}},
		key: "iam:CreateLoginProfile", target: KindUser,
		check: func(c *checker, p *Permissions, q *Node) []*Move {
			pw := hasPassword(q.User)
			if pw == iam.Yes || hasMFA(q.User) {
				return nil
			}
			// When the inputs do not say whether the user has a password,
			// the profile can be created only if it has none.
			return one(capped(move(c.tech("iam-create-login-profile"), p.Principal, q, nil, c.step(p, "iam:CreateLoginProfile", q.User.ARN)), iam.Yes-pw))
		},
	},
	{
		Technique: Technique{ID: "iam-update-login-profile", Name: "change another user's console password", Kind: Become,
			Actions:     []string{"iam:UpdateLoginProfile"},
			Description: "Changing a user's password lets the actor sign in to the console as the user. A user with an MFA device would still ask for it.",
			Refs:        []string{"Rhino 6", "privesc6"}},
		key: "iam:UpdateLoginProfile", target: KindUser,
		check: func(c *checker, p *Permissions, q *Node) []*Move {
			pw := hasPassword(q.User)
			if pw == iam.No || hasMFA(q.User) {
				return nil
			}
			return one(capped(move(c.tech("iam-update-login-profile"), p.Principal, q, nil, c.step(p, "iam:UpdateLoginProfile", q.User.ARN)), pw))
		},
	},
	// Become a role.
	{
		Technique: Technique{ID: "sts-assume-role", Name: "assume the role", Kind: Become,
			Actions:     []string{"sts:AssumeRole"},
			Description: "The role's trust policy admits the actor, and the actor's policies allow it to call sts:AssumeRole on the role.",
			Refs:        []string{"privesc-sts-assume-role"}},
		key: "", target: KindRole,
		check: func(c *checker, p *Permissions, q *Node) []*Move {
			for _, as := range c.a.assumable[p.Principal] {
				if as.Role == q {
					m := move(c.tech("sts-assume-role"), p.Principal, q, nil, Step{Action: "sts:AssumeRole", Resource: identityOf(q).ARN, Allowed: as.Allowed})
					m.Assumption = as
					return one(m)
				}
			}
			return nil
		},
	},
	{
		Technique: Technique{ID: "iam-update-assume-role-policy", Name: "rewrite the role's trust policy, then assume it", Kind: Become,
			Actions:     []string{"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"},
			Description: "Whoever can replace a role's trust policy can name itself there and assume the role. Within the account a trust policy that names the actor needs no identity permission for sts:AssumeRole, though a deny still stops it.",
			Refs:        []string{"Rhino 14", "privesc14"}},
		key: "iam:UpdateAssumeRolePolicy", target: KindRole,
		check: func(c *checker, p *Permissions, q *Node) []*Move {
			upd := c.step(p, "iam:UpdateAssumeRolePolicy", identityOf(q).ARN)
			if upd.Allowed == iam.No {
				return nil
			}
			return one(move(c.tech("iam-update-assume-role-policy"), p.Principal, q, nil, upd, c.assumeAfterRewrite(p, q)))
		},
	},
	// Pass a role to a service that runs the actor's code.
	passRole("iam-passrole-ec2", "launch an EC2 instance with the role's instance profile", "ec2.amazonaws.com",
		"The actor starts an instance with a profile that holds the role and reads the role's credentials from the instance.",
		[]string{"Rhino 3", "privesc3"}, "ec2:RunInstances"),
	passRole("iam-passrole-lambda", "create a Lambda function with the role and run it", "lambda.amazonaws.com",
		"The actor creates a function that runs as the role and invokes it (directly, through an event source mapping, or by granting itself invoke permission).",
		[]string{"Rhino 15", "Rhino 16", "Rhino 17", "privesc15", "privesc16", "privesc17"}, "lambda:CreateFunction", "lambda:InvokeFunction|lambda:CreateEventSourceMapping|lambda:AddPermission"),
	passRole("iam-passrole-glue-dev-endpoint", "create a Glue development endpoint with the role", "glue.amazonaws.com",
		"The actor creates a development endpoint that runs as the role and logs on to it over SSH.",
		[]string{"Rhino 19", "privesc19"}, "glue:CreateDevEndpoint"),
	passRole("iam-passrole-glue-job", "create and start a Glue job with the role", "glue.amazonaws.com",
		"The actor creates a Glue job whose script runs as the role, and starts it.",
		nil, "glue:CreateJob", "glue:StartJobRun"),
	passRole("iam-passrole-cloudformation", "create a CloudFormation stack with the role", "cloudformation.amazonaws.com",
		"The actor creates a stack that CloudFormation deploys with the role's permissions, so the template can create anything the role may.",
		[]string{"Rhino 21", "privesc21"}, "cloudformation:CreateStack"),
	passRole("iam-passrole-datapipeline", "create a Data Pipeline that runs as the role", "datapipeline.amazonaws.com",
		"The actor creates a pipeline, defines an activity that runs its commands with the role, and activates it.",
		[]string{"Rhino 22", "privesc22"}, "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition", "datapipeline:ActivatePipeline"),
	passRole("iam-passrole-codebuild", "create a CodeBuild project with the role and start a build", "codebuild.amazonaws.com",
		"The actor creates a project whose build commands run as the role, and starts a build.",
		[]string{"privesc-codebuild-create-project-passrole"}, "codebuild:CreateProject", "codebuild:StartBuild|codebuild:StartBuildBatch"),
	passRole("iam-passrole-sagemaker-notebook", "create a SageMaker notebook with the role and open it", "sagemaker.amazonaws.com",
		"The actor creates a notebook instance that runs as the role and opens it with a presigned URL.",
		[]string{"Rhino 27", "privesc-sagemaker-notebook"}, "sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"),
	passRole("iam-passrole-sagemaker-training", "run a SageMaker training job with the role", "sagemaker.amazonaws.com",
		"The actor starts a training job whose container runs as the role.",
		[]string{"privesc-sagemaker-training-job"}, "sagemaker:CreateTrainingJob"),
	passRole("iam-passrole-sagemaker-processing", "run a SageMaker processing job with the role", "sagemaker.amazonaws.com",
		"The actor starts a processing job whose container runs as the role.",
		[]string{"privesc-sagemaker-processing-job"}, "sagemaker:CreateProcessingJob"),
	passRole("iam-passrole-ecs", "register an ECS task definition with the role and run it", "ecs-tasks.amazonaws.com",
		"The actor registers a task definition whose task role is the role, and runs a task from it.",
		nil, "ecs:RegisterTaskDefinition", "ecs:RunTask|ecs:StartTask"),
	passRole("iam-passrole-apprunner", "create an App Runner service with the role", "tasks.apprunner.amazonaws.com",
		"The actor creates a service whose instance role is the role and runs its own code in it.",
		nil, "apprunner:CreateService"),
	// Take over a workload that already runs as the role.
	hijack("lambda-update-function-code", "replace the code of a function that runs as the role", iam.WorkloadLambdaFunction,
		"The actor uploads new code to an existing function; the next invocation runs it with the function's role.",
		[]string{"Rhino 18", "privesc18"}, "lambda:UpdateFunctionCode"),
	hijack("lambda-update-function-configuration", "add a layer to a function that runs as the role", iam.WorkloadLambdaFunction,
		"The actor attaches a layer of its own to an existing function, whose code then runs inside the function with its role.",
		[]string{"Rhino 26"}, "lambda:UpdateFunctionConfiguration"),
	hijack("glue-update-dev-endpoint", "add an SSH key to a Glue development endpoint that runs as the role", iam.WorkloadGlueDevEndpoint,
		"The actor adds its public key to an existing development endpoint and logs on to it.",
		[]string{"Rhino 20", "privesc20"}, "glue:UpdateDevEndpoint"),
	hijack("cloudformation-update-stack", "update a stack that CloudFormation deploys with the role", iam.WorkloadCloudFormationStack,
		"The actor updates an existing stack whose service role is the role; the new template creates what the actor wants with the role's permissions.",
		[]string{"privesc-cloudformation-update-stack"}, "cloudformation:UpdateStack"),
	hijack("codebuild-start-build", "start a build with its own build commands in a project that runs as the role", iam.WorkloadCodeBuildProject,
		"The actor starts a build of an existing project with a buildspec override; the commands run with the project's service role.",
		nil, "codebuild:StartBuild|codebuild:StartBuildBatch"),
	hijack("sagemaker-presigned-notebook-url", "open a SageMaker notebook that runs as the role", iam.WorkloadSageMakerNotebook,
		"The actor opens an existing notebook instance with a presigned URL and runs code as its role.",
		[]string{"Rhino 28"}, "sagemaker:CreatePresignedNotebookInstanceUrl"),
	hijack("ssm-send-command", "run commands on an instance whose profile holds the role", iam.WorkloadEC2Instance,
		"The actor runs commands through Systems Manager on an instance and reads the role's credentials there.",
		[]string{"privesc-ssm-send-command"}, "ssm:SendCommand"),
	hijack("ssm-start-session", "open a Session Manager shell on an instance whose profile holds the role", iam.WorkloadEC2Instance,
		"The actor opens a shell through Session Manager on an instance and reads the role's credentials there.",
		[]string{"privesc-ssm-start-session"}, "ssm:StartSession"),
	hijack("ec2-instance-connect", "push an SSH key to an instance whose profile holds the role", iam.WorkloadEC2Instance,
		"The actor sends its public key with EC2 Instance Connect, logs on to the instance and reads the role's credentials.",
		[]string{"privesc-ec2-instance-connect"}, "ec2-instance-connect:SendSSHPublicKey"),
	// Give a principal any permissions.
	{
		Technique: Technique{ID: "iam-attach-user-policy", Name: "attach any managed policy to the user", Kind: Empower,
			Actions: []string{"iam:AttachUserPolicy"}, Refs: []string{"Rhino 7", "privesc7"},
			Description: "Attaching AdministratorAccess (or any policy) to a user gives it those permissions."},
		key: "iam:AttachUserPolicy", target: KindUser,
		check: func(c *checker, p *Permissions, q *Node) []*Move {
			return one(move(c.tech("iam-attach-user-policy"), p.Principal, q, nil,
				c.step(p, "iam:AttachUserPolicy", q.User.ARN, append([]string{"iam:PolicyARN", adminPolicyARN}, c.boundaryKey(q)...)...)))
		},
	},
	{
		Technique: Technique{ID: "iam-put-user-policy", Name: "write an inline policy on the user", Kind: Empower,
			Actions: []string{"iam:PutUserPolicy"}, Refs: []string{"Rhino 10", "privesc10"},
			Description: "Adding an inline policy to a user gives it whatever the policy says."},
		key: "iam:PutUserPolicy", target: KindUser,
		check: func(c *checker, p *Permissions, q *Node) []*Move {
			return one(move(c.tech("iam-put-user-policy"), p.Principal, q, nil, c.step(p, "iam:PutUserPolicy", q.User.ARN, c.boundaryKey(q)...)))
		},
	},
	{
		Technique: Technique{ID: "iam-attach-group-policy", Name: "attach any managed policy to a group of the user", Kind: Empower,
			Actions: []string{"iam:AttachGroupPolicy"}, Refs: []string{"Rhino 8", "privesc8"},
			Description: "Attaching a policy to a group gives it to every member."},
		key: "iam:AttachGroupPolicy", target: KindUser,
		check: func(c *checker, p *Permissions, q *Node) []*Move {
			return c.viaGroups(p, q, "iam-attach-group-policy", func(g *Node) []Step {
				return []Step{c.step(p, "iam:AttachGroupPolicy", g.Group.ARN, "iam:PolicyARN", adminPolicyARN)}
			})
		},
	},
	{
		Technique: Technique{ID: "iam-put-group-policy", Name: "write an inline policy on a group of the user", Kind: Empower,
			Actions: []string{"iam:PutGroupPolicy"}, Refs: []string{"Rhino 11", "privesc11"},
			Description: "Adding an inline policy to a group gives it to every member."},
		key: "iam:PutGroupPolicy", target: KindUser,
		check: func(c *checker, p *Permissions, q *Node) []*Move {
			return c.viaGroups(p, q, "iam-put-group-policy", func(g *Node) []Step {
				return []Step{c.step(p, "iam:PutGroupPolicy", g.Group.ARN)}
			})
		},
	},
	{
		Technique: Technique{ID: "iam-attach-role-policy", Name: "attach any managed policy to the role", Kind: Empower,
			Actions: []string{"iam:AttachRolePolicy"}, Refs: []string{"Rhino 9", "privesc9"},
			Description: "Attaching AdministratorAccess (or any policy) to a role gives it those permissions."},
		key: "iam:AttachRolePolicy", target: KindRole,
		check: func(c *checker, p *Permissions, q *Node) []*Move {
			return one(move(c.tech("iam-attach-role-policy"), p.Principal, q, nil,
				c.step(p, "iam:AttachRolePolicy", q.Role.ARN, append([]string{"iam:PolicyARN", adminPolicyARN}, c.boundaryKey(q)...)...)))
		},
	},
	{
		Technique: Technique{ID: "iam-put-role-policy", Name: "write an inline policy on the role", Kind: Empower,
			Actions: []string{"iam:PutRolePolicy"}, Refs: []string{"Rhino 12", "privesc12"},
			Description: "Adding an inline policy to a role gives it whatever the policy says."},
		key: "iam:PutRolePolicy", target: KindRole,
		check: func(c *checker, p *Permissions, q *Node) []*Move {
			return one(move(c.tech("iam-put-role-policy"), p.Principal, q, nil, c.step(p, "iam:PutRolePolicy", q.Role.ARN, c.boundaryKey(q)...)))
		},
	},
	{
		Technique: Technique{ID: "iam-create-policy-version", Name: "publish a new default version of a policy attached to the principal", Kind: Empower,
			Actions: []string{"iam:CreatePolicyVersion"}, Refs: []string{"Rhino 1", "privesc1"},
			Description: "A new version created as the default replaces what a customer managed policy grants to everyone it is attached to. A policy that already has five versions also needs iam:DeletePolicyVersion."},
		key: "iam:CreatePolicyVersion", target: KindAccount,
		check: func(c *checker, p *Permissions, q *Node) []*Move {
			var out []*Move
			for _, pol := range c.attachedPolicies(q) {
				mp := pol.Policy
				if mp.AWSManaged || mp.ARN == "" {
					continue
				}
				steps := []Step{c.step(p, "iam:CreatePolicyVersion", mp.ARN)}
				if len(mp.Versions) >= 5 {
					steps = append(steps, c.step(p, "iam:DeletePolicyVersion", mp.ARN))
				}
				if m := move(c.tech("iam-create-policy-version"), p.Principal, q, pol, steps...); m != nil {
					out = append(out, m)
				}
			}
			return out
		},
	},
	{
		Technique: Technique{ID: "iam-set-default-policy-version", Name: "make a more permissive old version of an attached policy the default", Kind: Empower,
			Actions: []string{"iam:SetDefaultPolicyVersion"}, Refs: []string{"Rhino 2", "privesc2"},
			Description: "A customer managed policy keeps up to five versions; making an old one that grants everything the default gives that to everyone the policy is attached to."},
		key: "iam:SetDefaultPolicyVersion", target: KindAccount,
		check: func(c *checker, p *Permissions, q *Node) []*Move {
			var out []*Move
			for _, pol := range c.attachedPolicies(q) {
				mp := pol.Policy
				if mp.AWSManaged || !c.hasAdminVersion(mp) {
					continue
				}
				if m := move(c.tech("iam-set-default-policy-version"), p.Principal, q, pol, c.step(p, "iam:SetDefaultPolicyVersion", mp.ARN)); m != nil {
					out = append(out, m)
				}
			}
			return out
		},
	},
	{
		Technique: Technique{ID: "iam-add-user-to-group", Name: "add the user to an administrators' group", Kind: Empower,
			Actions: []string{"iam:AddUserToGroup"}, Refs: []string{"Rhino 13", "privesc13"},
			Description: "Adding a user to a group whose policies grant everything makes the user an administrator."},
		key: "iam:AddUserToGroup", target: KindUser,
		check: func(c *checker, p *Permissions, q *Node) []*Move {
			var out []*Move
			for _, g := range c.a.adminGroups() {
				if slices.ContainsFunc(q.Out, func(e *Edge) bool { return e.Kind == EdgeMemberOf && e.To == g }) {
					continue
				}
				if m := move(c.tech("iam-add-user-to-group"), p.Principal, q, g, c.step(p, "iam:AddUserToGroup", g.Group.ARN)); m != nil {
					out = append(out, m)
				}
			}
			return out
		},
	},
	// Take a guardrail off oneself.
	{
		Technique: Technique{ID: "iam-delete-permissions-boundary", Name: "delete one's own permissions boundary", Kind: Empower,
			Actions:     []string{"iam:DeleteUserPermissionsBoundary", "iam:DeleteRolePermissionsBoundary"},
			Description: "A principal that may delete its own permissions boundary is capped by nothing but its identity policies: an administrator when they grant everything, or when it can then give itself any permissions.",
			Refs:        []string{"pathfinding.cloud iam-022", "pathfinding.cloud iam-023"}},
		key: "iam:DeleteUserPermissionsBoundary|iam:DeleteRolePermissionsBoundary", target: KindAccount,
		lift: func(c *checker, p *Permissions) []lifted { return c.liftBoundary(p) },
	},
	{
		Technique: Technique{ID: "iam-detach-deny-policy", Name: "detach a managed policy that denies, from oneself or one's group", Kind: Empower,
			Actions:     []string{"iam:DetachUserPolicy", "iam:DetachGroupPolicy", "iam:DetachRolePolicy"},
			Description: "A deny guardrail in a managed policy attached to the principal (or to its group) stops nothing when the principal may detach that policy (iam:PolicyARN naming it).",
			Refs:        []string{"pathfinding.cloud iam-025"}},
		key: "iam:DetachUserPolicy|iam:DetachGroupPolicy|iam:DetachRolePolicy", target: KindAccount,
		lift: func(c *checker, p *Permissions) []lifted { return c.liftDenies(p, "iam-detach-deny-policy") },
	},
	{
		Technique: Technique{ID: "iam-delete-deny-inline-policy", Name: "delete an inline policy that denies, on oneself or one's group", Kind: Empower,
			Actions:     []string{"iam:DeleteUserPolicy", "iam:DeleteGroupPolicy", "iam:DeleteRolePolicy"},
			Description: "A deny guardrail in an inline policy of the principal (or of its group) stops nothing when the principal may delete that inline policy.",
			Refs:        []string{"pathfinding.cloud iam-026"}},
		key: "iam:DeleteUserPolicy|iam:DeleteGroupPolicy|iam:DeleteRolePolicy", target: KindAccount,
		lift: func(c *checker, p *Permissions) []lifted { return c.liftDenies(p, "iam-delete-deny-inline-policy") },
	},
	{
		Technique: Technique{ID: "iam-leave-group-with-deny", Name: "leave a group whose policies deny", Kind: Empower,
			Actions:     []string{"iam:RemoveUserFromGroup"},
			Description: "A deny guardrail that reaches a user through a group stops nothing when the user may remove itself from the group; it loses what the group allows too."},
		key: "iam:RemoveUserFromGroup", target: KindUser,
		lift: func(c *checker, p *Permissions) []lifted { return c.liftDenies(p, "iam-leave-group-with-deny") },
	},
}

// capped lowers a move's answer to what a fact about its target allows
// (Maybe when the inputs do not settle it); nil when the move is nil or
// the fact rules it out.
func capped(m *Move, t iam.Tri) *Move {
	if m == nil || t == iam.No {
		return nil
	}
	m.Allowed = min(m.Allowed, t)
	return m
}

func one(m *Move) []*Move {
	if m == nil {
		return nil
	}
	return []*Move{m}
}

// passRole makes a technique that passes a role trusting service to a new
// resource of that service. Each action argument is a step; "a|b" means
// either action will do.
func passRole(id, name, service, desc string, refs []string, actions ...string) *technique {
	all := append([]string{"iam:PassRole"}, splitAlternatives(actions)...)
	t := &technique{
		Technique: Technique{ID: id, Name: name, Kind: Become, Actions: all, Description: desc, Refs: refs},
		key:       "iam:PassRole", target: KindRole, service: service,
	}
	// The service's own actions do not depend on the role: decide them
	// once per actor, and before any role.
	t.ready = func(c *checker, p *Permissions) bool {
		return !slices.ContainsFunc(c.ownSteps(p, t, actions), func(st Step) bool { return st.Allowed == iam.No })
	}
	t.check = func(c *checker, p *Permissions, q *Node) []*Move {
		if !c.a.roleServices[q][service] || !t.ready(c, p) { // service is lower case
			return nil
		}
		own := c.ownSteps(p, t, actions)
		var via *Node
		if service == "ec2.amazonaws.com" {
			// An instance needs a profile that holds the role.
			if via = c.profileOf(q); via == nil {
				return nil
			}
		}
		pass := c.step(p, "iam:PassRole", q.Role.ARN, "iam:PassedToService", service)
		return one(move(&t.Technique, p.Principal, q, via, append([]Step{pass}, own...)...))
	}
	return t
}

// hijack makes a technique that takes over an existing workload of a kind
// that runs as the role.
func hijack(id, name string, kind iam.WorkloadKind, desc string, refs []string, action string) *technique {
	t := &technique{
		Technique: Technique{ID: id, Name: name, Kind: Become, Actions: splitAlternatives([]string{action}), Description: desc, Refs: refs},
		key:       action, target: KindRole, workload: kind,
	}
	t.check = func(c *checker, p *Permissions, q *Node) []*Move {
		var out []*Move
		for _, w := range c.a.workloadsOf(q) {
			if w.Work.Kind != kind || w.Work.ARN == "" {
				continue
			}
			var steps []Step
			for _, a := range splitAlternatives([]string{action}) {
				steps = append(steps, c.step(p, a, w.Work.ARN))
			}
			if kind == iam.WorkloadEC2Instance && action == "ssm:SendCommand" {
				// SendCommand also names the document it runs.
				doc := c.step(p, "ssm:SendCommand", "arn:aws:ssm:"+regionOf(w.Work.ARN)+"::document/AWS-RunShellScript")
				if m := move(&t.Technique, p.Principal, q, w, best(steps...), doc); m != nil {
					out = append(out, m)
				}
				continue
			}
			if m := move(&t.Technique, p.Principal, q, w, best(steps...)); m != nil {
				out = append(out, m)
			}
		}
		return out
	}
	return t
}
