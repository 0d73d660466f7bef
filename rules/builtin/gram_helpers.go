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

// gramTokens splits a pattern into tokens, lower-cased when fold is set.
// The text of a "${...}" run (a policy variable, an escape such as ${*},
// or a symbolic value) is literal: its '*' is not a wildcard.
func gramTokens(s string, fold bool) []gramTok {
	if fold {
		s = strings.ToLower(s)
	}
	out := make([]gramTok, 0, len(s))
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
	a, b := gramTokens(inner, fold), gramTokens(outer, fold)
	n, m := len(a), len(b)
	if (n+1)*(m+1) > 1<<20 {
		return false
	}
	// ok[i][j]: a[i:] is covered by b[j:]; computed from the ends.
	ok := make([][]bool, n+1)
	for i := range ok {
		ok[i] = make([]bool, m+1)
	}
	ok[n][m] = true
	for j := m - 1; j >= 0; j-- {
		ok[n][j] = b[j].kind == gramStar && ok[n][j+1]
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch b[j].kind {
			case gramStar:
				// The star takes nothing, or takes a[i] (whatever it is)
				// and maybe more.
				ok[i][j] = ok[i][j+1] || ok[i+1][j]
			case gramQuest:
				ok[i][j] = a[i].kind != gramStar && ok[i+1][j+1]
			default:
				ok[i][j] = a[i].kind == gramLit && a[i].r == b[j].r && ok[i+1][j+1]
			}
		}
	}
	return ok[0][0]
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
