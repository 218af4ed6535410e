import type { ReactNode } from "react";

/**
 * One part of the printed summary: a compact table, or "None recorded". Kept
 * on one page where it fits, with the header repeated when it does not.
 */
export function SummaryTable({ title, columns, rows, note }: {
  title: string;
  columns: string[];
  /** One array of cells per row, in column order; the first cell names the row. */
  rows: ReactNode[][];
  /** Said under the table, e.g. that only the latest entries are shown. */
  note?: string;
}) {
  return (
    <section className="break-inside-avoid-page">
      <h2 className="border-b border-slate-300 pb-1 text-base font-semibold text-slate-900">{title}</h2>
      {rows.length === 0 ? (
        <p className="py-2 text-sm text-slate-600">None recorded</p>
      ) : (
        <table className="mt-1 w-full text-left text-sm print:text-xs">
          <thead className="text-xs text-slate-500">
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col" className="py-1 pr-4 font-medium">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map(([first, ...rest], index) => (
              <tr key={index} className="break-inside-avoid align-top">
                <th scope="row" className="py-1 pr-4 font-medium text-slate-900">
                  {first}
                </th>
                {rest.map((cell, cellIndex) => (
                  <td key={cellIndex} className="py-1 pr-4 text-slate-700">
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {note && rows.length > 0 && <p className="mt-1 text-xs text-slate-500">{note}</p>}
    </section>
  );
}
