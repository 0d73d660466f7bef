package rego

import (
	"github.com/open-policy-agent/opa/v1/ast"
)

// Rules run offline and deterministically: the same inputs, the same
// findings, on any machine. The capabilities they are compiled with leave
// out OPA's built-ins that reach the network (http.send,
// net.lookup_ip_addr, the JSON schema functions, which may fetch remote
// schemas), read the environment (opa.runtime) or differ from run to run
// (rand.intn, uuid.rfc4122, time.now_ns, the JWT signing and verifying
// functions, which use randomness or the clock), and allow no network
// host. A rule that calls one is refused when it is loaded, with the
// reason.

// refusal says why a built-in is not available to rules; "" when it is.
func refusal(b *ast.Builtin) string {
	switch b.Name {
	case "http.send", "net.lookup_ip_addr":
		return "rules run offline"
	case "json.match_schema", "json.verify_schema":
		return "rules run offline, and these may fetch remote schemas"
	case "opa.runtime":
		return "rules do not see the environment"
	case "time.now_ns":
		return "rules are deterministic: input.now is the run's reference date (--now)"
	}
	if b.Nondeterministic {
		return "rules are deterministic: the same inputs give the same findings"
	}
	return ""
}

// capabilities returns what rules are compiled with: OPA's built-ins less
// the refused ones, plus iamlint's, and no network host.
func capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	kept := caps.Builtins[:0]
	for _, b := range caps.Builtins {
		if refusal(b) == "" {
			kept = append(kept, b)
		}
	}
	caps.Builtins = kept
	for _, b := range Builtins() {
		caps.Builtins = append(caps.Builtins, b.decl())
	}
	caps.AllowNet = []string{}
	return caps
}

// refusedBuiltins maps the names of OPA's built-ins rules may not call to
// the reason.
func refusedBuiltins() map[string]string {
	out := map[string]string{}
	for _, b := range ast.CapabilitiesForThisVersion().Builtins {
		if r := refusal(b); r != "" {
			out[b.Name] = r
		}
	}
	return out
}
