package terraform

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func TestZZReparse(t *testing.T) {
	dir := corpusDir()
	if dir == "" || os.Getenv("REPARSE") == "" {
		t.Skip()
	}
	names, _ := filepath.Glob(dir + "/*.tf")
	var files []source
	for _, n := range names {
		b, _ := os.ReadFile(n)
		files = append(files, source{n, b})
	}
	for k := 0; k < 3; k++ {
		t0 := time.Now()
		ps := parseFiles(files)
		t1 := time.Now()
		nb := 0
		for i, p := range ps {
			for _, b := range p.body.Blocks {
				start := b.TypeRange.Start
				end := b.CloseBraceRange.End.Byte
				f, diags := hclsyntax.ParseConfig(files[i].data[start.Byte:end], files[i].name, start)
				if diags.HasErrors() {
					t.Fatal(diags)
				}
				nb++
				_ = f
			}
		}
		t2 := time.Now()
		t.Logf("parse all %v; reparse %d blocks one by one %v", t1.Sub(t0), nb, t2.Sub(t1))
	}
}
