import { integerField } from "./query-model.js";

/** Rows per chunk of a `rows` frame in QueryChunkedData when the model does not say: 100,000. */
export const defaultChunkRows = 100_000;

/** Most rows per chunk a model may ask for: 10,000,000 (the largest `rows` frame). */
export const maxChunkRows = 10_000_000;

/**
 * The `chunkRows` of a QueryChunkedData query model: {@link defaultChunkRows} when absent, else an
 * integer from 1 to {@link maxChunkRows}. Anything else is that query's 400 `plugin` error naming
 * `chunkRows` (the contract's bad-value table), checked for every queryType so that a bad value is
 * never ignored.
 */
export function chunkRowsOf(model: object, queryType: string): number {
  return integerField(model, "chunkRows", {
    queryType,
    min: 1,
    max: maxChunkRows,
    fallback: defaultChunkRows,
  });
}
