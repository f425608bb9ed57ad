/** One column's encoded inputs in the graph: a float [N, width] value, before standardisation. */
export interface ColumnBlock {
  value: string;
  width: number;
}
