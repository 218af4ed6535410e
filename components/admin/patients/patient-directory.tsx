"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { formatDate } from "@/components/patient/record-categories";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CursorPager } from "@/components/ui/cursor-pager";
import { DataTable } from "@/components/ui/data-table";

const PAGE_SIZE = 25;

/** Every patient record: who it is, where it came from, how many entries it holds. Never what is in it. */
export function PatientDirectory() {
  const trpc = useTRPC();
  const id = useId();
  const [search, setSearch] = useState("");
  // The cursors of the pages before this one, so "Previous" can go back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const directory = useQuery(
    trpc.patient.directory.queryOptions({ search: search || undefined, cursor, limit: PAGE_SIZE }, { placeholderData: keepPreviousData }),
  );

  function onSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSearch(String(new FormData(event.currentTarget).get("search") ?? "").trim());
    setCursors([undefined]);
  }

  return (
    <Card title="Patient records" description="Sorted by family name. Records created by a bulk import have no account until the patient claims them.">
      <form role="search" onSubmit={onSearch} className="mb-4 flex flex-wrap items-end gap-3">
        <div className="space-y-1">
          <label htmlFor={id} className="block text-sm font-medium text-slate-800">
            Search by name
          </label>
          <input
            id={id}
            name="search"
            type="search"
            maxLength={100}
            className="block w-64 rounded-md border-0 px-3 py-2 text-slate-900 shadow-sm ring-1 ring-slate-300 focus:ring-2 focus:ring-brand-600"
          />
        </div>
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {directory.error ? (
        <Alert tone="error">{directory.error.message}</Alert>
      ) : !directory.data ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : directory.data.patients.length === 0 ? (
        <p className="text-sm text-slate-600">
          {search ? `No patient's name contains “${search}”.` : "No patient records yet. Patients get one when they sign up; a bulk import creates more."}
        </p>
      ) : (
        <>
          <DataTable columns={["Name", "Date of birth", "Origin", "Entries", "Created"]} caption="Patient records">
            {directory.data.patients.map((patient) => (
              <tr key={patient.id}>
                <th scope="row" className="py-2 pr-4 font-medium text-slate-900">
                  {[patient.givenName, patient.familyName].filter(Boolean).join(" ") || <span className="font-normal italic text-slate-500">No name yet</span>}
                </th>
                <td className="whitespace-nowrap py-2 pr-4 text-slate-700">{patient.birthDate ? formatDate(patient.birthDate) : "—"}</td>
                <td className="py-2 pr-4 text-slate-700" title={patient.sourceSystem ?? undefined}>
                  {patient.sourceSystem ? "Imported" : "Signed up"}
                  {patient.hasAccount ? " · has an account" : " · no account"}
                </td>
                <td className="py-2 pr-4 tabular-nums text-slate-700">{patient.entries.toLocaleString()}</td>
                <td className="whitespace-nowrap py-2 text-slate-700">{formatDate(patient.createdAt)}</td>
              </tr>
            ))}
          </DataTable>
          <CursorPager
            label="Pages of patient records"
            page={cursors.length}
            hasNext={!!directory.data.nextCursor}
            onPrevious={() => setCursors((c) => c.slice(0, -1))}
            onNext={() => setCursors((c) => [...c, directory.data.nextCursor ?? undefined])}
          />
        </>
      )}
    </Card>
  );
}
