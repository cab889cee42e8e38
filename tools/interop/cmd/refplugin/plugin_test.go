package main

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

func tr() backend.TimeRange {
	to := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	return backend.TimeRange{From: to.Add(-time.Hour), To: to}
}

func q(refID, queryType string, model interface{}, maxDataPoints int64) backend.DataQuery {
	b, _ := json.Marshal(model)
	return backend.DataQuery{RefID: refID, QueryType: queryType, JSON: b, MaxDataPoints: maxDataPoints, TimeRange: tr()}
}

func TestRandomWalk(t *testing.T) {
	d := &Datasource{}
	req := &backend.QueryDataRequest{Queries: []backend.DataQuery{q("A", "random_walk", map[string]int{"seriesCount": 2, "seed": 5}, 40)}}
	resp, err := d.QueryData(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	res := resp.Responses["A"]
	if res.Error != nil || len(res.Frames) != 2 {
		t.Fatalf("%+v", res)
	}
	for _, f := range res.Frames {
		if f.Rows() != 40 || f.Fields[0].Type() != data.FieldTypeTime || f.Fields[1].Type() != data.FieldTypeFloat64 {
			t.Fatalf("bad frame %v", f)
		}
		for i := 1; i < f.Rows(); i++ {
			a, b := f.Fields[0].At(i-1).(time.Time), f.Fields[0].At(i).(time.Time)
			if !b.After(a) || b.After(tr().To) || a.Before(tr().From) {
				t.Fatalf("row %d: %s then %s", i, a, b)
			}
		}
	}
	again, _ := d.QueryData(context.Background(), req)
	if again.Responses["A"].Frames[1].Fields[1].At(7) != res.Frames[1].Fields[1].At(7) {
		t.Fatal("same seed gave different values")
	}
}

func TestWalkTimesNarrowRange(t *testing.T) {
	from := time.Unix(100, 0)
	times := walkTimes(backend.TimeRange{From: from, To: from.Add(5 * time.Nanosecond)}, 100)
	if len(times) != 6 {
		t.Fatalf("%d times in a 5 ns range", len(times))
	}
	if got := walkTimes(backend.TimeRange{From: from, To: from}, 100); len(got) != 1 {
		t.Fatalf("%d times in an empty range", len(got))
	}
}

func TestRowsErrorsUnknown(t *testing.T) {
	d := &Datasource{}
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		q("R", "rows", map[string]int{"rows": 10}, 0),
		q("E", "error", map[string]interface{}{"source": "downstream", "status": 503}, 0),
		q("U", "nope", nil, 0),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if f := resp.Responses["R"].Frames[0]; f.Rows() != 10 || len(f.Fields) != 3 {
		t.Fatalf("rows: %v", f)
	}
	if e := resp.Responses["E"]; e.Status != 503 || e.ErrorSource != backend.ErrorSourceDownstream || e.Error == nil {
		t.Fatalf("error: %+v", e)
	}
	if u := resp.Responses["U"]; u.Status != 400 || u.ErrorSource != backend.ErrorSourcePlugin {
		t.Fatalf("unknown: %+v", u)
	}
}

func TestSlowHonoursCancellation(t *testing.T) {
	d := &Datasource{}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := d.QueryData(ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{q("A", "slow", map[string]int{"ms": 10000}, 0)}})
	if err == nil || time.Since(start) > time.Second {
		t.Fatalf("err %v after %s", err, time.Since(start))
	}
}

func TestCheckHealth(t *testing.T) {
	d := &Datasource{}
	ok, _ := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if ok.Status != backend.HealthStatusOk {
		t.Fatal(ok)
	}
	bad, _ := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{PluginContext: backend.PluginContext{
		DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{JSONData: []byte(`{"fail":true}`)},
	}})
	if bad.Status != backend.HealthStatusError {
		t.Fatal(bad)
	}
}
