import { randomBytes } from "node:crypto";
import { expect, test, type Browser } from "@playwright/test";
import { loadSyntheaPatient, startFhirServer, type FhirServer } from "../tests/support/fhir-server";
import { startSmartAuthServer, type SmartAuthServer } from "../tests/support/smart-auth-server";
import { auditFor, DEMO_ADMIN, DEMO_PASSWORD, signIn, signUpPatient, sql, uniqueEmail, userIdByEmail } from "./support/app";

// A hospital's patient portal on loopback, as in tests/integration/ehr-sync.test.ts: a SMART authorisation server
// and a FHIR server holding one Synthea patient, started in this process and reached by the `next start` server.
/** Small pages, so the first sync takes several and its progress can be watched. */
const PAGE_SIZE = 20;
/** The patient's compartment on the server: every resource of the fixture but its Organization and Practitioner. */
const RESOURCES = 235;
const CLIENT_ID = "holovitals-e2e";

let auth: SmartAuthServer;
let fhir: FhirServer;
/** Resources per type in the patient's compartment on the server, as $everything returns them. */
let onServer: Record<string, number>;

test.beforeAll(async () => {
  auth = await startSmartAuthServer();
  fhir = await startFhirServer({ everything: true, pageSize: PAGE_SIZE, authServer: auth, authorise: (token) => auth.isValidAccessToken(token) });
  const fhirPatientId = await loadSyntheaPatient(fhir);
  auth.setPatient(fhirPatientId);
  onServer = await fhir.countByType(fhirPatientId);
  expect(Object.values(onServer).reduce((sum, count) => sum + count, 0)).toBe(RESOURCES);
});

test.afterAll(async () => {
  await fhir?.stop();
  await auth?.stop();
});

test.beforeEach(() => fhir.reset());

/** The admin adds the test portal with its base URL and our client id, and offers it to patients. */
async function adminAddsProvider(browser: Browser, name: string) {
  const admin = await browser.newPage();
  await signIn(admin, DEMO_ADMIN, DEMO_PASSWORD);
  await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "EHR providers" }).click();
  await expect(admin.getByRole("heading", { name: "EHR providers", level: 1 })).toBeVisible();
  await admin.getByRole("button", { name: "Add a provider" }).click();
  await admin.getByLabel("Name").fill(name);
  await admin.getByLabel("FHIR base URL").fill(fhir.url);
  await admin.getByLabel("Client id").fill(CLIENT_ID);
  await admin.getByLabel("Offer to patients").check();
  await admin.getByRole("button", { name: "Add provider" }).click();
  await expect(admin.getByRole("status").filter({ hasText: `${name} was saved.` })).toBeVisible();
  const row = admin.getByRole("table", { name: "EHR providers" }).getByRole("row").filter({ hasText: name });
  await expect(row).toContainText(fhir.url);
  await expect(row).toContainText("Offered to patients");
  await admin.close();
  const created = (await auditFor((await userIdByEmail(DEMO_ADMIN))!)).filter((audit) => audit.action === "ehr.provider_create");
  expect(created.at(-1)).toMatchObject({ outcome: "SUCCESS", detail: "enabled" });
}

