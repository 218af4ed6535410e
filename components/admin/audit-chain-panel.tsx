"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

export function AuditChainPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const verify = useMutation(
    trpc.compliance.audit.verifyChain.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.compliance.audit.recent.pathKey() }),
    }),
  );
  const result = verify.data;
  return (
    <Card
      title="Audit trail integrity"
      description="Each audit row is chained to the one before it by a hash. Verification recomputes every hash."
    >
      <div className="space-y-4">
        <Button onClick={() => verify.mutate()} disabled={verify.isPending}>
          {verify.isPending ? "Verifying…" : "Verify audit chain"}
        </Button>
        {verify.error && <Alert tone="error">{verify.error.message}</Alert>}
        {result?.ok === true && (
          <Alert tone="success" title="Chain intact">
            All {result.checkedRows} rows verified at {result.verifiedAt.toLocaleTimeString()}.
          </Alert>
        )}
        {result?.ok === false && (
          <Alert tone="error" title={`Chain broken at row ${result.firstBrokenId}`}>
            Row {result.firstBrokenId} {result.problem}. {result.checkedRows} rows before it verified.
          </Alert>
        )}
      </div>
    </Card>
  );
}
