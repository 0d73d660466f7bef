package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// gitRepo is the git work tree the working folder belongs to.
type gitRepo struct {
	top    string // the work tree's top folder
	prefix string // the working folder relative to top ("" or "sub/dir/")
}

// git runs a git command in the working folder and returns its standard
// output; its standard error becomes the error.
func git(ctx context.Context, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Stdin = stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
	}
	return stdout.Bytes(), nil
}

func openGitRepo(ctx context.Context) (*gitRepo, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, errors.New("--git-base needs git, which is not on the PATH")
	}
	out, err := git(ctx, nil, "rev-parse", "--show-toplevel", "--show-prefix")
	if err != nil {
		return nil, fmt.Errorf("--git-base works in a git work tree: %v", err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	r := &gitRepo{top: lines[0]}
	if len(lines) > 1 {
		r.prefix = lines[1]
	}
	return r, nil
}

// resolve returns the commit a revision names.
func (r *gitRepo) resolve(ctx context.Context, ref string) (string, error) {
	if strings.HasPrefix(ref, "-") {
		return "", fmt.Errorf("--git-base %s: not a revision", ref)
	}
	out, err := git(ctx, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err != nil {
		return "", fmt.Errorf("--git-base %s: no such commit in this repository", ref)
	}
	return strings.TrimSpace(string(out)), nil
}

// export writes the files of commit's tree into dir. It reads objects
// only (git ls-tree, git cat-file), so the repository, its index and its
// work trees are left as they are, and needs no network. Submodules are
// left out, as are symbolic links that leave the tree.
func (r *gitRepo) export(ctx context.Context, commit, dir string) error {
	list, err := git(ctx, nil, "-C", r.top, "ls-tree", "-r", "-z", "--full-tree", commit)
	if err != nil {
		return err
	}
	type entry struct {
		mode, oid, path string
	}
	var entries []entry
	var ids bytes.Buffer
	for _, rec := range bytes.Split(list, []byte{0}) {
		if len(rec) == 0 {
			continue
		}
		meta, path, ok := strings.Cut(string(rec), "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 3 {
			return fmt.Errorf("git ls-tree: unexpected line %q", rec)
		}
		if f[1] != "blob" || !filepath.IsLocal(filepath.FromSlash(path)) {
			continue // a submodule's commit; a name that would leave dir
		}
		entries = append(entries, entry{f[0], f[2], filepath.FromSlash(path)})
		ids.WriteString(f[2] + "\n")
	}
	cmd := exec.CommandContext(ctx, "git", "-C", r.top, "cat-file", "--batch")
	cmd.Stdin = &ids
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	rd := bufio.NewReaderSize(stdout, 1<<16)
	werr := func() error {
		for _, e := range entries {
			head, err := rd.ReadString('\n')
			if err != nil {
				return fmt.Errorf("git cat-file: %v", err)
			}
			f := strings.Fields(head)
			if len(f) != 3 || f[0] != e.oid {
				return fmt.Errorf("git cat-file: unexpected header %q for %s", strings.TrimSpace(head), e.path)
			}
			size, err := strconv.ParseInt(f[2], 10, 64)
			if err != nil {
				return fmt.Errorf("git cat-file: bad size in %q", head)
			}
			data := make([]byte, size)
			if _, err := io.ReadFull(rd, data); err != nil {
				return fmt.Errorf("git cat-file: %v", err)
			}
			if _, err := rd.Discard(1); err != nil { // the newline after the content
				return fmt.Errorf("git cat-file: %v", err)
			}
			path := filepath.Join(dir, e.path)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			switch e.mode {
			case "120000":
				target := filepath.FromSlash(string(data))
				if filepath.IsAbs(target) || !filepath.IsLocal(filepath.Join(filepath.Dir(e.path), target)) {
					continue
				}
				err = os.Symlink(target, path)
			case "100755":
				err = os.WriteFile(path, data, 0o755)
			default:
				err = os.WriteFile(path, data, 0o644)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}()
	if werr != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return werr
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git cat-file: %s", strings.TrimSpace(stderr.String()))
	}
	return nil
}
