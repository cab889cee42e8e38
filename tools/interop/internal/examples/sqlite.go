package examples

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/gfsdk/gfsdk/tools/interop/internal/framecmp"
	"github.com/gfsdk/gfsdk/tools/interop/internal/host"
)

// SqlitePluginID is the sqlite-datasource example's plugin id.
const SqlitePluginID = "gfsdk-sqlite-datasource"

// The sample database (createSampleDatabase in the example) starts at
// 2024-05-01T00:00:00Z with one row a minute per host ("a": cpu = minute
// index, "b": twice it); the checks query its first hour.
var (
	sampleStart = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	sampleEnd   = sampleStart.Add(59 * time.Minute)
)

// sqliteContext is the context of data source id: Grafana gives each data
// source its own id (and the plugin one instance per id and settings).
func sqliteContext(id int64, jsonData string, config map[string]string) *pluginv2.PluginContext {
	pc := host.PluginContext(host.DataSource(id, fmt.Sprintf("sqlite-ds-%d", id), jsonData))
	pc.PluginId = SqlitePluginID
	pc.DataSourceInstanceSettings.Name = "SQLite interop"
	for k, v := range config {
		pc.GrafanaConfig[k] = v
	}
	return pc
}

func sqlQuery(refID, rawSQL, format string) *pluginv2.DataQuery {
	return host.Query(refID, "", map[string]string{"rawSql": rawSQL, "format": format}, 1000, sampleStart, sampleEnd)
}

// query runs one QueryData request, checks Grafana decodes the whole
// response, and returns refID's response.
func query(ctx context.Context, s *host.Session, pc *pluginv2.PluginContext, format pluginv2.DataFrameFormat, q *pluginv2.DataQuery) (*pluginv2.DataResponse, error) {
	req := host.QueryRequest(format, q)
	req.PluginContext = pc
	resp, err := s.Data.QueryData(ctx, req)
	if err != nil {
		return nil, err
	}
	if _, err := host.CheckGrafanaDecode(resp); err != nil {
		return nil, fmt.Errorf("Grafana's decoding fails: %w", err)
	}
	res, ok := resp.Responses[q.RefId]
	if !ok {
		return nil, fmt.Errorf("no response for refId %s", q.RefId)
	}
	return res, nil
}

func frames(ctx context.Context, s *host.Session, pc *pluginv2.PluginContext, format pluginv2.DataFrameFormat, q *pluginv2.DataQuery) (data.Frames, error) {
	res, err := query(ctx, s, pc, format, q)
	if err != nil {
		return nil, err
	}
	if res.Error != "" || res.Status != 200 {
		return nil, fmt.Errorf("status %d, error %q", res.Status, res.Error)
	}
	return host.DecodeFrames(res)
}

func wantQueryError(ctx context.Context, s *host.Session, pc *pluginv2.PluginContext, q *pluginv2.DataQuery, status int32, source, contains string) error {
	res, err := query(ctx, s, pc, pluginv2.DataFrameFormat_ARROW, q)
	if err != nil {
		return err
	}
	if res.Status != status || res.ErrorSource != source || !strings.Contains(res.Error, contains) {
		return fmt.Errorf("status %d, source %q, error %q; want %d, %q, an error containing %q", res.Status, res.ErrorSource, res.Error, status, source, contains)
	}
	return nil
}

func fieldTypes(f *data.Frame) string {
	parts := make([]string, len(f.Fields))
	for i, field := range f.Fields {
		parts[i] = field.Name + ":" + field.Type().ItemTypeString()
	}
	return strings.Join(parts, ",")
}

