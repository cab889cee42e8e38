package framecmp

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

func frame(fields ...*data.Field) *data.Frame { return data.NewFrame("f", fields...) }

func TestEqualities(t *testing.T) {
	raw := func(s string) *json.RawMessage { m := json.RawMessage(s); return &m }
	a := frame(
		data.NewField("f", nil, []float64{math.NaN(), math.Inf(1), math.Copysign(0, -1)}),
		data.NewField("j", nil, []*json.RawMessage{nil, raw(`{"a":1,"b":[1,2]}`), raw(`12345678901234567890`)}),
	)
	b := frame(
		data.NewField("f", data.Labels{}, []float64{math.NaN(), math.Inf(1), 0}),
		data.NewField("j", nil, []*json.RawMessage{raw(`null`), raw(`{ "b": [1, 2], "a": 1.0 }`), raw(`12345678901234567890`)}),
	).SetMeta(&data.FrameMeta{})
	b.Fields[0].Config = &data.FieldConfig{}
	if d := Compare(a, b); len(d) != 0 {
		t.Fatal(d)
	}
}

func TestDifferences(t *testing.T) {
	t0 := time.Unix(1, 5)
	a := frame(data.NewField("t", nil, []time.Time{t0}), data.NewField("j", nil, []json.RawMessage{json.RawMessage(`12345678901234567890`)}))
	b := frame(data.NewField("t", nil, []time.Time{t0.Add(1)}), data.NewField("j", nil, []json.RawMessage{json.RawMessage(`12345678901234567891`)}))
	d := Compare(a, b)
	if len(d) != 2 || !strings.Contains(d[0], "1000000005 ns") || !strings.Contains(d[1], "json") {
		t.Fatal(d)
	}
	c := frame(data.NewField("x", data.Labels{"a": "b"}, []float64{math.Inf(-1)}))
	e := frame(data.NewField("x", nil, []float64{math.Inf(1)}))
	if d := Compare(c, e); len(d) != 2 {
		t.Fatal(d)
	}
}

func TestCap(t *testing.T) {
	a := frame(data.NewField("x", nil, make([]int64, 100)))
	b := frame(data.NewField("x", nil, make([]int64, 100)))
	for i := 0; i < 100; i++ {
		b.Fields[0].Set(i, int64(i+1))
	}
	if d := Compare(a, b); len(d) != MaxDifferences+1 {
		t.Fatal(len(d))
	}
}
