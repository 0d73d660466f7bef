package main

import (
	"fmt"
	"strings"
)

// caller is the principal making the request.
type caller struct {
	arn      string
	account  string
	kind     string // user | session | federated | service
	roleARN  string // sessions: the assumed role; federated users: the IAM user who federated
	username string // IAM users and federated users (aws:username)
	service  string // service principals
}

func (c caller) principalArnKey() string {
	if c.kind == "session" {
		return c.roleARN // aws:PrincipalArn of a role session is the role ARN
	}
	return c.arn
}

func (c caller) root() string { return "arn:aws:iam::" + c.account + ":root" }

var (
	sameUsers = []caller{
		{arn: "arn:aws:iam::" + acctMain + ":user/alice", account: acctMain, kind: "user", username: "alice"},
		{arn: "arn:aws:iam::" + acctMain + ":user/division/bob", account: acctMain, kind: "user", username: "bob"},
	}
	sameSessions = []caller{
		{arn: "arn:aws:sts::" + acctMain + ":assumed-role/app/alice-session", account: acctMain, kind: "session", roleARN: "arn:aws:iam::" + acctMain + ":role/app"},
		{arn: "arn:aws:sts::" + acctMain + ":assumed-role/deploy/ci-job-42", account: acctMain, kind: "session", roleARN: "arn:aws:iam::" + acctMain + ":role/deploy"},
		{arn: "arn:aws:sts::" + acctMain + ":assumed-role/etl/run-7", account: acctMain, kind: "session", roleARN: "arn:aws:iam::" + acctMain + ":role/service-role/etl"},
	}
	otherCallers = []caller{
		{arn: "arn:aws:sts::" + acctOther + ":assumed-role/partner/bob-session", account: acctOther, kind: "session", roleARN: "arn:aws:iam::" + acctOther + ":role/partner"},
		{arn: "arn:aws:iam::" + acctOther + ":user/carol", account: acctOther, kind: "user", username: "carol"},
	}
	fedCaller = caller{arn: "arn:aws:sts::" + acctMain + ":federated-user/alice", account: acctMain, kind: "federated", roleARN: "arn:aws:iam::" + acctMain + ":user/alice", username: "alice"}
	services  = []string{"cloudtrail.amazonaws.com", "sns.amazonaws.com", "lambda.amazonaws.com"}
)

// scenario is everything drawn for one case before the policies are built.
type scenario struct {
	r        *rng
	who      caller
	k        *kind
	action   string
	res      arn
	resource string // request resource: an ARN or "*"
	resAcct  string
	region   string

	hasBoundary, hasSession bool
	ctxKeys                 map[string]bool // condition keys referenced by any policy
}

func generate(seed int64, index int) *Case {
	r := newRNG(seed, index)
	sc := &scenario{r: r, ctxKeys: map[string]bool{}}
	sc.drawCallerAndRequest()

	c := &Case{ID: fmt.Sprintf("gen/s%d/%05d", seed, index), IdentityPolicies: []*Doc{}}
	c.Request = Request{Principal: sc.who.arn, Action: sc.action, Resource: sc.resource}
	if sc.resource != "*" && sc.res.service == "s3" {
		c.Request.ResourceAccount = sc.resAcct
	}

	if sc.who.kind != "service" {
		sc.hasBoundary = r.chance(0.25)
		sc.hasSession = sc.who.kind == "federated" || (sc.who.kind == "session" && r.chance(0.25))
		c.IdentityPolicies = sc.identityPolicies()
		if sc.hasBoundary {
			c.PermissionBoundary = sc.ceilingPolicy(false)
		}
		if sc.hasSession {
			c.SessionPolicy = sc.ceilingPolicy(true)
		}
		if r.chance(0.30) {
			c.SCPs = sc.scps()
		}
	}
	svc := strings.SplitN(sc.action, ":", 2)[0]
	if rcpServices[svc] && sc.resource != "*" && r.chance(0.25) {
		c.RCPs = sc.rcps()
	}
	if sc.k.hasPolicy {
		// Keys (KMS) and roles (trust policy) always have a policy in AWS.
		p := 0.5
		if sc.k.needsPolicy || sc.who.kind == "service" {
			p = 1
		}
		if r.chance(p) {
			c.ResourcePolicy = sc.resourcePolicy()
		}
	}
	c.Request.Context = sc.context()
	return c
}

