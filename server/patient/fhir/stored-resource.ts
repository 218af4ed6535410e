// A resource our own code builds (an entry form, a reviewed lab report), made
// ready to store: checked by the same validator as imports, with its search
// columns. An invalid one is refused with the validator's reason.
import type { Resource } from "@medplum/fhirtypes";
import { AppError, AppErrorCode } from "@/server/errors";
import type { StoredResource } from "./record-files";
import { searchColumnsOf } from "./search-columns";
import { validateFhirResource } from "./validator";

export function storedResourceOf(built: Resource, sourceSystem: string): StoredResource {
  // Builders leave undefined fields, which FHIR JSON must not carry.
  const resource = JSON.parse(JSON.stringify(built)) as Resource;
  const errors = validateFhirResource(resource).filter((issue) => issue.severity === "error");
  if (errors.length) {
    throw new AppError(AppErrorCode.INVALID_INPUT, { internal: errors.map((e) => `${e.path}: ${e.message}`).join("; "), user: `This entry is not valid: ${errors[0].message}.` });
  }
  return { resourceType: resource.resourceType, sourceSystem, sourceId: resource.id!, resource, ...searchColumnsOf(resource) };
}
