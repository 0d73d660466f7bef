package rego

// The input document's types are published as a JSON Schema,
// docs/rego-input.schema.json, generated from this file (descriptions from
// the doc comments, enum and nullable from the tags) and checked by the
// tests against the examples' input document.

// InputVersion is the version of the input document's shape. It changes
// when a field is removed or changes meaning; fields may be added without
// a new version.
const InputVersion = 1

//go:generate go run ./internal/schemagen -in input.go -out ../../docs/rego-input.schema.json

// Input is the input document: what a custom rule sees as input, a
// projection of the model and of the analyzer's facts. Every node has an
// "id", the analyzer's node ID (its model address, with "#trust" and the
// like appended where two nodes share one; a statement's is its
// document's with "#Statement[i]" appended), and the sections that are
// maps are keyed by it, so that rules join by ID:
// input.documents[ref.document]. A finding names the node at fault by its
// ID, and iamlint reports it at the node's source position.
//
// The projection stays linear in the size of the model: permissions are
// given per service and access level, never per action and resource, and
// the questions that need the evaluator (may this principal perform this
// action on that resource?) are built-in functions rather than tables. A
// rule run builds only the sections its rules refer to; the others are
// null. `iamlint inspect --format rego-input` prints every section.
type Input struct {
	// Version is the version of the document's shape (InputVersion). It
	// changes when a field is removed or changes meaning; fields may be
	// added without a new version.
	Version int `json:"version"`
	// Now is the reference date of the run (--now, or the configuration's
	// now, else today), YYYY-MM-DD: what age-based rules measure from.
	// time.now_ns is not available to rules.
	Now string `json:"now"`
	// Accounts are the AWS accounts the inputs describe.
	Accounts map[string]*Account `json:"accounts" schema:"nullable"`
	// Principals are the IAM users and roles.
	Principals map[string]*Principal `json:"principals" schema:"nullable"`
	// Groups are the IAM groups.
	Groups map[string]*Group `json:"groups" schema:"nullable"`
	// Policies are the managed policies: customer managed ones and the AWS
	// managed ones something attaches.
	Policies map[string]*Policy `json:"policies" schema:"nullable"`
	// Documents are every policy document: inline, managed (the default
	// version), trust, Organizations (SCP, RCP) and standalone files.
	Documents map[string]*Document `json:"documents" schema:"nullable"`
	// Permissions are the effective permissions of each principal, by
	// principal ID.
	Permissions map[string]*Permissions `json:"permissions" schema:"nullable"`
	// Assumptions are the can-assume edges: a principal whose policies
	// and the role's trust policy let it call sts:AssumeRole on the role.
	Assumptions []*Assumption `json:"assumptions" schema:"nullable"`
	// Escalations are, by principal ID, each principal's shortest way to
	// more permissions.
	Escalations map[string]*Escalation `json:"escalations" schema:"nullable"`
}

// Tri values: an answer that may depend on the request.
const (
	Yes         = "yes"
	Conditional = "conditional"
	No          = "no"
	Unknown     = "unknown" // the inputs do not say
)

// Account is one AWS account.
type Account struct {
	ID string `json:"id"`
	// AccountID is the 12-digit account ID (or its symbolic form).
	AccountID string `json:"account_id"`
	Source    string `json:"source"`
	// RootMFA and RootAccessKeys are what the account summary or the
	// credential report say about the root user: "yes", "no" or
	// "unknown".
	RootMFA        string `json:"root_mfa" enum:"yes,no,unknown"`
	RootAccessKeys string `json:"root_access_keys" enum:"yes,no,unknown"`
	// RootPasswordLastUsed is the credential report's date, "" when
	// unknown or never.
	RootPasswordLastUsed string `json:"root_password_last_used"`
}

