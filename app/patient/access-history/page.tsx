import type { Metadata } from "next";
import { AccessHistoryTable } from "@/components/patient/access-history-table";

export const metadata: Metadata = { title: "Access history" };

export default function AccessHistoryPage() {
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Access history</h1>
        <p className="mt-1 text-slate-600">Every time someone other than you opened or changed your record, or tried to, and under which permission.</p>
      </div>
      <AccessHistoryTable />
    </div>
  );
}
