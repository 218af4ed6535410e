// A worker thread of the validation pool (validation-pool.ts): validates the
// resources it is sent and answers, per resource, null when it is valid as it
// came, or its issues and the resource as repaired.
import type { Resource } from "@medplum/fhirtypes";
import { parentPort } from "node:worker_threads";
import { validateFhirResource } from "./validator";

parentPort!.on("message", (resources: Resource[]) => {
  parentPort!.postMessage(
    resources.map((resource) => {
      const issues = validateFhirResource(resource);
      return issues.length ? { issues, resource } : null;
    }),
  );
});
