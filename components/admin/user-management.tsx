"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState, type FormEvent } from "react";
import { ReviewActions } from "@/components/admin/professional-review-list";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CursorPager } from "@/components/ui/cursor-pager";
import { DataTable } from "@/components/ui/data-table";
import { StatusBadge, type StatusLook } from "@/components/ui/status-badge";
import { CONTROL, SelectField, TextField } from "@/components/ui/text-field";
import type { AppRouter } from "@/server/root";

type UserRow = inferRouterOutputs<AppRouter>["auth"]["admin"]["users"]["users"][number];
type Role = UserRow["role"];
type Filters = { query?: string; role?: Role; status?: "ACTIVE" | "DISABLED"; professionalStatus?: "PENDING" | "VERIFIED" | "REJECTED" };

const PAGE_SIZE = 25;

const ROLE: Record<Role, StatusLook> = {
  PATIENT: { label: "Patient", symbol: "●", className: "bg-slate-100 text-slate-700 ring-slate-300" },
  PROFESSIONAL: { label: "Professional", symbol: "✚", className: "bg-sky-50 text-sky-800 ring-sky-200" },
  ADMIN: { label: "Admin", symbol: "★", className: "bg-violet-50 text-violet-800 ring-violet-200" },
};
const DISABLED: StatusLook = { label: "Disabled", symbol: "⊘", className: "bg-red-50 text-red-800 ring-red-200" };
const ACTIVE: StatusLook = { label: "Active", symbol: "✓", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" };
const VERIFICATION: Record<NonNullable<UserRow["professionalStatus"]>, StatusLook> = {
  PENDING: { label: "Pending verification", symbol: "○", className: "bg-amber-50 text-amber-900 ring-amber-200" },
  VERIFIED: { label: "Licence verified", symbol: "✓", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  REJECTED: { label: "Licence rejected", symbol: "✕", className: "bg-red-50 text-red-800 ring-red-200" },
};

/** A change waiting for the admin to confirm it, with what it does to the user. */
type Pending = { user: UserRow } & ({ action: "disable" | "enable" | "signOut" } | { action: "role"; role: Role });

function confirmation(pending: Pending): { question: string; button: string } {
  const name = pending.user.name;
  switch (pending.action) {
    case "disable":
      return { question: `Disable ${name}'s account? They are signed out at once and cannot sign in until it is re-enabled.`, button: "Disable account" };
    case "enable":
      return { question: `Re-enable ${name}'s account? They can sign in again.`, button: "Re-enable account" };
    case "signOut":
      return { question: `End all of ${name}'s sessions? The account stays active; they sign in again to continue.`, button: "End all sessions" };
    case "role":
      return { question: `Make ${name} ${ROLE[pending.role].label.toLowerCase()}? Their sessions end so the new role applies at once.`, button: "Change role" };
  }
}

function optional<T extends string>(value: FormDataEntryValue | null) {
  return value ? (String(value) as T) : undefined;
}

/** Find accounts, review professionals, change roles, disable or re-enable accounts and end their sessions. */
export function UserManagement({ currentUserId }: { currentUserId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<Filters>({});
  // The cursors of the pages before this one, so "Previous" can go back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [pending, setPending] = useState<Pending | null>(null);
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const users = useQuery(
    trpc.auth.admin.users.queryOptions({ ...filters, cursor: cursors[cursors.length - 1], limit: PAGE_SIZE }, { placeholderData: keepPreviousData }),
  );

  const settle = {
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.auth.admin.pathKey() }),
    onError: (error: unknown) => setNotice({ tone: "error", text: formErrors(error).message ?? "That did not work. Please try again." }),
  };
  const disable = useMutation(trpc.auth.admin.disableUser.mutationOptions(settle));
  const enable = useMutation(trpc.auth.admin.enableUser.mutationOptions(settle));
  const signOut = useMutation(trpc.auth.admin.forceSignOut.mutationOptions(settle));
  const changeRole = useMutation(trpc.auth.admin.changeRole.mutationOptions(settle));
  const busy = disable.isPending || enable.isPending || signOut.isPending || changeRole.isPending;

  function confirm(change: Pending) {
    const userId = change.user.id;
    const name = change.user.name;
    const done = (text: string) => () => {
      setPending(null);
      setNotice({ tone: "success", text });
    };
    if (change.action === "disable") disable.mutate({ userId }, { onSuccess: done(`${name}'s account is disabled and their sessions have ended.`) });
    if (change.action === "enable") enable.mutate({ userId }, { onSuccess: done(`${name}'s account is active again.`) });
    if (change.action === "signOut") signOut.mutate({ userId }, { onSuccess: done(`All of ${name}'s sessions have ended.`) });
    if (change.action === "role") {
      changeRole.mutate({ userId, role: change.role }, { onSuccess: done(`${name} is now ${ROLE[change.role].label.toLowerCase()}.`) });
    }
  }

  function onSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFilters({
      query: optional(String(form.get("query") ?? "").trim()),
      role: optional<Role>(form.get("role")),
      status: optional<"ACTIVE" | "DISABLED">(form.get("status")),
      professionalStatus: optional<"PENDING" | "VERIFIED" | "REJECTED">(form.get("professionalStatus")),
    });
    setCursors([undefined]);
    setPending(null);
  }

  return (
    <Card title="Accounts" description="Newest first. Disabling an account or signing a user out ends their open sessions on their next request.">
      <form role="search" aria-label="Find users" onSubmit={onSearch} className="mb-4 grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-5">
        <TextField label="Name or email" name="query" type="search" maxLength={200} />
        <SelectField label="Role" name="role" options={[["", "Any role"], ["PATIENT", "Patient"], ["PROFESSIONAL", "Professional"], ["ADMIN", "Admin"]]} />
        <SelectField label="Account" name="status" options={[["", "Active or disabled"], ["ACTIVE", "Active"], ["DISABLED", "Disabled"]]} />
        <SelectField
          label="Verification"
          name="professionalStatus"
          options={[["", "Any"], ["PENDING", "Pending"], ["VERIFIED", "Verified"], ["REJECTED", "Rejected"]]}
        />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {notice && (
        <div className="mb-4">
          <Alert tone={notice.tone}>{notice.text}</Alert>
        </div>
      )}
      {users.error ? (
        <Alert tone="error">{users.error.message}</Alert>
      ) : !users.data ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : users.data.users.length === 0 ? (
        <p className="text-sm text-slate-600">No account matches these filters.</p>
      ) : (
        <>
          <DataTable columns={["User", "Role", "Status", "Signed up", "Actions"]} caption="Accounts">
            {users.data.users.flatMap((user) => {
              const self = user.id === currentUserId;
              const asking = pending?.user.id === user.id ? confirmation(pending) : null;
              const rows = [
                <tr key={user.id} className="align-top">
                  <th scope="row" className="py-3 pr-4 font-normal">
                    <p className="font-medium text-slate-900">
                      {user.name} {self && <span className="text-xs font-normal text-slate-500">(you)</span>}
                    </p>
                    <p className="text-slate-600">{user.email}</p>
                    {user.professional && (
                      <p className="text-xs text-slate-500">
                        {user.professional.specialty} · licence {user.professional.licenseNumber}, {user.professional.licenseRegion}
                      </p>
                    )}
                  </th>
                  <td className="py-3 pr-4">
                    {self ? (
                      <StatusBadge look={ROLE[user.role]} />
                    ) : (
                      <select
                        aria-label={`Role of ${user.name}`}
                        className={`${CONTROL} w-36 bg-white py-1 text-sm`}
                        value={pending?.user.id === user.id && pending.action === "role" ? pending.role : user.role}
                        onChange={(event) => {
                          const role = event.target.value as Role;
                          setPending(role === user.role ? null : { user, action: "role", role });
                        }}
                      >
                        {Object.entries(ROLE).map(([role, look]) => (
                          <option key={role} value={role}>
                            {look.label}
                          </option>
                        ))}
                      </select>
                    )}
                  </td>
                  <td className="space-y-1 py-3 pr-4">
                    <StatusBadge look={user.disabledAt ? DISABLED : ACTIVE} />
                    {user.professionalStatus && <StatusBadge look={VERIFICATION[user.professionalStatus]} />}
                    {user.professional?.reviewNote && user.professionalStatus === "REJECTED" && (
                      <p className="max-w-56 text-xs text-slate-600">Note: {user.professional.reviewNote}</p>
                    )}
                  </td>
                  <td className="whitespace-nowrap py-3 pr-4 text-slate-700">{user.createdAt.toLocaleDateString()}</td>
                  <td className="space-y-2 py-3">
                    {user.professionalStatus === "PENDING" && (
                      <ReviewActions
                        userId={user.id}
                        name={user.name}
                        onReviewed={(decision) => setNotice({ tone: "success", text: `${user.name} is ${decision === "VERIFIED" ? "verified" : "rejected"}.` })}
                      />
                    )}
                    {!self && (
                      <div className="flex flex-wrap gap-2">
                        {user.disabledAt ? (
                          <Button variant="secondary" aria-label={`Re-enable ${user.name}`} onClick={() => setPending({ user, action: "enable" })}>
                            Re-enable
                          </Button>
                        ) : (
                          <>
                            <Button variant="secondary" aria-label={`Disable ${user.name}`} onClick={() => setPending({ user, action: "disable" })}>
                              Disable
                            </Button>
                            <Button variant="ghost" aria-label={`End sessions of ${user.name}`} onClick={() => setPending({ user, action: "signOut" })}>
                              End sessions
                            </Button>
                          </>
                        )}
                      </div>
                    )}
                  </td>
                </tr>,
              ];
              if (pending && asking) {
                rows.push(
                  <tr key={`${user.id}-confirm`}>
                    <td colSpan={5} className="pb-3">
                      <div role="group" aria-label={`Confirm change to ${user.name}`} className="flex flex-wrap items-center gap-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
                        <p className="grow">{asking.question}</p>
                        <Button variant={pending.action === "disable" ? "danger" : "primary"} disabled={busy} onClick={() => confirm(pending)}>
                          {asking.button}
                        </Button>
                        <Button variant="secondary" disabled={busy} onClick={() => setPending(null)}>
                          Cancel
                        </Button>
                      </div>
                    </td>
                  </tr>,
                );
              }
              return rows;
            })}
          </DataTable>
          <CursorPager
            label="Pages of accounts"
            page={cursors.length}
            hasNext={!!users.data.nextCursor}
            onPrevious={() => setCursors((c) => c.slice(0, -1))}
            onNext={() => setCursors((c) => [...c, users.data.nextCursor ?? undefined])}
          />
        </>
      )}
    </Card>
  );
}
