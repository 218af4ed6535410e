import { AccessRefused, NotShared } from "@/components/record/record-access";
import { Card } from "@/components/ui/card";
import { scopeCovers } from "@/server/compliance";
import { sharedRecord } from "../shared-record";

/** What the lab pages show instead of results: nothing shared at all, or labs not among what was shared; null when labs may be read. */
export async function labsRefusal(patientId: string) {
  const shared = await sharedRecord(patientId);
  if (!shared) return <AccessRefused />;
  if (!scopeCovers(shared.scope, "labs")) {
    return (
      <Card title="Lab results">
        <NotShared />
      </Card>
    );
  }
  return null;
}
