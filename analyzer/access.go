package analyzer

import (
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
)

// ActionAccess is one action's row of a principal's permission table.
type ActionAccess struct {
	Action *catalog.Action
	// Allowed is Yes when the principal certainly may perform the action
	// on every resource that no deny names, Maybe when only on some
	// resources or in some requests (see Grants, Limits and Denies for
	// which), No when on none.
	Allowed iam.Tri
	// Grants are the identity-policy statements that may allow it, each
	// with its path; Limits the boundary and SCP statements that let it
	// through; Denies the statements of any layer that may deny it.
	Grants, Limits, Denies []*Grant
}

// Access returns the row of one action.
func (p *Permissions) Access(act *catalog.Action) ActionAccess {
	row := ActionAccess{Action: act}
	switch {
	case p.Some.Has(act.Index):
		row.Allowed = iam.Yes
	case p.Actions.Has(act.Index):
		row.Allowed = iam.Maybe
	}
	pick := func(list []*Grant) []*Grant {
		var out []*Grant
		for _, g := range list {
			if g.sets.possible.Has(act.Index) {
				out = append(out, g)
			}
		}
		return out
	}
	row.Grants, row.Limits, row.Denies = pick(p.Allows), pick(p.Bounds), pick(p.Denies)
	return row
}

// Table returns the rows of every action the principal may perform on
// some resource, in catalog order, keeping those keep accepts (nil keeps
// all).
func (p *Permissions) Table(keep func(*catalog.Action) bool) []ActionAccess {
	actions := catalog.Default().Actions()
	var out []ActionAccess
	for i := range p.Actions.All() {
		if act := actions[i]; keep == nil || keep(act) {
			out = append(out, p.Access(act))
		}
	}
	return out
}

// LevelCount counts a service's actions of one access level.
type LevelCount struct {
	// Allowed: actions the principal may perform on some resource;
	// Certain: those allowed for sure (see ActionAccess.Allowed); Total:
	// the service's actions of that level.
	Allowed, Certain, Total int
}

// ServiceSummary is a principal's access to one service by access level,
// indexed by catalog.AccessLevel (index 0 unused).
type ServiceSummary struct {
	Service *catalog.Service
	Levels  [catalog.PermissionsManagement + 1]LevelCount
}

// Summary returns the per-service access-level summary of every service
// the principal may use, in service order.
func (p *Permissions) Summary() []ServiceSummary {
	var out []ServiceSummary
	for _, svc := range catalog.Default().Services() {
		var s ServiceSummary
		any := false
		for _, act := range svc.Actions {
			lc := &s.Levels[act.Access]
			lc.Total++
			if p.Actions.Has(act.Index) {
				lc.Allowed++
				any = true
			}
			if p.Some.Has(act.Index) {
				lc.Certain++
			}
		}
		if any {
			s.Service = svc
			out = append(out, s)
		}
	}
	return out
}

// Who is one answer of WhoCan.
type Who struct {
	Principal *Node
	Allowed   iam.Tri
	// Result is the evaluator's answer when a resource was given.
	Result *iam.PartialResult
}

// WhoCan returns the principals whose own policies may allow an action,
// on a resource when one is given ("" asks about any resource), in
// principal order. Principals that could get there through an escalation
// are not included; see Escalations.
func (a *Analysis) WhoCan(action, resource string) []Who {
	act := a.cat.Action(action)
	var out []Who
	for _, n := range a.Graph.Principals() {
		p := a.perms[n]
		if resource == "" {
			if act == nil {
				continue
			}
			if row := p.Access(act); row.Allowed != iam.No {
				out = append(out, Who{Principal: n, Allowed: row.Allowed})
			}
			continue
		}
		if act != nil && !p.Actions.Has(act.Index) {
			continue
		}
		res := p.Decide(action, resource)
		if res.Allowed != iam.No {
			out = append(out, Who{Principal: n, Allowed: res.Allowed, Result: &res})
		}
	}
	return out
}
