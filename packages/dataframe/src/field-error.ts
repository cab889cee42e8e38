/**
 * Thrown when a field cannot be built or a frame is inconsistent: a value of the wrong type or out of
 * range, a null in a non-nullable field, or fields of unequal length. The message names the field;
 * `fieldName`, `fieldIndex` (position in the frame, when known) and `row` locate the problem.
 */
export class FieldError extends Error {
  override readonly name = "FieldError";
  /** Name of the offending field. */
  readonly fieldName: string;
  /** Position of the field in its frame, when the error was raised at frame level. */
  readonly fieldIndex: number | undefined;
  /** Row of the offending value, when one value is at fault. */
  readonly row: number | undefined;

  constructor(fieldName: string, problem: string, location: { fieldIndex?: number; row?: number } = {}) {
    const where = location.row === undefined ? "" : ` at row ${location.row}`;
    const index = location.fieldIndex === undefined ? "" : ` (index ${location.fieldIndex})`;
    super(`field "${fieldName}"${index}${where}: ${problem}`);
    this.fieldName = fieldName;
    this.fieldIndex = location.fieldIndex;
    this.row = location.row;
  }
}