// The whole connection: an admin offers the portal, a patient connects it through the real SMART redirects, watches
// the first sync come in page by page, sees its totals in the history, and finds the records in their overview.
test("a patient connects their hospital portal, watches the first sync, and finds the records in their record", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const hospital = `Test General Hospital ${randomBytes(3).toString("hex")}`;
  await adminAddsProvider(browser, hospital);

  const page = await browser.newPage();
  const email = uniqueEmail("ehr");
  await signUpPatient(page, "Connie Connected", email);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Connected records" }).click();
  await expect(page.getByRole("heading", { name: "No connected portals yet" })).toBeVisible();

  // The sixth page answers late, so the sync is still running when the patient lands back here.
  fhir.delayMatching((url) => url.pathname.endsWith("/$everything") && url.searchParams.get("_offset") === String(5 * PAGE_SIZE), 8_000);

  await page.getByLabel("Your hospital's patient portal").selectOption({ label: hospital });
  const authorize = page.waitForRequest((request) => request.url().startsWith(`${auth.issuer}/authorize?`));
  await page.getByRole("button", { name: "Connect" }).click();
  // The browser itself goes to the portal's sign-in, with PKCE S256 and our registered redirect.
  const params = new URL((await authorize).url()).searchParams;
  expect(Object.fromEntries(params)).toMatchObject({
    response_type: "code",
    client_id: CLIENT_ID,
    redirect_uri: `${baseURL}/api/ehr/callback`,
    aud: fhir.url,
    code_challenge_method: "S256",
    code_challenge: expect.stringMatching(/^[\w-]{43}$/),
    state: expect.any(String),
  });

  // The portal consents and sends the browser back through the callback to the connected records.
  await expect(page).toHaveURL(/\/patient\/connected-records\?connected=[0-9a-f-]{36}$/);
  await expect(page.getByRole("status").filter({ hasText: `${hospital} is connected` })).toBeVisible();
  const card = page.getByRole("listitem", { name: hospital, exact: true });

  // Progress while the slow page is awaited: five pages of twenty are in, of the total the portal announced.
  const progress = card.getByRole("progressbar", { name: `Sync from ${hospital}` });
  await expect(progress).toHaveAttribute("aria-valuetext", `43%: 100 of ${RESOURCES} records · 5 pages fetched`, { timeout: 20_000 });
  await expect(progress).toHaveAttribute("aria-valuenow", "43");
  await expect(card).toContainText(`Bringing in your records from ${hospital}…`);
  await expect(card.getByRole("button", { name: "Syncing…" })).toBeDisabled();

  // Then it completes: the progress goes, and the history has the run with everything created.
  await expect(progress).toBeHidden({ timeout: 60_000 });
  await expect(card.getByRole("button", { name: "Sync now" })).toBeEnabled();
  await card.getByRole("button", { name: "Sync history" }).click();
  const history = card.getByRole("table", { name: "Syncs from this portal, newest first" });
  const run = history.getByRole("row").filter({ hasText: "On connecting" });
  await expect(run).toHaveCount(1);
  await expect(run.getByRole("cell")).toHaveText([/./, "On connecting", /Synced/, String(RESOURCES), "0", "0", "0", /Show/]);
  await run.getByRole("button", { name: /^Show details of the sync/ }).click();
  await expect(card).toContainText(`${Math.ceil(RESOURCES / PAGE_SIZE)} pages fetched, ${RESOURCES} records read`);
  const byType = card.getByRole("table", { name: "Records by type" });
  // Every resource the server holds for the patient is new, type by type.
  await expect(byType.getByRole("rowheader")).toHaveText(Object.keys(onServer).sort((a, b) => a.localeCompare(b)));
  for (const [type, count] of Object.entries(onServer)) {
    const counts = byType.getByRole("row").filter({ has: page.getByRole("rowheader", { name: type, exact: true }) }).getByRole("cell");
    await expect(counts).toHaveText([String(count), "0", "0", "0"]);
  }

  // Every page was asked for with the token the portal issued.
  const everything = fhir.requests.filter((request) => request.url.includes("/$everything"));
  expect(everything).toHaveLength(Math.ceil(RESOURCES / PAGE_SIZE));
  for (const request of everything) expect(request.authorization).toMatch(/^Bearer /);

  // The records are in the patient's overview, marked as from their hospital.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My record" }).click();
  await expect(page).toHaveURL(/\/patient$/);
  await expect(page.getByText("Child attention deficit disorder")).toBeVisible();
  await expect(page.getByText("atomoxetine 100 MG Oral Capsule")).toBeVisible();
  await page.getByRole("link", { name: "View all (4) active problems" }).click();
  const condition = page.getByRole("listitem", { name: "Child attention deficit disorder" });
  await expect(condition).toContainText("From your hospital");
  await expect(page.getByRole("listitem", { name: "Acute bronchitis (disorder)" })).toContainText("From your hospital");

  // The patient is told their records are in; the bell's panel opens within the window, whatever the header's width.
  const userId = (await userIdByEmail(email))!;
  await expect.poll(async () => (await sql(`SELECT 1 FROM notifications."Notification" WHERE "userId" = $1 AND kind = 'ehr-sync'`, [userId])).length).toBe(1);
  await page.reload();
  await page.getByRole("button", { name: /^Notifications, \d+ unread$/ }).click();
  const notifications = page.getByRole("region", { name: "Notifications" });
  await expect(notifications).toBeInViewport({ ratio: 1 });
  await expect(notifications.getByRole("listitem").filter({ hasText: `Your records from ${hospital} are in` })).toContainText(`${RESOURCES} entries were added to your record.`);

  const audit = await auditFor(userId);
  expect(audit.map((row) => `${row.action} ${row.outcome}`)).toEqual(expect.arrayContaining(["ehr.connect SUCCESS", "ehr.connect.complete SUCCESS"]));
  expect(audit.find((row) => row.action === "ehr.connect.complete")).toMatchObject({
    actorUserId: userId,
    detail: "scopes granted: launch/patient openid fhirUser offline_access patient/*.read",
  });
});

