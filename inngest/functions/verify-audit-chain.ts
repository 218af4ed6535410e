import { raiseSecurityAlert, verifyAuditChain } from "@/server/compliance";
import { inngest } from "../client";

/** Daily: recompute the audit hash chain; a break is a security incident for admins to investigate. */
export const verifyAuditChainDaily = inngest.createFunction(
  { id: "verify-audit-chain", name: "Verify audit chain (daily)", triggers: [{ cron: "TZ=UTC 30 3 * * *" }] },
  async ({ step }) => {
    const verification = await step.run("verify-chain", () => verifyAuditChain());
    if (verification.ok) return { ok: true, checkedRows: verification.checkedRows };
    await step.run("raise-security-alert", () =>
      raiseSecurityAlert({
        kind: "audit_chain_broken",
        dedupeKey: verification.firstBrokenId,
        severity: "CRITICAL",
        title: "Audit trail tampering detected",
        detail: `Audit row ${verification.firstBrokenId} ${verification.problem}. ${verification.checkedRows} rows before it verified.`,
      }),
    );
    return { ok: false, firstBrokenId: verification.firstBrokenId };
  },
);
