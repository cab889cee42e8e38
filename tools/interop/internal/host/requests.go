package host

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// PluginID is the testdata plugin's id.
const PluginID = "gfsdk-testdata-datasource"

// lastUpdated is a fixed settings timestamp so the plugin's instance cache
// keeps one instance per data source across requests.
var lastUpdated = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).UnixMilli()

// DataSource returns instance settings as Grafana sends them.
func DataSource(id int64, uid string, jsonData string) *pluginv2.DataSourceInstanceSettings {
	return &pluginv2.DataSourceInstanceSettings{
		Id:                      id,
		Uid:                     uid,
		Name:                    "TestData interop " + uid,
		Url:                     "",
		JsonData:                []byte(jsonData),
		DecryptedSecureJsonData: map[string]string{},
		LastUpdatedMS:           lastUpdated,
	}
}

// PluginContext returns a PluginContext shaped like Grafana's.
func PluginContext(ds *pluginv2.DataSourceInstanceSettings) *pluginv2.PluginContext {
	return &pluginv2.PluginContext{
		OrgId:         1,
		PluginId:      PluginID,
		PluginVersion: "0.0.0",
		User: &pluginv2.User{
			Login: "admin",
			Name:  "Admin",
			Email: "admin@localhost",
			Role:  "Admin",
		},
		DataSourceInstanceSettings: ds,
		GrafanaConfig: map[string]string{
			"GF_APP_URL":                               "http://localhost:3000/",
			"GF_SQL_MAX_OPEN_CONNS_DEFAULT":            "100",
			"GF_SQL_MAX_IDLE_CONNS_DEFAULT":            "100",
			"GF_SQL_MAX_CONN_LIFETIME_SECONDS_DEFAULT": "14400",
			"GF_CONCURRENT_QUERY_COUNT":                "10",
		},
		UserAgent: "Grafana/12.2.0 (linux; amd64)",
		Namespace: "default",
	}
}

// DefaultContext is the plugin context of the default (healthy) data source.
func DefaultContext() *pluginv2.PluginContext {
	return PluginContext(DataSource(1, "interop-ds", `{}`))
}

// Query builds one DataQuery over [from, to].
func Query(refID, queryType string, model interface{}, maxDataPoints int64, from, to time.Time) *pluginv2.DataQuery {
	js, err := json.Marshal(model)
	if err != nil {
		panic(err)
	}
	return &pluginv2.DataQuery{
		RefId:         refID,
		QueryType:     queryType,
		MaxDataPoints: maxDataPoints,
		IntervalMS:    1000,
		TimeRange:     &pluginv2.TimeRange{FromEpochMS: from.UnixMilli(), ToEpochMS: to.UnixMilli()},
		Json:          js,
	}
}

// QueryRequest wraps queries in a request with Grafana-like headers.
func QueryRequest(format pluginv2.DataFrameFormat, queries ...*pluginv2.DataQuery) *pluginv2.QueryDataRequest {
	return &pluginv2.QueryDataRequest{
		PluginContext: DefaultContext(),
		Headers:       map[string]string{"http_X-Grafana-Org-Id": "1", "http_User-Agent": "interop-host"},
		Queries:       queries,
		Format:        format,
	}
}

var arrowMagic = []byte("ARROW1")

// DecodeFrames decodes the frames of a DataResponse with the SDK, following
// the response's own format field as Grafana does. Arrow frames must be
// Arrow IPC files (ARROW1 magic at both ends).
func DecodeFrames(res *pluginv2.DataResponse) (data.Frames, error) {
	frames := make(data.Frames, 0, len(res.Frames))
	for i, b := range res.Frames {
		switch res.Format {
		case pluginv2.DataFrameFormat_ARROW:
			if !bytes.HasPrefix(b, arrowMagic) || !bytes.HasSuffix(b, arrowMagic) {
				return nil, fmt.Errorf("frame %d: not an Arrow IPC file (no ARROW1 magic at both ends)", i)
			}
			f, err := data.UnmarshalArrowFrame(b)
			if err != nil {
				return nil, fmt.Errorf("frame %d: data.UnmarshalArrowFrame: %w", i, err)
			}
			frames = append(frames, f)
		case pluginv2.DataFrameFormat_JSON:
			var f *data.Frame
			if err := json.Unmarshal(b, &f); err != nil {
				return nil, fmt.Errorf("frame %d: json.Unmarshal into data.Frame: %w", i, err)
			}
			if f == nil {
				return nil, fmt.Errorf("frame %d: JSON null", i)
			}
			frames = append(frames, f)
		default:
			return nil, fmt.Errorf("unknown frame format %v", res.Format)
		}
	}
	return frames, nil
}

// CheckGrafanaDecode runs the response through the SDK conversion Grafana's
// ClientV2 uses (backend.FromProto().QueryDataResponse).
func CheckGrafanaDecode(resp *pluginv2.QueryDataResponse) (*backend.QueryDataResponse, error) {
	return backend.FromProto().QueryDataResponse(resp)
}
