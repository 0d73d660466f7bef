package main

import (
	"fmt"
	"strings"
)

const (
	acctMain  = "111122223333"
	acctOther = "444455556666"
	acctThird = "999988887777"
	orgID     = "o-a1b2c3d4e5"
)

// kind is a resource type: how to draw a concrete ARN for a request and
// whether such resources carry a resource-based policy in AWS.
type kind struct {
	name    string
	service string
	// arn returns "" for actions that take no resource ("*").
	arn func(r *rng, account, region string) arn
	// hasPolicy: the resource type has a resource-based policy in AWS
	// (bucket policy, queue policy, key policy, trust policy, ...).
	hasPolicy bool
	// needsPolicy: AWS never grants without it (KMS key policy, role trust policy).
	needsPolicy bool
	actions     []string
}

// arn is a parsed ARN. res is everything after the fifth colon; typ and
// sep split it into resource type and id ("instance" "/" "i-0abc"); typ is
// empty for services whose resource part has no type (S3, SQS, SNS).
type arn struct {
	service, region, account string
	typ, sep, id             string
}

func (a arn) String() string {
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s%s%s", a.service, a.region, a.account, a.typ, a.sep, a.id)
}

var (
	buckets    = []string{"example-bucket", "data-lake-prod", "team-shared"}
	objectKeys = []string{"reports/q1.csv", "home/alice/notes.txt", "home/bob/todo.txt", "public/index.html", "logs/2024/06/01/app.log"}
	regions    = []string{"us-east-1", "us-east-1", "eu-west-1", "us-west-2"}
	hexIDs     = []string{"0abc1234", "0def5678", "09a8b7c6"}
	userPaths  = []string{"alice", "division/bob", "carol", "svc/deployer"}
	roleNames  = []string{"deploy", "app", "AdminOps", "service-role/etl"}
	funcNames  = []string{"thumbnailer", "billing-api", "alice-sandbox"}
	tableNames = []string{"orders", "sessions", "audit-log"}
	queueNames = []string{"jobs", "jobs-dlq", "alice-inbox"}
	topicNames = []string{"alerts", "deployments"}
	keyIDs     = []string{"1234abcd-12ab-34cd-56ef-1234567890ab", "0987dcba-09fe-87dc-65ba-ab0987654321"}
	secretIDs  = []string{"db-password-AbCdEf", "api-key-XyZ123", "alice/token-QwErTy"}
	groupNames = []string{"app-logs", "audit", "alice-debug"}
	paramNames = []string{"app/db/url", "app/feature-flags", "alice/notes"}
	repoNames  = []string{"web", "worker", "base-images/python"}
	stackNames = []string{"web-stack/1a2b3c4d-0000-1111-2222-333344445555", "network/5e6f7a8b-9999-8888-7777-666655554444"}
)

func simple(service, typ, sep string, ids []string) func(r *rng, account, region string) arn {
	return func(r *rng, account, region string) arn {
		return arn{service: service, region: region, account: account, typ: typ, sep: sep, id: pick(r, ids)}
	}
}

