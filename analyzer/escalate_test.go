package analyzer

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"golang.org/x/tools/txtar"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/loader"
)

// The escalation scenarios live in testdata/escalation/<scenario>/, one
// small account per folder: Terraform files, or a case.txtar archive
// when the scenario needs an account dump (managed policy versions).
// TestEscalations analyzes each and compares the facts below with the
// expectations the scenario carries.
//
// Facts, one line each, about a principal (user or role) at address A:
//
//	A: is-admin yes|conditional                  its own permissions make it an administrator
//	A: assumes R (yes|conditional)[, mfa][, external-id]
//	                                             a can-assume edge, with the trust conditions it carries
//	A: escalation admin=yes|conditional|no: T (yes|conditional) → B[ via V]; ...
//	                                             its escalation: each move's technique, answer, target and the object it works through
//	A: step M: ACTION RESOURCE[ KEY=VALUE| KEY absent] (yes|conditional|no)
//	                                             each step of move M (1-based), with the condition keys the
//	                                             technique settles; compared only for principals with a step
//	                                             expectation
//
// In a .tf file an expectation is a comment inside the principal's
// resource block (or trailing its first line), without the address:
//
//	resource "aws_iam_user" "dev" {
//	  # want escalation admin=yes: iam-attach-user-policy (yes) → aws_iam_user.dev
//
// A case.txtar holds the input files and a "want" file of whole lines,
// address included. Every fact must be expected and every expectation
// found; a principal without expectations has no facts (not an
// administrator, no can-assume edge, no escalation). There is no -update:
// each expectation is written by hand from AWS's semantics, not copied
// from the output.

func TestEscalations(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "escalation", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no scenarios in testdata/escalation (%v)", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			sc := readScenario(t, dir)
			a := sc.analyze(t)
			got := escalationFacts(a, sc.detailed)
			checkPaths(t, a)
			for _, w := range sc.wants {
				if a.Graph.Node(w.addr) == nil || (a.Graph.Node(w.addr).Kind != KindUser && a.Graph.Node(w.addr).Kind != KindRole) {
					t.Errorf("%s: expectation on %s, which is not a user or role of the scenario", w.pos, w.addr)
				}
			}
			var want []string
			for _, w := range sc.wants {
				want = append(want, w.addr+": "+w.fact)
			}
			slices.Sort(want)
			slices.Sort(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("facts differ (-want +got):\n%s", diff)
			}
		})
	}
}

// checkPaths checks what every escalation must satisfy whatever the
// scenario: its moves chain (each starts where the previous Become move
// ended; an Empower leaves the actor where it is), each move is at most
// as certain as its weakest step and never impossible, and an escalation
// that is not to administrator gains something.
func checkPaths(t *testing.T, a *Analysis) {
	t.Helper()
	for _, e := range a.Escalations() {
		cur := e.Principal
		for i, m := range e.Moves {
			if m.From != cur {
				t.Errorf("%s: move %d (%s) starts at %s, not %s", e.Principal.ID, i+1, m.Technique.ID, m.From.ID, cur.ID)
			}
			if m.Technique.Kind == Become {
				cur = m.To
			}
			weakest := iam.Yes
			for _, st := range m.Steps {
				weakest = min(weakest, st.Allowed)
			}
			if m.Allowed == iam.No || m.Allowed > weakest {
				t.Errorf("%s: move %d (%s) is %s, its weakest step %s", e.Principal.ID, i+1, m.Technique.ID, m.Allowed, weakest)
			}
		}
		if e.Admin == iam.No && (e.Gains.Empty() || len(e.Moves) == 0) {
			t.Errorf("%s: an escalation that is not to administrator gains nothing", e.Principal.ID)
		}
	}
}

// scenarioWant is one expectation and where it is written.
type scenarioWant struct {
	pos  string
	addr string
	fact string
}

type scenario struct {
	dir   string
	paths []string // what to load
	wants []scenarioWant
	// detailed holds the principals whose steps are expected.
	detailed map[string]bool
}

