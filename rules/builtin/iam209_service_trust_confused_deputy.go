package builtin

import (
	"strings"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/rules"
)

// trustConfusedDeputyServices are the service principals whose own
// documentation tells to put aws:SourceArn or aws:SourceAccount in the
// trust policy of the roles the service assumes, with an example trust
// policy (each service's "Cross-service confused deputy prevention"
// page, or for Amazon ECS the task IAM role page). Services whose pages
// only cover resource policies (CloudTrail, AWS Config), that say the
// attack is not possible (AWS IoT Events), or that do not pass the keys
// when they assume a role (EC2 instance profiles, Lambda execution roles)
// are deliberately absent: a condition there would break the role. So is
// Systems Manager (ssm.amazonaws.com): its page shows the keys for hybrid
// activations and Automation only, and the same principal assumes
// maintenance window roles, for which nothing says the keys are sent.
var trustConfusedDeputyServices = map[string]string{
	"amplify.amazonaws.com":       "AWS Amplify",
	"batch.amazonaws.com":         "AWS Batch",
	"codedeploy.amazonaws.com":    "AWS CodeDeploy",
	"comprehend.amazonaws.com":    "Amazon Comprehend",
	"datasync.amazonaws.com":      "AWS DataSync",
	"dms.amazonaws.com":           "AWS DMS",
	"ecs-tasks.amazonaws.com":     "Amazon ECS tasks",
	"greengrass.amazonaws.com":    "AWS IoT Greengrass",
	"iotsitewise.amazonaws.com":   "AWS IoT SiteWise",
	"mediaconvert.amazonaws.com":  "AWS Elemental MediaConvert",
	"personalize.amazonaws.com":   "Amazon Personalize",
	"proton.amazonaws.com":        "AWS Proton",
	"rds.amazonaws.com":           "Amazon RDS",
	"rekognition.amazonaws.com":   "Amazon Rekognition",
	"ssm-incidents.amazonaws.com": "AWS Systems Manager Incident Manager",
	"textract.amazonaws.com":      "Amazon Textract",
	"voiceid.amazonaws.com":       "Amazon Connect Voice ID",
}

// trustSourceKeys are the keys that tie a service's request to the
// resource (or its account or organization) it acts for.
var trustSourceKeys = []string{"aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths"}

func serviceTrustConfusedDeputy() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM209",
			Slug:     "service-trust-confused-deputy",
			Title:    "Service role trust without aws:SourceArn/SourceAccount",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `When a service assumes a role on behalf of a resource (a DataSync
location, a Batch compute environment, an ECS task, ...), nothing in a
trust policy that only names the service principal says *whose* resource
it is. Another customer of the service who learns the role's ARN may be
able to name it in a resource of their own; the service, a *confused
deputy*, then assumes your role for them. Conditions on
` + "`aws:SourceArn`" + ` or ` + "`aws:SourceAccount`" + ` (or ` + "`aws:SourceOrgID`" + `,
` + "`aws:SourceOrgPaths`" + `), which the service sets to the resource it acts for,
close that door.

The rule only covers services whose documentation recommends these keys
in the trust policy of their roles: Amplify, Batch, CodeDeploy,
Comprehend, DataSync, DMS, ECS tasks, IoT Greengrass, IoT SiteWise,
MediaConvert, Personalize, Proton, RDS, Rekognition, Systems Manager
Incident Manager, Textract and Connect Voice ID. It never reports
services that do not send the keys when they assume a role, such as
` + "`ec2.amazonaws.com`" + ` (instance profiles) or ` + "`lambda.amazonaws.com`" + ` (execution
roles), where the condition would break the role. A condition whose only
value is a wildcard does not count; a ` + "`Deny`" + ` of the same policy whose only
condition excludes other sources does.

Add, for example, ` + "`\"StringEquals\": {\"aws:SourceAccount\": \"111122223333\"}`" + ` and
` + "`\"ArnLike\": {\"aws:SourceArn\": \"arn:aws:datasync:us-east-1:111122223333:*\"}`" + `.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Service": "datasync.amazonaws.com"},
      "Action": "sts:AssumeRole"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Service": "datasync.amazonaws.com"},
      "Action": "sts:AssumeRole",
      "Condition": {
        "StringEquals": {"aws:SourceAccount": "111122223333"},
        "ArnLike": {"aws:SourceArn": "arn:aws:datasync:us-east-1:111122223333:*"}
      }
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
				"https://docs.aws.amazon.com/datasync/latest/userguide/cross-service-confused-deputy-prevention.html",
				"https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, tp := range trustPolicies(p) {
				for _, t := range tp.trustees {
					if t.Kind != analyzer.TrustService || !trustAllows(t, "sts:AssumeRole") {
						continue
					}
					name := strings.TrimSuffix(strings.ToLower(t.Value), ".cn")
					service, ok := trustConfusedDeputyServices[name]
					if !ok {
						continue
					}
					restricted := false
					for _, key := range trustSourceKeys {
						restricted = restricted || trustRestricts(tp.doc.Policy.Doc, t, key, "sts:AssumeRole", true)
					}
					if restricted {
						continue
					}
					p.Reportf(tp.doc, t.Range, "%s trusts the %s service principal %q without an aws:SourceArn or aws:SourceAccount condition, so another customer's resource can make the service assume it",
						tp.subject, service, t.Value)
				}
			}
			return nil
		},
	}
}
