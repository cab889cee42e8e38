package vectors

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// sdkGolden is data/testdata/all_types.golden.arrow from
// grafana-plugin-sdk-go v0.296.3 (Apache-2.0), byte for byte.
//
//go:embed testdata/sdk_all_types.golden.arrow
var sdkGolden []byte

// SDKGolden decodes the SDK's own golden all-types Arrow file.
func SDKGolden() (*data.Frame, error) {
	return data.UnmarshalArrowFrame(sdkGolden)
}

// BaseTypes lists the 15 non-nullable Grafana field types.
var BaseTypes = []data.FieldType{
	data.FieldTypeInt8, data.FieldTypeInt16, data.FieldTypeInt32, data.FieldTypeInt64,
	data.FieldTypeUint8, data.FieldTypeUint16, data.FieldTypeUint32, data.FieldTypeUint64,
	data.FieldTypeFloat32, data.FieldTypeFloat64,
	data.FieldTypeString, data.FieldTypeBool, data.FieldTypeTime, data.FieldTypeJSON, data.FieldTypeEnum,
}

// AllFieldTypes is every Grafana field type: each base type and its nullable twin.
func AllFieldTypes() []data.FieldType {
	out := make([]data.FieldType, 0, 2*len(BaseTypes))
	for _, t := range BaseTypes {
		out = append(out, t, t.NullableType())
	}
	return out
}

// RandomSeed derives the seed of random vector i from the run's seed, so a
// vector does not depend on how many vectors were requested.
func RandomSeed(seed int64, i int) int64 {
	return seed*1_000_003 + int64(i)
}

var sampleStrings = []string{
	"", "a", "Grafana ❤️", "🦥🦥🦥", "emoji 👩‍👩‍👧‍👦 family", "quote \" and \\ backslash",
	"line\nbreak\ttab", "ünïcödé", "\u2028 separator", "日本語テキスト", "   spaces   ",
	"<b>html</b> & ampersand", "null", "NaN", "0", "{\"not\":\"json\"}",
}

var sampleJSON = []string{
	`{"a":1}`, `[1,2,3]`, `"text 🦥"`, `42`, `-1.5e-7`, `true`, `false`, `{}`, `[]`,
	`{"nested":{"deep":[1,{"x":"y"}],"emoji":"❤️"}}`, `[{"c":3},{"d":4}]`, `{"big":9007199254740993}`,
	`""`, `{"s":"quote \" backslash \\"}`,
}

var labelKeys = []string{"host", "job", "region", "🦥", "instance", "le"}
var labelValues = []string{"a", "server-1", "eu-west", "❤️", "", "0.99", "with space"}

type gen struct {
	r *rand.Rand
}

func (g gen) chance(p float64) bool { return g.r.Float64() < p }
func (g gen) pick(n int) int        { return g.r.Intn(n) }

func (g gen) signed(lo, hi int64) int64 {
	switch g.pick(8) {
	case 0:
		return lo
	case 1:
		return hi
	case 2:
		return 0
	case 3:
		return -1
	}
	if hi == math.MaxInt64 {
		switch g.pick(4) {
		case 0:
			return maxSafeInt
		case 1:
			return minSafeInt
		case 2:
			return maxSafeInt + 2 // not representable as a JS number
		}
		return g.r.Int63() - g.r.Int63()
	}
	return lo + g.r.Int63n(hi-lo+1)
}

func (g gen) unsigned(hi uint64) uint64 {
	switch g.pick(6) {
	case 0:
		return 0
	case 1:
		return hi
	case 2:
		return hi / 2
	}
	if hi == math.MaxUint64 {
		switch g.pick(3) {
		case 0:
			return maxSafeInt + 2
		case 1:
			return 1<<63 + 1
		}
		return g.r.Uint64()
	}
	return uint64(g.r.Int63n(int64(hi) + 1))
}

func (g gen) float64v() float64 {
	switch g.pick(14) {
	case 0:
		return math.NaN()
	case 1:
		return math.Inf(1)
	case 2:
		return math.Inf(-1)
	case 3:
		return 0
	case 4:
		return math.Copysign(0, -1)
	case 5:
		return math.MaxFloat64
	case 6:
		return -math.SmallestNonzeroFloat64
	case 7:
		return float64(maxSafeInt)
	case 8:
		return 0.1
	}
	return g.r.NormFloat64() * math.Pow(10, float64(g.pick(20)-10))
}

func (g gen) float32v() float32 {
	switch g.pick(12) {
	case 0:
		return float32(math.NaN())
	case 1:
		return float32(math.Inf(1))
	case 2:
		return float32(math.Inf(-1))
	case 3:
		return math.MaxFloat32
	case 4:
		return math.SmallestNonzeroFloat32
	case 5:
		return -0.1
	}
	return float32(g.r.NormFloat64() * math.Pow(10, float64(g.pick(12)-6)))
}

