import { AccessRefused, NotShared } from "@/components/record/record-access";
import { Card } from "@/components/ui/card";
import { scopeCovers, type RecordCategory } from "@/server/compliance";
import { sharedRecord } from "./shared-record";

/**
 * What a page for one part of a shared record (labs, documents) shows instead of it: nothing shared at all, or this
 * part not among what was shared; null when it may be read.
 */
export async function sharedPartRefusal(patientId: string, category: RecordCategory, title: string) {
  const shared = await sharedRecord(patientId);
  if (!shared) return <AccessRefused />;
  if (!scopeCovers(shared.scope, category)) {
    return (
      <Card title={title}>
        <NotShared />
      </Card>
    );
  }
  return null;
}
