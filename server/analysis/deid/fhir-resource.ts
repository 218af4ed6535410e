// De-identification of a FHIR resource before it leaves: the structured identifiers go (names, telecom, addresses
// below state, identifiers, photos, references' display names), dates keep their year (or move by the patient's
// offset), ages over 89 become 90, resource ids become pseudonyms (consistent across the resources of one export,
// never derived from the ids themselves), and every free-text field goes through deidentifyText. Codes, values,
// units, reference ranges and doses are left as they are: they are what the analysis is for.
import { randomUUID } from "node:crypto";
import type { Resource } from "@medplum/fhirtypes";
import { dateOptionsFor, deidentifyText, type DeidentifyTextOptions } from "./deidentify-text";
import type { KnownIdentifiers } from "./known-identifiers";

export type ResourceDeidContext = {
  /** The patient's identifiers from the record (see knownIdentifiersFromRecord), for the free text. */
  knownIdentifiers?: KnownIdentifiers;
  /** The patient's date offset in days (see dateShiftForPatient); without it dates are generalised to the year. */
  dateShiftDays?: number;
  /** The day ages are reckoned at. Default: now. */
  now?: Date;
  /** Original id → pseudonym; pass the same map for every resource of one export so references still resolve. */
  pseudonyms?: Map<string, string>;
};

const DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
const masked = () => ({ extension: [{ url: DATA_ABSENT_REASON, valueCode: "masked" }] });

