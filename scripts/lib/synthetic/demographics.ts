// Who a synthetic patient is and who looks after them. Names come from short built-in lists; phone numbers use the
// 555-01xx block that US numbering reserves for fiction, so none can reach a real person.
import type { Organization, Patient, Practitioner } from "@medplum/fhirtypes";
import { hash32, type SeededRandom, syntheticUuid } from "./random";
import { type Identified, referenceTo } from "./record";
import { SYSTEM } from "./terminology";
import { isoDate, startOfDay, YEAR_MS } from "./time";

export type Sex = "female" | "male";

const GIVEN: Record<Sex, readonly string[]> = {
  female: [
    "Olivia", "Emma", "Ava", "Sophia", "Isabella", "Mia", "Amelia", "Harper", "Evelyn", "Abigail", "Grace", "Chloe",
    "Maria", "Linda", "Patricia", "Susan", "Margaret", "Dorothy", "Aisha", "Mei", "Priya", "Fatima", "Lucia", "Nora",
  ],
  male: [
    "Liam", "Noah", "Oliver", "Elijah", "James", "William", "Benjamin", "Lucas", "Henry", "Theodore", "Samuel", "Daniel",
    "Robert", "Michael", "David", "Richard", "Joseph", "Thomas", "Omar", "Wei", "Arjun", "Mateo", "Diego", "Kwame",
  ],
};

const FAMILY = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez",
  "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez",
  "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Nguyen",
  "Patel", "Kim", "Chen", "Okafor", "Schmidt", "Rossi",
];

const STREETS = [
  "Maple Street", "Oak Avenue", "Cedar Lane", "Pine Road", "Elm Street", "Washington Avenue", "Lake Drive",
  "Hillcrest Road", "Park Place", "Sunset Boulevard", "River Road", "Chestnut Street", "Willow Way", "Highland Avenue",
  "Meadow Lane", "Church Street", "Mill Road", "Spring Street", "Franklin Avenue", "Orchard Court",
];

const CITIES = [
  { city: "Springfield", state: "IL", zip: "627", area: "217" },
  { city: "Madison", state: "WI", zip: "537", area: "608" },
  { city: "Portland", state: "OR", zip: "972", area: "503" },
  { city: "Columbus", state: "OH", zip: "432", area: "614" },
  { city: "Raleigh", state: "NC", zip: "276", area: "919" },
  { city: "Albany", state: "NY", zip: "122", area: "518" },
  { city: "Boise", state: "ID", zip: "837", area: "208" },
  { city: "Worcester", state: "MA", zip: "016", area: "508" },
] as const;

type City = (typeof CITIES)[number];

const fictionalPhone = (rng: SeededRandom, city: City) => `(${city.area}) 555-01${String(rng.int(0, 99)).padStart(2, "0")}`;

export type Person = { sex: Sex; given: string; family: string; birthDate: string; birth: number; city: City };

/** Sex, name and a birth date that puts the patient at 20–85 today, and at least 18 when the history starts. */
export function drawPerson(rng: SeededRandom, now: number, years: number): Person {
  const sex: Sex = rng.chance(0.52) ? "female" : "male";
  const youngest = Math.min(85, Math.max(20, Math.ceil(18 + years)));
  const age = rng.between(youngest, 86);
  const birth = startOfDay(now - age * YEAR_MS);
  return { sex, given: rng.pick(GIVEN[sex]), family: rng.pick(FAMILY), birthDate: isoDate(birth), birth, city: rng.pick(CITIES) };
}

