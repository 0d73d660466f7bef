package iam

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Model is everything the loaders found, from every input kind, as one
// graph of accounts, principals, policies and the links between them. It
// is plain data: the loaders build it, the analyzer reads it.
//
// Every object has a Node: a stable address ("aws_iam_role.app",
// `module.ci.aws_iam_role.deploy["prod"]`, "gaad.json#RoleDetailList[3]",
// "template.yaml#Resources.AppRole") and the source range it was declared
// at. Links between objects are pointers once resolved; a link whose
// target is not in the model keeps the reference text (an ARN or an
// address) and a nil pointer, so nothing is silently dropped.
type Model struct {
	Accounts         []*Account
	Users            []*User
	Groups           []*Group
	Roles            []*Role
	InstanceProfiles []*InstanceProfile
	// Policies are managed policies: customer managed ones declared in the
	// inputs and AWS managed ones referenced by them (looked up in the
	// embedded data).
	Policies []*ManagedPolicy
	// OrgPolicies are Organizations SCPs and RCPs with their targets.
	OrgPolicies []*OrgPolicy
	// Documents are standalone policy documents not attached to anything
	// in the model (a policy JSON file, an unreferenced
	// aws_iam_policy_document).
	Documents []*StandaloneDocument
	// Workloads are compute resources that run with a role (a Lambda
	// function, an EC2 instance, a CodeBuild project, ...): the targets
	// that escalation techniques which hijack or pass a role need.
	Workloads []*Workload
}

// Node is the identity and origin of a model object.
type Node struct {
	Addr  string
	Range hcl.Range
	// Unknown lists fields whose value the loader could not determine
	// statically (a variable without a value, a data source lookup). Such
	// a field holds a symbolic form, "${var.name}", never a guess.
	Unknown []string
}

// IsUnknown reports whether field is listed in Unknown.
func (n *Node) IsUnknown(field string) bool {
	for _, f := range n.Unknown {
		if f == field {
			return true
		}
	}
	return false
}

// Account is one AWS account, with its root user and account-wide
// settings.
type Account struct {
	Node
	// ID is the 12-digit account ID, or a symbolic form such as
	// "${data.aws_caller_identity.current.account_id}" (listed in
	// Unknown) for the account a Terraform configuration applies to.
	ID             string
	Root           *RootUser
	PasswordPolicy *PasswordPolicy
	Summary        *AccountSummary
}

// AccountSummary holds the root-user facts of aws iam get-account-summary.
type AccountSummary struct {
	Node
	MFAEnabled                 bool // AccountMFAEnabled: the root user has MFA
	AccessKeysPresent          bool // AccountAccessKeysPresent: the root user has access keys
	SigningCertificatesPresent bool // AccountSigningCertificatesPresent
}

// RootUser is an account's root user, as the credential report shows it.
type RootUser struct {
	Node
	Credentials *CredentialReport
}

// Identity is what users and roles share: names, policies, boundary.
type Identity struct {
	Node
	Name    string
	Path    string // "/" when not given
	ARN     string
	Account string // account ID (or symbolic, as Account.ID)
	Inline  []*InlinePolicy
	// Attached are managed policy attachments, each a separate link (an
	// attachment resource, a managed_policy_arns entry, a GAAD list item).
	Attached []*Attachment
	Boundary *Attachment // permissions boundary, nil when none
	Tags     map[string]string
	// External marks a principal declared outside the inputs; known only
	// through what the inputs attach to it (its other policies are not
	// known).
	External bool
}

// User is an IAM user.
type User struct {
	Identity
	Groups       []*Membership
	LoginProfile *LoginProfile
	AccessKeys   []*AccessKey
	MFADevices   []*MFADevice
	// Credentials is the user's credential report row, if one was loaded.
	Credentials *CredentialReport
}

// Role is an IAM role.
type Role struct {
	Identity
	Trust            *PolicyDocument // the assume-role (trust) policy
	InstanceProfiles []*InstanceProfile
	// MaxSessionDuration is in seconds; 0 when not given.
	MaxSessionDuration int
	// LastUsed is when the role was last used (RFC 3339), from GAAD.
	LastUsed string
}

