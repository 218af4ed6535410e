import { notifyUser } from "@/server/notifications";
import { failRecordImport, finishRecordImport, recordImportedCodes, validateRecordImport, writeImportUnit } from "@/server/patient";
import { inngest, recordImportRequested } from "../client";

export const importPatientRecord = inngest.createFunction(
  {
    id: "import-patient-record",
    name: "Import FHIR files into patient records",
    triggers: [recordImportRequested],
    retries: 3,
    // Imports are heavy; two at a time keeps the database responsive for everyone else.
    concurrency: { limit: 2 },
    onFailure: async ({ event, error, step }) => {
      await step.run("record-failure", () => failRecordImport(event.data.event.data.importId, error.message));
    },
  },
  async ({ event, step }) => {
    const { importId } = event.data;
    const validation = await step.run("validate", () => validateRecordImport(importId));
    if (validation.accepted) {
      // One step per unit: a crash resumes at the first unit not yet written, and progress moves unit by unit.
      for (let unit = 0; unit < validation.units; unit++) {
        await step.run(`write-unit-${unit}`, () => writeImportUnit(importId, unit));
      }
      await step.run("record-codes", () => recordImportedCodes(importId));
    }
    const outcome = await step.run("finish", () => finishRecordImport(importId, validation.accepted));
    await step.run("notify-requester", () =>
      notifyUser({
        userId: outcome.requestedByUserId,
        kind: "record-import",
        sourceId: importId,
        title: validation.accepted ? "Your import is complete" : "Your import was not stored",
        body: validation.accepted
          ? `${outcome.processedResources} entries were imported${outcome.patientsCreated ? ` into ${outcome.patientsCreated} new patient records` : ""}.`
          : `${validation.errors} entries are not valid FHIR R4, so nothing was stored. Open the import to see each problem.`,
        link: outcome.patientId ? `/patient/import?import=${importId}` : `/admin/patients?import=${importId}`,
      }),
    );
    return { ...validation, processedResources: outcome.processedResources, patientsCreated: outcome.patientsCreated };
  },
);
