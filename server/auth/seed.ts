// Demo accounts for local runs and previews. Passwords are published in the
// README; never seed them into a production database.
import { db } from "@/server/db/client";
import type { Role } from "@/server/db/generated/enums";
import { hashPassword } from "./passwords";

const DEMO_PASSWORD = "holovitals-demo";

const DEMO_ACCOUNTS: { email: string; name: string; role: Role }[] = [
  { email: "patient@demo.holovitals.test", name: "Alex Morgan", role: "PATIENT" },
  { email: "doctor@demo.holovitals.test", name: "Dr. Priya Shah", role: "PROFESSIONAL" },
  { email: "admin@demo.holovitals.test", name: "Sam Admin", role: "ADMIN" },
];

export async function seedDemoAccounts() {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const seeded: { id: string; email: string; name: string; role: Role }[] = [];
  for (const account of DEMO_ACCOUNTS) {
    const user = await db.user.upsert({
      where: { email: account.email },
      update: {},
      create: {
        ...account,
        passwordHash,
        professionalProfile:
          account.role === "PROFESSIONAL"
            ? {
                create: {
                  licenseNumber: "DEMO-123456",
                  licenseRegion: "California, US",
                  specialty: "Internal medicine",
                  status: "VERIFIED",
                  reviewedAt: new Date(),
                  reviewNote: "Demo account",
                },
              }
            : undefined,
      },
      select: { id: true, email: true, name: true, role: true },
    });
    seeded.push(user);
  }
  return seeded;
}
