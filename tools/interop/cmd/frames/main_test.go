package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// copyAsTS plays the TypeScript side perfectly: X.ts.arrow = X.arrow, X.ts.json = X.json.
func copyAsTS(t *testing.T, dir string) {
	t.Helper()
	names, err := vectorNames(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		for _, ext := range []string{".arrow", ".json"} {
			b, err := os.ReadFile(filepath.Join(dir, n+ext))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, n+".ts"+ext), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func runCheck(t *testing.T, dir string) (int, Report) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run([]string{"check", "--dir", dir}, &out, &errOut)
	var rep Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("check output is not a JSON report: %v\n%s\n%s", err, out.String(), errOut.String())
	}
	return code, rep
}

func TestWriteCheckRoundTripGoToGo(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if code := run([]string{"write", "--out", dir, "--seed", "42", "--count", "40"}, &out, &errOut); code != 0 {
		t.Fatalf("write exit %d: %s", code, errOut.String())
	}
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Vectors) != 42 || m.Vectors[0].Name != "all_types" || m.Vectors[1].Name != "sdk_golden" || m.Vectors[2].Name != "random-0" {
		t.Fatalf("unexpected manifest: %+v", m.Vectors[:3])
	}
	copyAsTS(t, dir)
	code, rep := runCheck(t, dir)
	if code != 0 || len(rep.Failures) != 0 || rep.Checked != 84 {
		t.Fatalf("exit %d, report %+v", code, rep)
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if _, err := writeVectors(d, 9, 5); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 5; i++ {
		for _, ext := range []string{".arrow", ".json"} {
			n := "random-" + string(rune('0'+i)) + ext
			x, _ := os.ReadFile(filepath.Join(a, n))
			y, _ := os.ReadFile(filepath.Join(b, n))
			if !bytes.Equal(x, y) || len(x) == 0 {
				t.Fatalf("%s differs between runs with the same seed", n)
			}
		}
	}
}

// The all-types vector really has every type and its nullable twin, with nulls.
func TestAllTypesCoverage(t *testing.T) {
	dir := t.TempDir()
	if _, err := writeVectors(dir, 1, 0); err != nil {
		t.Fatal(err)
	}
	f, err := readFrameFile(filepath.Join(dir, "all_types.arrow"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[data.FieldType]bool{}
	for _, fld := range f.Fields {
		seen[fld.Type()] = true
		if fld.Type().Nullable() {
			hasNull := false
			for i := 0; i < fld.Len(); i++ {
				if _, ok := fld.ConcreteAt(i); !ok {
					hasNull = true
				}
			}
			if !hasNull {
				t.Errorf("nullable field %s has no null", fld.Name)
			}
		}
	}
	if len(seen) != 30 {
		t.Fatalf("want 30 distinct field types, got %d", len(seen))
	}
	if f.Meta == nil || f.Meta.ExecutedQueryString == "" {
		t.Fatal("meta.executedQueryString missing")
	}
}

func rewriteTS(t *testing.T, dir, name string, mutate func(f *data.Frame)) {
	t.Helper()
	f, err := readFrameFile(filepath.Join(dir, name+".arrow"))
	if err != nil {
		t.Fatal(err)
	}
	mutate(f)
	b, err := f.MarshalArrow()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".ts.arrow"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCheckDetectsAlterations(t *testing.T) {
	cases := []struct {
		name   string
		alter  func(t *testing.T, dir string)
		expect string // substring of a difference
		file   string
	}{
		{
			name: "value changed",
			alter: func(t *testing.T, dir string) {
				rewriteTS(t, dir, "all_types", func(f *data.Frame) { f.Fields[2].Set(1, int8(5)) })
			},
			expect: `field 2 ("int8") row 1`, file: "all_types.ts.arrow",
		},
		{
			name: "time off by one nanosecond",
			alter: func(t *testing.T, dir string) {
				rewriteTS(t, dir, "all_types", func(f *data.Frame) {
					for _, fld := range f.Fields {
						if fld.Name == "time" {
							fld.Set(1, fld.At(1).(time.Time).Add(time.Nanosecond))
						}
					}
				})
			},
			expect: `("time") row 1`, file: "all_types.ts.arrow",
		},
		{
			name: "NaN replaced by null",
			alter: func(t *testing.T, dir string) {
				rewriteTS(t, dir, "all_types", func(f *data.Frame) {
					for _, fld := range f.Fields {
						if fld.Name == "nullable_float64" {
							fld.Set(1, nil)
						}
					}
				})
			},
			expect: "want float64 NaN, got null", file: "all_types.ts.arrow",
		},
		{
			name: "nullability lost",
			alter: func(t *testing.T, dir string) {
				rewriteTS(t, dir, "all_types", func(f *data.Frame) {
					f.Fields[0] = data.NewField("string", f.Fields[0].Labels, []*string{nil, nil, nil, nil, nil})
				})
			},
			expect: "type: want string, got *string", file: "all_types.ts.arrow",
		},
		{
			name: "labels, config and meta changed",
			alter: func(t *testing.T, dir string) {
				rewriteTS(t, dir, "all_types", func(f *data.Frame) {
					f.Fields[0].Labels = data.Labels{"aLabelKey": "other"}
					f.Fields[1].Config.Unit = "s"
					f.Meta.ExecutedQueryString = "changed"
					f.RefID = "B"
				})
			},
			expect: "labels", file: "all_types.ts.arrow",
		},
		{
			name: "json twin edited",
			alter: func(t *testing.T, dir string) {
				p := filepath.Join(dir, "all_types.ts.json")
				b, _ := os.ReadFile(p)
				b = bytes.Replace(b, []byte(`"all_types"`), []byte(`"renamed"`), 1)
				_ = os.WriteFile(p, b, 0o644)
			},
			expect: `frame name: want "all_types", got "renamed"`, file: "all_types.ts.json",
		},
		{
			name: "missing file",
			alter: func(t *testing.T, dir string) {
				_ = os.Remove(filepath.Join(dir, "random-1.ts.json"))
			},
			expect: "missing file", file: "random-1.ts.json",
		},
		{
			name: "not a frame",
			alter: func(t *testing.T, dir string) {
				_ = os.WriteFile(filepath.Join(dir, "random-0.ts.arrow"), []byte("ARROW1 but not really"), 0o644)
			},
			expect: "data.UnmarshalArrowFrame", file: "random-0.ts.arrow",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := writeVectors(dir, 3, 3); err != nil {
				t.Fatal(err)
			}
			copyAsTS(t, dir)
			tc.alter(t, dir)
			code, rep := runCheck(t, dir)
			if code != 1 {
				t.Fatalf("want exit 1, got %d (%+v)", code, rep)
			}
			found := false
			for _, f := range rep.Failures {
				if f.File == tc.file && strings.Contains(f.Difference, tc.expect) {
					found = true
				}
			}
			if !found {
				t.Fatalf("no failure for %s containing %q: %+v", tc.file, tc.expect, rep.Failures)
			}
		})
	}
}

func TestDump(t *testing.T) {
	dir := t.TempDir()
	if _, err := writeVectors(dir, 1, 1); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"dump", filepath.Join(dir, "all_types.arrow")}, &out, &errOut); code != 0 {
		t.Fatalf("dump exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), `"executedQueryString"`) {
		t.Fatalf("dump output lacks meta: %s", out.String())
	}
}
