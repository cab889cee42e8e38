package testbin

import (
	"os"
	"testing"
)

// Main runs a package's tests with *dir set to a new temporary directory (named
// after prefix) for their executables, removes it afterwards and exits with
// the tests' code. Call it from TestMain.
func Main(m *testing.M, prefix string, dir *string) {
	d, err := os.MkdirTemp("", prefix)
	if err != nil {
		panic(err)
	}
	*dir = d
	code := m.Run()
	_ = os.RemoveAll(d)
	os.Exit(code)
}