func (sc *scenario) drawCallerAndRequest() {
	r := sc.r
	switch x := r.intn(100); {
	case x < 26:
		sc.who = pick(r, sameUsers)
	case x < 62:
		sc.who = pick(r, sameSessions)
	case x < 84:
		sc.who = pick(r, otherCallers)
	case x < 91:
		sc.who = fedCaller
	default:
		sc.who = caller{arn: pick(r, services), kind: "service"}
		sc.who.service = sc.who.arn
	}
	var candidates []*kind
	for _, k := range kinds {
		if sc.who.kind == "service" && (!k.hasPolicy || k.name == "sts-role") {
			continue
		}
		candidates = append(candidates, k)
	}
	sc.k = pick(r, candidates)
	sc.action = sc.k.fullAction(pick(r, sc.k.actions))
	sc.region = pick(r, regions)
	if sc.k.arn == nil {
		sc.resource = "*"
		sc.resAcct = sc.who.account
		return
	}
	sc.resAcct = acctMain
	if sc.who.kind != "service" && r.chance(0.12) {
		sc.resAcct = acctOther
	}
	sc.res = sc.k.arn(r, sc.resAcct, sc.region)
	sc.resource = sc.res.String()
}

// ---------------------------------------------------------------- actions

func splitAction(a string) (svc, name string) {
	i := strings.IndexByte(a, ':')
	return a[:i], a[i+1:]
}

// verb returns the leading capitalised word of an action name ("Get" of "GetObject").
func verb(name string) string {
	for i := 1; i < len(name); i++ {
		if name[i] >= 'A' && name[i] <= 'Z' {
			return name[:i]
		}
	}
	return name
}

// noun returns the trailing capitalised word ("Object" of "GetObject").
func noun(name string) string {
	for i := len(name) - 1; i > 0; i-- {
		if name[i] >= 'A' && name[i] <= 'Z' {
			return name[i:]
		}
	}
	return name
}

func (sc *scenario) actionPattern() string {
	r := sc.r
	svc, name := splitAction(sc.action)
	switch x := r.intn(100); {
	case x < 34:
		switch r.intn(8) {
		case 0:
			return strings.ToLower(sc.action)
		case 1:
			return strings.ToUpper(svc) + ":" + name
		}
		return sc.action
	case x < 46:
		return svc + ":*"
	case x < 57:
		return svc + ":" + verb(name) + "*"
	case x < 63:
		return svc + ":*" + noun(name)
	case x < 67:
		i := r.intn(len(name))
		return svc + ":" + name[:i] + "?" + name[i+1:]
	case x < 85:
		for {
			o := pick(r, catalog)
			osvc, _ := splitAction(o)
			if o != sc.action && (osvc == svc || r.chance(0.4)) {
				return o
			}
		}
	case x < 90:
		return "*"
	default:
		o, _ := splitAction(pick(r, catalog))
		if o == svc {
			o = "ec2"
			if svc == "ec2" {
				o = "s3"
			}
		}
		return o + ":*"
	}
}

