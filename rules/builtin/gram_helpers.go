package builtin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/iam/glob"
	"github.com/iamlint/iamlint/rules"
)

// This file holds what the grammar and validity rules (IAM308–IAM349)
// share: glob containment for redundancy, the policy size AWS counts,
// condition key lookups and small text helpers.

// gramTok is one token of a glob pattern: a literal character, '*' or '?'.
type gramTok struct {
	r    rune
	kind uint8 // gramLit, gramStar, gramQuest
}

const (
	gramLit uint8 = iota
	gramStar
	gramQuest
)

// gramTokens appends the tokens of a pattern to out, lower-cased when
// fold is set. The text of a "${...}" run (a policy variable, an escape
// such as ${*}, or a symbolic value) is literal: its '*' is not a
// wildcard.
func gramTokens(out []gramTok, s string, fold bool) []gramTok {
	if fold {
		s = strings.ToLower(s)
	}
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "${") {
			if j := strings.IndexByte(s[i:], '}'); j > 0 {
				for _, r := range s[i : i+j+1] {
					out = append(out, gramTok{r: r})
				}
				i += j + 1
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '*':
			out = append(out, gramTok{kind: gramStar})
		case '?':
			out = append(out, gramTok{kind: gramQuest})
		default:
			out = append(out, gramTok{r: r})
		}
		i += n
	}
	return out
}

// gramCovers reports whether every string the glob pattern inner matches
// is also matched by outer ('*' any run, '?' one character; letters
// compared ignoring case when fold is set). The test is sound but not
// complete: true is always right, false may miss a containment that needs
// reasoning across several wildcards. Patterns too long to compare cheaply
// are never said to be covered.
func gramCovers(inner, outer string, fold bool) bool {
	if inner == outer || fold && strings.EqualFold(inner, outer) {
		return true
	}
	outerWild := strings.ContainsAny(outer, "*?")
	if !outerWild {
		return false // a literal covers only itself
	}
	if !gramAffixesFit(inner, outer, fold) {
		return false
	}
	innerWild := strings.ContainsAny(inner, "*?")
	if !innerWild && !strings.Contains(outer, "${") {
		// A plain string under a pattern: an ordinary match.
		return glob.MatchString(outer, inner, fold)
	}
	if !fold && !gramPartsInOrder(inner, outer) {
		return false
	}
	// Patterns of ordinary length are compared in buffers on the stack.
	var abuf, bbuf [128]gramTok
	var rowBuf [256]bool
	a, b := gramTokens(abuf[:0], inner, fold), gramTokens(bbuf[:0], outer, fold)
	n, m := len(a), len(b)
	if (n+1)*(m+1) > 1<<20 {
		return false
	}
	// ok(i, j): a[i:] is covered by b[j:]; computed from the ends, one row
	// of i at a time: next holds row i+1 and cur row i.
	rows := rowBuf[:]
	if 2*(m+1) > len(rows) {
		rows = make([]bool, 2*(m+1))
	}
	next, cur := rows[:m+1], rows[m+1:2*(m+1)]
	next[m] = true
	for j := m - 1; j >= 0; j-- {
		next[j] = b[j].kind == gramStar && next[j+1]
	}
	for i := n - 1; i >= 0; i-- {
		cur[m] = false
		some := false
		for j := m - 1; j >= 0; j-- {
			switch b[j].kind {
			case gramStar:
				// The star takes nothing, or takes a[i] (whatever it is)
				// and maybe more.
				cur[j] = cur[j+1] || next[j]
			case gramQuest:
				cur[j] = a[i].kind != gramStar && next[j+1]
			default:
				cur[j] = a[i].kind == gramLit && a[i].r == b[j].r && next[j+1]
			}
			some = some || cur[j]
		}
		if !some {
			return false // every row above follows from this one: all false
		}
		next, cur = cur, next
	}
	return next[0]
}

// gramPartsInOrder is a quick necessary condition for gramCovers without
// fold: each run of literal text in outer between stars must stand in
// inner, in order, since each of its characters matches one literal
// character of inner. Runs with a '?' are passed over; so is the test for
// text that is not ASCII or an outer with a "${...}" run, whose '*' is
// literal.
func gramPartsInOrder(inner, outer string) bool {
	if strings.Contains(outer, "${") || !gramASCII(inner) || !gramASCII(outer) {
		return true
	}
	pos := 0
	for part := range strings.SplitSeq(outer, "*") {
		if part == "" || strings.Contains(part, "?") {
			continue
		}
		i := strings.Index(inner[pos:], part)
		if i < 0 {
			return false
		}
		pos += i + len(part)
	}
	return true
}

func gramASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// gramAffixesFit is a quick necessary condition for gramCovers: the
// literal text outer starts and ends with (up to its first and after its
// last wildcard or "$") must start and end inner.
func gramAffixesFit(inner, outer string, fold bool) bool {
	cut := strings.IndexAny(outer, "*?$")
	prefix := outer[:cut]
	last := strings.LastIndexAny(outer, "*?}")
	suffix := outer[last+1:]
	if len(prefix)+len(suffix) > len(inner) {
		return false
	}
	eq := func(x, y string) bool { return x == y || fold && strings.EqualFold(x, y) }
	return eq(inner[:len(prefix)], prefix) && eq(inner[len(inner)-len(suffix):], suffix)
}

// gramActionCovers reports whether action pattern outer covers inner. An
// outer pattern without a service part ("*Object") is never taken to cover
// anything but itself: how AWS reads such a pattern is not documented.
func gramActionCovers(inner, outer iam.Value) bool {
	if inner.Unknown || outer.Unknown {
		return false
	}
	if outer.Text != "*" && !strings.Contains(outer.Text, ":") {
		return strings.EqualFold(inner.Text, outer.Text)
	}
	return gramCovers(inner.Text, outer.Text, true)
}

// gramResourceCovers reports whether resource pattern outer covers inner.
// A value the loader could not resolve is covered only by "*".
func gramResourceCovers(inner, outer iam.Value) bool {
	if outer.Unknown {
		return false
	}
	if inner.Unknown {
		return gramAllStars(outer.Text)
	}
	return gramCovers(inner.Text, outer.Text, false)
}

// gramAllStars reports whether s is made of '*' only ("*", "**").
func gramAllStars(s string) bool {
	return s != "" && strings.Trim(s, "*") == ""
}