// Principal is an IAM user or role.
type Principal struct {
	ID string `json:"id"`
	// Kind is "user" or "role".
	Kind    string `json:"kind" enum:"user,role"`
	Name    string `json:"name"`
	Path    string `json:"path"`
	ARN     string `json:"arn"`
	Account string `json:"account"`
	// External is true for a principal declared outside the inputs,
	// known only through what the inputs attach to it.
	External bool              `json:"external"`
	Tags     map[string]string `json:"tags"`
	// Source is the declaration's position, file:line:column ("" for
	// objects without one).
	Source string `json:"source"`
	// Groups are the IDs of the groups a user is a member of.
	Groups []string `json:"groups"`
	// Policies are the identity policies that apply: inline, attached and
	// (for users) those of their groups, each with the way it applies.
	Policies []*PolicyRef `json:"policies"`
	// Boundary is the permissions boundary; null when there is none.
	Boundary *PolicyRef `json:"boundary"`
	// Credentials are a user's sign-in facts; null for roles.
	Credentials *Credentials `json:"credentials"`
	// Trust is a role's trust policy as the analyzer reads it; null for
	// users and for roles whose trust policy is not known.
	Trust *Trust `json:"trust"`
	// LastUsed is when a role was last used (RFC 3339), when the account
	// dump says.
	LastUsed string `json:"last_used"`
	// MaxSessionDuration is a role's, in seconds; 0 when not given.
	MaxSessionDuration int `json:"max_session_duration"`
	// Workloads are the compute resources that run as a role (a Lambda
	// function, an EC2 instance through its instance profile, ...).
	Workloads []*Workload `json:"workloads"`
}

// PolicyRef is a policy document that applies to a principal or group,
// with the way it gets there.
type PolicyRef struct {
	// Document is the document's ID; "" when a link did not resolve (a
	// policy ARN that is not in the inputs), see Unresolved.
	Document string `json:"document"`
	// Policy is the managed policy's ID, "" for an inline policy.
	Policy string `json:"policy"`
	// Name is the inline policy's or the managed policy's name.
	Name string `json:"name"`
	// Kind is "inline" or "managed".
	Kind       string `json:"kind" enum:"inline,managed"`
	AWSManaged bool   `json:"aws_managed"`
	// Via are the IDs of the hops after the principal, each a node a
	// finding may name: for a group's policy the group first, then for a
	// managed policy the attachment and the policy, and last the
	// document. A group's policies are the same in groups[].policies and
	// in its members' policies.
	Via []string `json:"via"`
	// Unresolved is the reference that did not resolve, as written (a
	// group name, a policy ARN), "" otherwise.
	Unresolved string `json:"unresolved"`
}

// Credentials are what the inputs say about a user's sign-in.
type Credentials struct {
	// Password is "yes", "no" or "unknown" (an account dump does not
	// say; a credential report or a login profile does).
	Password         string `json:"password" enum:"yes,no,unknown"`
	PasswordLastUsed string `json:"password_last_used"`
	// MFA is "yes" when the user has an MFA device, "no" when the
	// credential report says it has none, "unknown" otherwise.
	MFA        string       `json:"mfa" enum:"yes,no,unknown"`
	AccessKeys []*AccessKey `json:"access_keys"`
}

// AccessKey is one of a user's access keys.
type AccessKey struct {
	// ID is the key's ID when the inputs give it.
	ID     string `json:"id"`
	Active bool   `json:"active"`
	// Created is when the key was created or last rotated.
	Created         string `json:"created"`
	LastUsed        string `json:"last_used"`
	LastUsedService string `json:"last_used_service"`
}

// Trust is a role's trust policy as the analyzer reads it.
type Trust struct {
	// Document is the trust policy's document ID.
	Document string `json:"document"`
	// Trustees are the principals its Allow statements admit, in
	// statement order.
	Trustees []*Trustee `json:"trustees"`
}