/** FHIR date, dateTime and instant with at least a month: a bare year is already what Safe Harbor allows. */
const FHIR_DATE = /^(\d{4})-(\d{2})(?:-(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?)?$/;
/** Elements typed instant, which must keep a full timestamp to stay valid FHIR. */
const INSTANT_KEYS = new Set(["lastUpdated", "issued", "recorded", "when", "instant", "timestamp"]);
/** Strings that are never dates, identifiers or free text, and stay as they are. */
const KEEP_KEYS = new Set(["resourceType", "system", "code", "version", "unit", "status", "use", "contentType", "language", "url", "comparator", "gender", "valueCode", "valueBoolean", "display"]);
/** Free-text elements: what people type, where names, dates and numbers hide. */
const FREE_TEXT_KEYS = new Set(["text", "valueString", "comment", "description", "conclusion", "patientInstruction", "summary", "detail", "title", "note", "valueMarkdown", "reasonText", "outcome", "payload", "contentString", "answer", "name"]);
/**
 * Elements that identify by themselves and are dropped wherever they appear; and the profiles a resource claims,
 * which a de-identified copy no longer meets (US Core requires a patient's name and identifier).
 */
const DROP_KEYS = new Set(["profile", "identifier", "telecom", "photo", "position", "alias", "authorString", "udiCarrier", "serialNumber", "lotNumber", "distinctIdentifier", "subscriberId", "valueHumanName", "valueContactPoint", "valueIdentifier", "source"]);
/** Extensions that carry a person's identity, dropped whole. */
const DROPPED_EXTENSIONS = /mothersMaidenName|patient-birthTime|patient-citizenship|us-core-genderIdentity-text/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const isHumanName = (v: Json): boolean => isObject(v) && ("given" in v || "family" in v || ("text" in v && "use" in v && !("coding" in v)));

/** Is this element an instant? By its name, or DocumentReference.date, the one instant called "date". */
const isInstant = (key: string, parent: JsonObject | null) => INSTANT_KEYS.has(key) || (key === "date" && parent?.resourceType === "DocumentReference");

function shiftedDate(value: string, instant: boolean, context: ResourceDeidContext): string {
  const m = FHIR_DATE.exec(value)!;
  const [year, month, day, time] = [Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : undefined, m[4]];
  if (context.dateShiftDays === undefined) return instant ? `${year}-01-01T00:00:00Z` : String(year);
  const date = new Date(Date.UTC(year, month - 1, day ?? 1));
  date.setUTCDate(date.getUTCDate() + context.dateShiftDays);
  const iso = date.toISOString().slice(0, 10);
  return day === undefined ? iso.slice(0, 7) : iso + (time ?? "");
}

/** An age (Quantity in years) over 89 becomes 90 or more. */
function groupAge(value: JsonObject) {
  const years = value.code === "a" || /^(?:a|yr|yrs|years?)$/i.test(String(value.unit ?? ""));
  if (years && typeof value.value === "number" && value.value > 89) {
    value.value = 90;
    value.comparator = ">=";
  }
}

/** Narrative XHTML: text between tags de-identified, attributes other than the namespace dropped (links, images). */
function deidentifyNarrative(div: string, options: DeidentifyTextOptions): string {
  return div
    .split(/(<[^>]*>)/)
    .map((part) => {
      if (part.startsWith("<")) return part.replace(/^<(\/?[\w:-]+)(\s[^>]*?)?(\/?)>$/, (_, tag: string, attrs = "", close: string) => `<${tag}${/xmlns="[^"]*"/.exec(attrs) ? " " + /xmlns="[^"]*"/.exec(attrs)![0] : ""}${close}>`);
      return part ? deidentifyText(part, options).text : part;
    })
    .join("");
}

export function deidentifyResource<T extends Resource>(resource: T, context: ResourceDeidContext = {}): T {
  const pseudonyms = context.pseudonyms ?? new Map<string, string>();
  const pseudonym = (id: string) => {
    if (!pseudonyms.has(id)) pseudonyms.set(id, randomUUID());
    return pseudonyms.get(id)!;
  };
  const textOptions: DeidentifyTextOptions = { knownIdentifiers: context.knownIdentifiers, dateShiftDays: context.dateShiftDays, now: context.now };
  const now = context.now ?? new Date();

  const reference = (ref: string): string => {
    const local = /^([A-Z][A-Za-z]+)\/([^/?#]+)(\/_history\/.+)?$/.exec(ref);
    if (local) return `${local[1]}/${pseudonym(local[2])}`;
    const urn = /^urn:uuid:(.+)$/.exec(ref);
    if (urn) return `urn:uuid:${pseudonym(urn[1])}`;
    // A conditional or absolute reference ("Practitioner?identifier=...|9999974592") carries the identifier itself.
    const type = /^(?:.*\/)?([A-Z][A-Za-z]+)(?:[/?])/.exec(ref)?.[1] ?? "Resource";
    return `${type}/${pseudonym(ref)}`;
  };

  const walk = (value: Json, key: string, parent: JsonObject | null): Json | undefined => {
    if (Array.isArray(value)) {
      const items = value.map((item) => walk(item, key, parent)).filter((item): item is Json => item !== undefined);
      return items.length ? items : undefined;
    }
    if (isObject(value)) {
      if (key === "address" || key === "valueAddress") return keepStateAndCountry(value);
      if ((key === "name" || key === "contact") && isHumanName(value)) return undefined;
      if (key === "extension" && typeof value.url === "string" && DROPPED_EXTENSIONS.test(value.url)) return undefined;
      if (key === "text" && typeof value.div === "string") {
        return { ...value, div: deidentifyNarrative(value.div, textOptions) };
      }
      if (/Age$/.test(key) || key === "age") groupAge(value);
      if ("contentType" in value && ("data" in value || "url" in value)) return deidentifyAttachment(value);
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) {
        if (DROP_KEYS.has(k)) continue;
        // Who a reference points to, by name ("Dr. Jasper743 Champlin946"); a coding's display is terminology and stays.
        if (k === "display" && !("code" in value || "system" in value)) continue;
        if (k === "reference" && typeof v === "string") {
          out[k] = reference(v);
          continue;
        }
        const walked = walk(v, k, value);
        if (walked !== undefined) out[k] = walked;
      }
      // A reference that was only an identifier and a name is nothing now: FHIR allows no empty elements.
      return Object.keys(out).length ? out : undefined;
    }
    if (typeof value === "string") {
      if (key === "id" && parent && "resourceType" in parent) return pseudonym(value);
      if (key === "id") return value; // an element id inside the resource
      if (KEEP_KEYS.has(key) && !(key === "url" && parent && "contentType" in parent)) return value;
      if (FHIR_DATE.test(value)) return shiftedDate(value, isInstant(key, parent), context);
      if (key === "div") return value;
      if (FREE_TEXT_KEYS.has(key) || key.startsWith("value")) return deidentifyText(value, textOptions).text;
      return value;
    }
    return value;
  };

  const keepStateAndCountry = (address: JsonObject): JsonObject | undefined => {
    const kept: JsonObject = {};
    for (const k of ["use", "type", "state", "country"]) if (address[k] !== undefined) kept[k] = address[k];
    return Object.keys(kept).length ? kept : undefined;
  };

  const deidentifyAttachment = (attachment: JsonObject): JsonObject => {
    const out: JsonObject = {};
    for (const k of ["contentType", "language"]) if (attachment[k] !== undefined) out[k] = attachment[k];
    if (typeof attachment.title === "string") out.title = deidentifyText(attachment.title, textOptions).text;
    if (typeof attachment.creation === "string" && FHIR_DATE.test(attachment.creation)) out.creation = shiftedDate(attachment.creation, false, context);
    // Plain text can be de-identified; anything else (a scan, a PDF, a photo) cannot be checked, so it does not leave.
    if (typeof attachment.data === "string" && /^text\//.test(String(attachment.contentType))) {
      const text = deidentifyText(Buffer.from(attachment.data, "base64").toString("utf8"), textOptions).text;
      const bytes = Buffer.from(text, "utf8");
      out.data = bytes.toString("base64");
      out.size = bytes.length;
    } else {
      Object.assign(out, masked());
    }
    return out;
  };

  const copy = walk(resource as unknown as Json, "", null) as JsonObject;
  if (resource.resourceType === "Patient") {
    const birthDate = (resource as { birthDate?: string }).birthDate;
    delete copy.birthDate;
    if (birthDate) {
      // Safe Harbor: the birth year stays unless it shows an age over 89; then nothing of it does.
      const hidden = dateOptionsFor({ knownIdentifiers: { names: [], birthDate }, now }).suppressedYears?.size;
      if (hidden) copy._birthDate = masked();
      else copy.birthDate = context.dateShiftDays === undefined ? birthDate.slice(0, 4) : shiftedDate(birthDate, false, context);
    }
    delete copy.contact; // relatives and contacts: names, telecom and addresses of others
  }
  return copy as unknown as T;
}
