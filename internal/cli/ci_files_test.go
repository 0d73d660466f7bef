package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The CI integration files at the repository root and under examples/ci
// must parse, and every iamlint command line in them must name commands
// and flags that exist.

// commandLineProblems checks an iamlint command line (the words after
// "iamlint"): its command exists and so does each --flag.
func commandLineProblems(line string) []string {
	words := strings.Fields(line)
	root := newRootCmd(&App{})
	cmd, rest, err := root.Find(words)
	if err != nil || cmd == root {
		return []string{"iamlint " + line + ": no such command"}
	}
	var out []string
	for _, w := range rest {
		w = strings.Trim(w, `"'`)
		if !strings.HasPrefix(w, "--") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(w, "--"), "=")
		if cmd.Flags().Lookup(name) == nil {
			out = append(out, "iamlint "+cmd.Name()+" has no flag --"+name)
		}
	}
	return out
}

func checkCommandLine(t *testing.T, where, line string) {
	t.Helper()
	for _, p := range commandLineProblems(line) {
		t.Errorf("%s: %s", where, p)
	}
}

// iamlintCalls finds the iamlint invocations of a shell script, joining
// continued lines.
var iamlintCall = regexp.MustCompile(`(?m)(?:^|[\s;|&(])iamlint\s+([a-z][^\n|;&>]*)`)

