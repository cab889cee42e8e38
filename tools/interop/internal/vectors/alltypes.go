// Package vectors builds the data frames that the Go side of the interop
// tests hands to other implementations: an "all types" frame and seeded
// random frames covering every Grafana field type.
package vectors

import (
	"encoding/json"
	"math"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// JavaScript safe-integer limits (Number.MIN_SAFE_INTEGER / MAX_SAFE_INTEGER).
const (
	minSafeInt = -(1<<53 - 1)
	maxSafeInt = 1<<53 - 1
)

func ptr[T any](v T) *T { return &v }

// AllTypes returns a frame with one field of every Grafana field type and its
// nullable twin. It follows the shape of the SDK's own golden all-types frame
// (data/arrow_test.go goldenDF): Go and JS integer limits, NaN and ±Inf,
// emoji, nanosecond timestamps, JSON and enum fields, labels, field config
// and frame meta.
func AllTypes() *data.Frame {
	heartCfg := (&data.FieldConfig{
		DisplayName: "Grafana ❤️ 🦥",
		Description: "a field with config",
		Unit:        "ms",
		NoValue:     "😤",
		Links: []data.DataLink{{
			Title:       "docs",
			TargetBlank: true,
			URL:         "https://grafana.com/docs/",
		}},
		Custom: map[string]interface{}{"width": 100.0, "align": "auto"},
		// NaN and ±Inf become null in config JSON.
	}).SetDecimals(2).SetMin(math.NaN()).SetMax(math.Inf(1)).SetFilterable(false)

	ts := []time.Time{
		time.Unix(0, 0),
		time.Unix(1568039445, 123456789),
		time.Unix(1568039450, 1),
		time.Unix(0, maxSafeInt),
		time.Unix(0, math.MaxInt64),
	}

	f := data.NewFrame("all_types",
		data.NewField("string", data.Labels{"aLabelKey": "aLabelValue"}, []string{
			"", "Grafana ❤️", "🦥 sloth", "quote \" backslash \\ newline \n tab \t", "ünïcödé \u2028 end",
		}).SetConfig(&data.FieldConfig{}),
		data.NewField("nullable_string", data.Labels{"aLabelKey": "aLabelValue", "b": "🦥"}, []*string{
			ptr("Grafana"), ptr(""), nil, ptr("🦥"), ptr("last"),
		}).SetConfig(heartCfg),
		data.NewField("int8", nil, []int8{math.MinInt8, -1, 0, 1, math.MaxInt8}).
			SetConfig((&data.FieldConfig{}).SetMin(0).SetMax(1)),
		data.NewField("nullable_int8", nil, []*int8{ptr[int8](math.MinInt8), nil, ptr[int8](0), nil, ptr[int8](math.MaxInt8)}),
		data.NewField("int16", nil, []int16{math.MinInt16, -1, 0, 1, math.MaxInt16}),
		data.NewField("nullable_int16", nil, []*int16{ptr[int16](math.MinInt16), nil, ptr[int16](0), ptr[int16](1), ptr[int16](math.MaxInt16)}),
		data.NewField("int32", nil, []int32{math.MinInt32, -1, 0, 1, math.MaxInt32}),
		data.NewField("nullable_int32", nil, []*int32{ptr[int32](math.MinInt32), nil, ptr[int32](0), ptr[int32](1), ptr[int32](math.MaxInt32)}),
		data.NewField("int64", nil, []int64{math.MinInt64, minSafeInt, 0, maxSafeInt, math.MaxInt64}),
		data.NewField("nullable_int64", nil, []*int64{ptr[int64](math.MinInt64), ptr[int64](minSafeInt), nil, ptr[int64](maxSafeInt), ptr[int64](math.MaxInt64)}),
		data.NewField("uint8", nil, []uint8{0, 1, 127, 128, math.MaxUint8}),
		data.NewField("nullable_uint8", nil, []*uint8{ptr[uint8](0), nil, ptr[uint8](1), ptr[uint8](128), ptr[uint8](math.MaxUint8)}),
		data.NewField("uint16", nil, []uint16{0, 1, 32767, 32768, math.MaxUint16}),
		data.NewField("nullable_uint16", nil, []*uint16{ptr[uint16](0), nil, ptr[uint16](1), ptr[uint16](32768), ptr[uint16](math.MaxUint16)}),
		data.NewField("uint32", nil, []uint32{0, 1, math.MaxInt32, math.MaxInt32 + 1, math.MaxUint32}),
		data.NewField("nullable_uint32", nil, []*uint32{ptr[uint32](0), nil, ptr[uint32](1), ptr[uint32](math.MaxInt32 + 1), ptr[uint32](math.MaxUint32)}),
		data.NewField("uint64", nil, []uint64{0, 1, maxSafeInt, math.MaxInt64 + 1, math.MaxUint64}),
		data.NewField("nullable_uint64", nil, []*uint64{ptr[uint64](0), nil, ptr[uint64](maxSafeInt), ptr[uint64](math.MaxInt64 + 1), ptr[uint64](math.MaxUint64)}),
		data.NewField("float32", nil, []float32{
			math.SmallestNonzeroFloat32, float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), math.MaxFloat32,
		}),
		data.NewField("nullable_float32", nil, []*float32{
			ptr[float32](-1.5), ptr(float32(math.NaN())), nil, ptr(float32(math.Inf(-1))), ptr[float32](math.MaxFloat32),
		}),
		data.NewField("float64", nil, []float64{
			math.SmallestNonzeroFloat64, math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64,
		}),
		data.NewField("nullable_float64", nil, []*float64{
			ptr(math.Inf(1)), ptr(math.NaN()), nil, ptr(0.1), ptr(-math.MaxFloat64),
		}),
		data.NewField("bool", nil, []bool{true, false, true, true, false}),
		data.NewField("nullable_bool", nil, []*bool{ptr(true), ptr(false), nil, ptr(true), nil}),
		data.NewField("time", nil, ts).SetConfig(&data.FieldConfig{Interval: 1000}),
		data.NewField("nullable_time", nil, []*time.Time{
			ptr(ts[0]), ptr(ts[1]), nil, ptr(time.Unix(-1, 999_999_999)), ptr(ts[4]),
		}),
		data.NewField("json", nil, []json.RawMessage{
			json.RawMessage(`{"a":1}`),
			json.RawMessage(`[1,2,3]`),
			json.RawMessage(`"text 🦥"`),
			json.RawMessage(`[{"c":3},{"d":4}]`),
			json.RawMessage(`{"e":{"f":5.5,"g":true}}`),
		}),
		data.NewField("nullable_json", nil, []*json.RawMessage{
			ptr(json.RawMessage(`{"a":1}`)), nil, ptr(json.RawMessage(`42`)), ptr(json.RawMessage(`[]`)), ptr(json.RawMessage(`{}`)),
		}),
		data.NewField("enum", nil, []data.EnumItemIndex{0, 1, 2, 3, 1}).SetConfig(&data.FieldConfig{
			TypeConfig: &data.FieldTypeConfig{Enum: &data.EnumFieldConfig{
				Text:  []string{"", "ONE", "TWO", "THREE 🦥"},
				Color: []string{"red", "green", "blue", "#ff00ff"},
			}},
		}),
		data.NewField("nullable_enum", nil, []*data.EnumItemIndex{
			ptr[data.EnumItemIndex](1), ptr[data.EnumItemIndex](2), nil, ptr[data.EnumItemIndex](3), ptr[data.EnumItemIndex](0),
		}),
	).SetMeta(&data.FrameMeta{
		Type:                data.FrameTypeTable,
		Custom:              map[string]interface{}{"Hi": "there", "n": 1.5},
		ExecutedQueryString: "SELECT * FROM all_types -- 🦥",
		Channel:             "sample/channel/name",
		Stats: []data.QueryStat{{
			FieldConfig: data.FieldConfig{DisplayName: "sample"},
			Value:       1.234,
		}},
		Notices: []data.Notice{{Severity: data.NoticeSeverityWarning, Text: "a notice"}},
	})
	f.RefID = "A"
	return f
}
