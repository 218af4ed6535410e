import { DataTable } from "@/components/ui/data-table";
import type { ImportListItem } from "./import-procedures";
import { ImportStatusBadge } from "./import-status";

function filesOf(item: ImportListItem) {
  const [first, ...others] = item.files.map((file) => file.fileName);
  return others.length ? `${first} and ${others.length} more` : (first ?? "—");
}

/** Recent imports, newest first; the open one is marked, any other opens on click. */
export function ImportHistory({ imports, openImportId, onOpen, bulk }: {
  imports: ImportListItem[];
  openImportId: string | null;
  onOpen: (importId: string) => void;
  bulk: boolean;
}) {
  if (!imports.length) return <p className="text-sm text-slate-600">No imports yet. Files you import appear here with their outcome.</p>;
  return (
    <DataTable columns={["Date", "Files", "Status", bulk ? "Entries · new records" : "Entries"]} caption="Past imports, newest first">
      {imports.map((item) => {
        const open = item.id === openImportId;
        const when = item.createdAt.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
        return (
          <tr key={item.id} className={open ? "bg-brand-50" : undefined}>
            <td className="whitespace-nowrap py-2 pr-4">
              <button
                type="button"
                onClick={() => onOpen(item.id)}
                aria-current={open ? "true" : undefined}
                className="font-medium text-brand-700 hover:underline"
              >
                {when}
              </button>
            </td>
            <td className="max-w-xs truncate py-2 pr-4 text-slate-700" title={item.files.map((file) => file.fileName).join("\n")}>
              {filesOf(item)}
            </td>
            <td className="py-2 pr-4">
              <ImportStatusBadge status={item.status} />
            </td>
            <td className="whitespace-nowrap py-2 tabular-nums text-slate-700">
              {(item.status === "COMPLETED" ? item.processedResources : item.totalResources).toLocaleString()}
              {bulk && ` · ${item.patientsCreated.toLocaleString()}`}
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
