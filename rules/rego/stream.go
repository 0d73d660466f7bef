package rego

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/rules"
)

// WriteInput writes the whole input document (every section) as indented
// JSON, the same bytes as encoding BuildInput(in, now, AllSections) with
// two-space indentation and no HTML escaping, but entry by entry: on a
// big account the document is hundreds of megabytes (the permissions of
// every principal), which it never holds in memory at once.
func WriteInput(w io.Writer, in *rules.Input, now time.Time) error {
	b := newBuilder(in)
	sw := &streamWriter{w: bufio.NewWriterSize(w, 1<<16)}
	sw.raw("{")
	sw.top("version")
	sw.value(InputVersion, "  ")
	sw.top("now")
	sw.value(now.Format(time.DateOnly), "  ")
	nodes := func(kinds ...analyzer.NodeKind) []*analyzer.Node {
		var out []*analyzer.Node
		for _, n := range b.g.Nodes {
			if slices.Contains(kinds, n.Kind) {
				out = append(out, n)
			}
		}
		slices.SortFunc(out, func(x, y *analyzer.Node) int { return strings.Compare(x.ID, y.ID) })
		return out
	}
	section := func(key string, list []*analyzer.Node, build func(n *analyzer.Node) any) {
		sw.top(key)
		sw.raw("{")
		for i, n := range list {
			if i > 0 {
				sw.raw(",")
			}
			sw.raw("\n    " + jsonString(n.ID) + ": ")
			sw.value(build(n), "    ")
		}
		if len(list) > 0 {
			sw.raw("\n  ")
		}
		sw.raw("}")
	}
	section("accounts", nodes(analyzer.KindAccount), func(n *analyzer.Node) any { return b.account(n) })
	section("principals", nodes(analyzer.KindUser, analyzer.KindRole), func(n *analyzer.Node) any { return b.principal(n) })
	section("groups", nodes(analyzer.KindGroup), func(n *analyzer.Node) any { return b.group(n) })
	section("policies", nodes(analyzer.KindPolicy), func(n *analyzer.Node) any { return b.policy(n) })
	section("documents", nodes(analyzer.KindDocument), func(n *analyzer.Node) any { return b.document(n) })
	section("permissions", nodes(analyzer.KindUser, analyzer.KindRole), func(n *analyzer.Node) any { return permissionsOf(b.a.Permissions(n)) })
	sw.top("assumptions")
	sw.raw("[")
	first := true
	for _, n := range b.g.Principals() {
		for _, as := range b.a.Assumable(n) {
			if !first {
				sw.raw(",")
			}
			first = false
			sw.raw("\n    ")
			sw.value(&Assumption{From: as.From.ID, Role: as.Role.ID, Allowed: tri(as.Allowed), MFA: as.MFA, ExternalID: as.ExternalID}, "    ")
		}
	}
	if !first {
		sw.raw("\n  ")
	}
	sw.raw("]")
	escs := map[*analyzer.Node]*analyzer.Escalation{}
	var withEsc []*analyzer.Node
	for _, e := range b.a.Escalations() {
		escs[e.Principal] = e
		withEsc = append(withEsc, e.Principal)
	}
	slices.SortFunc(withEsc, func(x, y *analyzer.Node) int { return strings.Compare(x.ID, y.ID) })
	section("escalations", withEsc, func(n *analyzer.Node) any { return escalationOf(escs[n]) })
	sw.raw("\n}\n")
	if sw.err != nil {
		return sw.err
	}
	return sw.w.Flush()
}

// streamWriter writes JSON piecewise, keeping the first error.
type streamWriter struct {
	w      *bufio.Writer
	buf    bytes.Buffer
	fields int
	err    error
}

func (s *streamWriter) raw(text string) {
	if s.err == nil {
		_, s.err = s.w.WriteString(text)
	}
}

// top starts a field of the document.
func (s *streamWriter) top(key string) {
	if s.fields > 0 {
		s.raw(",")
	}
	s.fields++
	s.raw("\n  " + jsonString(key) + ": ")
}

func jsonString(k string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(k)
	return strings.TrimSuffix(b.String(), "\n")
}

// value writes v indented as a value at prefix's depth.
func (s *streamWriter) value(v any, prefix string) {
	if s.err != nil {
		return
	}
	s.buf.Reset()
	enc := json.NewEncoder(&s.buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		s.err = err
		return
	}
	s.raw(strings.TrimSuffix(s.buf.String(), "\n"))
}
