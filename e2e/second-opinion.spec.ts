import { expect, test, type Page } from "@playwright/test";
import { startFakeStripe, type FakeStripe } from "../tests/support/fake-stripe";
import { DEMO_DOCTOR, DEMO_DOCTOR_NAME, DEMO_PASSWORD, DEMO_PATIENT, PASSWORD, signIn, signUpPatient, uniqueEmail } from "./support/app";
import { BILLING_ORIGIN, FAKE_STRIPE_PORT, STRIPE_PRICES, stripeServerEnv } from "./support/stripe-e2e";

// The whole second opinion, free (this server has no Stripe keys): the demo patient asks an internal-medicine
// question sharing their labs and submits it; the demo doctor (verified, Internal medicine), in a browser of their
// own, finds it in the queue without the patient's name, claims it, starts the review, opens the record the claim
// shared, writes the opinion (autosaved), signs and delivers it; the patient reads it with the signature and asks a
// follow-up, the doctor answers, and the patient rates the opinion and closes the case.

/** The demo patient's name, which the de-identified queue must not show. */
const PATIENT_NAME = "Alex Morgan";
const QUESTION =
  `I am ${PATIENT_NAME}. My LDL cholesterol has stayed high for two years although I changed my diet and walk every day. ` +
  "Should I start a statin now, and which tests should be repeated first?";
/** What of the question the queue still shows once the name is taken out. */
const QUESTION_MATTER = "although I changed my diet and walk every day";
const OPINION = {
  summary: "Your LDL cholesterol has been above goal for two years despite lifestyle changes; starting a moderate-intensity statin is reasonable.",
  assessment: "The lipid panels in your record show LDL persistently above 160 mg/dL. Liver and kidney results are normal, so nothing argues against a statin.",
  recommendations: "Discuss atorvastatin 20 mg with your doctor. Repeat the lipid panel and ALT 6 to 8 weeks after starting.",
  references: ["2018 AHA/ACC Guideline on the Management of Blood Cholesterol", "USPSTF 2022: Statin Use for the Primary Prevention of CVD in Adults"],
};
const FOLLOW_UP = "If the statin gives me muscle aches, what should I do?";
const ANSWER = "Stop it and tell your doctor; most people tolerate a lower dose or another statin once the aches settle.";
const LICENCE = "California, US DEMO-123456";

const title = (page: Page) => page.getByRole("heading", { level: 1 });