func readScenario(t *testing.T, dir string) *scenario {
	t.Helper()
	sc := &scenario{dir: dir, detailed: map[string]bool{}}
	if ar, err := txtar.ParseFile(filepath.Join(dir, "case.txtar")); err == nil {
		sc.readArchive(t, ar)
	} else if !os.IsNotExist(err) {
		t.Fatal(err)
	} else {
		sc.paths = []string{dir}
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".tf") {
				sc.readTerraform(t, path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, w := range sc.wants {
		if strings.HasPrefix(w.fact, "step ") {
			sc.detailed[w.addr] = true
		}
	}
	return sc
}

// readArchive writes the archive's files to a temporary directory, which
// becomes the working directory, and reads its want lines.
func (sc *scenario) readArchive(t *testing.T, ar *txtar.Archive) {
	t.Helper()
	tmp := t.TempDir()
	for _, f := range ar.Files {
		if f.Name == "want" {
			for i, line := range strings.Split(string(f.Data), "\n") {
				line = strings.TrimSpace(line)
				if line == "" || strings.HasPrefix(line, "#") {
					continue
				}
				addr, fact, ok := strings.Cut(line, ": ")
				if !ok {
					t.Fatalf("%s/case.txtar: want line %d: %q is not ADDRESS: FACT", sc.dir, i+1, line)
				}
				sc.wants = append(sc.wants, scenarioWant{pos: "want:" + strconv.Itoa(i+1), addr: addr, fact: fact})
			}
			continue
		}
		p := filepath.Join(tmp, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		sc.paths = append(sc.paths, filepath.FromSlash(f.Name))
	}
	t.Chdir(tmp)
}

// readTerraform collects the "# want" comments of a .tf file, each
// attributed to the resource block it sits in.
func (sc *scenario) readTerraform(t *testing.T, path string) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	type block struct {
		addr       string
		start, end int
	}
	var blocks []block
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		if b.Type == "resource" && len(b.Labels) == 2 {
			r := b.Range()
			blocks = append(blocks, block{b.Labels[0] + "." + b.Labels[1], r.Start.Line, r.End.Line})
		}
	}
	s := bufio.NewScanner(strings.NewReader(string(src)))
	for line := 1; s.Scan(); line++ {
		_, fact, ok := strings.Cut(s.Text(), "# want ")
		if !ok {
			continue
		}
		pos := path + ":" + strconv.Itoa(line)
		i := slices.IndexFunc(blocks, func(b block) bool { return b.start <= line && line <= b.end })
		if i < 0 {
			t.Fatalf("%s: expectation outside a resource block", pos)
		}
		sc.wants = append(sc.wants, scenarioWant{pos: pos, addr: blocks[i].addr, fact: strings.TrimSpace(fact)})
	}
}

func (sc *scenario) analyze(t *testing.T) *Analysis {
	t.Helper()
	m, diags := loader.Load(context.Background(), sc.paths, loader.Options{})
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			t.Fatalf("loading %s: %s", sc.dir, diags)
		}
	}
	return Analyze(Build(m))
}

// escalationFacts renders the facts of every principal (see the comment
// at the top of this file).
func escalationFacts(a *Analysis, detailed map[string]bool) []string {
	var out []string
	for _, n := range a.Graph.Principals() {
		if p := a.Permissions(n); p.Admin != iam.No {
			out = append(out, n.ID+": is-admin "+p.Admin.String())
		}
		for _, as := range a.Assumable(n) {
			s := n.ID + ": assumes " + as.Role.ID + " (" + as.Allowed.String()
			if as.MFA {
				s += ", mfa"
			}
			if as.ExternalID {
				s += ", external-id"
			}
			out = append(out, s+")")
		}
		e := a.EscalationOf(n)
		if e == nil {
			continue
		}
		var moves []string
		for _, m := range e.Moves {
			s := m.Technique.ID + " (" + m.Allowed.String() + ") → " + m.To.ID
			if m.Via != nil {
				s += " via " + m.Via.ID
			}
			moves = append(moves, s)
		}
		out = append(out, n.ID+": escalation admin="+e.Admin.String()+": "+strings.Join(moves, "; "))
		if !detailed[n.ID] {
			continue
		}
		for i, m := range e.Moves {
			for _, st := range m.Steps {
				s := n.ID + ": step " + strconv.Itoa(i+1) + ": " + st.Action + " " + st.Resource
				for j := 0; j+1 < len(st.Context); j += 2 {
					if st.Context[j+1] == "" {
						s += " " + st.Context[j] + " absent"
					} else {
						s += " " + st.Context[j] + "=" + st.Context[j+1]
					}
				}
				out = append(out, s+" ("+st.Allowed.String()+")")
			}
		}
	}
	return out
}

var wantedMove = regexp.MustCompile(`([a-z0-9-]+) \((?:yes|conditional)\) → `)

// TestTechniqueTable checks the technique table: IDs well formed, the
// text a report shows present, each technique either a check or a lift,
// and every technique expected in some scenario's escalation.
func TestTechniqueTable(t *testing.T) {
	wanted := map[string]bool{}
	err := filepath.WalkDir(filepath.Join("testdata", "escalation"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := os.ReadFile(path)
		for _, line := range strings.Split(string(src), "\n") {
			if !strings.Contains(line, "escalation admin=") {
				continue
			}
			for _, m := range wantedMove.FindAllStringSubmatch(line, -1) {
				wanted[m[1]] = true
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	id := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)+$`)
	for _, tech := range techniques {
		switch {
		case !id.MatchString(tech.ID):
			t.Errorf("technique ID %q is not lower-case words joined by hyphens", tech.ID)
		case tech.Name == "" || tech.Description == "" || len(tech.Actions) == 0:
			t.Errorf("%s: Name, Description and Actions must be set", tech.ID)
		case (tech.check == nil) == (tech.lift == nil):
			t.Errorf("%s: exactly one of check and lift must be set", tech.ID)
		case tech.lift != nil && tech.Kind != Empower:
			t.Errorf("%s: a lift technique is an Empower one", tech.ID)
		case !wanted[tech.ID]:
			t.Errorf("%s: no scenario in testdata/escalation expects it", tech.ID)
		}
	}
}
