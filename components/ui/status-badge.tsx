/** How a status looks: a word and a symbol, never only a colour. */
export type StatusLook = { label: string; symbol: string; className: string };

export function StatusBadge({ look }: { look: StatusLook }) {
  return (
    <span className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${look.className}`}>
      <span aria-hidden="true">{look.symbol}</span>
      {look.label}
    </span>
  );
}