func (g gen) timev() time.Time {
	switch g.pick(10) {
	case 0:
		return time.Unix(0, 0)
	case 1:
		return time.Unix(0, math.MaxInt64)
	case 2:
		// The most negative nanosecond time whose millisecond floor still fits
		// an int64 nanosecond count (the SDK's JSON reader multiplies ms by 1e6).
		return time.Unix(0, math.MinInt64+1_000_000)
	case 3:
		return time.Unix(0, -1) // just before the epoch
	case 4:
		return time.Unix(0, -1_500_000) // -1.5 ms
	case 5:
		return time.Unix(1700000000, 0) // whole seconds, no sub-ms part
	}
	// 2000-01-01 .. ~2033 with a random nanosecond part
	return time.Unix(946684800+g.r.Int63n(1<<30), g.r.Int63n(1e9))
}

func (g gen) stringv() string {
	if g.chance(0.7) {
		return sampleStrings[g.pick(len(sampleStrings))]
	}
	var sb strings.Builder
	n := g.pick(20)
	for i := 0; i < n; i++ {
		if g.chance(0.1) {
			sb.WriteString("🦥")
		} else {
			sb.WriteByte(byte('a' + g.pick(26)))
		}
	}
	return sb.String()
}

// value returns a non-null value of the non-nullable type t.
func (g gen) value(t data.FieldType, enumSize int) interface{} {
	switch t {
	case data.FieldTypeInt8:
		return int8(g.signed(math.MinInt8, math.MaxInt8))
	case data.FieldTypeInt16:
		return int16(g.signed(math.MinInt16, math.MaxInt16))
	case data.FieldTypeInt32:
		return int32(g.signed(math.MinInt32, math.MaxInt32))
	case data.FieldTypeInt64:
		return g.signed(math.MinInt64, math.MaxInt64)
	case data.FieldTypeUint8:
		return uint8(g.unsigned(math.MaxUint8))
	case data.FieldTypeUint16:
		return uint16(g.unsigned(math.MaxUint16))
	case data.FieldTypeUint32:
		return uint32(g.unsigned(math.MaxUint32))
	case data.FieldTypeUint64:
		return g.unsigned(math.MaxUint64)
	case data.FieldTypeFloat32:
		return g.float32v()
	case data.FieldTypeFloat64:
		return g.float64v()
	case data.FieldTypeString:
		return g.stringv()
	case data.FieldTypeBool:
		return g.chance(0.5)
	case data.FieldTypeTime:
		return g.timev()
	case data.FieldTypeJSON:
		return json.RawMessage(sampleJSON[g.pick(len(sampleJSON))])
	case data.FieldTypeEnum:
		if enumSize > 0 && g.chance(0.9) {
			return data.EnumItemIndex(g.pick(enumSize))
		}
		return data.EnumItemIndex(g.unsigned(math.MaxUint16))
	}
	panic(fmt.Sprintf("unsupported type %s", t))
}

// toPointer converts a concrete value to the pointer form nullable fields hold.
func toPointer(v interface{}) interface{} {
	switch x := v.(type) {
	case int8:
		return &x
	case int16:
		return &x
	case int32:
		return &x
	case int64:
		return &x
	case uint8:
		return &x
	case uint16:
		return &x
	case uint32:
		return &x
	case uint64:
		return &x
	case float32:
		return &x
	case float64:
		return &x
	case string:
		return &x
	case bool:
		return &x
	case time.Time:
		return &x
	case json.RawMessage:
		return &x
	case data.EnumItemIndex:
		return &x
	}
	panic(fmt.Sprintf("unsupported value %T", v))
}

func (g gen) labels() data.Labels {
	l := data.Labels{}
	n := 1 + g.pick(3)
	for i := 0; i < n; i++ {
		l[labelKeys[g.pick(len(labelKeys))]] = labelValues[g.pick(len(labelValues))]
	}
	return l
}