// Trustee is one principal a trust policy admits.
type Trustee struct {
	// Kind is "anyone", "account", "principal", "service", "federated"
	// or "other".
	Kind string `json:"kind" enum:"anyone,account,principal,service,federated,other"`
	// Value is the principal as written.
	Value string `json:"value"`
	// Account is an AWS principal's account.
	Account string `json:"account"`
	// External is true for an AWS principal of an account the inputs do
	// not describe, and for anyone.
	External bool `json:"external"`
	// Provider is a federated principal's identity provider:
	// "token.actions.githubusercontent.com" for
	// arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com,
	// the value itself for web identity providers (accounts.google.com).
	Provider string `json:"provider"`
	// Principal is the ID of the model's principal the value names, ""
	// when it names none.
	Principal string `json:"principal"`
	// Actions are the sts:AssumeRole* (and TagSession, ...) actions the
	// statement allows.
	Actions []string `json:"actions"`
	// Statement is the ID of the admitting statement.
	Statement string `json:"statement"`
	// Conditions are the admitting statement's conditions; MFA and
	// ExternalID say whether one tests aws:MultiFactorAuthPresent (or
	// aws:MultiFactorAuthAge) and sts:ExternalId.
	Conditions []*Condition `json:"conditions"`
	MFA        bool         `json:"mfa"`
	ExternalID bool         `json:"external_id"`
}

// Workload is a compute resource that runs as a role.
type Workload struct {
	ID string `json:"id"`
	// Kind is "lambda-function", "ec2-instance", "launch-template",
	// "glue-job", "ecs-task-definition", ... (see iam.WorkloadKind).
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Source string `json:"source"`
}

// Group is an IAM group.
type Group struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Path    string `json:"path"`
	ARN     string `json:"arn"`
	Account string `json:"account"`
	Source  string `json:"source"`
	// Members are the IDs of the users in the group.
	Members []string `json:"members"`
	// Policies are the group's inline and attached policies.
	Policies []*PolicyRef `json:"policies"`
}

// Policy is a managed policy.
type Policy struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Path       string `json:"path"`
	ARN        string `json:"arn"`
	AWSManaged bool   `json:"aws_managed"`
	Source     string `json:"source"`
	// Document is the default version's document ID; "" when unknown.
	Document string `json:"document"`
	// AttachedTo are the IDs of the users, groups and roles the policy is
	// attached to (as a boundary too).
	AttachedTo []string `json:"attached_to"`
}

// Document is a policy document.
type Document struct {
	ID string `json:"id"`
	// Kind is the role the document plays: "identity", "trust",
	// "resource", "boundary", "scp", "rcp", "session" or "unknown".
	Kind string `json:"kind" enum:"identity,trust,resource,boundary,scp,rcp,session,unknown"`
	// Owner is the ID of the principal, group, managed policy or
	// Organizations policy the document belongs to; "" for a standalone
	// document.
	Owner string `json:"owner"`
	// Name is an inline policy's name, "" otherwise.
	Name       string `json:"name"`
	AWSManaged bool   `json:"aws_managed"`
	Source     string `json:"source"`
	// Decoded is false when the document could not be decoded (its
	// statements are then empty); iamlint reports why (IAM000, IAM002).
	Decoded    bool         `json:"decoded"`
	Version    string       `json:"version"`
	Statements []*Statement `json:"statements"`
}

// Statement is one statement of a document. Lists hold the values as
// written; values the loaders could not determine keep their symbolic form
// ("${var.bucket}").
type Statement struct {
	// ID is the document's ID with "#Statement[i]" appended.
	ID    string `json:"id"`
	Index int    `json:"index"`
	Sid   string `json:"sid"`
	// Effect is "Allow", "Deny", or "invalid" for a missing or misspelled
	// Effect (iamlint reports it; the statement never applies).
	Effect string `json:"effect" enum:"Allow,Deny,invalid"`
	// The statement uses actions or not_actions, and resources or
	// not_resources (or neither, in a trust policy): the other of each
	// pair is empty.
	Actions      []string `json:"actions"`
	NotActions   []string `json:"not_actions"`
	Resources    []string `json:"resources"`
	NotResources []string `json:"not_resources"`
	// The Principal and NotPrincipal elements, each a map from a
	// principal type ("AWS", "Service", "Federated", "CanonicalUser") to
	// its values; "*" alone is {"AWS": ["*"]}. Null when absent.
	Principals    map[string][]string `json:"principals" schema:"nullable"`
	NotPrincipals map[string][]string `json:"not_principals" schema:"nullable"`
	Conditions    []*Condition        `json:"conditions"`
	Source        string              `json:"source"`
}

