/** Left-aligns the first column and right-aligns the others: a plain-text table. */
export function table(rows: (string | number)[][], indent = '  '): string {
  const cells = rows.map((r) => r.map(String));
  const widths: number[] = [];
  for (const row of cells) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return cells
    .map(
      (row) =>
        indent +
        row
          .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
          .join('  ')
          .trimEnd(),
    )
    .join('\n');
}

/** A number with at most `digits` decimals, trailing zeros dropped. */
export function num(x: number, digits = 1): string {
  return String(+x.toFixed(digits));
}
