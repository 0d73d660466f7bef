package terraform

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"runtime"
	"testing"
	"time"
)

func FuzzZZLean(f *testing.F) {
	filepath.WalkDir(fixtures, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".tf") {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
		return nil
	})
	filepath.WalkDir("testdata/lean", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".tf") {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
		return nil
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		tm := time.AfterFunc(10*time.Second, func() {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			os.WriteFile("/tmp/fuzzhang.txt", append(append([]byte{}, data...), buf[:n]...), 0o644)
			panic("load did not finish:\n" + string(buf[:n]))
		})
		a, b := loadBoth(t, dir, true), loadBoth(t, dir, false)
		tm.Stop()
		if a != b {
			t.Fatalf("differ:\n%s\n---\n%s", a, b)
		}
	})
}
