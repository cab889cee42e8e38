// Package testbin builds this module's executables for tests.
package testbin

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
)

var (
	mu    sync.Mutex
	built = map[string]string{}
)

// GoTool returns the go command to build with.
func GoTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// Build compiles the package pkg (an import path or ./relative path resolved
// from the module root) into dir and returns the executable's path. Results
// are cached per process.
func Build(dir, pkg, name string) (string, error) {
	mu.Lock()
	defer mu.Unlock()
	out := filepath.Join(dir, name)
	if _, ok := built[out]; ok {
		return out, nil
	}
	cmd := exec.Command(GoTool(), "build", "-o", out, pkg) // #nosec G204 -- test helper
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	built[out] = pkg
	return out, nil
}
