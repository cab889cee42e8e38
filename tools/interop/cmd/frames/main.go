// Command frames writes Go-encoded data frame vectors and checks another
// implementation's re-encodings of them with the Grafana plugin SDK for Go.
//
//	frames write --out DIR [--seed S] [--count N]
//	frames check --dir DIR
//	frames dump FILE            (FILE.arrow or FILE.json; prints the SDK's frame JSON)
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/gfsdk/gfsdk/tools/interop/internal/framecmp"
	"github.com/gfsdk/gfsdk/tools/interop/internal/vectors"
)

// SDKVersion is the grafana-plugin-sdk-go version this module pins.
const SDKVersion = "v0.300.0"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func usage(w io.Writer) {
	fmt.Fprintln(w, `usage:
  frames write --out DIR [--seed S] [--count N]
  frames check --dir DIR
  frames dump FILE.arrow|FILE.json`)
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "write":
		fs := flag.NewFlagSet("write", flag.ContinueOnError)
		fs.SetOutput(stderr)
		out := fs.String("out", "", "output directory (created if missing)")
		seed := fs.Int64("seed", 1, "random seed")
		count := fs.Int("count", 20, "number of random frames")
		if err := fs.Parse(args[1:]); err != nil {
			return 2
		}
		if *out == "" || *count < 0 {
			fmt.Fprintln(stderr, "write: --out is required and --count must be >= 0")
			return 2
		}
		m, err := writeVectors(*out, *seed, *count)
		if err != nil {
			fmt.Fprintln(stderr, "write:", err)
			return 1
		}
		fmt.Fprintf(stdout, "wrote %d vectors to %s\n", len(m.Vectors), *out)
		return 0
	case "check":
		fs := flag.NewFlagSet("check", flag.ContinueOnError)
		fs.SetOutput(stderr)
		dir := fs.String("dir", "", "directory holding X.arrow and the other side's X.ts.arrow / X.ts.json")
		if err := fs.Parse(args[1:]); err != nil {
			return 2
		}
		if *dir == "" {
			fmt.Fprintln(stderr, "check: --dir is required")
			return 2
		}
		rep, err := checkDir(*dir)
		if err != nil {
			fmt.Fprintln(stderr, "check:", err)
			return 2
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
		if len(rep.Failures) > 0 {
			return 1
		}
		return 0
	case "dump":
		if len(args) != 2 {
			usage(stderr)
			return 2
		}
		f, err := readFrameFile(args[1])
		if err != nil {
			fmt.Fprintln(stderr, "dump:", err)
			return 1
		}
		b, err := data.FrameToJSON(f, data.IncludeAll)
		if err != nil {
			fmt.Fprintln(stderr, "dump:", err)
			return 1
		}
		fmt.Fprintln(stdout, string(b))
		return 0
	case "-h", "--help", "help":
		usage(stdout)
		return 0
	}
	usage(stderr)
	return 2
}

// Manifest describes the vectors written by `frames write`.
type Manifest struct {
	Generator  string          `json:"generator"`
	SDKVersion string          `json:"sdkVersion"`
	Seed       int64           `json:"seed"`
	Count      int             `json:"count"`
	Vectors    []ManifestEntry `json:"vectors"`
}

// ManifestEntry is one vector: the same frame encoded twice by the Go SDK.
type ManifestEntry struct {
	Name   string `json:"name"`
	Arrow  string `json:"arrow"`
	JSON   string `json:"json"`
	Fields int    `json:"fields"`
	Rows   int    `json:"rows"`
}

func writeVectors(dir string, seed int64, count int) (*Manifest, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	m := &Manifest{Generator: "grafana-plugin-sdk-go", SDKVersion: SDKVersion, Seed: seed, Count: count}

	golden, err := vectors.SDKGolden()
	if err != nil {
		return nil, fmt.Errorf("decode embedded SDK golden file: %w", err)
	}
	named := []struct {
		name  string
		frame *data.Frame
	}{
		{"all_types", vectors.AllTypes()},
		{"sdk_golden", golden},
	}
	for i := 0; i < count; i++ {
		named = append(named, struct {
			name  string
			frame *data.Frame
		}{fmt.Sprintf("random-%d", i), vectors.Random(seed, i)})
	}
	for _, n := range named {
		e, err := writeVector(dir, n.name, n.frame)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n.name, err)
		}
		m.Vectors = append(m.Vectors, e)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return m, os.WriteFile(filepath.Join(dir, "manifest.json"), append(b, '\n'), 0o644)
}