test("a patient asks for a second opinion; the doctor claims it de-identified, reviews and delivers; follow-up, rating and close", async ({ browser }) => {
  test.setTimeout(120_000);
  const patient = await (await browser.newContext()).newPage();
  await signIn(patient, DEMO_PATIENT, DEMO_PASSWORD);
  await expect(patient).toHaveURL(/\/patient$/);
  await patient.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Second opinions" }).click();
  await expect(patient.getByRole("heading", { name: "Ask a specialist for a second opinion" })).toBeVisible();
  await expect(patient.getByText(/On this server second opinions are free \(where billing is set up they cost \$149\.00, or \$249\.00 when urgent\)/)).toBeVisible();
  await patient.getByRole("link", { name: "Ask for a second opinion" }).click();
  await expect(title(patient)).toHaveText("Ask for a second opinion");

  // A mistake first: the server's field errors reach the fields they are about, and nothing is saved.
  await patient.getByRole("button", { name: "Save draft" }).click();
  await expect(patient.getByText("Describe your question in at least 20 characters")).toBeVisible();
  await expect(patient.getByText("Choose the specialty to ask.")).toBeVisible();
  await expect(patient.getByText("Choose at least one part of your record to share with the specialist.")).toBeVisible();

  await patient.getByLabel("Question", { exact: true }).fill(QUESTION);
  await patient.getByLabel("Specialty").selectOption("Internal medicine");
  const urgency = patient.getByRole("radiogroup", { name: "Urgency" });
  await expect(urgency.getByLabel(/^Urgent · \$249\.00/)).toBeVisible();
  await urgency.getByLabel(/^Routine · \$149\.00/).check();
  await patient.getByLabel("Lab results", { exact: true }).check();
  await patient.getByRole("button", { name: "Save draft" }).click();

  await expect(patient).toHaveURL(/\/patient\/second-opinions\/[0-9a-f-]{36}$/);
  await expect(title(patient)).toContainText("Draft");
  const caseNumber = (await title(patient).textContent())?.match(/HV-\d{4}-[0-9A-Z]{6}/)?.[0] ?? "";
  expect(caseNumber).not.toBe("");
  await expect(patient.getByText("Lab results", { exact: true })).toBeVisible();
  await patient.getByRole("button", { name: "Submit — free on this server" }).click();
  await expect(title(patient)).toContainText("Submitted");
  await expect(patient.getByRole("list", { name: "Case progress" }).getByRole("listitem").filter({ hasText: "Submitted" })).toHaveAttribute("aria-current", "step");
  await expect(patient.getByRole("button", { name: "Cancel case" })).toBeVisible();

  // The doctor, in a browser of their own, sees the case in their specialty's queue with nothing that names the patient.
  const doctor = await (await browser.newContext()).newPage();
  await signIn(doctor, DEMO_DOCTOR, DEMO_PASSWORD);
  await expect(doctor).toHaveURL(/\/professional$/);
  await doctor.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Cases" }).click();
  const queued = doctor.getByRole("list", { name: "Available cases" }).getByRole("listitem").filter({ hasText: QUESTION_MATTER });
  await expect(queued).toBeVisible();
  await expect(queued).toContainText("Internal medicine");
  await expect(queued).toContainText("Lab results");
  await expect(queued).toContainText("None attached");
  const main = doctor.getByRole("main");
  for (const identifying of [PATIENT_NAME, "Alex", "Morgan", caseNumber]) await expect(main).not.toContainText(identifying);

  // Another claim lands first (made here through the API, as a colleague's would be): the click hears the case is taken.
  const caseId = new URL(patient.url()).pathname.split("/").pop();
  expect((await doctor.request.post("/api/trpc/cases.professional.claim", { data: { json: { caseId } } })).ok()).toBe(true);
  await queued.getByRole("button", { name: "Claim case" }).click();
  await expect(doctor.getByRole("alert").filter({ hasText: "Another specialist has already claimed this case." })).toBeVisible();
  await expect(queued).toHaveCount(0);
  // That claim was the doctor's own: they give the case back (after confirming), and it returns to the queue.
  await doctor.getByRole("row").filter({ hasText: caseNumber }).getByRole("link", { name: caseNumber }).click();
  await expect(title(doctor)).toContainText("Claimed");
  const release = doctor.getByRole("dialog", { name: `Release case ${caseNumber}?` });
  await doctor.getByRole("button", { name: "Release case" }).click();
  await expect(release).toBeVisible();
  await doctor.keyboard.press("Escape");
  await expect(release).toBeHidden();
  await doctor.getByRole("button", { name: "Release case" }).click();
  await release.getByRole("button", { name: "Yes, release the case" }).click();
  await expect(doctor).toHaveURL(/\/professional\/cases$/);

  await queued.getByRole("button", { name: "Claim case" }).click();
  await expect(doctor).toHaveURL(/\/professional\/cases\/[0-9a-f-]{36}$/);
  await expect(title(doctor)).toContainText(caseNumber);
  await expect(title(doctor)).toContainText("Claimed");
  await expect(doctor.getByText(/^Start by /)).toBeVisible();
  await expect(doctor.getByRole("complementary", { name: "AI pre-read" })).toBeVisible();
  await doctor.getByRole("button", { name: "Start review" }).click();
  await expect(title(doctor)).toContainText("In review");
  const casePage = doctor.url();

  // The claim's consent grant opens the parts of the record the case shares.
  await doctor.getByRole("link", { name: "Open the patient's record" }).click();
  await expect(doctor.getByRole("heading", { level: 1, name: PATIENT_NAME })).toBeVisible();
  await expect(doctor.getByText(`for “Second opinion, case ${caseNumber}”`)).toBeVisible();
  await doctor.goto(casePage);

  // The opinion is saved as it is typed: a reload brings it back.
  await doctor.getByLabel("Summary", { exact: true }).fill(OPINION.summary);
  await doctor.getByLabel("Assessment", { exact: true }).fill(OPINION.assessment);
  await expect(doctor.getByText(/^Saved at \d/)).toBeVisible();
  await doctor.reload();
  await expect(doctor.getByLabel("Summary", { exact: true })).toHaveValue(OPINION.summary);
  await expect(doctor.getByLabel("Assessment", { exact: true })).toHaveValue(OPINION.assessment);

  // Delivering an incomplete opinion is refused, with what is missing beside each field.
  await doctor.getByRole("button", { name: "Sign and deliver" }).click();
  await doctor.getByRole("dialog").getByRole("button", { name: "Yes, sign and deliver" }).click();
  await expect(doctor.getByText("Complete the opinion before delivering it.")).toBeVisible();
  await expect(doctor.getByText("Write your recommendations.")).toBeVisible();
  await expect(doctor.getByText("Say how confident you are.")).toBeVisible();

  await doctor.getByLabel("Recommendations", { exact: true }).fill(OPINION.recommendations);
  await doctor.getByRole("radiogroup", { name: "Confidence" }).getByLabel("High").check();
  await doctor.getByLabel("References", { exact: true }).fill(OPINION.references.join("\n"));
  await doctor.getByRole("button", { name: "Sign and deliver" }).click();
  const confirm = doctor.getByRole("dialog", { name: `Sign and deliver your opinion on case ${caseNumber}?` });
  await expect(confirm).toContainText("It cannot be changed afterwards");
  await confirm.getByRole("button", { name: "Yes, sign and deliver" }).click();
  await expect(title(doctor)).toContainText("Opinion delivered");
  const signature = new RegExp(`^Signed by ${DEMO_DOCTOR_NAME}, licence ${LICENCE} on `);
  await expect(doctor.getByRole("article", { name: "Second opinion" }).getByText(signature)).toBeVisible();

  // The patient reads the signed opinion and asks their one follow-up question.
  await patient.reload();
  await expect(title(patient)).toContainText("Opinion delivered");
  const opinion = patient.getByRole("article", { name: "Second opinion" });
  await expect(opinion).toContainText(OPINION.summary);
  await expect(opinion).toContainText(OPINION.recommendations);
  await expect(opinion).toContainText("Confidence: High");
  await expect(opinion.getByRole("listitem").filter({ hasText: OPINION.references[1] })).toBeVisible();
  await expect(opinion.getByText(signature)).toBeVisible();
  await expect(patient.getByText(`${DEMO_DOCTOR_NAME}, Internal medicine (took the case`)).toBeVisible();
  await patient.getByLabel("Your follow-up question").fill(FOLLOW_UP);
  await patient.getByRole("button", { name: "Send question" }).click();
  await expect(patient.getByText("Waiting for the specialist's answer.")).toBeVisible();
  await expect(patient.getByLabel("Your follow-up question")).toHaveCount(0);

  // The doctor's case list marks the question waiting; they answer it.
  await doctor.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Cases" }).click();
  const held = doctor.getByRole("row").filter({ hasText: caseNumber });
  await expect(held).toContainText("Follow-up waiting");
  await held.getByRole("link", { name: caseNumber }).click();
  await expect(doctor.getByText(FOLLOW_UP)).toBeVisible();
  await doctor.getByLabel("Your answer").fill(ANSWER);
  await doctor.getByRole("button", { name: "Send answer" }).click();
  await expect(doctor.getByText(ANSWER)).toBeVisible();
  await expect(doctor.getByLabel("Your answer")).toHaveCount(0);

  // The patient sees the answer, rates the opinion and closes the case.
  await patient.reload();
  await expect(patient.getByText(ANSWER)).toBeVisible();
  await patient.getByRole("radiogroup", { name: "How helpful was the opinion?" }).getByLabel("5 · Excellent").check();
  await patient.getByLabel("Comment (optional)").fill("Clear, and quick.");
  await patient.getByRole("button", { name: "Rate and close" }).click();
  await expect(title(patient)).toContainText("Closed");
  await expect(patient.getByText("You rated this opinion 5 of 5: “Clear, and quick.”")).toBeVisible();
  await patient.getByRole("link", { name: "All second opinions" }).click();
  await expect(patient.getByRole("row").filter({ hasText: caseNumber })).toContainText("Closed");

  // Closing ended the doctor's access to the record; the case shows the rating.
  await doctor.reload();
  await expect(title(doctor)).toContainText("Closed");
  await expect(doctor.getByText(/The patient rated your opinion 5 of 5/)).toBeVisible();
  await expect(doctor.getByText("“Clear, and quick.”")).toBeVisible();
  await expect(doctor.getByRole("link", { name: "Open the patient's record" })).toHaveCount(0);
});

