import { expect, test } from "@playwright/test";
import { auditFor, DEMO_ADMIN, DEMO_PASSWORD, DEMO_PATIENT, signIn, signUpPatient, sql, uniqueEmail, userIdByEmail } from "./support/app";

// Someone signed in as a patient tries, again and again, to read another patient's record through the API. The
// admin asks for a check, sees the alert about them, acknowledges it and resolves it with a note.
test("an admin sees an alert raised by a burst of refused reads, acknowledges and resolves it", async ({ browser }) => {
  const prying = await browser.newPage();
  const email = uniqueEmail("prying");
  await signUpPatient(prying, `Perry Prying ${email.slice(7, 11)}`, email);
  const pryingId = (await userIdByEmail(email))!;
  const [target] = await sql<{ id: string }>(`SELECT id FROM patient."Patient" WHERE "userId" = $1`, [(await userIdByEmail(DEMO_PATIENT))!]);
  const input = encodeURIComponent(JSON.stringify({ json: { patientId: target.id } }));
  for (let i = 0; i < 6; i++) expect((await prying.request.get(`/api/trpc/patient.profile.get?input=${input}`)).status()).toBe(403);

  const admin = await browser.newPage();
  await signIn(admin, DEMO_ADMIN, DEMO_PASSWORD);
  await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Security" }).click();
  await expect(admin.getByRole("heading", { name: "Security alerts", level: 1 })).toBeVisible();
  await admin.getByRole("button", { name: "Check now" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "The audit trail is being checked" })).toBeVisible();

  const alert = admin.getByRole("list", { name: "Security alerts" }).getByRole("listitem", { name: "Repeated attempts to open records without access" }).filter({ hasText: pryingId });
  await expect(alert).toContainText("was refused 6 record accesses in 15 minutes", { timeout: 30_000 });
  await expect(alert).toContainText("High");
  await alert.getByRole("button", { name: "Acknowledge" }).click();
  await expect(alert).toContainText("Acknowledged");

  await alert.getByRole("button", { name: "Resolve…" }).click();
  await alert.getByLabel("What you found and did").fill("ok");
  await alert.getByRole("button", { name: "Resolve alert" }).click();
  await expect(alert.getByText("Say in a sentence what you found and did.")).toBeVisible();
  await alert.getByLabel("What you found and did").fill("A patient account probing another record; account disabled pending review.");
  await alert.getByRole("button", { name: "Resolve alert" }).click();
  // Resolved alerts leave the open list; they are kept under Resolved with the note.
  await expect(alert).toHaveCount(0);
  await admin.getByLabel("Show").selectOption({ label: "Resolved" });
  await expect(admin.getByRole("listitem", { name: "Repeated attempts to open records without access" }).filter({ hasText: pryingId })).toContainText("account disabled pending review");

  const audit = await auditFor((await userIdByEmail(DEMO_ADMIN))!);
  expect(audit.filter((row) => row.action.startsWith("compliance.alert_")).map((row) => [row.action, row.outcome])).toEqual(
    expect.arrayContaining([
      ["compliance.alert_check", "SUCCESS"],
      ["compliance.alert_acknowledge", "SUCCESS"],
      ["compliance.alert_resolve", "SUCCESS"],
    ]),
  );
});
