package loader

import (
	"slices"
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/managed"
)

// Link resolves the references each loader left as text — attachments to
// managed policies (AWS managed ones come from the embedded data),
// memberships, instance profile roles, the roles and instance profiles of
// workloads — joins credential report rows to their users and accounts,
// and makes sure every account a principal belongs to is in the model. It
// never drops an unresolved reference: the text stays and the pointer
// stays nil. External principal stubs whose principal another input
// declares are merged into it first.
func Link(m *iam.Model, reports []*iam.CredentialReport) {
	mergeExternals(m)
	lk := &linker{m: m, policies: map[string]*iam.ManagedPolicy{}, accounts: map[string]*iam.Account{}}
	for _, p := range m.Policies {
		lk.addPolicy(p)
	}
	for _, a := range m.Accounts {
		if _, ok := lk.accounts[a.ID]; !ok {
			lk.accounts[a.ID] = a
		}
	}
	for _, u := range m.Users {
		lk.identity(&u.Identity)
	}
	for _, r := range m.Roles {
		lk.identity(&r.Identity)
	}
	for _, g := range m.Groups {
		lk.attachments(g.Attached)
		lk.account(g.Account)
	}
	lk.memberships()
	lk.instanceProfiles()
	lk.workloads()
	for _, row := range reports {
		lk.report(row)
	}
	lk.accountFacts()
}

// accountFacts joins account-wide facts read from files that do not name
// their account (a password policy, an account summary) to the account,
// when the inputs hold exactly one account with a known ID; otherwise
// they stay on their own Account, addressed by their file.
func (lk *linker) accountFacts() {
	var known, anonymous []*iam.Account
	for _, a := range lk.m.Accounts {
		switch {
		case a.ID == "" && a.Root == nil:
			anonymous = append(anonymous, a)
		case iam.IsAccountID(a.ID):
			known = append(known, a)
		}
	}
	if len(known) != 1 || len(anonymous) == 0 {
		return
	}
	target := known[0]
	merged := map[*iam.Account]bool{}
	for _, a := range anonymous {
		if a.PasswordPolicy != nil && target.PasswordPolicy != nil || a.Summary != nil && target.Summary != nil {
			continue // two of a kind: keep both visible rather than choose
		}
		if a.PasswordPolicy != nil {
			target.PasswordPolicy = a.PasswordPolicy
		}
		if a.Summary != nil {
			target.Summary = a.Summary
		}
		merged[a] = true
	}
	lk.m.Accounts = slices.DeleteFunc(lk.m.Accounts, func(a *iam.Account) bool { return merged[a] })
}

type linker struct {
	m        *iam.Model
	policies map[string]*iam.ManagedPolicy // by ARN and by address
	accounts map[string]*iam.Account
}

func (lk *linker) addPolicy(p *iam.ManagedPolicy) {
	if p.ARN != "" {
		if _, ok := lk.policies[p.ARN]; !ok {
			lk.policies[p.ARN] = p
		}
	}
	if p.Addr != "" {
		if _, ok := lk.policies[p.Addr]; !ok {
			lk.policies[p.Addr] = p
		}
	}
}

func (lk *linker) identity(id *iam.Identity) {
	lk.attachments(id.Attached)
	if id.Boundary != nil {
		lk.attachments([]*iam.Attachment{id.Boundary})
	}
	lk.account(id.Account)
}

func (lk *linker) attachments(list []*iam.Attachment) {
	for _, a := range list {
		if a.Policy != nil || a.PolicyRef == "" {
			continue
		}
		if p := lk.policies[a.PolicyRef]; p != nil {
			a.Policy = p
			continue
		}
		if p := lk.awsManaged(a.PolicyRef); p != nil {
			a.Policy = p
		}
	}
}

