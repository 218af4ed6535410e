import { AccessRefused, NotShared } from "@/components/record/record-access";
import { Card } from "@/components/ui/card";
import { scopeCovers } from "@/server/compliance";
import { sharedRecord } from "../shared-record";

/** What the document pages show instead: nothing shared at all, or documents not among what was shared; null when they may be read. */
export async function documentsRefusal(patientId: string) {
  const shared = await sharedRecord(patientId);
  if (!shared) return <AccessRefused />;
  if (!scopeCovers(shared.scope, "documents")) {
    return (
      <Card title="Documents">
        <NotShared />
      </Card>
    );
  }
  return null;
}
