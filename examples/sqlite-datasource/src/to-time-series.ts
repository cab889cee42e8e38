import { DownstreamError } from "@gfsdk/core";
import {
  createField,
  Field,
  Frame,
  isNumericFieldType,
  type Labels,
  longToWide,
  timeSeriesSchema,
} from "@gfsdk/dataframe";

/** The same column under another name and labels (storage shared, not copied). */
function renamed(field: Field, name: string, labels: Labels | undefined): Field {
  const { type, values, nullable, validity, config } = field;
  return new Field({ name, type, values, nullable, validity, labels, config });
}

/** A numeric field as a nullable float64 field, as Grafana's SQL data sources give time series values. */
function toFloat(field: Field): Field {
  if (!isNumericFieldType(field.type) || field.type === "float64") return field;
  const values = Array.from({ length: field.length }, (_, row) => {
    const value = field.at(row);
    return value === null ? null : Number(value);
  });
  return createField(field.name, "float64", values, {
    nullable: true,
    labels: field.labels,
    config: field.config,
  });
}

/**
 * Turns a table frame into the time series Grafana's SQL data sources answer for
 * `format: "time_series"` (sqleng): the first time field is renamed `Time`, numeric value fields
 * become float64, and a long frame (string columns as series keys, rows sorted by time) becomes
 * wide with `data.LongToWide`'s rules (one field per value column and key, the keys as labels). As
 * Grafana does, a frame of time, `metric` and one value names each series after its metric instead
 * of labelling it. Frames without rows are kept as they are. Throws a 400 DownstreamError when there
 * is no time column or the rows are not sorted by time: both are the query's to fix.
 */
export function toTimeSeries(table: Frame): Frame {
  const timeIndex = table.fields.findIndex((field) => field.type === "time");
  if (timeIndex < 0)
    throw new DownstreamError(
      "time series format needs a time column: name one `time` (epoch seconds or a date), for example `SELECT ts AS time, …`",
      { status: 400 },
    );
  const fields = table.fields.map((field, index) =>
    index === timeIndex ? renamed(field, "Time", field.labels) : toFloat(field),
  );
  const frame = new Frame({ name: table.name, meta: table.meta, fields });
  if (frame.rowCount === 0 || timeSeriesSchema(frame).type !== "long") return frame;
  let wide: Frame;
  try {
    wide = longToWide(frame);
  } catch (error) {
    throw new DownstreamError(
      `cannot make a time series of the rows: ${(error as Error).message} (add ORDER BY time)`,
      { status: 400 },
    );
  }
  if (table.fields.length !== 3) return wide;
  // Grafana 7's naming, which sqleng keeps: the series of metric "cpu" is called "cpu".
  return new Frame({
    name: wide.name,
    meta: wide.meta,
    fields: wide.fields.map((field) => {
      const keys = Object.keys(field.labels ?? {});
      return keys.length === 1 && keys[0] === "metric"
        ? renamed(field, field.labels!.metric!, undefined)
        : field;
    }),
  });
}
