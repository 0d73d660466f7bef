// Command casegen writes randomly composed but deterministic IAM evaluation
// cases for the conformance suite, with the reference oracle's decision
// stored as each case's "expect".
//
//	go run ./internal/conformance/casegen -seed 1 -n 750 -out testdata/conformance/generated.json
//
// Each candidate case is a pure function of (seed, index): a SplitMix64
// stream seeded from both draws the caller, the action (from ~120 real
// actions over 20 resource types), 1–10 identity statements in 1–3
// documents, and optionally a permission boundary, session policy, SCP
// levels, RCP levels and a resource-based policy, with conditions from a
// pool of real global keys, and a request context for the keys used.
// Candidates are sent to the oracle (../shared/oracle, or $IAMLINT_ORACLE,
// or -oracle) in batches; cases the oracle answers "Error" are dropped, and
// a per-decision cap keeps the split between Allowed, ExplicitlyDenied and
// ImplicitlyDenied balanced. Given the same oracle, the output is
// byte-for-byte identical on every run.
//
// The generator stays away from constructs where the oracle is known to
// differ from AWS's documentation (see testdata/conformance/FINDINGS.md):
// variables in pre-2012 documents, epoch dates, 0.0.0.0/0, wildcards in
// the resource-type part of an ARN or patterns with fewer than six
// segments, grants to a session ARN combined with a session policy, the
// root user, and SCPs on service principals.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("casegen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Int64("seed", 1, "random seed")
	n := fs.Int("n", 750, "number of cases to write")
	out := fs.String("out", "-", "output file (- for stdout)")
	oracleDir := fs.String("oracle", "", "oracle directory (default $IAMLINT_ORACLE, else <repo>/../shared/oracle)")
	noOracle := fs.Bool("no-oracle", false, "write the first n candidates without asking the oracle (no expect)")
	maxShare := fs.Float64("max-share", 0.40, "cap on the share of any one decision")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *n <= 0 {
		fmt.Fprintln(stderr, "casegen: -n must be positive")
		return 2
	}

	var cases []*Case
	if *noOracle {
		for i := 0; i < *n; i++ {
			cases = append(cases, generate(*seed, i))
		}
	} else {
		dir, err := findOracle(*oracleDir)
		if err != nil {
			fmt.Fprintln(stderr, "casegen:", err)
			return 1
		}
		cases, err = fill(*seed, *n, *maxShare, dir, stderr)
		if err != nil {
			fmt.Fprintln(stderr, "casegen:", err)
			return 1
		}
	}

	var buf bytes.Buffer
	if err := write(&buf, cases); err != nil {
		fmt.Fprintln(stderr, "casegen:", err)
		return 1
	}
	if *out == "-" {
		_, err := stdout.Write(buf.Bytes())
		if err != nil {
			return 1
		}
		return 0
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(stderr, "casegen:", err)
		return 1
	}
	return 0
}

// write renders a JSON array with one case per line.
func write(w io.Writer, cases []*Case) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("[\n")
	for i, c := range cases {
		var line bytes.Buffer
		enc := json.NewEncoder(&line)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(c); err != nil {
			return err
		}
		bw.Write(bytes.TrimRight(line.Bytes(), "\n"))
		if i < len(cases)-1 {
			bw.WriteString(",")
		}
		bw.WriteString("\n")
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

// fill asks the oracle about candidates in order and keeps those with a
// decision, capping each decision at maxShare of n.
func fill(seed int64, n int, maxShare float64, dir string, stderr io.Writer) ([]*Case, error) {
	limit := int(math.Ceil(maxShare * float64(n)))
	count := map[string]int{}
	dropped := map[string]int{}
	var kept []*Case
	const batch = 250
	for next := 0; len(kept) < n; {
		if next > 50*n {
			return nil, fmt.Errorf("gave up after %d candidates: %v kept, caps too tight?", next, count)
		}
		cands := make([]*Case, batch)
		for i := range cands {
			cands[i] = generate(seed, next+i)
		}
		next += batch
		decisions, err := ask(dir, cands)
		if err != nil {
			return nil, err
		}
		for i, c := range cands {
			d := decisions[i]
			switch {
			case d == "Error":
				dropped["Error"]++
			case count[d] >= limit:
				dropped["over cap"]++
			case len(kept) < n:
				c.Expect = d
				count[d]++
				kept = append(kept, c)
			}
		}
	}
	fmt.Fprintf(stderr, "casegen: %d cases: Allowed %d, ExplicitlyDenied %d, ImplicitlyDenied %d (dropped: %d oracle errors, %d over the %d-per-decision cap)\n",
		len(kept), count["Allowed"], count["ExplicitlyDenied"], count["ImplicitlyDenied"], dropped["Error"], dropped["over cap"], limit)
	return kept, nil
}

// ask runs the oracle on cases and returns one decision per case.
func ask(dir string, cases []*Case) ([]string, error) {
	f, err := os.CreateTemp("", "casegen-*.json")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	if err := write(f, cases); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	cmd := exec.Command("node", "oracle.mjs", f.Name())
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		return nil, fmt.Errorf("oracle: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	byID := map[string]string{}
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var line struct {
			ID       string `json:"id"`
			Decision string `json:"decision"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			return nil, fmt.Errorf("oracle output: %v", err)
		}
		byID[line.ID] = line.Decision
	}
	out := make([]string, len(cases))
	for i, c := range cases {
		d, ok := byID[c.ID]
		if !ok {
			return nil, fmt.Errorf("oracle gave no decision for %s: %s", c.ID, strings.TrimSpace(stderr.String()))
		}
		out[i] = d
	}
	return out, nil
}

// findOracle locates an installed oracle.
func findOracle(flagDir string) (string, error) {
	dir := flagDir
	if dir == "" {
		dir = os.Getenv("IAMLINT_ORACLE")
	}
	if dir == "" {
		top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
		if err != nil {
			return "", fmt.Errorf("cannot locate the repository (set -oracle or IAMLINT_ORACLE): %v", err)
		}
		dir = filepath.Join(strings.TrimSpace(string(top)), "..", "shared", "oracle")
	}
	if _, err := os.Stat(filepath.Join(dir, "oracle.mjs")); err != nil {
		return "", fmt.Errorf("no oracle.mjs in %s (set -oracle or IAMLINT_ORACLE)", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@cloud-copilot", "iam-simulate")); err != nil {
		return "", fmt.Errorf("oracle in %s is not installed: run scripts/oracle-check once, or npm ci there", dir)
	}
	return dir, nil
}
