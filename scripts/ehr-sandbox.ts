// `npm run ehr:sandbox`: a hospital portal on this machine, to try Connected
// records without a vendor account. A FHIR R4 server holding one synthetic
// (Synthea) patient, behind a SMART authorisation server that signs that
// patient in as soon as the app sends them there. Development only: these are
// the servers the tests use (tests/support), so they need the dev dependencies.
import { loadSyntheaPatient, startFhirServer } from "@/tests/support/fhir-server";
import { startSmartAuthServer } from "@/tests/support/smart-auth-server";

/** Fixed, so the provider an admin enters once keeps working after a restart. */
const FHIR_PORT = Number(process.env.EHR_SANDBOX_PORT ?? 54411);
const AUTH_PORT = FHIR_PORT + 1;

async function main() {
  const auth = await startSmartAuthServer({ port: AUTH_PORT });
  const fhir = await startFhirServer({ everything: true, pageSize: 50, authServer: auth, authorise: (token) => auth.isValidAccessToken(token), port: FHIR_PORT });
  auth.setPatient(await loadSyntheaPatient(fhir));
  console.log(`EHR sandbox: a portal with one synthetic patient (Johnnie Hermiston, 235 resources).

  FHIR base URL  ${fhir.url}
  client id      holovitals-sandbox (any id works: the sandbox registers none)

As the demo admin, open /admin/ehr-providers, add a provider with these two, and offer it to patients.
Then, as a patient, open Connected records and connect it: the sandbox signs you in at once.
Its tokens do not survive a restart of the sandbox: connections made before ask to reconnect. Ctrl-C stops it.`);
  const stop = async () => {
    await Promise.all([fhir.stop(), auth.stop()]);
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error) => {
  console.error(`EHR sandbox could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