// SqliteChecks are the checks of the sqlite-datasource example against the
// sample database at dbPath.
func SqliteChecks(dbPath string) []Check {
	settings, _ := json.Marshal(map[string]string{"path": dbPath})
	ok := sqliteContext(1, string(settings), nil)
	health := func(pc *pluginv2.PluginContext, want pluginv2.CheckHealthResponse_HealthStatus, contains string) func(context.Context, *host.Session) error {
		return func(ctx context.Context, s *host.Session) error {
			res, err := s.Diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: pc})
			if err != nil {
				return err
			}
			if res.Status != want || !strings.Contains(res.Message, contains) {
				return fmt.Errorf("status %s, message %q; want %s and a message containing %q", res.Status, res.Message, want, contains)
			}
			return nil
		}
	}
	return []Check{
		{"check-health-ok", health(ok, pluginv2.CheckHealthResponse_OK, "working")},
		{"check-health-invalid-settings", health(sqliteContext(2, `{"path": 5}`, nil), pluginv2.CheckHealthResponse_ERROR, "path")},
		{"check-health-relative-path", health(sqliteContext(3, `{"path": "data.db"}`, nil), pluginv2.CheckHealthResponse_ERROR, "absolute path")},
		{"check-health-missing-file", health(sqliteContext(4, `{"path": "/nonexistent/gfsdk.db"}`, nil), pluginv2.CheckHealthResponse_ERROR, "/nonexistent/gfsdk.db")},
		{"query-table", func(ctx context.Context, s *host.Session) error {
			for _, format := range []pluginv2.DataFrameFormat{pluginv2.DataFrameFormat_ARROW, pluginv2.DataFrameFormat_JSON} {
				fs, err := frames(ctx, s, ok, format, sqlQuery("A", "SELECT ts AS time, host, cpu FROM metrics WHERE $__timeFilter(ts) AND host = 'b' ORDER BY ts", "table"))
				if err != nil {
					return fmt.Errorf("%s: %w", format, err)
				}
				if len(fs) != 1 {
					return fmt.Errorf("%s: %d frames, want 1", format, len(fs))
				}
				f := fs[0]
				if got := fieldTypes(f); got != "time:*time.Time,host:*string,cpu:*float64" {
					return fmt.Errorf("%s: fields %s", format, got)
				}
				if n := f.Rows(); n != 60 {
					return fmt.Errorf("%s: %d rows, want 60 (the first hour)", format, n)
				}
				t, _ := f.Fields[0].ConcreteAt(59)
				cpu, _ := f.Fields[2].ConcreteAt(59)
				if !t.(time.Time).Equal(sampleEnd) || cpu.(float64) != 118 {
					return fmt.Errorf("%s: last row %v, %v; want %v, 118", format, t, cpu, sampleEnd)
				}
				if f.Meta == nil || !strings.Contains(f.Meta.ExecutedQueryString, "ts BETWEEN 1714521600 AND 1714525140") {
					return fmt.Errorf("%s: executedQueryString %+v lacks the expanded $__timeFilter", format, f.Meta)
				}
			}
			return nil
		}},
		{"query-time-series-long-to-wide", func(ctx context.Context, s *host.Session) error {
			// Host b only every 10 minutes: its wide field has missing samples.
			sql := "SELECT $__timeGroupAlias(ts, '5m'), host, avg(cpu) AS cpu FROM metrics WHERE $__timeFilter(ts) AND (host = 'a' OR ts % 600 = 0) GROUP BY 1, 2 ORDER BY 1"
			long, err := frames(ctx, s, ok, pluginv2.DataFrameFormat_ARROW, sqlQuery("A", sql, "table"))
			if err != nil {
				return fmt.Errorf("table: %w", err)
			}
			wide, err := frames(ctx, s, ok, pluginv2.DataFrameFormat_ARROW, sqlQuery("A", sql, "time_series"))
			if err != nil {
				return fmt.Errorf("time_series: %w", err)
			}
			if len(long) != 1 || len(wide) != 1 {
				return fmt.Errorf("%d table frames and %d time series frames, want 1 and 1", len(long), len(wide))
			}
			// What Grafana's SQL data sources do with the table: time renamed
			// Time, then the SDK's data.LongToWide.
			long[0].Fields[0].Name = data.TimeSeriesTimeFieldName
			want, err := data.LongToWide(long[0], nil)
			if err != nil {
				return fmt.Errorf("data.LongToWide of the table: %w", err)
			}
			want.Name, want.RefID, want.Meta = wide[0].Name, wide[0].RefID, wide[0].Meta
			if diffs := framecmp.Compare(want, wide[0]); len(diffs) > 0 {
				return fmt.Errorf("the time series differs from data.LongToWide of the table: %s", strings.Join(diffs, "; "))
			}
			if got := fieldTypes(wide[0]); got != "Time:time.Time,cpu:*float64,cpu:*float64" {
				return fmt.Errorf("time series fields %s", got)
			}
			if n := wide[0].Rows(); n != 12 {
				return fmt.Errorf("%d rows, want 12 five-minute buckets", n)
			}
			return nil
		}},
		{"query-row-limit", func(ctx context.Context, s *host.Session) error {
			pc := sqliteContext(5, string(settings), map[string]string{"GF_SQL_ROW_LIMIT": "5"})
			fs, err := frames(ctx, s, pc, pluginv2.DataFrameFormat_ARROW, sqlQuery("A", "SELECT * FROM metrics", "table"))
			if err != nil {
				return err
			}
			if len(fs) != 1 || fs[0].Rows() != 5 {
				return fmt.Errorf("want one frame of 5 rows (GF_SQL_ROW_LIMIT), got %d frames", len(fs))
			}
			if fs[0].Meta == nil || len(fs[0].Meta.Notices) != 1 || fs[0].Meta.Notices[0].Severity != data.NoticeSeverityWarning ||
				!strings.Contains(fs[0].Meta.Notices[0].Text, "limited to 5") {
				return fmt.Errorf("want a warning notice about the row limit, meta %+v", fs[0].Meta)
			}
			return nil
		}},
		{"query-bad-sql", func(ctx context.Context, s *host.Session) error {
			return wantQueryError(ctx, s, ok, sqlQuery("A", "SELEC 1", "table"), 400, "downstream", "syntax error")
		}},
		{"query-invalid-model", func(ctx context.Context, s *host.Session) error {
			q := host.Query("A", "", map[string]string{"format": "table"}, 1000, sampleStart, sampleEnd)
			return wantQueryError(ctx, s, ok, q, 400, "plugin", "rawSql")
		}},
		{"query-unknown-macro", func(ctx context.Context, s *host.Session) error {
			return wantQueryError(ctx, s, ok, sqlQuery("A", "SELECT $__nope(ts) FROM metrics", "table"), 400, "plugin", "unknown macro $__nope")
		}},
		{"resource-tables", func(ctx context.Context, s *host.Session) error {
			var tables []struct{ Name, Type string }
			if err := resourceJSON(ctx, s, ok, "GET", "tables", nil, 200, &tables); err != nil {
				return err
			}
			if fmt.Sprint(tables) != "[{events table} {metrics table}]" {
				return fmt.Errorf("tables %v, want events and metrics", tables)
			}
			return nil
		}},
		{"resource-columns", func(ctx context.Context, s *host.Session) error {
			var columns []struct{ Name, Type string }
			if err := resourceJSON(ctx, s, ok, "GET", "tables/metrics/columns", nil, 200, &columns); err != nil {
				return err
			}
			if fmt.Sprint(columns) != "[{ts INTEGER} {host TEXT} {cpu REAL}]" {
				return fmt.Errorf("columns %v", columns)
			}
			// A name that would be SQL if it were pasted in is just a table that does not exist.
			return resourceJSON(ctx, s, ok, "GET", "tables/x'%20OR%201=1--/columns", nil, 404, nil)
		}},
		{"resource-not-found", func(ctx context.Context, s *host.Session) error {
			return resourceJSON(ctx, s, ok, "GET", "no/such/path", nil, 404, nil)
		}},
	}
}
