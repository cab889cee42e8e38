package main

import (
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// The frames below are built identically by tools/bench/src/bench-frames.ts;
// the TypeScript side checks that by decoding the Arrow files `-dump` writes.

// rowsEpochNanos is the first timestamp of the rows frame: 2023-11-14T22:13:20Z.
const rowsEpochNanos = 1_700_000_000_000_000_000

// rowsPrefixes are the label prefixes of the rows frame's string field.
var rowsPrefixes = []string{"cpu", "mem", "disk-io", "net", "host-a", "eu-west-1", "x", "requests_total"}

// RowsFrame returns the n-row frame of the benchmark: time (1 ms steps, not
// nullable), value (float64), count (nullable int64, null every 10th row)
// and label (short ASCII strings).
func RowsFrame(n int) *data.Frame {
	times := make([]time.Time, n)
	values := make([]float64, n)
	counts := make([]*int64, n)
	backing := make([]int64, n)
	labels := make([]string, n)
	for i := 0; i < n; i++ {
		times[i] = time.Unix(0, rowsEpochNanos+int64(i)*1_000_000).UTC()
		values[i] = float64(i)*0.001 + float64(i%97)/7
		if i%10 != 0 {
			backing[i] = int64(i)*7 - 3_500_000
			counts[i] = &backing[i]
		}
		labels[i] = rowsPrefixes[i%len(rowsPrefixes)] + "-" + strconv.Itoa(i%1013)
	}
	f := data.NewFrame("rows",
		data.NewField("time", nil, times),
		data.NewField("value", nil, values),
		data.NewField("count", nil, counts),
		data.NewField("label", nil, labels),
	)
	f.RefID = "A"
	return f
}

const maxSafeInt = 1<<53 - 1

// allTypesNullRow is the row (modulo 5) that is null in every nullable field.
const allTypesNullRow = 2

// AllTypesFrame returns the all-types frame: every field type and its
// nullable twin, n rows repeating a 5-row pattern, the twins null on every
// row i with i%5 == 2, labels and config on some fields, and meta.
func AllTypesFrame(n int) *data.Frame {
	int8s := []int8{math.MinInt8, -1, 0, 1, math.MaxInt8}
	int16s := []int16{math.MinInt16, -1, 0, 1, math.MaxInt16}
	int32s := []int32{math.MinInt32, -1, 0, 1, math.MaxInt32}
	int64s := []int64{math.MinInt64, -maxSafeInt, 0, maxSafeInt, math.MaxInt64}
	uint8s := []uint8{0, 1, 127, 128, math.MaxUint8}
	uint16s := []uint16{0, 1, 32767, 32768, math.MaxUint16}
	uint32s := []uint32{0, 1, math.MaxInt32, math.MaxInt32 + 1, math.MaxUint32}
	uint64s := []uint64{0, 1, maxSafeInt, math.MaxInt64 + 2, math.MaxUint64}
	float32s := []float32{-1.5, 0.25, float32(math.Inf(1)), 0.1, math.MaxFloat32}
	float64s := []float64{math.NaN(), -0.125, math.Inf(-1), 0.1, math.MaxFloat64}
	strs := []string{"", "hello", "Grafana ❤️", "quote \" backslash \\", "🦥 sloth"}
	bools := []bool{true, false, true, true, false}
	nanos := []int64{0, 1568039445123456789, 1568039450000000001, 1700000000000000000, -1_500_000}
	times := make([]time.Time, len(nanos))
	for i, ns := range nanos {
		times[i] = time.Unix(0, ns).UTC()
	}
	raws := []json.RawMessage{
		json.RawMessage(`{"a":1}`), json.RawMessage(`[1,2,3]`), json.RawMessage(`"text"`),
		json.RawMessage(`42`), json.RawMessage(`{"e":{"f":5.5,"g":true}}`),
	}
	enums := []data.EnumItemIndex{0, 1, 2, 3, 1}

	enumConfig := &data.FieldConfig{TypeConfig: &data.FieldTypeConfig{
		Enum: &data.EnumFieldConfig{Text: []string{"", "ONE", "TWO", "THREE"}},
	}}
	fields := []*data.Field{
		pair("int8", int8s, n), pair("nullable_int8", int8s, -n),
		pair("int16", int16s, n), pair("nullable_int16", int16s, -n),
		pair("int32", int32s, n), pair("nullable_int32", int32s, -n),
		pair("int64", int64s, n), pair("nullable_int64", int64s, -n),
		pair("uint8", uint8s, n), pair("nullable_uint8", uint8s, -n),
		pair("uint16", uint16s, n), pair("nullable_uint16", uint16s, -n),
		pair("uint32", uint32s, n), pair("nullable_uint32", uint32s, -n),
		pair("uint64", uint64s, n), pair("nullable_uint64", uint64s, -n),
		pair("float32", float32s, n), pair("nullable_float32", float32s, -n),
		pair("float64", float64s, n), pair("nullable_float64", float64s, -n),
		pair("string", strs, n), pair("nullable_string", strs, -n),
		pair("bool", bools, n), pair("nullable_bool", bools, -n),
		pair("time", times, n), pair("nullable_time", times, -n),
		pair("json", raws, n), pair("nullable_json", raws, -n),
		pair("enum", enums, n).SetConfig(enumConfig), pair("nullable_enum", enums, -n).SetConfig(enumConfig),
	}
	fields[20].Labels = data.Labels{"host": "a", "region": "eu"}
	fields[18].SetConfig(&data.FieldConfig{DisplayName: "Float", Unit: "ms"})
	f := data.NewFrame("all_types", fields...).SetMeta(&data.FrameMeta{
		ExecutedQueryString: "SELECT * FROM all_types",
	})
	f.RefID = "A"
	return f
}

// pair builds a field of |n| rows from a 5-value pattern: non-nullable for
// n > 0, nullable with nulls on allTypesNullRow for n < 0.
func pair[T any](name string, pattern []T, n int) *data.Field {
	if n >= 0 {
		values := make([]T, n)
		for i := range values {
			values[i] = pattern[i%len(pattern)]
		}
		return data.NewField(name, nil, values)
	}
	n = -n
	backing := make([]T, n)
	values := make([]*T, n)
	for i := range values {
		if i%len(pattern) != allTypesNullRow {
			backing[i] = pattern[i%len(pattern)]
			values[i] = &backing[i]
		}
	}
	return data.NewField(name, nil, values)
}

// RawBytes is the frame's size as Arrow columns: values (8 bytes per int64,
// float64 or time, UTF-8 bytes plus 4-byte offsets for strings and json, one
// bit per bool), plus one validity bit per row of nullable fields.
func RawBytes(f *data.Frame) int64 {
	var total int64
	for _, field := range f.Fields {
		n := int64(field.Len())
		t := field.Type()
		if t.Nullable() {
			total += (n + 7) / 8
		}
		switch t.NonNullableType() {
		case data.FieldTypeInt8, data.FieldTypeUint8:
			total += n
		case data.FieldTypeInt16, data.FieldTypeUint16, data.FieldTypeEnum:
			total += 2 * n
		case data.FieldTypeInt32, data.FieldTypeUint32, data.FieldTypeFloat32:
			total += 4 * n
		case data.FieldTypeBool:
			total += (n + 7) / 8
		case data.FieldTypeString, data.FieldTypeJSON:
			total += 4 * (n + 1)
			for i := 0; i < int(n); i++ {
				total += int64(len(cellBytes(field, i)))
			}
		default:
			total += 8 * n
		}
	}
	return total
}

func cellBytes(field *data.Field, i int) []byte {
	v, ok := field.ConcreteAt(i)
	if !ok {
		return nil
	}
	switch x := v.(type) {
	case string:
		return []byte(x)
	case json.RawMessage:
		return x
	}
	return nil
}
