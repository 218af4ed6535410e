import type { Metadata } from "next";
import { ErrorLog } from "@/components/admin/error-log";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Server errors" };

export default function ErrorsPage() {
  return (
    <div className="space-y-8">
      <PageHeader title="Server errors">
        Requests that failed on the server&apos;s side, with their request id, route and user. Messages are stored with emails, ids, numbers and quoted
        text removed. Resolve a group once it is fixed.
      </PageHeader>
      <ErrorLog />
    </div>
  );
}