func writeVector(dir, name string, f *data.Frame) (ManifestEntry, error) {
	arrow, err := f.MarshalArrow()
	if err != nil {
		return ManifestEntry{}, fmt.Errorf("marshal arrow: %w", err)
	}
	js, err := data.FrameToJSON(f, data.IncludeAll)
	if err != nil {
		return ManifestEntry{}, fmt.Errorf("marshal json: %w", err)
	}
	e := ManifestEntry{Name: name, Arrow: name + ".arrow", JSON: name + ".json", Fields: len(f.Fields)}
	if r, err := f.RowLen(); err == nil {
		e.Rows = r
	}
	if err := os.WriteFile(filepath.Join(dir, e.Arrow), arrow, 0o644); err != nil {
		return e, err
	}
	return e, os.WriteFile(filepath.Join(dir, e.JSON), js, 0o644)
}

// Report is what `frames check` prints.
type Report struct {
	Checked  int       `json:"checked"`
	Failures []Failure `json:"failures"`
}

// Failure is one difference found in one file.
type Failure struct {
	File       string `json:"file"`
	Difference string `json:"difference"`
}

// vectorNames lists the vectors of dir: from manifest.json when present,
// otherwise every X.arrow that is not itself an X.ts.arrow.
func vectorNames(dir string) ([]string, error) {
	if b, err := os.ReadFile(filepath.Join(dir, "manifest.json")); err == nil {
		var m Manifest
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("manifest.json: %w", err)
		}
		names := make([]string, 0, len(m.Vectors))
		for _, v := range m.Vectors {
			names = append(names, v.Name)
		}
		return names, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	matches, err := filepath.Glob(filepath.Join(dir, "*.arrow"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range matches {
		base := filepath.Base(p)
		if strings.HasSuffix(base, ".ts.arrow") {
			continue
		}
		names = append(names, strings.TrimSuffix(base, ".arrow"))
	}
	sort.Strings(names)
	return names, nil
}

func checkDir(dir string) (*Report, error) {
	names, err := vectorNames(dir)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no vectors in %s", dir)
	}
	rep := &Report{Failures: []Failure{}}
	for _, name := range names {
		orig := name + ".arrow"
		want, err := readFrameFile(filepath.Join(dir, orig))
		if err != nil {
			rep.Failures = append(rep.Failures, Failure{File: orig, Difference: "cannot decode Go original: " + err.Error()})
			continue
		}
		for _, other := range []string{name + ".ts.arrow", name + ".ts.json"} {
			rep.Checked++
			got, err := readFrameFile(filepath.Join(dir, other))
			if err != nil {
				rep.Failures = append(rep.Failures, Failure{File: other, Difference: err.Error()})
				continue
			}
			for _, d := range framecmp.Compare(want, got) {
				rep.Failures = append(rep.Failures, Failure{File: other, Difference: d})
			}
		}
	}
	return rep, nil
}

// readFrameFile decodes a frame with the SDK: *.arrow with
// data.UnmarshalArrowFrame, anything else as frame JSON with json.Unmarshal.
func readFrameFile(path string) (*data.Frame, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("missing file %s", filepath.Base(path))
		}
		return nil, err
	}
	if strings.HasSuffix(path, ".arrow") {
		f, err := data.UnmarshalArrowFrame(b)
		if err != nil {
			return nil, fmt.Errorf("data.UnmarshalArrowFrame: %w", err)
		}
		return f, nil
	}
	f := &data.Frame{}
	if err := json.Unmarshal(b, f); err != nil {
		return nil, fmt.Errorf("json.Unmarshal into data.Frame: %w", err)
	}
	return f, nil
}
