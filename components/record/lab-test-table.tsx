import Link from "next/link";
import { formatDate } from "@/components/patient/record-categories";
import { DataTable } from "@/components/ui/data-table";
import { entryName } from "./entry-list";
import { FlagBadge } from "./flag-badge";
import { recordPaths } from "./record-paths";
import type { LabTest } from "./record-types";

/** Every test with results: its latest result and flag, when, and how many results there are; each coded test opens its trend. */
export function LabTestTable({ tests, basePath }: { tests: LabTest[]; basePath: string }) {
  const paths = recordPaths(basePath);
  return (
    <DataTable caption="Lab tests, most recent first" columns={["Test", "Latest result", "Date", "Results"]}>
      {tests.map((test) => (
        <tr key={test.latest.id} className="align-top">
          <th scope="row" className="py-3 pr-4 font-medium">
            {test.code && test.codeSystem ? (
              <Link href={paths.labTest({ code: test.code, codeSystem: test.codeSystem })} className="text-brand-700 hover:underline">
                {entryName(test.latest)}
              </Link>
            ) : (
              <>
                <span className="text-slate-900">{entryName(test.latest)}</span>
                <span className="block text-xs font-normal text-slate-500">No test code, so no trend chart</span>
              </>
            )}
          </th>
          <td className="py-3 pr-4 text-slate-900">
            <span className="flex flex-wrap items-center gap-2">
              {test.latest.result ? test.latest.result.text : "No value"}
              <FlagBadge flag={test.latest.result?.flag ?? null} />
            </span>
          </td>
          <td className="py-3 pr-4 whitespace-nowrap text-slate-700">{test.latest.effectiveAt ? formatDate(test.latest.effectiveAt) : "Date unknown"}</td>
          <td className="py-3 text-slate-700">{test.results}</td>
        </tr>
      ))}
    </DataTable>
  );
}
