package iam

import (
	"bytes"
	"encoding/json"
)

// JSON renders the document as canonical policy JSON: elements in AWS's
// usual order (Version, Id, Statement; Sid, Effect, Principal,
// NotPrincipal, Action, NotAction, Resource, NotResource, Condition), a
// single value as a string and several as an array. Unknown values appear
// as their symbolic text. Use it to show what a loader resolved, or to
// compare documents regardless of how they were written.
func (d *Document) JSON() []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	if d.HasVersion {
		b.WriteString(`"Version":`)
		writeJSONString(&b, d.Version)
		b.WriteByte(',')
	}
	if d.ID != "" {
		b.WriteString(`"Id":`)
		writeJSONString(&b, d.ID)
		b.WriteByte(',')
	}
	b.WriteString(`"Statement":[`)
	for i, s := range d.Statements {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(s.JSON())
	}
	b.WriteString("]}")
	return b.Bytes()
}

// JSON renders one statement as canonical JSON (see Document.JSON).
func (s *Statement) JSON() json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	field := func(name string, raw []byte) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeJSONString(&b, name)
		b.WriteByte(':')
		b.Write(raw)
	}
	str := func(v string) []byte {
		var sb bytes.Buffer
		writeJSONString(&sb, v)
		return sb.Bytes()
	}
	if s.Sid != "" {
		field("Sid", str(s.Sid))
	}
	if s.Effect != EffectInvalid {
		field("Effect", str(s.Effect.String()))
	}
	for _, p := range []struct {
		name string
		p    *Principal
	}{{"Principal", s.Principal}, {"NotPrincipal", s.NotPrincipal}} {
		if p.p != nil {
			field(p.name, p.p.json())
		}
	}
	for _, l := range []struct {
		name string
		l    List
	}{{"Action", s.Action}, {"NotAction", s.NotAction}, {"Resource", s.Resource}, {"NotResource", s.NotResource}} {
		if l.l.Present {
			field(l.name, valuesJSON(l.l.Values))
		}
	}
	if s.Condition.Present {
		field("Condition", s.Condition.json())
	}
	b.WriteByte('}')
	return b.Bytes()
}

func (p *Principal) json() []byte {
	if p.Any {
		return []byte(`"*"`)
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range p.Entries {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, e.Type)
		b.WriteByte(':')
		b.Write(valuesJSON(e.Values))
	}
	b.WriteByte('}')
	return b.Bytes()
}

func (c *Conditions) json() []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	// Clauses are flat (operator, key); group them back by operator in
	// order of first appearance.
	var ops []string
	byOp := map[string][]*Condition{}
	for _, cl := range c.Clauses {
		op := cl.Operator.String()
		if _, ok := byOp[op]; !ok {
			ops = append(ops, op)
		}
		byOp[op] = append(byOp[op], cl)
	}
	for i, op := range ops {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, op)
		b.WriteString(":{")
		for j, cl := range byOp[op] {
			if j > 0 {
				b.WriteByte(',')
			}
			writeJSONString(&b, cl.Key)
			b.WriteByte(':')
			b.Write(valuesJSON(cl.Values))
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
	return b.Bytes()
}

func valuesJSON(vals []Value) []byte {
	var b bytes.Buffer
	one := func(v Value) {
		switch v.JSONKind {
		case NumberValue, BoolValue:
			b.WriteString(v.Text)
		default:
			writeJSONString(&b, v.Text)
		}
	}
	if len(vals) == 1 {
		one(vals[0])
		return b.Bytes()
	}
	b.WriteByte('[')
	for i, v := range vals {
		if i > 0 {
			b.WriteByte(',')
		}
		one(v)
	}
	b.WriteByte(']')
	return b.Bytes()
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	b.Truncate(b.Len() - 1) // Encode adds a newline
}