// gramStripVariables removes every "${...}" run from s.
func gramStripVariables(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

// gramLiteral reports whether a value is a plain literal: known, without a
// policy variable or symbolic part and without wildcards.
func gramLiteral(v iam.Value) bool {
	return !v.Unknown && !strings.Contains(v.Text, "${") && !hasWildcard(v.Text)
}

// gramGlobalKey returns the global condition key name is (or is an
// instance of), or nil.
func gramGlobalKey(cat *catalog.Catalog, name string) *catalog.ConditionKey {
	for _, k := range cat.GlobalConditionKeys() {
		if k.Matches(name) {
			return k
		}
	}
	return nil
}

// gramMultivalued reports whether the reference types the key as
// multivalued (ArrayOfString, ArrayOfARN, ...).
func gramMultivalued(k *catalog.ConditionKey) bool {
	return strings.HasPrefix(k.Type, "ArrayOf")
}

// gramOperatorRelated points at a condition's operator.
func gramOperatorRelated(c *iam.Condition) []rules.Related {
	return []rules.Related{{Range: c.OperatorRange, Message: "operator " + c.Operator.String()}}
}

// gramPolicySize returns a lower bound of the number of characters AWS
// counts for the document, white space excluded: the characters of its
// most compact JSON form, with values the loader could not resolve
// counted as empty strings.
func gramPolicySize(doc *iam.Document) int {
	n := utf8.RuneCount(doc.JSON())
	if len(doc.Statements) == 1 {
		n -= 2 // a single statement need not be wrapped in [ ]
	}
	unknown := func(vs []iam.Value) {
		for _, v := range vs {
			if v.Unknown {
				n -= gramJSONLen(v.Text) - 2
			}
		}
	}
	for _, s := range doc.Statements {
		for _, l := range []iam.List{s.Action, s.NotAction, s.Resource, s.NotResource} {
			unknown(l.Values)
		}
		for _, p := range []*iam.Principal{s.Principal, s.NotPrincipal} {
			if p != nil {
				for _, e := range p.Entries {
					unknown(e.Values)
				}
			}
		}
		for _, c := range s.Condition.Clauses {
			unknown(c.Values)
		}
	}
	return n
}

// gramPolicySizeBound is an upper bound of gramPolicySize that does not
// render the document: the compact JSON form with each string character
// counted at the most its escape can take. It depends only on what the
// JSON form shows, so documents with the same JSON have the same bound.
// IAM318 renders only the documents whose bound exceeds a quota, IAM118
// only those whose bound another document shares.
func gramPolicySizeBound(doc *iam.Document) int {
	n := len(`{"Version":,"Id":,"Statement":[]}`) + gramStringBound(doc.ID)
	if doc.HasVersion {
		n += gramStringBound(doc.Version)
	}
	for _, s := range doc.Statements {
		n += 1 + gramStatementBound(s) // 1: the comma
	}
	return n
}

// gramFieldBound bounds a statement field's name, colon and comma:
// `,"NotPrincipal":`.
const gramFieldBound = len(`,"NotPrincipal":`)

func gramStatementBound(s *iam.Statement) int {
	n := len("{}")
	if s.Sid != "" {
		n += gramFieldBound + gramStringBound(s.Sid)
	}
	if s.Effect != iam.EffectInvalid {
		n += gramFieldBound + gramStringBound(s.Effect.String())
	}
	for _, p := range []*iam.Principal{s.Principal, s.NotPrincipal} {
		if p == nil {
			continue
		}
		n += gramFieldBound + len(`"*"`) // or "{}"
		if p.Any {
			continue
		}
		for _, e := range p.Entries {
			n += gramStringBound(e.Type) + len(":,") + gramValuesBound(e.Values)
		}
	}
	for _, l := range []iam.List{s.Action, s.NotAction, s.Resource, s.NotResource} {
		if l.Present {
			n += gramFieldBound + gramValuesBound(l.Values)
		}
	}
	if s.Condition.Present {
		n += gramFieldBound + len("{}")
		for _, c := range s.Condition.Clauses {
			// Each clause counted with an operator of its own: `"op":{"key":values},`.
			op := len(`"ForAllValues:IfExists":{}:,,`) + len(c.Operator.Func.String())
			n += op + gramStringBound(c.Key) + gramValuesBound(c.Values)
		}
	}
	return n
}

// gramValuesBound bounds a list of values: `["a","b"]`.
func gramValuesBound(vals []iam.Value) int {
	n := len("[]")
	for _, v := range vals {
		n += 1 + gramStringBound(v.Text) // 1: the comma
	}
	return n
}

// gramStringBound bounds the characters of s written as a JSON string,
// quotes included: a control character or a byte of a non-ASCII
// character may take six (\u00XX, \ufffd for invalid UTF-8).
func gramStringBound(s string) int {
	n := len(`""`)
	for i := range len(s) {
		switch c := s[i]; {
		case c < 0x20 || c >= utf8.RuneSelf:
			n += 6
		case c == '"' || c == '\\':
			n += 2
		default:
			n++
		}
	}
	return n
}

// gramJSONLen is the number of characters of s written as a JSON string,
// quotes included.
func gramJSONLen(s string) int {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return utf8.RuneCount(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

// gramThousands renders n with thousands separators: 10,240.
func gramThousands(n int) string {
	if n < 0 {
		return "-" + gramThousands(-n)
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// gramDocuments maps the model's policy documents to the Input's
// documents, for rules that walk the model (principals, managed policies)
// and report at a document.
func gramDocuments(in *rules.Input) map[*iam.PolicyDocument]*rules.Document {
	out := make(map[*iam.PolicyDocument]*rules.Document, len(in.Documents))
	for _, d := range in.Documents {
		if _, ok := out[d.Policy]; !ok {
			out[d.Policy] = d
		}
	}
	return out
}

// gramRedundancy is one redundant list value: values[i] is covered by
// values[by].
type gramRedundancy struct{ i, by int }

// gramRedundant finds the values of a list that another value of the list
// covers. Of two values that cover each other (duplicates), the later one
// is reported. Only patterns are compared pairwise; a plain value covers
// just its duplicates, which a map finds, so long lists of plain actions
// stay cheap.
func gramRedundant(values []iam.Value, covers func(inner, outer iam.Value) bool, fold bool) []gramRedundancy {
	if len(values) < 2 {
		return nil
	}
	var out []gramRedundancy
	first := map[string]int{}
	var patterns []int
	for i, v := range values {
		if v.Unknown {
			continue
		}
		if strings.ContainsAny(v.Text, "*?") {
			patterns = append(patterns, i)
		}
	}
	for i, v := range values {
		if v.Unknown {
			continue
		}
		key := v.Text
		if fold {
			key = strings.ToLower(key)
		}
		if j, dup := first[key]; dup {
			out = append(out, gramRedundancy{i, j})
			continue
		}
		first[key] = i
		for _, j := range patterns {
			w := values[j]
			if i == j || !covers(v, w) {
				continue
			}
			if j > i && covers(w, v) {
				continue // equivalent patterns: the later one is reported
			}
			out = append(out, gramRedundancy{i, j})
			break
		}
	}
	return out
}