test("a professional whose licence is not verified yet is told they cannot take cases", async ({ page }) => {
  await page.goto("/sign-up/professional");
  await page.getByLabel("Full name").fill("Dr. Una Verified");
  await page.getByLabel("Email").fill(uniqueEmail("unverified"));
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Licence number").fill("OR-MD-31337");
  await page.getByLabel("Issued by (state or country)").fill("Oregon, US");
  await page.getByLabel("Specialty").fill("Internal medicine");
  await page.getByRole("button", { name: "Create professional account" }).click();
  await expect(page).toHaveURL(/\/professional$/);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Cases" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Only professionals whose licence has been verified can take second-opinion cases." })).toBeVisible();
  await expect(page.getByRole("button", { name: "Claim case" })).toHaveCount(0);
  await expect(page.getByText("You hold no cases.")).toBeVisible();
});

// With Stripe configured (the billing server; Stripe's end is the fake on loopback), the patient pays by Checkout: back
// on the case, the page waits for the webhook that submits it; cancelled before anyone claims it, the fee is refunded.
test.describe("paid through Stripe", () => {
  test.use({ baseURL: BILLING_ORIGIN });
  let stripe: FakeStripe;

  test.beforeAll(async () => {
    const env = stripeServerEnv();
    stripe = await startFakeStripe({ prices: STRIPE_PRICES, webhookSecret: env.STRIPE_WEBHOOK_SECRET, webhookUrl: `${BILLING_ORIGIN}/api/stripe/webhook`, apiKey: env.STRIPE_SECRET_KEY, port: FAKE_STRIPE_PORT });
  });

  test.afterAll(async () => {
    await stripe?.stop();
  });

  test("a patient pays for a second opinion by Checkout, waits for the confirmation, then cancels and is refunded", async ({ page }) => {
    await signUpPatient(page, "Pia Payer", uniqueEmail("paid-opinion"));
    await page.goto("/patient/second-opinions");
    await expect(page.getByText(/A second opinion costs \$149\.00, or \$249\.00 when it is urgent/)).toBeVisible();
    await page.getByRole("link", { name: "Ask for a second opinion" }).click();
    await page.getByLabel("Question", { exact: true }).fill("My blood pressure readings at home are often above 150. Do I need medicine?");
    await page.getByLabel("Specialty").selectOption("Cardiology");
    await page.getByRole("radiogroup", { name: "Urgency" }).getByLabel(/^Urgent · \$249\.00/).check();
    await page.getByLabel("Vital signs", { exact: true }).check();
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(title(page)).toContainText("Draft");
    await expect(page.getByText("Paid when you submit.")).toBeVisible();

    await page.getByRole("button", { name: "Submit and pay $249.00" }).click();
    await expect(page).toHaveURL(new RegExp(`^http://127\\.0\\.0\\.1:${FAKE_STRIPE_PORT}/checkout/cs_test_`));
    await page.getByRole("button", { name: "Pay" }).click();

    await expect(page).toHaveURL(/\/patient\/second-opinions\/[0-9a-f-]{36}\?checkout=success$/);
    // The webhook lands moments later and its job submits the case; the page looks again until it has.
    await expect(page.getByText("Payment confirmed")).toBeVisible({ timeout: 30_000 });
    await expect(title(page)).toContainText("Submitted");
    await expect(page.getByText("Paid.", { exact: true })).toBeVisible();

    await page.getByRole("button", { name: "Cancel case" }).click();
    const confirm = page.getByRole("dialog", { name: /^Cancel case HV-/ });
    await expect(confirm).toContainText("Your fee of $249.00 will be refunded to your card.");
    await confirm.getByRole("button", { name: "Yes, cancel the case" }).click();
    await expect(title(page)).toContainText("Cancelled");
    await expect(page.getByText(/Your fee of \$249\.00 (is being refunded|was refunded) to your card/)).toBeVisible();
    // The refund job tells Stripe; the case shows it once done.
    await expect(async () => {
      await page.reload();
      await expect(page.getByText("Refunded.", { exact: true })).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
  });
});