// kinds lists real actions (every one checked against the oracle's action
// catalog) grouped by the resource type they are requested on.
var kinds = []*kind{
	{name: "s3-object", service: "s3", hasPolicy: true,
		arn: func(r *rng, _, _ string) arn {
			return arn{service: "s3", id: pick(r, buckets) + "/" + pick(r, objectKeys)}
		},
		actions: []string{"GetObject", "PutObject", "DeleteObject", "GetObjectAcl", "PutObjectAcl", "GetObjectTagging", "PutObjectTagging", "DeleteObjectVersion", "GetObjectVersion", "RestoreObject", "AbortMultipartUpload"}},
	{name: "s3-bucket", service: "s3", hasPolicy: true,
		arn:     func(r *rng, _, _ string) arn { return arn{service: "s3", id: pick(r, buckets)} },
		actions: []string{"ListBucket", "GetBucketPolicy", "PutBucketPolicy", "DeleteBucket", "GetBucketLocation", "PutBucketVersioning", "GetBucketAcl", "PutBucketPublicAccessBlock", "ListBucketVersions", "PutLifecycleConfiguration"}},
	{name: "ec2-instance", service: "ec2", arn: func(r *rng, a, g string) arn {
		return arn{service: "ec2", region: g, account: a, typ: "instance", sep: "/", id: "i-" + pick(r, hexIDs)}
	},
		actions: []string{"TerminateInstances", "StartInstances", "StopInstances", "RebootInstances", "GetConsoleOutput", "ModifyInstanceAttribute", "MonitorInstances"}},
	{name: "ec2-volume", service: "ec2", arn: func(r *rng, a, g string) arn {
		return arn{service: "ec2", region: g, account: a, typ: "volume", sep: "/", id: "vol-" + pick(r, hexIDs)}
	}, actions: []string{"DeleteVolume"}},
	{name: "ec2-security-group", service: "ec2", arn: func(r *rng, a, g string) arn {
		return arn{service: "ec2", region: g, account: a, typ: "security-group", sep: "/", id: "sg-" + pick(r, hexIDs)}
	}, actions: []string{"AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress", "DeleteSecurityGroup"}},
	{name: "iam-user", service: "iam", arn: func(r *rng, a, _ string) arn {
		return arn{service: "iam", account: a, typ: "user", sep: "/", id: pick(r, userPaths)}
	}, actions: []string{"CreateUser", "DeleteUser", "GetUser", "CreateAccessKey", "DeleteAccessKey", "AttachUserPolicy", "PutUserPolicy", "CreateLoginProfile", "UpdateLoginProfile", "ListAccessKeys"}},
	{name: "iam-role", service: "iam", arn: func(r *rng, a, _ string) arn {
		return arn{service: "iam", account: a, typ: "role", sep: "/", id: pick(r, roleNames)}
	}, actions: []string{"CreateRole", "DeleteRole", "GetRole", "AttachRolePolicy", "PutRolePolicy", "UpdateAssumeRolePolicy", "PassRole"}},
	{name: "iam-policy", service: "iam", arn: func(r *rng, a, _ string) arn {
		return arn{service: "iam", account: a, typ: "policy", sep: "/", id: pick(r, []string{"team-read", "ci/deploy"})}
	}, actions: []string{"CreatePolicyVersion", "GetPolicy", "DeletePolicy", "SetDefaultPolicyVersion"}},
	{name: "sts-role", service: "sts", hasPolicy: true, needsPolicy: true, arn: func(r *rng, a, _ string) arn {
		return arn{service: "iam", account: a, typ: "role", sep: "/", id: pick(r, roleNames)}
	}, actions: []string{"AssumeRole", "TagSession"}},
	{name: "lambda-function", service: "lambda", hasPolicy: true, arn: simple("lambda", "function", ":", funcNames),
		actions: []string{"InvokeFunction", "UpdateFunctionCode", "GetFunction", "DeleteFunction", "UpdateFunctionConfiguration", "AddPermission"}},
	{name: "dynamodb-table", service: "dynamodb", hasPolicy: true, arn: simple("dynamodb", "table", "/", tableNames),
		actions: []string{"GetItem", "PutItem", "DeleteItem", "Query", "Scan", "UpdateItem", "DeleteTable", "DescribeTable"}},
	{name: "sqs-queue", service: "sqs", hasPolicy: true, arn: simple("sqs", "", "", queueNames),
		actions: []string{"SendMessage", "ReceiveMessage", "DeleteMessage", "GetQueueAttributes", "SetQueueAttributes", "PurgeQueue", "DeleteQueue"}},
	{name: "sns-topic", service: "sns", hasPolicy: true, arn: simple("sns", "", "", topicNames),
		actions: []string{"Publish", "Subscribe", "SetTopicAttributes", "DeleteTopic", "GetTopicAttributes"}},
	{name: "kms-key", service: "kms", hasPolicy: true, needsPolicy: true, arn: simple("kms", "key", "/", keyIDs),
		actions: []string{"Decrypt", "Encrypt", "GenerateDataKey", "DescribeKey", "ScheduleKeyDeletion", "PutKeyPolicy"}},
	{name: "secret", service: "secretsmanager", hasPolicy: true, arn: simple("secretsmanager", "secret", ":", secretIDs),
		actions: []string{"GetSecretValue", "PutSecretValue", "DescribeSecret", "DeleteSecret", "UpdateSecret"}},
	{name: "log-group", service: "logs", arn: simple("logs", "log-group", ":", groupNames),
		actions: []string{"DeleteLogGroup", "PutRetentionPolicy"}},
	{name: "ssm-parameter", service: "ssm", arn: simple("ssm", "parameter", "/", paramNames),
		actions: []string{"GetParameter", "PutParameter", "DeleteParameter", "GetParameters"}},
	{name: "ecr-repository", service: "ecr", hasPolicy: true, arn: simple("ecr", "repository", "/", repoNames),
		actions: []string{"BatchGetImage", "PutImage", "GetDownloadUrlForLayer", "DeleteRepository"}},
	{name: "cfn-stack", service: "cloudformation", arn: simple("cloudformation", "stack", "/", stackNames),
		actions: []string{"CreateStack", "DeleteStack", "UpdateStack", "DescribeStacks"}},
	{name: "none", service: "", arn: nil,
		actions: []string{"s3:ListAllMyBuckets", "ec2:DescribeInstances", "ec2:DescribeVpcs", "ec2:DescribeSecurityGroups", "ec2:DescribeImages", "ec2:DescribeSubnets", "ec2:DescribeVolumes", "iam:ListUsers", "iam:ListRoles", "lambda:ListFunctions", "dynamodb:ListTables", "sqs:ListQueues", "kms:ListKeys", "logs:DescribeLogGroups", "ecr:GetAuthorizationToken", "sts:GetCallerIdentity"}},
}

// fullAction returns "service:Name" for an action of k.
func (k *kind) fullAction(a string) string {
	if strings.Contains(a, ":") {
		return a
	}
	return k.service + ":" + a
}

// allActions lists every action of the catalog (used for "other action" picks).
func allActions() []string {
	var out []string
	for _, k := range kinds {
		for _, a := range k.actions {
			out = append(out, k.fullAction(a))
		}
	}
	return out
}

var catalog = allActions()

// rcpServices are the services resource control policies apply to.
var rcpServices = map[string]bool{"s3": true, "sqs": true, "kms": true, "secretsmanager": true, "sts": true}
