"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ConnectPortalForm } from "./connect-portal-form";
import { ConnectionCard } from "./connection-card";
import { SyncConflicts } from "./sync-conflicts";
import { isSyncing } from "./sync-status";

const POLL_MS = 2_000;

/**
 * The patient's hospital portals: connect one, watch its syncs, and manage
 * each connection. `connectedId` and `error` are what the portal's callback
 * came back with.
 */
export function ConnectedRecords({ patientId, connectedId, error }: { patientId: string; connectedId?: string; error?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const connections = useQuery({
    ...trpc.ehr.connections.queryOptions({ patientId }),
    refetchInterval: (query) => (query.state.data?.some((connection) => isSyncing(connection.latestRun)) ? POLL_MS : false),
  });
  const syncing = connections.data?.some((connection) => isSyncing(connection.latestRun)) ?? false;

  // A sync that just ended may have added history rows and conflicts: read them again once.
  const wasSyncing = useRef(false);
  useEffect(() => {
    if (syncing) wasSyncing.current = true;
    else if (wasSyncing.current) {
      wasSyncing.current = false;
      void queryClient.invalidateQueries({ queryKey: trpc.ehr.pathKey() });
    }
  }, [syncing, queryClient, trpc]);

  const connected = connectedId ? connections.data?.find((connection) => connection.id === connectedId) : undefined;
  return (
    <div className="space-y-6">
      {error && (
        <Alert tone="error" title="Your portal was not connected">
          {error}
        </Alert>
      )}
      {connected && (
        <Alert tone="success" title={`${connected.provider.name} is connected`}>
          {isSyncing(connected.latestRun)
            ? "Your records are being brought in: you can follow it below, and leave this page at any time."
            : connected.latestRun?.status === "COMPLETED"
              ? "Your records from it are in your record now, and stay up to date on the schedule below."
              : "Bringing in your records did not finish: the reason is below, and Sync now tries again."}
        </Alert>
      )}
      <Card title="Connect a patient portal" description="Bring in what your hospital holds about you, and keep it up to date automatically.">
        <ConnectPortalForm patientId={patientId} />
      </Card>
      <SyncConflicts patientId={patientId} />
      {connections.error ? (
        <Alert tone="error">{connections.error.message}</Alert>
      ) : !connections.data ? (
        <p className="text-sm text-slate-500">Loading your connected portals…</p>
      ) : connections.data.length === 0 ? (
        <EmptyState
          title="No connected portals yet"
          steps={[
            { title: "Choose your portal", description: "Pick your hospital's patient portal above and select Connect." },
            { title: "Sign in there", description: "Sign in at the portal as you usually do, and agree to share your records with HoloVitals." },
            { title: "Records come in", description: "Your records arrive in a few minutes, and stay up to date on the schedule you choose." },
          ]}
        >
          Connect your hospital's patient portal to bring your records into HoloVitals and keep them up to date.
        </EmptyState>
      ) : (
        <Card title="Your connected portals">
          <ul className="divide-y divide-slate-200">
            {connections.data.map((connection) => (
              <ConnectionCard key={connection.id} patientId={patientId} connection={connection} />
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