func (sc *scenario) actionPatterns() []string {
	n := 1
	if sc.r.chance(0.35) {
		n = sc.r.between(2, 3)
	}
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		p := sc.actionPattern()
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// -------------------------------------------------------------- resources

// resourcePattern draws a Resource entry for the request resource: exact,
// wildcarded in whole segments or in the id, with a policy variable, or
// deliberately not matching. Wildcards never appear in the resource-type
// part (before the first '/' or ':' of the resource) and patterns always
// have six segments: the oracle deviates from AWS there (see FINDINGS.md).
func (sc *scenario) resourcePattern() string {
	r := sc.r
	if sc.resource == "*" {
		if r.chance(0.85) {
			return "*"
		}
		svc, _ := splitAction(sc.action)
		return "arn:aws:" + svc + ":*:*:*"
	}
	a := sc.res
	s3 := a.service == "s3"
	switch x := r.intn(100); {
	case x < 9:
		return "*"
	case x < 31:
		return a.String()
	case x < 42:
		if s3 {
			b := strings.SplitN(a.id, "/", 2)[0]
			if strings.Contains(a.id, "/") {
				return "arn:aws:s3:::" + b + "/*"
			}
			return "arn:aws:s3:::" + b + "*"
		}
		switch r.intn(3) {
		case 0:
			a.region = starIfSet(a.region)
		case 1:
			a.account = "*"
		default:
			a.region, a.account = starIfSet(a.region), "*"
		}
		return a.String()
	case x < 55:
		if s3 {
			if b, key, ok := strings.Cut(a.id, "/"); ok {
				dir := key
				if i := strings.LastIndexByte(key, '/'); i >= 0 {
					dir = key[:i+1]
				} else {
					dir = ""
				}
				switch r.intn(3) {
				case 0:
					return "arn:aws:s3:::" + b + "/" + dir + "*"
				case 1:
					return "arn:aws:s3:::*/" + key
				default:
					return "arn:aws:s3:::" + b + "/*" + key[len(key)-4:]
				}
			}
			return "arn:aws:s3:::*"
		}
		a.id = "*"
		return a.String()
	case x < 63:
		k := r.between(1, len(a.id)-1)
		a.id = a.id[:k] + "*"
		return a.String()
	case x < 67:
		i := r.intn(len(a.id))
		if a.id[i] == '/' || a.id[i] == ':' {
			i = len(a.id) - 1
		}
		a.id = a.id[:i] + "?" + a.id[i+1:]
		return a.String()
	case x < 74:
		sc.ctxKeys["aws:username"] = true
		switch {
		case s3:
			b := strings.SplitN(a.id, "/", 2)[0]
			return "arn:aws:s3:::" + b + "/home/${aws:username}/*"
		case a.typ == "user":
			a.id = "${aws:username}"
		default:
			a.id = "${aws:username}*"
		}
		return a.String()
	case x < 78:
		return "arn:aws:" + a.service + ":*:*:*"
	default: // a near miss
		switch r.intn(5) {
		case 0:
			if s3 {
				a.id = "other-bucket/" + a.id
			} else {
				a.id = "other-" + a.id
			}
		case 1:
			if a.account != "" {
				a.account = acctThird
			} else {
				a.id = strings.ToUpper(a.id[:1]) + a.id[1:]
			}
		case 2:
			if a.region != "" {
				a.region = "ap-south-1"
			} else {
				a.id += "-old"
			}
		case 3:
			a.id = strings.ToUpper(a.id[:1]) + a.id[1:]
		default:
			a.id += "/extra"
		}
		return a.String()
	}
}

func starIfSet(s string) string {
	if s == "" {
		return ""
	}
	return "*"
}

func (sc *scenario) resourcePatterns() []string {
	n := 1
	if sc.r.chance(0.25) {
		n = 2
	}
	seen := map[string]bool{}
	var out []string
	for tries := 0; len(out) < n && tries < 10; tries++ {
		p := sc.resourcePattern()
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// ------------------------------------------------------------- statements

func (sc *scenario) statement(effect string, withCondition float64) *Stmt {
	r := sc.r
	s := &Stmt{Effect: effect}
	if r.chance(0.10) {
		s.NotAction = strOrList(r, sc.actionPatterns())
	} else {
		s.Action = strOrList(r, sc.actionPatterns())
	}
	if r.chance(0.08) {
		// No variables in NotResource: when the key is missing the oracle
		// drops the statement, which AWS does not spell out.
		pats := sc.resourcePatterns()
		for i, p := range pats {
			if strings.Contains(p, "${") {
				pats[i] = sc.resource
			}
		}
		s.NotResource = strOrList(r, pats)
	} else {
		s.Resource = strOrList(r, sc.resourcePatterns())
	}
	if r.chance(withCondition) {
		s.Condition = sc.conditionBlock(r.between(1, 2), false)
	}
	return s
}

func (sc *scenario) doc(stmts []*Stmt) *Doc {
	r := sc.r
	for i, s := range stmts {
		if r.chance(0.3) {
			s.Sid = fmt.Sprintf("Stmt%d", i+1)
		}
	}
	d := &Doc{Version: "2012-10-17", Statement: stmts}
	// Old-style documents only when they hold no policy variable: the
	// oracle substitutes variables there and AWS does not.
	if r.chance(0.06) && !docHasVariable(d) {
		d.Version = pick(r, []string{"2008-10-17", ""})
	}
	return d
}

func docHasVariable(d *Doc) bool {
	for _, s := range d.Statement {
		if strings.Contains(fmt.Sprint(s.Resource, s.NotResource, s.Condition), "${") {
			return true
		}
	}
	return false
}

func (sc *scenario) identityPolicies() []*Doc {
	r := sc.r
	n := r.between(1, 4)
	if r.chance(0.2) {
		n = r.between(5, 10)
	}
	var stmts []*Stmt
	for i := 0; i < n; i++ {
		if r.chance(0.22) {
			stmts = append(stmts, sc.statement("Deny", 0.5))
		} else {
			stmts = append(stmts, sc.statement("Allow", 0.3))
		}
	}
	docs := r.between(1, 3)
	if docs > n {
		docs = n
	}
	var out []*Doc
	per := (n + docs - 1) / docs
	for i := 0; i < n; i += per {
		end := min(i+per, n)
		out = append(out, sc.doc(stmts[i:end]))
	}
	return out
}

// ceilingPolicy draws a permissions boundary or a session policy: mostly
// broad Allow statements, sometimes a Deny.
func (sc *scenario) ceilingPolicy(session bool) *Doc {
	r := sc.r
	svc, _ := splitAction(sc.action)
	var stmts []*Stmt
	for i, n := 0, r.between(1, 2); i < n; i++ {
		s := &Stmt{Effect: "Allow", Resource: "*"}
		switch x := r.intn(100); {
		case x < 20:
			s.Action = "*"
		case x < 55:
			s.Action = svc + ":*"
		case x < 65:
			s.NotAction = "iam:*"
		case x < 80:
			s.Action = sc.action
		default:
			o, _ := splitAction(pick(r, catalog))
			s.Action = o + ":*"
		}
		if r.chance(0.2) {
			s.Resource = strOrList(r, sc.resourcePatterns())
		}
		if r.chance(0.15) {
			s.Condition = sc.conditionBlock(1, false)
		}
		stmts = append(stmts, s)
	}
	if r.chance(0.18) {
		stmts = append(stmts, sc.statement("Deny", 0.5))
	}
	return sc.doc(stmts)
}

func (sc *scenario) scps() [][]*Doc {
	r := sc.r
	svc, _ := splitAction(sc.action)
	full := func() *Doc {
		return &Doc{Version: "2012-10-17", Statement: []*Stmt{{Effect: "Allow", Action: "*", Resource: "*"}}}
	}
	levels := make([][]*Doc, r.between(1, 3))
	for i := range levels {
		if i == 0 && r.chance(0.85) || r.chance(0.7) {
			levels[i] = []*Doc{full()}
			continue
		}
		var acts []string
		if r.chance(0.6) {
			acts = append(acts, svc+":*")
		}
		for len(acts) == 0 || r.chance(0.3) {
			o, _ := splitAction(pick(r, catalog))
			acts = append(acts, o+":*")
		}
		levels[i] = []*Doc{{Version: "2012-10-17", Statement: []*Stmt{{Effect: "Allow", Action: strOrList(r, acts), Resource: "*"}}}}
	}
	if r.chance(0.45) {
		var s *Stmt
		switch r.intn(4) {
		case 0:
			s = &Stmt{Effect: "Deny", NotAction: []string{"iam:*", "sts:*", "organizations:*"}, Resource: "*",
				Condition: map[string]map[string]any{"StringNotEquals": {"aws:RequestedRegion": []string{"us-east-1", "eu-west-1"}}}}
			sc.ctxKeys["aws:RequestedRegion"] = true
		case 1:
			s = &Stmt{Effect: "Deny", Action: strOrList(r, sc.actionPatterns()), Resource: "*",
				Condition: map[string]map[string]any{"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Admin*"}}}
			sc.ctxKeys["aws:PrincipalArn"] = true
		case 2:
			s = &Stmt{Effect: "Deny", Action: strOrList(r, sc.actionPatterns()), Resource: "*"}
		default:
			s = &Stmt{Effect: "Deny", Action: svc + ":*", Resource: "*",
				Condition: map[string]map[string]any{"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}
			sc.ctxKeys["aws:MultiFactorAuthPresent"] = true
		}
		i := r.intn(len(levels))
		levels[i] = append(levels[i], &Doc{Version: "2012-10-17", Statement: []*Stmt{s}})
	}
	return levels
}

// rcps draws Deny-only levels (the oracle's format implies RCPFullAWSAccess
// at every level and rejects Allow statements, Action "*" and NotAction).
func (sc *scenario) rcps() [][]*Doc {
	r := sc.r
	svc, _ := splitAction(sc.action)
	levels := make([][]*Doc, r.between(1, 2))
	for i := range levels {
		levels[i] = []*Doc{}
	}
	for n := r.between(1, 2); n > 0; n-- {
		s := &Stmt{Effect: "Deny", Principal: "*", Resource: "*"}
		switch x := r.intn(10); {
		case x < 5:
			s.Action = svc + ":*"
		case x < 8:
			s.Action = sc.action
		default:
			s.Action = pick(r, []string{"s3:PutBucketPolicy", "sqs:*", "kms:*", "secretsmanager:*", "sts:AssumeRole"})
		}
		if r.chance(0.25) {
			s.Resource = strOrList(r, sc.resourcePatterns())
		}
		switch x := r.intn(10); {
		case x < 5:
			s.Condition = map[string]map[string]any{
				"StringNotEqualsIfExists": {"aws:PrincipalOrgID": orgID},
				"BoolIfExists":            {"aws:PrincipalIsAWSService": "false"},
			}
			sc.ctxKeys["aws:PrincipalOrgID"], sc.ctxKeys["aws:PrincipalIsAWSService"] = true, true
		case x < 8:
			s.Condition = map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}}
			sc.ctxKeys["aws:SecureTransport"] = true
		}
		i := r.intn(len(levels))
		levels[i] = append(levels[i], &Doc{Version: "2012-10-17", Statement: []*Stmt{s}})
	}
	return levels
}

// rpPrincipal draws the Principal of a resource-policy statement.
func (sc *scenario) rpPrincipal(allow bool) any {
	r := sc.r
	w := sc.who
	aws := func(v any) any { return map[string]any{"AWS": v} }
	if w.kind == "service" {
		switch x := r.intn(10); {
		case x < 7:
			return map[string]any{"Service": w.service}
		case x < 8:
			return map[string]any{"Service": pick(r, services)}
		case x < 9:
			return "*"
		default:
			return aws("arn:aws:iam::" + acctMain + ":root")
		}
	}
	for {
		switch x := r.intn(100); {
		case x < 30:
			// A grant to the session's own ARN is not limited by a session
			// policy in AWS, but is in the oracle: avoid the combination.
			if allow && sc.hasSession && (w.kind == "session" || w.kind == "federated") {
				continue
			}
			return aws(w.arn)
		case x < 45:
			if w.roleARN == "" {
				continue
			}
			return aws(w.roleARN)
		case x < 60:
			return aws(w.root())
		case x < 66:
			return aws(w.account)
		case x < 76:
			// '*' with a boundary or session policy: AWS does not document
			// whether those limit it; keep such cases out.
			if allow && (sc.hasBoundary || sc.hasSession) {
				continue
			}
			// AWS rejects a wildcard principal in a role trust policy.
			if sc.k.name == "sts-role" {
				continue
			}
			if r.chance(0.5) {
				return "*"
			}
			return aws("*")
		case x < 82:
			return aws("arn:aws:iam::" + acctThird + ":root")
		case x < 88:
			return aws("arn:aws:iam::" + acctMain + ":user/mallory")
		case x < 94:
			return aws("arn:aws:iam::" + sc.resAcct + ":root")
		default:
			if allow && sc.hasSession && (w.kind == "session" || w.kind == "federated") {
				continue
			}
			return aws([]string{"arn:aws:iam::" + acctThird + ":root", w.arn})
		}
	}
}

func (sc *scenario) resourcePolicy() *Doc {
	r := sc.r
	trust := sc.k.name == "sts-role"
	var stmts []*Stmt
	for i, n := 0, r.between(1, 2); i < n; i++ {
		s := &Stmt{Effect: "Allow", Principal: sc.rpPrincipal(true)}
		if r.chance(0.75) {
			s.Action = sc.action
		} else {
			s.Action = strOrList(r, sc.actionPatterns())
		}
		if !trust {
			s.Resource = strOrList(r, sc.resourcePatterns())
		}
		switch {
		case sc.action == "sts:AssumeRole" && r.chance(0.3):
			s.Condition = map[string]map[string]any{"StringEquals": {"sts:ExternalId": "ext-123"}}
			sc.ctxKeys["sts:ExternalId"] = true
		case sc.who.kind == "service" && r.chance(0.5):
			s.Condition = map[string]map[string]any{"StringEquals": {"aws:SourceAccount": acctMain}}
			sc.ctxKeys["aws:SourceAccount"] = true
		case r.chance(0.25):
			s.Condition = sc.conditionBlock(1, true)
		}
		stmts = append(stmts, s)
	}
	if r.chance(0.3) {
		s := &Stmt{Effect: "Deny", Principal: sc.rpPrincipal(false), Action: strOrList(r, sc.actionPatterns())}
		if r.chance(0.5) && !trust {
			s.Principal = "*"
		}
		if !trust {
			s.Resource = strOrList(r, sc.resourcePatterns())
		}
		if r.chance(0.75) {
			s.Condition = sc.conditionBlock(1, true)
		}
		stmts = append(stmts, s)
	}
	return sc.doc(stmts)
}