// Group is an IAM group. Members lists its memberships (the same
// Membership values the users hold).
type Group struct {
	Node
	Name     string
	Path     string
	ARN      string
	Account  string
	Inline   []*InlinePolicy
	Attached []*Attachment
	Members  []*Membership
	// External marks a group declared outside the inputs; known only
	// through what the inputs attach to it (its other policies are not
	// known).
	External bool
}

// Membership links a user to a group; Node is the declaration (an
// aws_iam_group_membership, a GAAD GroupList entry, ...).
type Membership struct {
	Node
	User      *User
	UserName  string // as written, kept when User is nil
	Group     *Group
	GroupName string // as written, kept when Group is nil
}

// InstanceProfile links EC2 instances to a role.
type InstanceProfile struct {
	Node
	Name     string
	Path     string
	ARN      string
	Roles    []*Role
	RoleRefs []string // the role names or ARNs as written
}

// PolicyDocument is a policy document with where it came from. Doc is nil
// when the document could not be rendered (its Node.Unknown or the
// diagnostics say why).
type PolicyDocument struct {
	Node
	Doc *Document
	// Diags are the problems found decoding this document (structure AWS
	// would reject: a missing Effect, a wrong type). Loaders keep them here
	// rather than in the load diagnostics, so rules can report them at the
	// document they belong to.
	Diags hcl.Diagnostics
}

// InlinePolicy is a policy embedded in one user, group or role.
type InlinePolicy struct {
	PolicyDocument
	Name string
}

// ManagedPolicy is a customer managed or AWS managed policy.
type ManagedPolicy struct {
	Node
	Name string
	Path string
	ARN  string
	// AWSManaged marks AWS managed policies (arn:aws:iam::aws:policy/...).
	AWSManaged bool
	// Default is the document of the default version.
	Default *PolicyDocument
	// Versions are all versions when the input has them (GAAD); the
	// default one is also Default.
	Versions        []*PolicyVersion
	DefaultVersion  string
	AttachmentCount int
}

// PolicyVersion is one version of a managed policy.
type PolicyVersion struct {
	PolicyDocument
	VersionID string
	IsDefault bool
	Created   string
}

// Attachment links a principal or group to a managed policy (or, as a
// boundary, to the policy used as its ceiling).
type Attachment struct {
	Node
	// PolicyRef is the policy's ARN (or address) as written.
	PolicyRef string
	Policy    *ManagedPolicy // nil when PolicyRef is not in the model
}

// LoginProfile is a console password.
type LoginProfile struct {
	Node
	PasswordResetRequired bool
	Created               string
}

// AccessKey is an access key of a user.
type AccessKey struct {
	Node
	ID      string
	Active  bool
	Created string
}

// MFADevice is a virtual or hardware MFA device of a user.
type MFADevice struct {
	Node
	Serial  string
	Virtual bool
}

// PasswordPolicy is an account's password policy.
type PasswordPolicy struct {
	Node
	MinimumLength              int
	RequireSymbols             bool
	RequireNumbers             bool
	RequireUppercase           bool
	RequireLowercase           bool
	AllowUsersToChangePassword bool
	MaxPasswordAge             int // days; 0 = never expires
	PasswordReusePrevention    int
	HardExpiry                 bool
}

// CredentialReport is one row of the IAM credential report. Times are RFC
// 3339 strings, "" when the report says N/A, no_information or
// not_supported.
type CredentialReport struct {
	Node
	User                string // "<root_account>" for the root user
	ARN                 string
	UserCreationTime    string
	PasswordEnabled     bool
	PasswordLastUsed    string
	PasswordLastChanged string
	PasswordNextRotate  string
	MFAActive           bool
	AccessKeys          [2]CredentialKey
	Cert1Active         bool
	Cert2Active         bool
}

// CredentialKey is one access key's columns of the credential report.
type CredentialKey struct {
	Active          bool
	LastRotated     string
	LastUsedDate    string
	LastUsedRegion  string
	LastUsedService string
}