export function patientResource(id: string, index: number, person: Person, rng: SeededRandom, careTeam: CareTeam): Identified<Patient> {
  const middle = rng.pick(GIVEN[person.sex]);
  return {
    resourceType: "Patient",
    id,
    identifier: [{ system: SYSTEM.syntheticIdentifier, value: `synthetic-${index}` }],
    active: true,
    name: [{ use: "official", family: person.family, given: [person.given, middle] }],
    telecom: [
      { system: "phone", value: fictionalPhone(rng, person.city), use: rng.chance(0.7) ? "mobile" : "home" },
      { system: "email", value: `${person.given}.${person.family}.${index}@example.com`.toLowerCase(), use: "home" },
    ],
    gender: person.sex,
    birthDate: person.birthDate,
    address: [
      {
        use: "home",
        type: "physical",
        line: [`${rng.int(10, 9899)} ${rng.pick(STREETS)}`],
        city: person.city.city,
        state: person.city.state,
        postalCode: `${person.city.zip}${String(rng.int(1, 99)).padStart(2, "0")}`,
        country: "US",
      },
    ],
    communication: [{ language: { coding: [{ system: SYSTEM.language, code: "en-US", display: "English (United States)" }] }, preferred: true }],
    generalPractitioner: [referenceTo(careTeam.physician)],
    managingOrganization: referenceTo(careTeam.clinic, careTeam.clinic.name),
  };
}

// ---- Care team --------------------------------------------------------------------------------------------------

const CLINICS = ["Riverside Family Medicine", "Northgate Primary Care", "Lakeview Community Health", "Maple Grove Internal Medicine"];
const CLINICIANS = [
  { given: "Anika", family: "Sorensen", degree: "MD" },
  { given: "Marcus", family: "Bell", degree: "MD" },
  { given: "Rosa", family: "Alvarez", degree: "DO" },
  { given: "Kenji", family: "Watanabe", degree: "MD" },
  { given: "Hannah", family: "Osei", degree: "NP" },
  { given: "Victor", family: "Lindqvist", degree: "MD" },
  { given: "Leah", family: "Goldberg", degree: "PA" },
  { given: "Samuel", family: "Adeyemi", degree: "MD" },
] as const;

const DEGREE = { MD: "Doctor of Medicine", DO: "Doctor of Osteopathy", NP: "Nurse practitioner", PA: "Physician Assistant" };

/** Clinics and clinicians are shared by every patient of a seed, so their ids come from the seed alone. */
const SHARED_STREAM = -1;

export type CareTeam = { clinic: Organization & { id: string; name: string }; physician: Practitioner & { id: string }; urgentCare: Practitioner & { id: string } };

function clinician(seed: number, slot: number): Practitioner & { id: string } {
  const person = CLINICIANS[slot];
  return {
    resourceType: "Practitioner",
    id: syntheticUuid(seed, SHARED_STREAM, 100 + slot),
    identifier: [{ system: SYSTEM.syntheticIdentifier, value: `practitioner-${slot + 1}` }],
    active: true,
    name: [{ use: "official", family: person.family, given: [person.given], suffix: [person.degree] }],
    qualification: [{ code: { coding: [{ system: SYSTEM.degree, code: person.degree, display: DEGREE[person.degree] }], text: person.degree } }],
  };
}

/** The patient's clinic, their primary care clinician, and a colleague who sees them for urgent problems. */
export function careTeamFor(seed: number, index: number): CareTeam {
  const slot = hash32(seed, index, 7) % CLINICS.length;
  const city = CITIES[slot * 2];
  const clinic: CareTeam["clinic"] = {
    resourceType: "Organization",
    id: syntheticUuid(seed, SHARED_STREAM, slot),
    identifier: [{ system: SYSTEM.syntheticIdentifier, value: `clinic-${slot + 1}` }],
    active: true,
    type: [{ coding: [{ system: SYSTEM.organizationType, code: "prov", display: "Healthcare Provider" }] }],
    name: CLINICS[slot],
    telecom: [{ system: "phone", value: `(${city.area}) 555-01${String(10 + slot).padStart(2, "0")}`, use: "work" }],
    address: [{ use: "work", line: [`${200 + slot * 37} Health Center Drive`], city: city.city, state: city.state, postalCode: `${city.zip}10`, country: "US" }],
  };
  const physicianSlot = slot * 2 + (hash32(seed, index, 8) % 2);
  return { clinic, physician: clinician(seed, physicianSlot), urgentCare: clinician(seed, physicianSlot ^ 1) };
}