func (g gen) config(enumText []string) *data.FieldConfig {
	c := &data.FieldConfig{}
	if g.chance(0.5) {
		c.DisplayName = "display " + g.stringv()
	}
	if g.chance(0.3) {
		c.DisplayNameFromDS = "from ds 🦥"
	}
	if g.chance(0.4) {
		c.Unit = []string{"ms", "bytes", "percent", "short", "€"}[g.pick(5)]
	}
	if g.chance(0.3) {
		c.SetDecimals(uint16(g.pick(6)))
	}
	if g.chance(0.3) {
		c.SetMin(float64(g.pick(100)) - 50.25)
	}
	if g.chance(0.3) {
		c.SetMax(float64(g.pick(1000)) + 0.5)
	}
	if g.chance(0.2) {
		c.Description = "description: " + g.stringv()
	}
	if g.chance(0.2) {
		c.SetFilterable(g.chance(0.5))
	}
	if g.chance(0.2) {
		c.Interval = float64(1 + g.pick(60000))
	}
	if g.chance(0.2) {
		c.NoValue = "—"
	}
	if g.chance(0.2) {
		c.Links = []data.DataLink{{Title: "link", URL: "https://example.com/?q=${__value.raw}", TargetBlank: g.chance(0.5)}}
	}
	if g.chance(0.2) {
		c.Thresholds = &data.ThresholdsConfig{
			Mode: data.ThresholdsModeAbsolute,
			Steps: []data.Threshold{
				{Value: data.ConfFloat64(math.Inf(-1)), Color: "green"}, // -Inf travels as null
				{Value: 80, Color: "red"},
			},
		}
	}
	if g.chance(0.15) {
		c.Mappings = data.ValueMappings{data.ValueMapper{"1": {Text: "one", Color: "blue"}}}
	}
	if g.chance(0.2) {
		c.Custom = map[string]interface{}{"width": float64(g.pick(300)), "displayMode": "auto", "nested": map[string]interface{}{"ok": true}}
	}
	if enumText != nil {
		ec := &data.EnumFieldConfig{Text: enumText}
		if g.chance(0.5) {
			ec.Color = make([]string, len(enumText))
			for i := range ec.Color {
				ec.Color[i] = []string{"red", "green", "#00ff00", "blue"}[g.pick(4)]
			}
		}
		c.TypeConfig = &data.FieldTypeConfig{Enum: ec}
	}
	return c
}

func (g gen) fieldName(i int, t data.FieldType) string {
	switch g.pick(12) {
	case 0:
		return ""
	case 1:
		return "🦥 field"
	case 2:
		return "value" // duplicate names across fields are allowed
	}
	return fmt.Sprintf("f%d_%s", i, t.ItemTypeString())
}

// Random returns random frame i of the run seeded with seed.
func Random(seed int64, i int) *data.Frame {
	g := gen{r: rand.New(rand.NewSource(RandomSeed(seed, i)))} // #nosec G404 -- test vectors

	all := AllFieldTypes()
	var types []data.FieldType
	switch {
	case g.chance(0.05):
		// no fields at all
	case g.chance(0.3):
		types = append(types, all...) // every type
		g.r.Shuffle(len(types), func(a, b int) { types[a], types[b] = types[b], types[a] })
	default:
		n := 1 + g.pick(len(all))
		for k := 0; k < n; k++ {
			types = append(types, all[g.pick(len(all))]) // repeats allowed
		}
	}

	rows := g.pick(51)
	if len(types) == 0 {
		rows = 0
	}

	fields := make([]*data.Field, 0, len(types))
	for fi, t := range types {
		nullable := t.Nullable()
		base := t.NonNullableType()
		var enumText []string
		if base == data.FieldTypeEnum && g.chance(0.7) {
			enumText = []string{"", "OK", "Warning ⚠️", "Critical 🔥", "unknown"}[:1+g.pick(5)]
		}
		f := data.NewFieldFromFieldType(t, rows)
		f.Name = g.fieldName(fi, base)
		nullP := 0.0
		if nullable {
			nullP = []float64{0, 0.2, 0.5, 1}[g.pick(4)]
		}
		for r := 0; r < rows; r++ {
			if nullable && g.chance(nullP) {
				continue // leave nil
			}
			v := g.value(base, len(enumText))
			if nullable {
				v = toPointer(v)
			}
			f.Set(r, v)
		}
		if g.chance(0.3) {
			f.Labels = g.labels()
		}
		if enumText != nil || g.chance(0.3) {
			f.Config = g.config(enumText)
		}
		fields = append(fields, f)
	}

	frame := data.NewFrame("", fields...)
	if g.chance(0.6) {
		frame.Name = []string{"random", "frame 🦥", "A-series", "with \"quotes\""}[g.pick(4)] + fmt.Sprintf(" %d", i)
	}
	if g.chance(0.6) {
		frame.RefID = []string{"A", "B", "Q-1", "🦥"}[g.pick(4)]
	}
	if g.chance(0.5) {
		m := &data.FrameMeta{}
		if g.chance(0.8) {
			m.ExecutedQueryString = fmt.Sprintf("SELECT * FROM t%d WHERE s = '🦥'", i)
		}
		if g.chance(0.4) {
			m.Type = []data.FrameType{data.FrameTypeTable, data.FrameTypeTimeSeriesWide, data.FrameTypeTimeSeriesMulti}[g.pick(3)]
			m.TypeVersion = data.FrameTypeVersion{0, uint(g.pick(3))}
		}
		if g.chance(0.3) {
			m.Custom = map[string]interface{}{"seed": float64(seed), "index": float64(i), "s": "🦥"}
		}
		if g.chance(0.3) {
			m.Notices = []data.Notice{{Severity: data.NoticeSeverityInfo, Text: "note " + g.stringv()}}
		}
		if g.chance(0.2) {
			m.PreferredVisualization = data.VisTypeTable
		}
		if g.chance(0.2) {
			m.Channel = "ds/uid/path"
		}
		frame.SetMeta(m)
	}
	return frame
}
