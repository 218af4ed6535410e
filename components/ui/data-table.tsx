import type { ReactNode } from "react";

/** A plain, accessible table: column headers with scope, an optional caption, the rows as children. */
export function DataTable({ columns, caption, className = "", children }: {
  columns: string[];
  caption?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={`overflow-x-auto ${className}`}>
      <table className="w-full text-left text-sm">
        {caption && <caption className="sr-only">{caption}</caption>}
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            {columns.map((column, index) => (
              <th key={column} scope="col" className={`py-2 ${index < columns.length - 1 ? "pr-4" : ""}`}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}
