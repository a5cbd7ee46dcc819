/** A dataset as read from a file: named columns, one cell per column per row, with source lines. */
export type Cell = number | string | null;
export interface Table {
  file: string;
  columns: string[];
  rows: Cell[][];
  /** 1-based line number of each row in the file, for error messages. */
  lines: number[];
}
