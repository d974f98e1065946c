/**
 * A column of an exported table, shared by the Excel and CSV writers so a report declares its
 * columns once. `kind` picks the cell type and number format.
 */
export type ColumnKind = 'text' | 'integer' | 'decimal' | 'date' | 'datetime';

export type CellValue = string | number | null | undefined;

export interface Column<Row> {
  header: string;
  /**
   * Dates as 'YYYY-MM-DD'; date-times as local wall-clock 'YYYY-MM-DD HH:mm[:ss]' (Excel stores
   * them as dates), other date-time text as it is; numbers as numbers.
   */
  value: (row: Row) => CellValue;
  kind?: ColumnKind;
  /** Excel number format when the kind's default does not fit (money '#,##0.00', percent '0.0'). */
  numFmt?: string;
  /** Width in characters (Excel only). */
  width?: number;
}

export const NUMBER_FORMATS: Record<ColumnKind, string | undefined> = {
  text: undefined,
  integer: '#,##0',
  decimal: '#,##0.000',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm',
};