// awsManaged adds the AWS managed policy ref names (an ARN in any
// partition) to the model, once.
func (lk *linker) awsManaged(ref string) *iam.ManagedPolicy {
	if !strings.Contains(ref, ":iam::aws:policy/") {
		return nil
	}
	mp, ok := managed.Lookup(ref)
	if !ok {
		return nil
	}
	if p := lk.policies[mp.ARN]; p != nil {
		return p
	}
	// The document's positions refer to the policy's ARN: it has no file
	// in the inputs, and findings on it belong to the attachment.
	doc, _ := iam.ParsePolicy(mp.Document, iam.ParseOptions{Filename: mp.ARN, Kind: iam.KindIdentity})
	p := &iam.ManagedPolicy{
		Node:           iam.Node{Addr: mp.ARN},
		Name:           mp.Name,
		Path:           mp.Path,
		ARN:            mp.ARN,
		AWSManaged:     true,
		DefaultVersion: mp.VersionID,
		Default:        &iam.PolicyDocument{Node: iam.Node{Addr: mp.ARN}, Doc: doc},
	}
	lk.m.Policies = append(lk.m.Policies, p)
	lk.addPolicy(p)
	return p
}

// account makes sure a 12-digit account ID has an Account in the model.
func (lk *linker) account(id string) *iam.Account {
	if !iam.IsAccountID(id) {
		return nil
	}
	if a := lk.accounts[id]; a != nil {
		return a
	}
	a := &iam.Account{Node: iam.Node{Addr: "account:" + id}, ID: id}
	lk.accounts[id] = a
	lk.m.Accounts = append(lk.m.Accounts, a)
	return a
}

// memberships resolves users and groups named by memberships and fills
// the back links, so User.Groups and Group.Members agree.
func (lk *linker) memberships() {
	users := map[string]*iam.User{}
	for _, u := range lk.m.Users {
		for _, k := range []string{u.ARN, u.Addr, acctKey(u.Account, u.Name)} {
			if k != "" {
				if _, ok := users[k]; !ok {
					users[k] = u
				}
			}
		}
	}
	groups := map[string]*iam.Group{}
	for _, g := range lk.m.Groups {
		for _, k := range []string{g.ARN, g.Addr, acctKey(g.Account, g.Name)} {
			if k != "" {
				if _, ok := groups[k]; !ok {
					groups[k] = g
				}
			}
		}
	}
	seen := map[*iam.Membership]bool{}
	var all []*iam.Membership
	collect := func(ms []*iam.Membership) {
		for _, m := range ms {
			if !seen[m] {
				seen[m] = true
				all = append(all, m)
			}
		}
	}
	for _, u := range lk.m.Users {
		collect(u.Groups)
	}
	for _, g := range lk.m.Groups {
		collect(g.Members)
	}
	for _, m := range all {
		if m.Group == nil {
			acct := ""
			if m.User != nil {
				acct = m.User.Account
			}
			m.Group = firstOf(groups, m.GroupName, acctKey(acct, m.GroupName))
		}
		if m.User == nil {
			acct := ""
			if m.Group != nil {
				acct = m.Group.Account
			}
			m.User = firstOf(users, m.UserName, acctKey(acct, m.UserName))
		}
		if m.User != nil && !slices.Contains(m.User.Groups, m) {
			m.User.Groups = append(m.User.Groups, m)
		}
		if m.Group != nil && !slices.Contains(m.Group.Members, m) {
			m.Group.Members = append(m.Group.Members, m)
		}
	}
}

func (lk *linker) instanceProfiles() {
	roles := map[string]*iam.Role{}
	for _, r := range lk.m.Roles {
		for _, k := range []string{r.ARN, r.Addr, r.Name} {
			if k != "" {
				if _, ok := roles[k]; !ok {
					roles[k] = r
				}
			}
		}
	}
	for _, ip := range lk.m.InstanceProfiles {
		if len(ip.Roles) > 0 {
			continue
		}
		for _, ref := range ip.RoleRefs {
			if r := roles[ref]; r != nil {
				ip.Roles = append(ip.Roles, r)
				if !slices.Contains(r.InstanceProfiles, ip) {
					r.InstanceProfiles = append(r.InstanceProfiles, ip)
				}
			}
		}
	}
}