// OrgPolicy is an Organizations service control policy or resource
// control policy.
type OrgPolicy struct {
	PolicyDocument
	Name    string
	ID      string
	Kind    Kind // KindSCP or KindRCP
	Targets []*OrgTarget
}

// OrgTarget is where an organization policy is attached: the root, an OU
// or an account.
type OrgTarget struct {
	Node
	TargetID string // r-..., ou-..., or an account ID (as written)
}

// StandaloneDocument is a policy document found on its own.
type StandaloneDocument struct {
	PolicyDocument
	Kind Kind
}

// Address returns the node's address (used to sort generically).
func (n *Node) Address() string { return n.Addr }

// Sort orders every list in the model by address, so output built from it
// is deterministic whatever order the inputs were read in.
func (m *Model) Sort() {
	sortByAddr(m.Accounts)
	sortByAddr(m.Users)
	sortByAddr(m.Groups)
	sortByAddr(m.Roles)
	sortByAddr(m.InstanceProfiles)
	sortByAddr(m.Policies)
	sortByAddr(m.OrgPolicies)
	sortByAddr(m.Documents)
	sortByAddr(m.Workloads)
}

func sortByAddr[T interface{ Address() string }](s []T) {
	slices.SortStableFunc(s, func(a, b T) int { return strings.Compare(a.Address(), b.Address()) })
}

// WorkloadKind is the kind of compute resource a Workload is.
type WorkloadKind uint8

// Workload kinds: each names the AWS resource type it stands for.
const (
	WorkloadUnknown             WorkloadKind = iota
	WorkloadLambdaFunction                   // AWS::Lambda::Function, aws_lambda_function
	WorkloadEC2Instance                      // AWS::EC2::Instance, aws_instance (Profile, not Role)
	WorkloadLaunchTemplate                   // AWS::EC2::LaunchTemplate, aws_launch_template (Profile)
	WorkloadGlueDevEndpoint                  // AWS::Glue::DevEndpoint, aws_glue_dev_endpoint
	WorkloadGlueJob                          // AWS::Glue::Job, aws_glue_job
	WorkloadSageMakerNotebook                // AWS::SageMaker::NotebookInstance, aws_sagemaker_notebook_instance
	WorkloadCloudFormationStack              // AWS::CloudFormation::Stack (no role: nested stacks run with the parent's), aws_cloudformation_stack (iam_role_arn)
	WorkloadCodeBuildProject                 // AWS::CodeBuild::Project, aws_codebuild_project (service_role)
	WorkloadECSTaskDefinition                // AWS::ECS::TaskDefinition, aws_ecs_task_definition (task_role_arn)
	WorkloadAppRunnerService                 // AWS::AppRunner::Service, aws_apprunner_service (instance_role_arn)
	WorkloadDataPipeline                     // AWS::DataPipeline::Pipeline, aws_datapipeline_pipeline
)

var workloadKindNames = [...]string{"unknown", "lambda-function", "ec2-instance", "launch-template", "glue-dev-endpoint", "glue-job",
	"sagemaker-notebook", "cloudformation-stack", "codebuild-project", "ecs-task-definition", "apprunner-service", "datapipeline"}

func (k WorkloadKind) String() string {
	if int(k) < len(workloadKindNames) {
		return workloadKindNames[k]
	}
	return "unknown"
}

// Workload is a compute resource that runs with a role's permissions:
// whoever can change its code or configuration, or log on to it, can act
// as the role.
type Workload struct {
	Node
	Kind WorkloadKind
	Name string
	// ARN is the resource's ARN as AWS forms it (symbolic parts, such as
	// an account a Terraform configuration does not name, as ${...}).
	ARN     string
	Account string
	// RoleRef is the execution role as written (an ARN, a name or an
	// address); Role is the role it resolved to, nil when the role is not
	// in the model. Empty for kinds that run with an instance profile.
	RoleRef string
	Role    *Role
	// ProfileRef and Profile are the instance profile of an EC2 instance
	// or launch template, as RoleRef and Role.
	ProfileRef string
	Profile    *InstanceProfile
}
