// Package framecmp compares two decoded data frames field by field and
// reports every difference in words.
//
// Rules (chosen so that a difference means "Grafana would see something else"):
//   - frame name and refId: exact.
//   - meta: compared as the SDK's JSON of the decoded FrameMeta; a nil meta
//     equals an empty one.
//   - field name, type (incl. nullability): exact.
//   - labels: same key/value pairs; nil equals empty.
//   - config: compared as the SDK's JSON of the decoded FieldConfig; nil
//     equals empty. (NaN/±Inf in config become null on every wire, so they
//     cannot be told apart after a round trip.)
//   - values: NaN equals NaN, +Inf/-Inf by sign, -0 equals 0; times to the
//     nanosecond; json values compared as parsed JSON (formatting and key
//     order ignored; JSON null, an empty value and a null cell are the same).
package framecmp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// MaxDifferences caps how many differences Compare reports for one pair.
const MaxDifferences = 20

// Compare returns the differences between want and got (empty when equal).
func Compare(want, got *data.Frame) []string {
	c := &collector{}
	compare(c, want, got)
	return c.diffs
}

type collector struct {
	diffs []string
}

func (c *collector) add(format string, args ...interface{}) {
	if len(c.diffs) < MaxDifferences {
		c.diffs = append(c.diffs, fmt.Sprintf(format, args...))
	} else if len(c.diffs) == MaxDifferences {
		c.diffs = append(c.diffs, "… more differences omitted")
	}
}

func (c *collector) full() bool { return len(c.diffs) > MaxDifferences }

func compare(c *collector, want, got *data.Frame) {
	if want == nil || got == nil {
		if want != got {
			c.add("frame: want nil=%v, got nil=%v", want == nil, got == nil)
		}
		return
	}
	if want.Name != got.Name {
		c.add("frame name: want %q, got %q", want.Name, got.Name)
	}
	if want.RefID != got.RefID {
		c.add("frame refId: want %q, got %q", want.RefID, got.RefID)
	}
	if wm, gm := metaJSON(want.Meta), metaJSON(got.Meta); wm != gm {
		c.add("frame meta: want %s, got %s", wm, gm)
	}
	if len(want.Fields) != len(got.Fields) {
		c.add("field count: want %d, got %d", len(want.Fields), len(got.Fields))
		return
	}
	for i := range want.Fields {
		compareField(c, i, want.Fields[i], got.Fields[i])
		if c.full() {
			return
		}
	}
}

func compareField(c *collector, i int, w, g *data.Field) {
	where := fmt.Sprintf("field %d (%q)", i, w.Name)
	if w.Name != g.Name {
		c.add("%s: name: want %q, got %q", where, w.Name, g.Name)
	}
	if w.Type() != g.Type() {
		c.add("%s: type: want %s, got %s", where, w.Type().ItemTypeString(), g.Type().ItemTypeString())
		return
	}
	if !labelsEqual(w.Labels, g.Labels) {
		c.add("%s: labels: want %v, got %v", where, w.Labels, g.Labels)
	}
	if wc, gc := configJSON(w.Config), configJSON(g.Config); wc != gc {
		c.add("%s: config: want %s, got %s", where, wc, gc)
	}
	if w.Len() != g.Len() {
		c.add("%s: length: want %d, got %d", where, w.Len(), g.Len())
		return
	}
	for r := 0; r < w.Len(); r++ {
		wv, wok := w.ConcreteAt(r)
		gv, gok := g.ConcreteAt(r)
		if w.Type().NonNullableType() == data.FieldTypeJSON {
			wok, gok = wok && !isJSONNull(wv), gok && !isJSONNull(gv)
		}
		if wok != gok {
			c.add("%s row %d: want %s, got %s", where, r, show(wv, wok), show(gv, gok))
		} else if wok && !valueEqual(wv, gv) {
			c.add("%s row %d: want %s, got %s", where, r, show(wv, true), show(gv, true))
		}
		if c.full() {
			return
		}
	}
}

func show(v interface{}, ok bool) string {
	if !ok {
		return "null"
	}
	switch x := v.(type) {
	case time.Time:
		return fmt.Sprintf("%s (%d ns)", x.UTC().Format(time.RFC3339Nano), x.UnixNano())
	case json.RawMessage:
		return fmt.Sprintf("json %s", string(x))
	case string:
		return fmt.Sprintf("%q", x)
	case float32:
		return fmt.Sprintf("float32 %v", x)
	case float64:
		return fmt.Sprintf("float64 %v", x)
	}
	return fmt.Sprintf("%T %v", v, v)
}

func valueEqual(a, b interface{}) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && (x == y || (math.IsNaN(x) && math.IsNaN(y)))
	case float32:
		y, ok := b.(float32)
		return ok && (x == y || (math.IsNaN(float64(x)) && math.IsNaN(float64(y))))
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case json.RawMessage:
		y, ok := b.(json.RawMessage)
		return ok && jsonEqual(x, y)
	}
	return a == b
}

func isJSONNull(v interface{}) bool {
	m, ok := v.(json.RawMessage)
	if !ok {
		return false
	}
	t := bytes.TrimSpace(m)
	return len(t) == 0 || string(t) == "null"
}

func jsonEqual(a, b json.RawMessage) bool {
	if bytes.Equal(a, b) {
		return true
	}
	va, errA := decodeJSON(a)
	vb, errB := decodeJSON(b)
	if errA != nil || errB != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

func decodeJSON(b []byte) (interface{}, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber() // keep integers beyond 2^53 exact
	var v interface{}
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return normalizeNumbers(v), nil
}

// normalizeNumbers rewrites json.Number to an exact canonical rational, so
// that 1, 1.0 and 1e0 compare equal while large integers stay exact.
func normalizeNumbers(v interface{}) interface{} {
	switch x := v.(type) {
	case json.Number:
		if r, ok := new(big.Rat).SetString(x.String()); ok {
			return "n" + r.RatString()
		}
		return "s" + x.String()
	case map[string]interface{}:
		for k, e := range x {
			x[k] = normalizeNumbers(e)
		}
	case []interface{}:
		for k, e := range x {
			x[k] = normalizeNumbers(e)
		}
	}
	return v
}

func labelsEqual(a, b data.Labels) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}

func metaJSON(m *data.FrameMeta) string {
	if m == nil {
		m = &data.FrameMeta{}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "<unmarshalable meta: " + err.Error() + ">"
	}
	return string(b)
}

func configJSON(c *data.FieldConfig) string {
	if c == nil {
		c = &data.FieldConfig{}
	}
	b, err := json.Marshal(c)
	if err != nil {
		return "<unmarshalable config: " + err.Error() + ">"
	}
	return string(b)
}
