import { z } from "zod";
import { RECORD_CATEGORIES } from "@/server/compliance";
import { AppError, AppErrorCode } from "@/server/errors";
import { audited, createRouter, patientRecordProcedure, roleProcedure } from "@/server/trpc";
import { patientDirectory } from "./patient-directory";
import { addManualEntry, removeManualEntry, setEntryNote, updateManualEntry } from "./record-entries";
import { exportRecordBundle } from "./record-export";
import { recordImportsOf, recordImportSummary, retryRecordImport, startRecordImport } from "./record-import";
import { categoryOfEntry, labTests, labTrend, recordEntries, recordEntry, recordOverview, recordTimeline } from "./record-queries";
import { entryNote, importFiles, manualEntry, profileUpdate } from "./schemas";
import { ensurePatientForUser, labReferenceFactsOf, patientProfile, updatePatientProfile } from "./service";

const category = z.enum(RECORD_CATEGORIES, { error: "Choose a part of the record." });
const page = { cursor: z.uuid().optional(), limit: z.number().int().min(1).max(200).default(50) };
const entryId = z.uuid({ error: "Choose an entry." });
const importId = z.uuid({ error: "Choose an import." });

const NO_SUCH_IMPORT = new AppError(AppErrorCode.NOT_FOUND, { user: "This import does not exist." });