// workloads resolves the roles and instance profiles of workloads that
// their loader left as references: by ARN, by address, or by name in the
// workload's account. Only what identifies one object counts: an ARN or
// account with a symbolic part (${...}) may stand for any account, and an
// address two inputs both use (two Terraform configurations may each
// declare aws_iam_role.app) names neither. An ARN, or an account and
// name, that several inputs declare is one role: the first by address is
// taken.
func (lk *linker) workloads() {
	if len(lk.m.Workloads) == 0 {
		return
	}
	roles := map[string][]*iam.Role{}
	for _, r := range lk.m.Roles {
		for _, k := range refKeys(r.ARN, r.Addr, r.Account, r.Name) {
			roles[k] = append(roles[k], r)
		}
	}
	profiles := map[string][]*iam.InstanceProfile{}
	for _, ip := range lk.m.InstanceProfiles {
		for _, k := range refKeys(ip.ARN, ip.Addr, iam.AccountOf(ip.ARN), ip.Name) {
			profiles[k] = append(profiles[k], ip)
		}
	}
	for _, w := range lk.m.Workloads {
		if w.Role == nil && w.RoleRef != "" {
			w.Role = resolveRef(roles, w.RoleRef, w.Account)
		}
		if w.Profile == nil && w.ProfileRef != "" {
			w.Profile = resolveRef(profiles, w.ProfileRef, w.Account)
		}
	}
}

// refKeys are the keys a role or instance profile is found by: its ARN,
// its address, and its account and name; those with a symbolic part are
// left out.
func refKeys(arn, addr, account, name string) []string {
	var out []string
	if arn != "" && !strings.Contains(arn, "${") {
		out = append(out, "arn\x00"+arn)
	}
	if addr != "" {
		out = append(out, "addr\x00"+addr)
	}
	if iam.IsAccountID(account) && name != "" && !strings.Contains(name, "${") {
		out = append(out, "name\x00"+acctKey(account, name))
	}
	return out
}

// resolveRef finds what a reference names: an ARN, or an address (only
// when one object has it) or a name in the workload's account; nil when
// nothing does.
func resolveRef[T interface{ Address() string }](index map[string][]T, ref, account string) T {
	var zero T
	if strings.Contains(ref, "${") {
		return zero
	}
	if strings.HasPrefix(ref, "arn:") {
		return firstByAddr(index["arn\x00"+ref])
	}
	if found := index["addr\x00"+ref]; len(found) > 0 {
		if len(found) == 1 {
			return found[0]
		}
		return zero
	}
	if iam.IsAccountID(account) {
		return firstByAddr(index["name\x00"+acctKey(account, ref)])
	}
	return zero
}

func firstByAddr[T interface{ Address() string }](s []T) T {
	var first T
	for i, x := range s {
		if i == 0 || x.Address() < first.Address() {
			first = x
		}
	}
	return first
}

// report joins a credential report row to its user or account root; a
// user missing from the other inputs is added from the row, so no row is
// lost.
func (lk *linker) report(row *iam.CredentialReport) {
	a, ok := iam.ParseARN(row.ARN)
	if !ok {
		return
	}
	if row.User == "<root_account>" {
		acct := lk.account(a.Account)
		if acct == nil {
			return
		}
		if acct.Root == nil {
			acct.Root = &iam.RootUser{Node: iam.Node{Addr: row.Addr, Range: row.Range}}
		}
		acct.Root.Credentials = row
		return
	}
	for _, u := range lk.m.Users {
		if u.ARN == row.ARN || u.Account == a.Account && u.Name == row.User && u.ARN == "" {
			u.Credentials = row
			return
		}
	}
	path := "/"
	if res := strings.TrimPrefix(a.Resource, "user"); strings.Count(res, "/") > 1 {
		path = res[:strings.LastIndexByte(res, '/')+1]
	}
	u := &iam.User{Identity: iam.Identity{
		Node: iam.Node{Addr: row.Addr, Range: row.Range}, Name: row.User, Path: path, ARN: row.ARN, Account: a.Account,
	}, Credentials: row}
	lk.m.Users = append(lk.m.Users, u)
	lk.account(a.Account)
}

func acctKey(account, name string) string {
	if name == "" {
		return ""
	}
	return account + "\x00" + name
}

func firstOf[T any](m map[string]*T, keys ...string) *T {
	for _, k := range keys {
		if v := m[k]; k != "" && v != nil {
			return v
		}
	}
	return nil
}