// Condition is one operator/key pair of a Condition block.
type Condition struct {
	// Operator as written, with its qualifiers: "StringEquals",
	// "ForAnyValue:StringLike", "BoolIfExists".
	Operator string   `json:"operator"`
	Key      string   `json:"key"`
	Values   []string `json:"values"`
}

// Access levels, the keys of a ServiceAccess.
const (
	LevelList    = "list"
	LevelRead    = "read"
	LevelWrite   = "write"
	LevelTagging = "tagging"
	LevelPerms   = "permissions-management"
)

// Permissions are a principal's effective permissions: its identity
// policies, capped by its boundary and its account's SCPs, less what
// denies take away.
type Permissions struct {
	// Admin is "yes" when the principal may perform every action on every
	// resource, "conditional" when only in some requests, "no" otherwise.
	Admin string `json:"admin" enum:"yes,conditional,no"`
	// Complete is false when a policy that applies could not be resolved
	// (an attachment of a policy that is not in the inputs): the answers
	// are then a best effort.
	Complete bool `json:"complete"`
	// Services maps each service prefix the principal may use to its
	// access levels ("list", "read", "write", "tagging",
	// "permissions-management") that it may use.
	Services map[string]map[string]*LevelAccess `json:"services"`
	// ConditionKeys are the condition keys of the Allow statements that
	// grant the principal's permissions: what its access depends on.
	ConditionKeys []string `json:"condition_keys"`
}

// LevelAccess is a principal's access to one service's actions of one
// access level.
type LevelAccess struct {
	// All is "yes" when the principal certainly may perform every action
	// of the level (on the resources no deny names), "conditional" when
	// it may perform each in some requests or on some resources, "no"
	// when some are not allowed at all.
	All string `json:"all" enum:"yes,conditional,no"`
	// Yes lists the actions it certainly may perform, Conditional those
	// it may perform only in some requests or on some resources. Both are
	// empty when All is not "no": then every action of the level is
	// allowed (iamlint.actions("s3:*") lists them).
	Yes         []string `json:"yes"`
	Conditional []string `json:"conditional"`
}

// Assumption is a can-assume edge.
type Assumption struct {
	// From is the principal's ID, Role the role's.
	From string `json:"from"`
	Role string `json:"role"`
	// Allowed is "yes" or "conditional".
	Allowed string `json:"allowed" enum:"yes,conditional"`
	// MFA and ExternalID say that the admitting trust statement requires
	// MFA and an external ID.
	MFA        bool `json:"mfa"`
	ExternalID bool `json:"external_id"`
}

// Escalation is a principal's shortest way to more permissions.
type Escalation struct {
	Principal string `json:"principal"`
	// Admin is "yes" when the path ends with administrator permissions,
	// "conditional" when under conditions, "no" when it ends at a
	// principal that merely has permissions the start lacks.
	Admin string `json:"admin" enum:"yes,conditional,no"`
	// Allowed is the weakest move: "yes" or "conditional".
	Allowed string `json:"allowed" enum:"yes,conditional"`
	// Target is the ID of the principal whose permissions the path ends
	// with.
	Target string  `json:"target"`
	Moves  []*Move `json:"moves"`
}

// Move is one hop of an escalation path.
type Move struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Technique is the technique's ID ("sts-assume-role",
	// "iam-create-access-key", ...; docs/escalation.md lists them) and
	// TechniqueName what it does.
	Technique     string `json:"technique"`
	TechniqueName string `json:"technique_name"`
	// Kind is "become" (gain To's permissions) or "empower" (give To any
	// permissions).
	Kind    string `json:"kind" enum:"become,empower"`
	Allowed string `json:"allowed" enum:"yes,conditional"`
	// Via is the ID of the object the technique works through (a group,
	// a managed policy, a workload), "" when none.
	Via   string  `json:"via"`
	Steps []*Step `json:"steps"`
}

// Step is one permission a move needs.
type Step struct {
	Action   string `json:"action"`
	Resource string `json:"resource"`
	Allowed  string `json:"allowed" enum:"yes,conditional,no"`
}
