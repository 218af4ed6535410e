import type { Metadata } from "next";
import { AlertRuleSettings } from "@/components/admin/alert-rule-settings";
import { SecurityAlertTriage } from "@/components/admin/security-alert-triage";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Security alerts" };

export default function SecurityPage() {
  return (
    <div className="space-y-8">
      <PageHeader title="Security alerts">
        What the watch over the audit trail found: many records opened by one person, repeated refused accesses, repeated failed sign-ins,
        emergency access and a broken audit chain. Acknowledge an alert while you look into it; resolve it with what you found.
      </PageHeader>
      <SecurityAlertTriage />
      <AlertRuleSettings />
    </div>
  );
}