// mergeExternals folds each external stub (a principal one input only
// attaches to) into the real principal another input declares with the
// same ARN, or the same account and name, and drops the stub. What hangs
// off the stub moves with its own nodes and ranges. Only a concrete ARN
// or a 12-digit account identifies a principal across inputs: a symbolic
// one (${...}) may stand for any account.
func mergeExternals(m *iam.Model) {
	keys := func(arn, account, name string) []string {
		var out []string
		if arn != "" && !strings.Contains(arn, "${") {
			out = append(out, arn)
		}
		if iam.IsAccountID(account) && name != "" && !strings.Contains(name, "${") {
			out = append(out, acctKey(account, name))
		}
		return out
	}
	users, roles, groups := map[string]*iam.User{}, map[string]*iam.Role{}, map[string]*iam.Group{}
	for _, u := range m.Users {
		if !u.External {
			for _, k := range keys(u.ARN, u.Account, u.Name) {
				if users[k] == nil {
					users[k] = u
				}
			}
		}
	}
	for _, r := range m.Roles {
		if !r.External {
			for _, k := range keys(r.ARN, r.Account, r.Name) {
				if roles[k] == nil {
					roles[k] = r
				}
			}
		}
	}
	for _, g := range m.Groups {
		if !g.External {
			for _, k := range keys(g.ARN, g.Account, g.Name) {
				if groups[k] == nil {
					groups[k] = g
				}
			}
		}
	}
	merged := map[any]bool{}
	for _, u := range m.Users {
		if !u.External {
			continue
		}
		real := firstOf(users, keys(u.ARN, u.Account, u.Name)...)
		if real == nil {
			continue
		}
		mergeIdentity(&real.Identity, &u.Identity)
		for _, ms := range u.Groups {
			ms.User = real
			if !slices.Contains(real.Groups, ms) {
				real.Groups = append(real.Groups, ms)
			}
		}
		if real.LoginProfile == nil {
			real.LoginProfile = u.LoginProfile
		}
		real.AccessKeys = append(real.AccessKeys, u.AccessKeys...)
		real.MFADevices = append(real.MFADevices, u.MFADevices...)
		if real.Credentials == nil {
			real.Credentials = u.Credentials
		}
		merged[u] = true
	}
	for _, r := range m.Roles {
		if !r.External {
			continue
		}
		real := firstOf(roles, keys(r.ARN, r.Account, r.Name)...)
		if real == nil {
			continue
		}
		mergeIdentity(&real.Identity, &r.Identity)
		for _, w := range m.Workloads {
			if w.Role == r {
				w.Role = real
			}
		}
		for _, ip := range r.InstanceProfiles {
			for i, x := range ip.Roles {
				if x == r {
					ip.Roles[i] = real
				}
			}
			if !slices.Contains(real.InstanceProfiles, ip) {
				real.InstanceProfiles = append(real.InstanceProfiles, ip)
			}
		}
		merged[r] = true
	}
	for _, g := range m.Groups {
		if !g.External {
			continue
		}
		real := firstOf(groups, keys(g.ARN, g.Account, g.Name)...)
		if real == nil {
			continue
		}
		real.Inline = append(real.Inline, g.Inline...)
		real.Attached = append(real.Attached, g.Attached...)
		for _, ms := range g.Members {
			ms.Group = real
			if !slices.Contains(real.Members, ms) {
				real.Members = append(real.Members, ms)
			}
		}
		merged[g] = true
	}
	if len(merged) == 0 {
		return
	}
	m.Users = slices.DeleteFunc(m.Users, func(u *iam.User) bool { return merged[u] })
	m.Roles = slices.DeleteFunc(m.Roles, func(r *iam.Role) bool { return merged[r] })
	m.Groups = slices.DeleteFunc(m.Groups, func(g *iam.Group) bool { return merged[g] })
}

// mergeIdentity moves a stub's inline policies and attachments onto the
// real principal.
func mergeIdentity(real, stub *iam.Identity) {
	real.Inline = append(real.Inline, stub.Inline...)
	real.Attached = append(real.Attached, stub.Attached...)
	if real.Boundary == nil {
		real.Boundary = stub.Boundary
	}
}