// At the portal the patient says no: they are back on their connected records, told plainly that nothing was
// connected, and no connection was made.
test("a patient who declines at the portal is told nothing was connected", async ({ browser }) => {
  test.setTimeout(90_000);
  const hospital = `Decline General Hospital ${randomBytes(3).toString("hex")}`;
  await adminAddsProvider(browser, hospital);

  const page = await browser.newPage();
  const email = uniqueEmail("ehrno");
  await signUpPatient(page, "Dana Declines", email);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Connected records" }).click();
  auth.denyNextAuthorization();
  await page.getByLabel("Your hospital's patient portal").selectOption({ label: hospital });
  const authorize = page.waitForRequest((request) => request.url().startsWith(`${auth.issuer}/authorize?`));
  await page.getByRole("button", { name: "Connect" }).click();
  await authorize;

  const refusal = page.getByRole("alert").filter({ hasText: "Your portal was not connected" });
  await expect(refusal).toContainText(`You chose not to share your records from ${hospital}. Nothing was connected; you can connect again at any time.`);
  await expect(page).toHaveURL((url) => url.pathname === "/patient/connected-records" && !url.searchParams.has("connected"));
  await expect(page.getByRole("heading", { name: "No connected portals yet" })).toBeVisible();
  await expect(page.getByRole("listitem", { name: hospital, exact: true })).toHaveCount(0);
  expect(fhir.requests.filter((request) => request.url.includes("/$everything"))).toHaveLength(0);

  const userId = (await userIdByEmail(email))!;
  const completions = (await auditFor(userId)).filter((row) => row.action === "ehr.connect.complete");
  expect(completions).toEqual([expect.objectContaining({ outcome: "FAILURE", detail: expect.stringContaining("You chose not to share your records") })]);
});

// The patient withdraws HoloVitals' access at the portal: the next sync stops with a message saying so, the portal
// shows "Needs reconnect", and reconnecting through the portal's sign-in brings the connection back, records intact.
test("a patient whose portal withdrew access reconnects, and syncing goes on", async ({ browser }) => {
  test.setTimeout(120_000);
  const hospital = `Withdrawn General Hospital ${randomBytes(3).toString("hex")}`;
  await adminAddsProvider(browser, hospital);

  const page = await browser.newPage();
  await signUpPatient(page, "Rey Reconnects", uniqueEmail("ehrre"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Connected records" }).click();
  await page.getByLabel("Your hospital's patient portal").selectOption({ label: hospital });
  await page.getByRole("button", { name: "Connect" }).click();
  const card = page.getByRole("listitem", { name: hospital, exact: true });
  await expect(card.getByRole("button", { name: "Sync now" })).toBeEnabled({ timeout: 60_000 });

  // At the portal the patient removes the app: every token it issued stops working.
  const lastToken = fhir.requests.findLast((request) => request.authorization)!.authorization!.replace(/^Bearer /, "");
  await fetch(`${auth.issuer}/revoke`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ token: lastToken }) });
  auth.revokeRefreshTokens();

  await card.getByRole("button", { name: "Sync now" }).click();
  const withdrawn = `${hospital} no longer accepts HoloVitals' access to your records. Connect again to keep them up to date.`;
  await expect(card.getByRole("status").filter({ hasText: "Needs reconnect" })).toContainText(withdrawn, { timeout: 30_000 });
  await expect(card).toContainText("Needs reconnect");
  await expect(card.getByRole("button", { name: "Sync now" })).toHaveCount(0);

  const authorize = page.waitForRequest((request) => request.url().startsWith(`${auth.issuer}/authorize?`));
  await card.getByRole("button", { name: "Reconnect" }).click();
  await authorize;
  await expect(page).toHaveURL(/\/patient\/connected-records\?connected=[0-9a-f-]{36}$/);
  await expect(card.getByRole("button", { name: "Sync now" })).toBeEnabled({ timeout: 60_000 });
  await expect(card.getByRole("status").filter({ hasText: "Needs reconnect" })).toHaveCount(0);

  // The history tells the story: the first sync, the one the portal refused, and the one after reconnecting, which
  // found everything already in the record.
  await card.getByRole("button", { name: "Sync history" }).click();
  const history = card.getByRole("table", { name: "Syncs from this portal, newest first" });
  const rows = history.getByRole("row").filter({ hasText: /On connecting|Sync now/ });
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0).getByRole("cell")).toHaveText([/./, "On connecting", /Synced/, "0", "0", String(RESOURCES), "0", /Show/]);
  await expect(rows.nth(1)).toContainText("Sync now");
  await expect(rows.nth(1)).toContainText("Failed");
  await expect(rows.nth(2).getByRole("cell")).toHaveText([/./, "On connecting", /Synced/, String(RESOURCES), "0", "0", "0", /Show/]);
});
