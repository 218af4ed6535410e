"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatDateTime } from "@/components/date-time";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/text-field";
import type { PortalConnection } from "./ehr-types";
import { SyncHistory } from "./sync-history";
import { SyncProgress } from "./sync-progress";
import { ConnectionStatusBadge, isSyncing, SYNC_FREQUENCIES } from "./sync-status";
import { usePortalLaunch } from "./use-portal-launch";

/** One connected portal: its state, the sync in progress, and what the patient can do with it. */
export function ConnectionCard({ patientId, connection }: { patientId: string; connection: PortalConnection }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.ehr.pathKey() });
  const portal = connection.provider.name;
  const target = { patientId, connectionId: connection.id };
  const [historyOpen, setHistoryOpen] = useState(false);
  const [confirmingDisconnect, setConfirmingDisconnect] = useState(false);

  const launch = usePortalLaunch();
  const syncNow = useMutation(trpc.ehr.syncNow.mutationOptions({ onSuccess: refresh }));
  const frequency = useMutation(trpc.ehr.setFrequency.mutationOptions({ onSuccess: refresh }));
  const disconnect = useMutation(
    trpc.ehr.disconnect.mutationOptions({
      onSuccess: () => {
        setConfirmingDisconnect(false);
        return refresh();
      },
    }),
  );
  const problem = [launch, syncNow, frequency, disconnect].map((mutation) => formErrors(mutation.error).message).find(Boolean);
  const run = connection.latestRun;
  const syncing = isSyncing(run);
  const historyId = `sync-history-${connection.id}`;

  const reconnect = connection.provider.connectable && (
    <Button variant={connection.status === "NEEDS_RECONNECT" ? "primary" : "secondary"} disabled={launch.isPending || launch.isSuccess} onClick={() => launch.mutate({ patientId, providerId: connection.provider.id })}>
      {launch.isPending || launch.isSuccess ? "Opening your portal…" : connection.status === "NEEDS_RECONNECT" ? "Reconnect" : "Connect again"}
    </Button>
  );

  return (
    <li className="space-y-4 py-5" aria-label={portal}>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-1">
          <h3 className="flex flex-wrap items-center gap-2 text-base font-semibold text-slate-900">
            {portal}
            <ConnectionStatusBadge status={connection.status} />
          </h3>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm text-slate-600">
            <dt className="text-slate-500">Connected</dt>
            <dd>{formatDateTime(connection.connectedAt)}</dd>
            <dt className="text-slate-500">Last synced</dt>
            <dd>{connection.lastSyncedAt ? formatDateTime(connection.lastSyncedAt) : "Not yet"}</dd>
            {connection.status === "ACTIVE" && connection.nextSyncAt && (
              <>
                <dt className="text-slate-500">Next sync</dt>
                <dd>{formatDateTime(connection.nextSyncAt)}</dd>
              </>
            )}
            {connection.status === "DISCONNECTED" && connection.disconnectedAt && (
              <>
                <dt className="text-slate-500">Disconnected</dt>
                <dd>{formatDateTime(connection.disconnectedAt)}</dd>
              </>
            )}
          </dl>
        </div>
        {connection.status === "ACTIVE" && !confirmingDisconnect && (
          <div className="flex flex-wrap gap-2">
            <Button disabled={syncing || syncNow.isPending} onClick={() => syncNow.mutate(target)}>
              {syncing ? "Syncing…" : "Sync now"}
            </Button>
            <Button variant="secondary" onClick={() => setConfirmingDisconnect(true)}>
              Disconnect
            </Button>
          </div>
        )}
        {connection.status !== "ACTIVE" && reconnect}
      </div>

      {problem && <Alert tone="error">{problem}</Alert>}
      {disconnect.data?.note && <Alert tone="info" title={`${portal} is disconnected`}>{disconnect.data.note}</Alert>}

      {connection.status === "NEEDS_RECONNECT" && (
        <Alert tone="warning" title="Needs reconnect">
          {connection.statusReason ?? `${portal} no longer accepts HoloVitals' access to your records.`}
          {!connection.provider.connectable && " This portal cannot be connected right now; please try again later."}
        </Alert>
      )}
      {connection.status === "DISCONNECTED" && (
        <p className="text-sm text-slate-600">HoloVitals no longer syncs from {portal}. The records it brought in stay in your record, marked as from your hospital.</p>
      )}

      {confirmingDisconnect && (
        <div role="group" aria-label={`Confirm disconnecting ${portal}`} className="flex flex-wrap items-center gap-3 rounded-md bg-red-50 p-3 text-sm ring-1 ring-red-200">
          <p className="text-red-900">
            HoloVitals will stop syncing from {portal} and ask it to withdraw HoloVitals' access. The records already brought in stay in your record.
          </p>
          <div className="ml-auto flex gap-2">
            <Button variant="danger" disabled={disconnect.isPending} onClick={() => disconnect.mutate(target)} autoFocus>
              {disconnect.isPending ? "Disconnecting…" : "Yes, disconnect"}
            </Button>
            <Button variant="ghost" disabled={disconnect.isPending} onClick={() => setConfirmingDisconnect(false)}>
              Cancel
            </Button>
          </div>
        </div>
      )}

      {run && syncing && <SyncProgress run={run} portal={portal} />}
      {run?.status === "FAILED" && run.failureReason && !syncing && (
        <Alert tone="error" title="The last sync did not finish">
          {run.failureReason}
        </Alert>
      )}
      {connection.unreviewedConflicts > 0 && (
        <p className="text-sm text-amber-900">
          {connection.unreviewedConflicts === 1 ? "1 entry you added a note to was" : `${connection.unreviewedConflicts} entries you added notes to were`} changed by {portal}: see
          “Changed at your portal” below.
        </p>
      )}

      <div className="flex flex-wrap items-end gap-4">
        {connection.status === "ACTIVE" && (
          <div className="w-56">
            <SelectField
              label="Sync automatically"
              // The choice shows at once; the list catches up when the change is saved.
              value={String(frequency.isPending ? frequency.variables.minutes : connection.syncFrequencyMinutes)}
              disabled={frequency.isPending}
              onChange={(event) => {
                const chosen = SYNC_FREQUENCIES.find(([minutes]) => String(minutes) === event.target.value);
                if (chosen) frequency.mutate({ ...target, minutes: chosen[0] });
              }}
              options={SYNC_FREQUENCIES.map(([minutes, label]) => [String(minutes), label] as const)}
            />
          </div>
        )}
        <Button variant="ghost" aria-expanded={historyOpen} aria-controls={historyId} onClick={() => setHistoryOpen(!historyOpen)}>
          {historyOpen ? "Hide sync history" : "Sync history"}
        </Button>
      </div>
      {historyOpen && (
        <div id={historyId}>
          <SyncHistory patientId={patientId} connectionId={connection.id} />
        </div>
      )}
    </li>
  );
}