export const patientRouter = createRouter({
  /** The signed-in patient's own record id (the record is created on first use). */
  mine: roleProcedure("PATIENT").query(({ ctx }) => ensurePatientForUser(ctx.user.id)),

  profile: createRouter({
    get: patientRecordProcedure({ action: "patient.profile.read", access: { kind: "read", category: "demographics" } }).query(({ ctx }) => patientProfile(ctx.patient.id)),

    /** Only what a lab reference range depends on today (sex, age): a lab entry form needs no more of the profile. */
    labReferenceFacts: patientRecordProcedure({ action: "patient.profile.lab_reference_facts", access: { kind: "read", category: "demographics" } }).query(({ ctx }) =>
      labReferenceFactsOf(ctx.patient.id, new Date()),
    ),

    update: patientRecordProcedure({ action: "patient.profile.update", access: { kind: "write" }, input: profileUpdate.shape }).mutation(({ ctx, input }) => {
      const { patientId: _patientId, ...update } = input;
      return updatePatientProfile(ctx.patient.id, update);
    }),
  }),

  record: createRouter({
    /**
     * What the caller may see of this record, checked and audited like any read:
     * a professional's page opens with it, so even a refused visit is in the
     * patient's access history.
     */
    access: patientRecordProcedure({ action: "patient.record.open", access: { kind: "read", category: "any" } }).query(({ ctx }) => ({
      basis: ctx.access.kind,
      scope: ctx.scope,
    })),

    overview: patientRecordProcedure({ action: "patient.record.overview", access: { kind: "read", category: "any" } }).query(({ ctx }) =>
      recordOverview(ctx.patient.id, ctx.scope),
    ),

    entries: patientRecordProcedure({
      action: "patient.record.entries",
      input: { category, search: z.string().trim().max(100).optional(), ...page },
      access: async (input) => ({ kind: "read", category: input.category }),
    }).query(({ ctx, input }) => {
      ctx.audit.detail = `category ${input.category}`;
      return recordEntries(ctx.patient.id, input);
    }),

    entry: patientRecordProcedure({
      action: "patient.record.entry",
      input: { entryId },
      // The entry's own category decides, so a grant for labs never opens a medication.
      access: async (input) => ({ kind: "read", category: (await categoryOfEntry(input.patientId, input.entryId)) ?? "any" }),
    }).query(async ({ ctx, input }) => {
      ctx.audit.resourceType = "ClinicalResource";
      ctx.audit.resourceId = input.entryId;
      const entry = await recordEntry(ctx.patient.id, input.entryId);
      if (!entry) throw new AppError(AppErrorCode.NOT_FOUND, { user: "This entry does not exist or was removed." });
      return entry;
    }),

    labTests: patientRecordProcedure({ action: "patient.record.lab_tests", access: { kind: "read", category: "labs" } }).query(({ ctx }) => labTests(ctx.patient.id)),

    labTrend: patientRecordProcedure({
      action: "patient.record.lab_trend",
      input: { codeSystem: z.string().min(1).max(200), code: z.string().min(1).max(100) },
      access: { kind: "read", category: "labs" },
    }).query(({ ctx, input }) => {
      ctx.audit.detail = `test ${input.code}`;
      return labTrend(ctx.patient.id, input);
    }),

    timeline: patientRecordProcedure({
      action: "patient.record.timeline",
      input: { categories: z.array(category).max(RECORD_CATEGORIES.length).optional(), from: z.coerce.date().optional(), to: z.coerce.date().optional(), ...page },
      access: { kind: "read", category: "any" },
    }).query(({ ctx, input }) => recordTimeline(ctx.patient.id, ctx.scope, input)),

    export: patientRecordProcedure({ action: "patient.record.export", access: { kind: "read", category: "any" } }).query(({ ctx }) =>
      exportRecordBundle(ctx.patient.id, ctx.scope),
    ),
  }),

  entries: createRouter({
    add: patientRecordProcedure({ action: "patient.entry.add", input: { entry: manualEntry }, access: { kind: "write" } }).mutation(async ({ ctx, input }) => {
      const added = await addManualEntry(ctx.patient.id, input.entry, ctx.user.id);
      ctx.audit.resourceType = added.resourceType;
      ctx.audit.resourceId = added.id;
      return added;
    }),

    update: patientRecordProcedure({ action: "patient.entry.update", input: { entryId, entry: manualEntry }, access: { kind: "write" } }).mutation(({ ctx, input }) => {
      ctx.audit.resourceType = "ClinicalResource";
      ctx.audit.resourceId = input.entryId;
      return updateManualEntry(ctx.patient.id, input.entryId, input.entry, ctx.user.id);
    }),

    // The patient's own words on any entry (a hospital's too), kept when the source sends a new version.
    note: patientRecordProcedure({ action: "patient.entry.note", input: { entryId, note: entryNote }, access: { kind: "own" } }).mutation(({ ctx, input }) => {
      ctx.audit.resourceType = "ClinicalResource";
      ctx.audit.resourceId = input.entryId;
      return setEntryNote(ctx.patient.id, input.entryId, input.note || null);
    }),

    remove: patientRecordProcedure({ action: "patient.entry.remove", input: { entryId }, access: { kind: "write" } }).mutation(({ ctx, input }) => {
      ctx.audit.resourceType = "ClinicalResource";
      ctx.audit.resourceId = input.entryId;
      return removeManualEntry(ctx.patient.id, input.entryId);
    }),
  }),

  /** A patient's own FHIR files, imported into their record. */
  imports: createRouter({
    start: patientRecordProcedure({ action: "patient.import.start", input: importFiles.shape, access: { kind: "write" } }).mutation(async ({ ctx, input }) => {
      const started = await startRecordImport({ target: { patientId: ctx.patient.id }, requestedByUserId: ctx.user.id, format: input.format, files: input.files });
      ctx.audit.resourceType = "RecordImport";
      ctx.audit.resourceId = started.id;
      return started;
    }),

    get: patientRecordProcedure({ action: "patient.import.read", input: { importId }, access: { kind: "write" } }).query(async ({ ctx, input }) => {
      const summary = await recordImportSummary(input.importId);
      if (!summary || summary.patientId !== ctx.patient.id) throw NO_SUCH_IMPORT;
      return summary;
    }),

    list: patientRecordProcedure({ action: "patient.import.list", access: { kind: "write" } }).query(({ ctx }) => recordImportsOf({ patientId: ctx.patient.id })),

    retry: patientRecordProcedure({ action: "patient.import.retry", input: { importId }, access: { kind: "write" } }).mutation(async ({ ctx, input }) => {
      const summary = await recordImportSummary(input.importId);
      if (!summary || summary.patientId !== ctx.patient.id) throw NO_SUCH_IMPORT;
      await retryRecordImport(input.importId);
      return { importId: input.importId };
    }),
  }),

  /** Admins: the list of records, and bulk imports that create records. No clinical data here. */
  directory: roleProcedure("ADMIN")
    .use(audited({ action: "patient.directory.list", resourceType: "Patient" }))
    .input(z.object({ search: z.string().max(100).optional(), ...page }))
    .query(({ input }) => patientDirectory(input)),

  bulkImports: createRouter({
    start: roleProcedure("ADMIN")
      .use(audited({ action: "patient.bulk_import.start", resourceType: "RecordImport" }))
      .input(importFiles)
      .mutation(async ({ ctx, input }) => {
        const started = await startRecordImport({ target: { newRecords: true }, requestedByUserId: ctx.user.id, format: input.format, files: input.files });
        ctx.audit.resourceId = started.id;
        return started;
      }),

    get: roleProcedure("ADMIN")
      .use(audited({ action: "patient.bulk_import.read", resourceType: "RecordImport" }))
      .input(z.object({ importId }))
      .query(async ({ ctx, input }) => {
        ctx.audit.resourceId = input.importId;
        const summary = await recordImportSummary(input.importId);
        if (!summary || summary.patientId !== null) throw NO_SUCH_IMPORT;
        return summary;
      }),

    list: roleProcedure("ADMIN")
      .use(audited({ action: "patient.bulk_import.list", resourceType: "RecordImport" }))
      .query(() => recordImportsOf({ newRecords: true })),

    retry: roleProcedure("ADMIN")
      .use(audited({ action: "patient.bulk_import.retry", resourceType: "RecordImport" }))
      .input(z.object({ importId }))
      .mutation(async ({ ctx, input }) => {
        ctx.audit.resourceId = input.importId;
        const summary = await recordImportSummary(input.importId);
        if (!summary || summary.patientId !== null) throw NO_SUCH_IMPORT;
        await retryRecordImport(input.importId);
        return { importId: input.importId };
      }),
  }),
});
