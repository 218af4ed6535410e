import { createRouter, patientRecordProcedure, roleProcedure } from "@/server/trpc";
import { profileUpdate } from "./schemas";
import { ensurePatientForUser, patientProfile, updatePatientProfile } from "./service";

export const patientRouter = createRouter({
  /** The signed-in patient's own record id (the record is created on first use). */
  mine: roleProcedure("PATIENT").query(({ ctx }) => ensurePatientForUser(ctx.user.id)),

  profile: createRouter({
    get: patientRecordProcedure({ category: "demographics", action: "patient.profile.read" }).query(({ ctx }) => patientProfile(ctx.patient.id)),

    update: patientRecordProcedure({ category: "demographics", action: "patient.profile.update" })
      .input(profileUpdate)
      .mutation(({ ctx, input }) => {
        const { patientId: _patientId, ...update } = input;
        return updatePatientProfile(ctx.patient.id, update);
      }),
  }),
});
