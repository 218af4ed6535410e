import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import { z } from "zod";
import { ConnectedRecords } from "@/components/ehr/connected-records";
import { PageHeader } from "@/components/ui/page-header";
import { requireAreaUser } from "@/server/auth/page-guard";
import { LAUNCH_REFUSAL_COOKIE, readLaunchRefusal } from "@/server/ehr";
import { createHttpContext } from "@/server/http-context";
import { createCaller } from "@/server/root";

export const metadata: Metadata = { title: "Connected records" };

type SearchParams = { connected?: string | string[]; launch?: string | string[] };

export default async function ConnectedRecordsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  // Anything but a connection id is a link someone edited: shown as nothing.
  const connectedId = z.uuid().safeParse(params.connected).data;
  // The refusal itself comes from the callback's cookie, never from the address.
  const error = params.launch === "refused" ? readLaunchRefusal((await cookies()).get(LAUNCH_REFUSAL_COOKIE)?.value) : undefined;
  await requireAreaUser("/patient");
  const patient = await createCaller(await createHttpContext(await headers())).patient.mine();
  return (
    <div className="space-y-8">
      <PageHeader title="Connected records">
        Your hospitals' patient portals, connected so your records there come into HoloVitals and stay up to date.
      </PageHeader>
      <ConnectedRecords patientId={patient.id} connectedId={connectedId} error={error} />
    </div>
  );
}
