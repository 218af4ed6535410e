import { expect, test } from "@playwright/test";
import { DEMO_ADMIN, DEMO_PASSWORD, signIn, signUpPatient, sql, uniqueEmail, userIdByEmail } from "./support/app";

/** The welcome-notification run a sign-up started: its trigger event carries the new user's id. */
async function welcomeRunOf(userId: string) {
  const [row] = await sql<{ id: string }>(
    `SELECT r.id FROM jobs."JobRun" r JOIN jobs."JobEvent" e ON e.id = r."eventId"
     WHERE e.name = 'auth/user.registered' AND e.data->>'userId' = $1`,
    [userId],
  );
  return row?.id;
}

test("an admin follows a sign-up's welcome job from the runs table to its step timeline", async ({ browser }) => {
  const patient = await browser.newPage();
  const email = uniqueEmail("jobs");
  await signUpPatient(patient, "Jules Jobson", email);
  const userId = (await userIdByEmail(email))!;
  await expect.poll(() => welcomeRunOf(userId)).toBeTruthy();
  const runId = (await welcomeRunOf(userId))!;

  const admin = await browser.newPage();
  await signIn(admin, DEMO_ADMIN, DEMO_PASSWORD);
  await expect(admin).toHaveURL(/\/admin$/);
  await admin.goto("/admin/jobs");
  await expect(admin.getByRole("heading", { name: "Background jobs", level: 1 })).toBeVisible();

  // Narrow to completed welcome runs; the filter is kept in the address.
  await admin.getByLabel("Function").selectOption({ label: "Send welcome notification" });
  await admin.getByLabel("Status").selectOption("COMPLETED");
  await expect(admin).toHaveURL(/[?&]status=COMPLETED/);
  const row = admin.getByRole("row").filter({ has: admin.locator(`a[href="/admin/jobs/${runId}"]`) });
  await expect(row).toContainText("Send welcome notification");
  await expect(row).toContainText("Completed");
  await expect(row).toContainText("1/6");

  await row.getByRole("link").click();
  await expect(admin).toHaveURL(new RegExp(`/admin/jobs/${runId}$`));
  await expect(admin.getByRole("heading", { level: 1 })).toContainText("Send welcome notification");
  await expect(admin.getByRole("heading", { level: 1 })).toContainText("Completed");
  await expect(admin.getByRole("button", { name: /Retry run/ })).toHaveCount(0);

  const timeline = admin.getByRole("list", { name: "Step timeline" });
  await expect(timeline.getByRole("heading", { level: 3 })).toHaveText(["notify-user"]);

  const [notification] = await sql<{ id: string }>(`SELECT id FROM notifications."Notification" WHERE "userId" = $1`, [userId]);
  const notifyUser = timeline.getByRole("listitem").filter({ hasText: "notify-user" });
  await expect(notifyUser).toContainText("StepRun");
  await expect(notifyUser.getByText(`"notificationId": "${notification.id}"`)).toBeVisible();
  // Step outputs are shown to admins: they hold ids, never the person's details.
  await expect(admin.getByText("Jules Jobson")).toHaveCount(0);

  await expect(admin.getByText(`"userId": "${userId}"`)).toBeVisible();
});