func iamlintCalls(script string) []string {
	script = strings.ReplaceAll(script, "\\\n", " ")
	var out []string
	for _, m := range iamlintCall.FindAllStringSubmatch(script, -1) {
		out = append(out, strings.Join(strings.Fields(m[1]), " "))
	}
	return out
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestPreCommitHooks(t *testing.T) {
	var hooks []struct {
		ID            string   `yaml:"id"`
		Name          string   `yaml:"name"`
		Entry         string   `yaml:"entry"`
		Args          []string `yaml:"args"`
		Language      string   `yaml:"language"`
		Files         string   `yaml:"files"`
		PassFilenames *bool    `yaml:"pass_filenames"`
	}
	path := filepath.Join("..", "..", ".pre-commit-hooks.yaml")
	readYAML(t, path, &hooks)
	var ids []string
	for _, h := range hooks {
		ids = append(ids, h.ID)
		if h.Name == "" || h.Language != "golang" || h.PassFilenames == nil || *h.PassFilenames {
			t.Errorf("hook %s: name %q, language %q, pass_filenames %v; want a name, golang, false", h.ID, h.Name, h.Language, h.PassFilenames)
		}
		entry, ok := strings.CutPrefix(h.Entry, "iamlint ")
		if !ok {
			t.Errorf("hook %s: entry %q does not run iamlint", h.ID, h.Entry)
			continue
		}
		checkCommandLine(t, path+" "+h.ID, entry+" "+strings.Join(h.Args, " "))
		re, err := regexp.Compile(h.Files)
		if err != nil {
			t.Errorf("hook %s: files: %v", h.ID, err)
			continue
		}
		for _, f := range []string{"main.tf", "infra/policy.json", "template.yaml", "stack.yml"} {
			if !re.MatchString(f) {
				t.Errorf("hook %s: files %q does not match %s", h.ID, h.Files, f)
			}
		}
		for _, f := range []string{"README.md", "main.go", "terraform.tfstate"} {
			if re.MatchString(f) {
				t.Errorf("hook %s: files %q matches %s", h.ID, h.Files, f)
			}
		}
	}
	if !slices.Equal(ids, []string{"iamlint", "iamlint-diff"}) {
		t.Errorf("hooks %v, want iamlint and iamlint-diff", ids)
	}
	if !strings.HasPrefix(hooks[1].Entry, "iamlint diff --git-base HEAD") {
		t.Errorf("iamlint-diff runs %q", hooks[1].Entry)
	}

	var cfg struct {
		Repos []struct {
			Repo  string `yaml:"repo"`
			Hooks []struct {
				ID   string   `yaml:"id"`
				Args []string `yaml:"args"`
			} `yaml:"hooks"`
		} `yaml:"repos"`
	}
	example := filepath.Join("..", "..", "examples", "ci", "pre-commit-config.yaml")
	readYAML(t, example, &cfg)
	for _, r := range cfg.Repos {
		for _, h := range r.Hooks {
			i := slices.IndexFunc(hooks, func(x struct {
				ID            string   `yaml:"id"`
				Name          string   `yaml:"name"`
				Entry         string   `yaml:"entry"`
				Args          []string `yaml:"args"`
				Language      string   `yaml:"language"`
				Files         string   `yaml:"files"`
				PassFilenames *bool    `yaml:"pass_filenames"`
			}) bool {
				return x.ID == h.ID
			})
			if i < 0 {
				t.Errorf("%s: no hook %s", example, h.ID)
				continue
			}
			checkCommandLine(t, example+" "+h.ID, strings.TrimPrefix(hooks[i].Entry, "iamlint ")+" "+strings.Join(h.Args, " "))
		}
	}
}

type workflowStep struct {
	Name  string            `yaml:"name"`
	ID    string            `yaml:"id"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	Run   string            `yaml:"run"`
	Shell string            `yaml:"shell"`
	With  map[string]string `yaml:"with"`
	Env   map[string]string `yaml:"env"`
}

func TestAction(t *testing.T) {
	var action struct {
		Name        string `yaml:"name"`
		Description string `yaml:"description"`
		Inputs      map[string]struct {
			Description string `yaml:"description"`
			Default     string `yaml:"default"`
		} `yaml:"inputs"`
		Outputs map[string]struct {
			Value string `yaml:"value"`
		} `yaml:"outputs"`
		Runs struct {
			Using string         `yaml:"using"`
			Steps []workflowStep `yaml:"steps"`
		} `yaml:"runs"`
	}
	path := filepath.Join("..", "..", "action.yml")
	readYAML(t, path, &action)
	if action.Name == "" || action.Description == "" || action.Runs.Using != "composite" {
		t.Errorf("name %q, description %q, runs.using %q", action.Name, action.Description, action.Runs.Using)
	}
	for _, in := range []string{"version", "paths", "args", "fail-on", "sarif", "comment"} {
		if action.Inputs[in].Description == "" {
			t.Errorf("input %s is missing or undocumented", in)
		}
	}
	ids := map[string]bool{}
	var calls, uses []string
	for _, s := range action.Runs.Steps {
		if s.ID != "" {
			ids[s.ID] = true
		}
		if s.Run != "" && s.Shell == "" {
			t.Errorf("step %q runs a script without a shell (composite actions need one)", s.Name)
		}
		if s.Uses != "" {
			uses = append(uses, s.Uses)
		}
		calls = append(calls, iamlintCalls(s.Run)...)
		// Inputs reach scripts through env, never by ${{ }} inside run.
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q expands an expression inside its script; pass it through env", s.Name)
		}
	}
	for name, o := range action.Outputs {
		for _, m := range regexp.MustCompile(`steps\.([\w-]+)\.`).FindAllStringSubmatch(o.Value, -1) {
			if !ids[m[1]] {
				t.Errorf("output %s refers to step %s, which does not exist", name, m[1])
			}
		}
	}
	if !slices.Contains(uses, "github/codeql-action/upload-sarif@v3") {
		t.Errorf("the action does not upload with github/codeql-action/upload-sarif@v3: %v", uses)
	}
	if len(calls) == 0 {
		t.Fatal("no iamlint command line in action.yml")
	}
	for _, c := range calls {
		checkCommandLine(t, path, c)
	}
	// The check step passes its report files in an array.
	i := slices.IndexFunc(action.Runs.Steps, func(s workflowStep) bool { return s.ID == "check" })
	if i < 0 {
		t.Fatal("no step with id check")
	}
	run := action.Runs.Steps[i].Run
	for _, want := range []string{`--output "markdown=$SUMMARY"`, `--output "sarif=$SARIF"`, `iamlint check --fail-on "$fail_on" "${outputs[@]}"`} {
		if !strings.Contains(run, want) {
			t.Errorf("the check step lacks %s", want)
		}
	}
	checkCommandLine(t, path, "check --output x --fail-on y")
}

func TestExampleWorkflows(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", "ci", "*.yml"))
	if len(files) == 0 {
		t.Fatal("no workflows under examples/ci")
	}
	for _, path := range files {
		if filepath.Base(path) == "gitlab-ci.yml" {
			continue // TestGitLabCIExample
		}
		var wf struct {
			Name string         `yaml:"name"`
			On   map[string]any `yaml:"on"`
			Jobs map[string]struct {
				Steps []workflowStep `yaml:"steps"`
			} `yaml:"jobs"`
		}
		readYAML(t, path, &wf)
		if wf.Name == "" || len(wf.On) == 0 || len(wf.Jobs) == 0 {
			t.Errorf("%s: not a workflow (name, on, jobs)", path)
		}
		n := 0
		for job, j := range wf.Jobs {
			for _, s := range j.Steps {
				if strings.HasPrefix(s.Uses, "iamlint/iamlint@") {
					n++
					for k := range s.With {
						if !slices.Contains([]string{"version", "paths", "args", "fail-on", "sarif", "comment", "github-token"}, k) {
							t.Errorf("%s: job %s passes the action an unknown input %q", path, job, k)
						}
					}
					if c, ok := s.With["args"]; ok {
						checkCommandLine(t, path, "check "+c)
					}
				}
				for _, c := range iamlintCalls(s.Run) {
					n++
					checkCommandLine(t, path+" job "+job, c)
				}
			}
		}
		if n == 0 {
			t.Errorf("%s runs no iamlint", path)
		}
	}
}

// The GitLab CI example is the one docs/ci.md shows; its jobs run
// iamlint with valid command lines and publish the reports they write
// under the report kinds GitLab reads for them.
func TestGitLabCIExample(t *testing.T) {
	path := filepath.Join("..", "..", "examples", "ci", "gitlab-ci.yml")
	var jobs map[string]struct {
		Script    []string `yaml:"script"`
		Artifacts struct {
			Reports map[string]string `yaml:"reports"`
		} `yaml:"artifacts"`
	}
	readYAML(t, path, &jobs)
	outputs := map[string]string{}
	n := 0
	for name, job := range jobs {
		for _, line := range job.Script {
			for _, c := range iamlintCalls(line) {
				n++
				checkCommandLine(t, path+" job "+name, c)
				fields := strings.Fields(c)
				for i, f := range fields {
					if f == "--output" && i+1 < len(fields) {
						format, file, _ := strings.Cut(fields[i+1], "=")
						outputs[file] = format
					}
				}
			}
		}
		for kind, file := range job.Artifacts.Reports {
			want := map[string]string{"sast": "gitlab-sast", "codequality": "gitlab-codequality"}[kind]
			if want == "" || outputs[file] != want {
				t.Errorf("%s: job %s publishes %s as a %s report, but writes it as %q", path, name, file, kind, outputs[file])
			}
		}
	}
	if n < 2 || len(outputs) < 2 {
		t.Errorf("%s: %d iamlint calls writing %v", path, n, outputs)
	}
	example, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	var body []string
	for _, line := range strings.SplitAfter(string(example), "\n") {
		if !strings.HasPrefix(line, "#") {
			body = append(body, line)
		}
	}
	if !strings.Contains(string(doc), "```yaml\n"+strings.Join(body, "")+"```") {
		t.Errorf("docs/ci.md does not show %s as it is", path)
	}
}

// TestCheckCommandLine makes sure the checks above can fail.
func TestCheckCommandLine(t *testing.T) {
	for _, bad := range []string{"chek .", "check --no-such-flag .", "diff --git-bse HEAD", "check --output=sarif=x --quiett ."} {
		if len(commandLineProblems(bad)) == 0 {
			t.Errorf("%q passes", bad)
		}
	}
	if p := commandLineProblems(`check --fail-on "$F" --output "sarif=$SARIF" .`); len(p) != 0 {
		t.Errorf("a good line fails: %v", p)
	}
	script := "set -e\niamlint check --fail-on \"$F\" \\\n  --output sarif=x .\necho \"iamlint failed\"\nx=1 iamlint diff --git-base HEAD > out"
	if got := iamlintCalls(script); !slices.Equal(got, []string{`check --fail-on "$F" --output sarif=x .`, "diff --git-base HEAD"}) {
		t.Errorf("iamlintCalls = %q", got)
	}
}

// The release configuration builds static binaries of the command for
// Linux, macOS and Windows and stamps the version where Version reads it.
// (`goreleaser check` validates the file itself; it is not run here.)
func TestGoReleaserConfig(t *testing.T) {
	path := filepath.Join("..", "..", ".goreleaser.yaml")
	var cfg struct {
		Version int `yaml:"version"`
		Builds  []struct {
			Main    string   `yaml:"main"`
			Env     []string `yaml:"env"`
			Goos    []string `yaml:"goos"`
			Ldflags []string `yaml:"ldflags"`
		} `yaml:"builds"`
	}
	readYAML(t, path, &cfg)
	if cfg.Version != 2 || len(cfg.Builds) != 1 {
		t.Fatalf("%s: version %d, %d builds", path, cfg.Version, len(cfg.Builds))
	}
	b := cfg.Builds[0]
	if _, err := os.Stat(filepath.Join("..", "..", b.Main, "main.go")); err != nil {
		t.Errorf("main %q: %v", b.Main, err)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Errorf("env %v: the binaries must be static", b.Env)
	}
	for _, os := range []string{"linux", "darwin", "windows"} {
		if !slices.Contains(b.Goos, os) {
			t.Errorf("no %s build", os)
		}
	}
	if !strings.Contains(strings.Join(b.Ldflags, " "), "-X github.com/iamlint/iamlint/internal/cli.version=") {
		t.Errorf("ldflags %v do not set internal/cli.version", b.Ldflags)
	}
}
