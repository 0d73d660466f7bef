package builtin

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

// This file holds what several rules share: resolving a statement's action
// patterns against the catalog, and message helpers.

// actionKind classifies one Action/NotAction value.
type actionKind uint8

const (
	actionAll             actionKind = iota // "*"
	actionWildcardService                   // "*:Get*", "s*:List*", "*Object"
	actionMalformed                         // no ':' and no wildcard
	actionUnknownService                    // "s4:GetObject"
	actionUnknown                           // known service, matches no action
	actionKnown                             // matches at least one action
)

// actionRef is one action pattern resolved against the catalog.
type actionRef struct {
	kind    actionKind
	service *catalog.Service // set for actionUnknown and actionKnown
	svcPart string           // the text before the first ':'
	actions []*catalog.Action
}

func resolveAction(cat *catalog.Catalog, text string) actionRef {
	if text == "*" {
		return actionRef{kind: actionAll}
	}
	svcPart, _, hasColon := strings.Cut(text, ":")
	switch {
	case !hasColon && hasWildcard(text):
		return actionRef{kind: actionWildcardService}
	case !hasColon:
		return actionRef{kind: actionMalformed}
	case hasWildcard(svcPart):
		return actionRef{kind: actionWildcardService, svcPart: svcPart}
	}
	svc := cat.Service(svcPart)
	if svc == nil {
		return actionRef{kind: actionUnknownService, svcPart: svcPart}
	}
	acts := cat.Expand(text)
	if len(acts) == 0 {
		return actionRef{kind: actionUnknown, service: svc, svcPart: svcPart}
	}
	return actionRef{kind: actionKnown, service: svc, svcPart: svcPart, actions: acts}
}

// textMemo remembers what f returns for each text it is asked about: a
// rule meets the same action patterns in statement after statement.
type textMemo[T any] struct {
	f    func(text string) T
	seen map[string]T
}

func newTextMemo[T any](f func(text string) T) textMemo[T] {
	return textMemo[T]{f: f, seen: map[string]T{}}
}

func (m textMemo[T]) get(text string) T {
	v, ok := m.seen[text]
	if !ok {
		v = m.f(text)
		m.seen[text] = v
	}
	return v
}

// actionResolver resolves action patterns for one pass of a rule, each
// text once (resolveAction), and each statement's Action element once per
// distinct list of values (statementActions). What it returns is shared
// and must not be modified.
type actionResolver struct {
	refs  textMemo[actionRef]
	lists map[string]*actionList
	none  actionList // of a statement without an Action element
	key   []byte     // buffer for the keys of lists
}

// actionList is the result of statementActions for one list of Action
// values; statements with the same list share it, so rules can remember
// what they derive from it by its address.
type actionList struct {
	acts []*catalog.Action
	ok   bool
}

func newActionResolver(cat *catalog.Catalog) *actionResolver {
	return &actionResolver{
		refs:  newTextMemo(func(text string) actionRef { return resolveAction(cat, text) }),
		lists: map[string]*actionList{},
	}
}

func (r *actionResolver) resolve(text string) actionRef { return r.refs.get(text) }

// statementActions returns the actions a statement's Action element
// matches, deduplicated, in catalog order. ok is false when that set is not
// exactly known: the statement uses NotAction or has no Action, or one of
// its patterns is "*", has a wildcard in the service part, or names an
// unknown service or action. Rules that reason about "the statement's
// actions" stay silent then: another rule reports the unknown names, and
// a wildcard could mean anything.
func (r *actionResolver) statementActions(s *iam.Statement) (acts []*catalog.Action, ok bool) {
	l := r.list(s)
	return l.acts, l.ok
}

// list is statementActions as a shared actionList.
func (r *actionResolver) list(s *iam.Statement) *actionList {
	if s.NotAction.Present || !s.Action.Present || len(s.Action.Values) == 0 {
		return &r.none
	}
	key := r.key[:0]
	for _, v := range s.Action.Values {
		key = strconv.AppendInt(key, int64(len(v.Text)), 10)
		key = append(key, ':')
		key = append(key, v.Text...)
	}
	r.key = key
	if l, ok := r.lists[string(key)]; ok {
		return l
	}
	l := &actionList{}
	if len(s.Action.Values) == 1 {
		ref := r.resolve(s.Action.Values[0].Text)
		l.acts, l.ok = ref.actions, ref.kind == actionKnown
	} else {
		l.ok = true
		for _, v := range s.Action.Values {
			ref := r.resolve(v.Text)
			if ref.kind != actionKnown {
				l.acts, l.ok = nil, false
				break
			}
			l.acts = append(l.acts, ref.actions...)
		}
		if l.ok {
			l.acts = sortActions(l.acts, len(s.Action.Values))
		}
	}
	r.lists[string(key)] = l
	return l
}

// sortActions puts actions gathered from sources expansions (each in
// catalog order) in catalog order without duplicates, in place.
func sortActions(acts []*catalog.Action, sources int) []*catalog.Action {
	if sources <= 1 {
		return acts
	}
	slices.SortFunc(acts, func(a, b *catalog.Action) int { return a.Index - b.Index })
	return slices.Compact(acts)
}

// actionRelated points at the statement's Action element.
func actionRelated(s *iam.Statement) []rules.Related {
	return []rules.Related{{Range: s.Action.KeyRange, Message: "the statement's actions"}}
}

func hasWildcard(s string) bool { return strings.ContainsAny(s, "*?") }

// didYouMean renders " (did you mean a, b or c?)" for up to three
// suggestions, or "" for none.
func didYouMean(names []string) string {
	if len(names) == 0 {
		return ""
	}
	if len(names) > 3 {
		names = names[:3]
	}
	return " (did you mean " + orList(names) + "?)"
}

// orList joins names as "a", "a or b", "a, b or c".
func orList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// describeActions names a set of actions for a message: "s3:GetObject",
// "s3:GetObject or s3:PutObject", or "any of the 12 actions of this
// statement" when there are more than three.
func describeActions(acts []*catalog.Action) string {
	if len(acts) > 3 {
		return fmt.Sprintf("any of the %d actions of this statement", len(acts))
	}
	names := make([]string, len(acts))
	for i, a := range acts {
		names[i] = a.FullName()
	}
	return orList(names)
}

// hasVariable reports whether s holds a policy variable or escape
// ("${...}").
func hasVariable(s string) bool {
	i := strings.Index(s, "${")
	return i >= 0 && strings.IndexByte(s[i:], '}') > 0
}
