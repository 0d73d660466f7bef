package main

// Case is one simulation case in the oracle's (and simcase's) JSON shape.
// Field order here is the order in the stored file.
type Case struct {
	ID                 string   `json:"id"`
	Expect             string   `json:"expect,omitempty"`
	IdentityPolicies   []*Doc   `json:"identityPolicies"`
	PermissionBoundary *Doc     `json:"permissionBoundary,omitempty"`
	SCPs               [][]*Doc `json:"scps,omitempty"`
	RCPs               [][]*Doc `json:"rcps,omitempty"`
	ResourcePolicy     *Doc     `json:"resourcePolicy,omitempty"`
	SessionPolicy      *Doc     `json:"sessionPolicy,omitempty"`
	Request            Request  `json:"request"`
}

// Request is the request half of a case.
type Request struct {
	Principal       string         `json:"principal"`
	Action          string         `json:"action"`
	Resource        string         `json:"resource"`
	ResourceAccount string         `json:"resourceAccount,omitempty"`
	Context         map[string]any `json:"context,omitempty"` // string or []string values
}

// Doc is a policy document. Version is omitted when empty (old-style
// documents); Statement is always an array here.
type Doc struct {
	Version   string  `json:"Version,omitempty"`
	Statement []*Stmt `json:"Statement"`
}

// Stmt is one statement. Action/NotAction, Resource/NotResource hold a
// string or a []string; Principal holds "*" or map[string]any.
type Stmt struct {
	Sid         string                    `json:"Sid,omitempty"`
	Effect      string                    `json:"Effect"`
	Principal   any                       `json:"Principal,omitempty"`
	Action      any                       `json:"Action,omitempty"`
	NotAction   any                       `json:"NotAction,omitempty"`
	Resource    any                       `json:"Resource,omitempty"`
	NotResource any                       `json:"NotResource,omitempty"`
	Condition   map[string]map[string]any `json:"Condition,omitempty"`
}

// rng is SplitMix64: tiny, fast and, unlike math/rand, guaranteed to give
// the same sequence on every Go release, which keeps generated.json stable.
type rng struct{ s uint64 }

func newRNG(seed int64, index int) *rng {
	r := &rng{s: uint64(seed)*0x9E3779B97F4A7C15 ^ (uint64(index)+1)*0xD1B54A32D192ED03}
	r.next()
	return r
}

func (r *rng) next() uint64 {
	r.s += 0x9E3779B97F4A7C15
	z := r.s
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// intn returns a value in [0, n). The modulo bias is irrelevant here.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// chance is true with probability p.
func (r *rng) chance(p float64) bool { return float64(r.next()>>11)/(1<<53) < p }

// between returns a value in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }

// strOrList renders one value as a string and several as a list, both
// forms IAM accepts; a single value is sometimes still written as a list.
func strOrList(r *rng, xs []string) any {
	if len(xs) == 1 && r.chance(0.8) {
		return xs[0]
	}
	return append([]string(nil), xs...)
}
