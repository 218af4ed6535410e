// One synthetic patient's story, told in time order. Wellness visits every 3–6 months measure vital signs and labs;
// problems are diagnosed from those measurements by the usual clinical thresholds and treated, and the treatment
// moves later measurements. Urgent visits, screening, vaccines and notes fill in the rest.
import type { Bundle, Condition, Encounter, MedicationRequest, Patient, Reference } from "@medplum/fhirtypes";
import { careTeamFor, type CareTeam, drawPerson, patientResource, type Person } from "./demographics";
import { consultNoteText } from "./notes";
import {
  a1cLevel,
  bloodCount,
  bmiLevel,
  drawHealthProfile,
  egfrLevel,
  type FamilyRisk,
  type HealthProfile,
  type Illness,
  type Infection,
  ldlLevel,
  lipidPanel,
  measureA1c,
  measureTsh,
  metabolicPanel,
  type Moment,
  systolicLevel,
  type Therapy,
  tshLevel,
  vitalSigns,
} from "./physiology";
import { hash32, SeededRandom } from "./random";
import { type Identified, PatientRecord, referenceTo } from "./record";
import {
  allergy,
  type AllergyFacts,
  bloodPressure,
  condition,
  consultNote,
  encounter,
  endPrescription,
  familyHistory,
  immunization,
  labReport,
  labResult,
  prescription,
  procedure,
  type RelativeFacts,
  resolveCondition,
  selfReportedDrug,
  vitalSign,
} from "./resources";
import {
  type Code,
  DRUG,
  type DrugKey,
  ENCOUNTER_TYPE,
  FAMILY_CONDITION,
  interpret,
  LAB,
  type LabKey,
  PANEL,
  PROBLEM,
  type ProblemKey,
  PROCEDURE,
  REACTION,
  referenceLimits,
  RELATIVE,
  SUBSTANCE,
  VACCINE,
  VITAL,
} from "./terminology";
import { DAY_MS, HOUR_MS, isoDate, isoDateTime, MINUTE_MS, MONTH_MS, monthOf, startOfDay, YEAR_MS, yearOf } from "./time";

export type HistorySettings = { seed: number; index: number; years: number; now: number };

type PanelKey = keyof typeof PANEL;
type AtVisit = { patient: Reference<Patient>; encounter: Reference<Encounter> };
type Vitals = ReturnType<typeof vitalSigns>;
type LabValues = Partial<Record<LabKey, number>>;

type Visit =
  | { kind: "wellness"; time: number; annual: boolean; note: boolean }
  | { kind: "urgent"; time: number }
  | { kind: "screening"; time: number; screening: "colonoscopy" | "mammography" }
  | { kind: "pharmacy"; time: number; vaccine: Code; fluSeason?: number; dose?: number };

/** Urgent visits a year: adults see a clinician for an acute problem about once every year or two. */
const URGENT_VISITS_PER_YEAR = 0.7;
const RENEWAL_INTERVAL = 330 * DAY_MS;
const HYPERTENSION_DRUGS: DrugKey[] = ["lisinopril", "amlodipine", "hydrochlorothiazide"];

type AcuteReason = {
  problem?: ProblemKey;
  weight: number;
  illness: Illness;
  bloodCount: number;
  infection: Infection;
  emergency: number;
  /** The drug prescribed, if any; an allergy to penicillin rules out amoxicillin. */
  drug?: (rng: SeededRandom, penicillinAllergy: boolean) => DrugKey | undefined;
  procedure?: { code: Code; chance: number };
};

const ACUTE_REASONS: AcuteReason[] = [
  {
    problem: "bronchitis",
    weight: 3,
    illness: { fever: true, breathing: true },
    bloodCount: 0.25,
    infection: "viral",
    emergency: 0.05,
    drug: (rng) => (rng.chance(0.7) ? "acetaminophen" : undefined),
    procedure: { code: PROCEDURE.chestXray, chance: 0.15 },
  },
  {
    problem: "viralPharyngitis",
    weight: 2.5,
    illness: { fever: true, breathing: false },
    bloodCount: 0.15,
    infection: "viral",
    emergency: 0.03,
    drug: (rng) => (rng.chance(0.5) ? "acetaminophen" : undefined),
    procedure: { code: PROCEDURE.throatCulture, chance: 0.6 },
  },
  {
    problem: "strepThroat",
    weight: 1,
    illness: { fever: true, breathing: false },
    bloodCount: 0.3,
    infection: "bacterial",
    emergency: 0.05,
    drug: (_rng, penicillinAllergy) => (penicillinAllergy ? "azithromycin" : "amoxicillin"),
    procedure: { code: PROCEDURE.throatCulture, chance: 0.8 },
  },
  {
    problem: "sinusitis",
    weight: 3,
    illness: { fever: false, breathing: false },
    bloodCount: 0.1,
    infection: "viral",
    emergency: 0.02,
    drug: (rng, penicillinAllergy) => (rng.chance(0.2) ? (penicillinAllergy ? "azithromycin" : "amoxicillin") : undefined),
  },
  {
    problem: "ankleSprain",
    weight: 1.5,
    illness: { fever: false, breathing: false },
    bloodCount: 0,
    infection: "none",
    emergency: 0.4,
    drug: () => "ibuprofenPrescription",
  },
];

const ASTHMA_ATTACK: AcuteReason = {
  weight: 3,
  illness: { fever: false, breathing: true },
  bloodCount: 0,
  infection: "none",
  emergency: 0.3,
  drug: () => "prednisone",
};

export function patientHistory(settings: HistorySettings): Bundle {
  return new PatientHistory(settings).tell();
}

class PatientHistory {
  private readonly rng: SeededRandom;
  private readonly record: PatientRecord;
  private readonly now: number;
  private readonly start: number;
  private readonly person: Person;
  private readonly careTeam: CareTeam;
  private readonly profile: HealthProfile;
  private readonly relatives: Omit<RelativeFacts, "patient" | "recorded">[];
  private readonly knownAllergies: Omit<AllergyFacts, "patient" | "recorded" | "recorder" | "encounter">[] = [];
  private allergicToPenicillin = false;
  /** Allergies and intolerances as the note lists them. */
  private readonly allergyNames: string[] = [];
  private readonly patient: Identified<Patient>;

  /** Active long-term problems, by kind. Resolved ones stay in the record but leave this list. */
  private readonly problems: Partial<Record<ProblemKey, Identified<Condition>>> = {};
  private readonly therapy: Therapy = {};
  private readonly prescriptions: Partial<Record<DrugKey, { request: MedicationRequest; authored: number }>> = {};
  private readonly indications: Partial<Record<DrugKey, ProblemKey>> = {};
  private readonly intolerant = new Set<DrugKey>();
  private readonly pendingReactions: Partial<Record<DrugKey, number>> = {};
  private readonly otcDrugs: DrugKey[] = [];
  /** What changed at the visit being recorded, for its note. */
  private plan: string[] = [];

  private previousBloodPressureHigh = false;
  private lastBloodPressureChange = -Infinity;
  private previousTshHigh = false;
  private firstLowEgfr: number | undefined;
  private intakeDone = false;

  private readonly fluSeasonsPlanned = new Set<number>();
  private readonly fluSeasonsGiven = new Set<number>();
  private tdapDue: number | undefined;
  private pneumococcalPlanned = false;
  private zosterPlanned = false;
  private zosterDoses: number[] = [];

  constructor(settings: HistorySettings) {
    this.rng = new SeededRandom(hash32(settings.seed, settings.index));
    this.record = new PatientRecord(settings.seed, settings.index);
    this.now = settings.now;
    this.start = settings.now - settings.years * YEAR_MS;
    this.person = drawPerson(this.rng, settings.now, settings.years);
    this.careTeam = careTeamFor(settings.seed, settings.index);
    this.patient = this.record.add(patientResource(this.record.newId(), settings.index, this.person, this.rng, this.careTeam));
    const family = this.drawFamily();
    this.relatives = family.relatives;
    this.profile = drawHealthProfile(this.rng, this.person.sex, this.ageAt(this.start), family.risk);
    this.drawAllergies();
  }

  tell(): Bundle {
    const { clinic, physician, urgentCare } = this.careTeam;
    this.record.add(clinic);
    this.record.add(physician);
    this.record.add(urgentCare);
    const visits = this.schedule();
    this.establishPastHistory();
    for (const visit of visits) {
      if (visit.kind === "wellness") this.wellnessVisit(visit.time, visit.annual, visit.note);
      else if (visit.kind === "urgent") this.urgentVisit(visit.time);
      else if (visit.kind === "screening") this.screening(visit.time, visit.screening);
      else this.pharmacyVaccine(visit);
    }
    return this.record.bundle(isoDateTime(this.now));
  }

  // ---- Who they are ------------------------------------------------------------------------------------------

  private ageAt(time: number) {
    return (time - this.person.birth) / YEAR_MS;
  }

  private moment(time: number): Moment {
    return { time, yearsIn: (time - this.start) / YEAR_MS, age: this.ageAt(time), therapy: this.therapy };
  }

  private get subject(): Reference<Patient> {
    return referenceTo(this.patient);
  }

  private drawFamily() {
    const rng = this.rng;
    const age = this.ageAt(this.now);
    const relatives: Omit<RelativeFacts, "patient" | "recorded">[] = [];
    const risk: FamilyRisk = { diabetes: false, hypertension: false, hypothyroidism: false, heartDisease: false };
    const sibling = rng.chance(0.5) ? { relationship: RELATIVE.sister, sex: "female" as const } : { relationship: RELATIVE.brother, sex: "male" as const };
    const members = [
      { relationship: RELATIVE.mother, sex: "female" as const, age: age + rng.int(20, 35), parent: true },
      { relationship: RELATIVE.father, sex: "male" as const, age: age + rng.int(22, 38), parent: true },
      ...(rng.chance(0.5) ? [{ ...sibling, age: Math.max(18, age + rng.int(-8, 8)), parent: false }] : []),
    ];
    for (const member of members) {
      const female = member.sex === "female";
      const conditions: RelativeFacts["conditions"] = [];
      // Onset at an age the relative has reached (living or not, which the record does not say).
      const onsetAge = () => rng.int(Math.max(18, Math.round(member.age) - 40), Math.round(member.age));
      const maybe = (code: Code, chance: number, key?: keyof FamilyRisk) => {
        if (!rng.chance(chance)) return;
        conditions.push({ code, onsetAge: onsetAge() });
        if (key) risk[key] = true;
      };
      maybe(FAMILY_CONDITION.diabetes, 0.2, "diabetes");
      maybe(FAMILY_CONDITION.hypertension, 0.35, "hypertension");
      maybe(FAMILY_CONDITION.myocardialInfarction, female ? 0.06 : 0.14, "heartDisease");
      maybe(FAMILY_CONDITION.stroke, 0.06);
      maybe(FAMILY_CONDITION.hypothyroidism, female ? 0.1 : 0.02, "hypothyroidism");
      if (female) maybe(FAMILY_CONDITION.breastCancer, 0.08);
      maybe(FAMILY_CONDITION.colonCancer, 0.04);
      // A sibling is only worth recording for what they have had.
      if (conditions.length || member.parent) {
        relatives.push({ relationship: member.relationship, sex: member.sex, conditions });
      }
    }
    return { relatives, risk };
  }

  private drawAllergies() {
    const rng = this.rng;
    const onset = () => this.person.birth + rng.between(3, Math.max(4, this.ageAt(this.start) - 1)) * YEAR_MS;
    if (rng.chance(0.09)) {
      this.allergicToPenicillin = true;
      const severe = rng.chance(0.12);
      this.knownAllergies.push({
        substance: SUBSTANCE.penicillin,
        text: "Penicillin",
        type: "allergy",
        category: "medication",
        criticality: severe ? "high" : "low",
        reaction: severe ? REACTION.anaphylaxis : rng.chance(0.6) ? REACTION.hives : REACTION.rash,
        severity: severe ? "severe" : "moderate",
        onset: onset(),
      });
    }
    if (rng.chance(0.02)) {
      const severe = rng.chance(0.4);
      this.knownAllergies.push({
        substance: SUBSTANCE.peanut,
        text: "Peanut",
        type: "allergy",
        category: "food",
        criticality: severe ? "high" : "low",
        reaction: severe ? REACTION.anaphylaxis : REACTION.hives,
        severity: severe ? "severe" : "mild",
        onset: this.person.birth + rng.between(1, 6) * YEAR_MS,
      });
    }
    if (rng.chance(0.03)) {
      this.knownAllergies.push({
        substance: SUBSTANCE.latex,
        text: "Latex",
        type: "allergy",
        category: "environment",
        criticality: "low",
        reaction: REACTION.contactDermatitis,
        severity: "mild",
        onset: onset(),
      });
    }
    if (rng.chance(0.02)) {
      const severe = rng.chance(0.5);
      this.knownAllergies.push({
        substance: SUBSTANCE.beeVenom,
        text: "Bee venom",
        type: "allergy",
        category: "environment",
        criticality: severe ? "high" : "low",
        reaction: severe ? REACTION.anaphylaxis : REACTION.itching,
        severity: severe ? "severe" : "mild",
        onset: onset(),
      });
    }
  }

  // ---- When things happen ------------------------------------------------------------------------------------

  /** Clinic appointments fall on weekdays, 8 am to 4 pm US Eastern (13:00–20:45 UTC), on the quarter hour. */
  private clinicSlot(time: number) {
    let day = startOfDay(time);
    const weekday = new Date(day).getUTCDay();
    if (weekday === 6) day += 2 * DAY_MS;
    if (weekday === 0) day += DAY_MS;
    return day + (13 * 60 + 15 * this.rng.int(0, 31)) * MINUTE_MS;
  }

  private schedule(): Visit[] {
    const rng = this.rng;
    const last = this.now - 2 * DAY_MS;
    const visits: Visit[] = [];

    const wellness: Extract<Visit, { kind: "wellness" }>[] = [];
    let lastAnnual = -Infinity;
    for (let t = this.start + rng.between(0, 2) * MONTH_MS; ; t += rng.between(3, 6) * MONTH_MS) {
      const time = this.clinicSlot(t);
      if (time >= last) break;
      const annual = time - lastAnnual >= 330 * DAY_MS;
      if (annual) lastAnnual = time;
      wellness.push({ kind: "wellness", time, annual, note: false });
    }
    const annuals = wellness.filter((visit) => visit.annual);
    if (annuals.length) annuals[annuals.length - 1].note = true;
    if (annuals.length > 1 && rng.chance(0.6)) annuals[rng.int(0, annuals.length - 2)].note = true;
    visits.push(...wellness);

    for (let t = this.start + this.urgentGap(); t < last; t += this.urgentGap()) {
      visits.push({ kind: "urgent", time: startOfDay(t) + rng.int(13 * 60, 23 * 60) * MINUTE_MS });
    }

    this.scheduleScreening(visits, last);
    this.scheduleVaccines(visits, last);
    return visits.sort((a, b) => a.time - b.time);
  }

  private urgentGap() {
    return (-Math.log(1 - this.rng.next()) / URGENT_VISITS_PER_YEAR) * YEAR_MS;
  }

  private scheduleScreening(visits: Visit[], last: number) {
    const rng = this.rng;
    const colonoscopyFrom = Math.max(this.start, this.person.birth + 45 * YEAR_MS);
    // Screening is every ten years, so a history of n years holds one with chance n/10 (if the patient takes it up).
    if (colonoscopyFrom < last && rng.chance(0.65 * Math.min(1, (last - colonoscopyFrom) / (10 * YEAR_MS)))) {
      const time = this.clinicSlot(rng.between(colonoscopyFrom, last));
      if (time < last) visits.push({ kind: "screening", time, screening: "colonoscopy" });
    }
    if (this.person.sex === "female") {
      for (let year = yearOf(this.start); year <= yearOf(last); year++) {
        const time = this.clinicSlot(Date.UTC(year, 0, 1) + rng.between(0, 360) * DAY_MS);
        if (time > this.start && time < last && this.ageAt(time) >= 40 && rng.chance(0.45)) visits.push({ kind: "screening", time, screening: "mammography" });
      }
    }
  }

  private scheduleVaccines(visits: Visit[], last: number) {
    const rng = this.rng;
    const older = this.ageAt(this.now) >= 65;
    const inWindow = (time: number) => time > this.start && time < last;
    /** A pharmacy visit some day from `from`, between 9 am and 5 pm US Eastern. */
    const pharmacyTime = (from: number, days: number) => from + rng.int(0, days) * DAY_MS + rng.int(14 * 60, 22 * 60) * MINUTE_MS;
    for (let season = yearOf(this.start) - 1; season <= yearOf(last); season++) {
      const time = pharmacyTime(Date.UTC(season, 9, 1), 45);
      if (!inWindow(time) || !rng.chance(older ? 0.75 : 0.5)) continue;
      this.fluSeasonsPlanned.add(season);
      visits.push({ kind: "pharmacy", time, vaccine: rng.chance(0.5) ? VACCINE.influenza : VACCINE.influenzaQuadrivalent, fluSeason: season });
    }
    if (rng.chance(0.72)) {
      const first = pharmacyTime(Date.UTC(2021, 2, 15), 100);
      const doses = [first, first + 21 * DAY_MS, ...(rng.chance(0.6) ? [first + rng.int(210, 300) * DAY_MS] : [])];
      doses.forEach((time, i) => inWindow(time) && visits.push({ kind: "pharmacy", time, vaccine: VACCINE.covidPfizer, dose: i + 1 }));
      for (let season = 2022; season <= yearOf(last); season++) {
        const time = pharmacyTime(Date.UTC(season, 8, 15), 75);
        if (inWindow(time) && rng.chance(older ? 0.55 : 0.3)) visits.push({ kind: "pharmacy", time, vaccine: VACCINE.covidUnspecified });
      }
    }
    // Tdap every ten years, so due within this history with chance years/10.
    const years = (this.now - this.start) / YEAR_MS;
    if (rng.chance(Math.min(1, years / 10))) this.tdapDue = this.start + rng.between(0, years) * YEAR_MS;
    this.pneumococcalPlanned = rng.chance(0.7);
    this.zosterPlanned = rng.chance(0.4);
  }

  // ---- Before the history starts -----------------------------------------------------------------------------

  /** Problems found before the first visit in the record, already treated for months or years by then. */
  private establishPastHistory() {
    const rng = this.rng;
    const profile = this.profile;
    const untreated = this.moment(this.start);
    const ageAtStart = this.ageAt(this.start);
    const before = (maxYears: number) => this.start - rng.between(0.3, Math.max(0.4, Math.min(maxYears, ageAtStart - 18))) * YEAR_MS;

    if (profile.asthma !== "none") {
      const onset = this.person.birth + rng.between(4, Math.min(30, ageAtStart - 1)) * YEAR_MS;
      this.pastProblem("asthma", onset);
      this.startDrug("albuterol", onset, "asthma");
      if (profile.asthma === "persistent") this.startDrug("fluticasone", onset, "asthma");
    }
    const a1c = a1cLevel(profile, untreated);
    if (a1c >= 6.5 && rng.chance(0.85)) {
      const onset = before(10);
      this.pastProblem("diabetes", onset);
      this.startDrug("metformin", onset + 14 * DAY_MS, "diabetes");
    } else if (a1c >= 5.7 && rng.chance(0.4)) {
      this.pastProblem("prediabetes", before(4));
    }
    const systolic = systolicLevel(profile, untreated);
    if (systolic >= 142 && rng.chance(0.8)) {
      const onset = before(12);
      this.pastProblem("hypertension", onset);
      this.startDrug("lisinopril", onset + 14 * DAY_MS, "hypertension");
      if (systolic >= 160) this.startDrug("amlodipine", Math.min(this.start - 30 * DAY_MS, onset + rng.between(90, 365) * DAY_MS), "hypertension");
    }
    const ldl = ldlLevel(profile, untreated);
    if ((ldl >= 160 || (ldl >= 130 && (this.problems.diabetes || this.problems.hypertension || ageAtStart >= 55))) && rng.chance(0.75)) {
      const onset = before(10);
      this.pastProblem("hyperlipidemia", onset);
      this.startDrug("atorvastatin", onset + 14 * DAY_MS, "hyperlipidemia");
    }
    if (tshLevel(profile, untreated) > 6 && rng.chance(0.7)) {
      const onset = before(8);
      this.pastProblem("hypothyroidism", onset);
      this.startDrug("levothyroxine", onset + 7 * DAY_MS, "hypothyroidism");
    }
    if (egfrLevel(profile, untreated) < 60 && rng.chance(0.7)) this.pastProblem("ckd3", before(4));
    if (bmiLevel(profile, untreated) >= 30 && rng.chance(0.8)) this.pastProblem("obesity", before(10));
  }

  private pastProblem(key: ProblemKey, onset: number) {
    this.problems[key] = this.record.add(
      condition(this.record.newId(), { patient: this.subject, problem: PROBLEM[key], listed: true, onset, recorded: onset, recorder: referenceTo(this.careTeam.physician) }),
    );
  }

  // ---- Wellness visits ---------------------------------------------------------------------------------------

  private wellnessVisit(time: number, annual: boolean, writeNote: boolean) {
    const rng = this.rng;
    const m = this.moment(time);
    const end = time + rng.int(20, 45) * MINUTE_MS;
    const managingProblems = Object.keys(this.problems).length > 0;
    const visit = this.record.add(
      encounter(this.record.newId(), {
        patient: this.subject,
        type: annual ? ENCOUNTER_TYPE.checkup : ENCOUNTER_TYPE.followUp,
        start: time,
        end,
        clinic: referenceTo(this.careTeam.clinic),
        clinician: referenceTo(this.careTeam.physician),
        reasonText: annual ? "Annual preventive visit" : managingProblems ? "Chronic disease follow-up" : "Routine follow-up",
      }),
    );
    const at: AtVisit = { patient: this.subject, encounter: referenceTo(visit) };
    this.plan = [];
    if (!this.intakeDone) this.intake(at, time);

    const vitals = vitalSigns(this.profile, m, rng);
    this.recordVitals(at, vitals, time + 5 * MINUTE_MS, true);
    const results = this.runLabs(at, m, annual ? ["metabolic", "lipid", "cbc", "a1c", "tsh"] : this.followUpPanels(), "none");

    this.reviewBloodPressure(at, vitals, time);
    this.reviewResults(at, results, m);
    if (vitals.bmi >= 30 && !this.problems.obesity) this.diagnose("obesity", at, time);
    this.reportDrugReactions(at, time);
    this.renewPrescriptions(at, time);
    this.vaccinate(at, m, annual);
    if (annual) this.routineProcedures(at, m, end);
    if (writeNote) this.writeNote(at, time, end, annual, vitals, results);
  }

  /** Between yearly check-ups, labs follow the problems being managed. */
  private followUpPanels(): PanelKey[] {
    const panels: PanelKey[] = ["metabolic", "cbc"];
    if (this.problems.diabetes || this.problems.prediabetes) panels.push("a1c");
    if (this.problems.hyperlipidemia) panels.push("lipid");
    if (this.problems.hypothyroidism) panels.push("tsh");
    return panels;
  }

  /** Allergies, family history and over-the-counter drugs are taken down at the first visit. */
  private intake(at: AtVisit, time: number) {
    this.intakeDone = true;
    for (const relative of this.relatives) this.record.add(familyHistory(this.record.newId(), { ...relative, patient: at.patient, recorded: time }));
    for (const known of this.knownAllergies) {
      this.allergyNames.push(known.text);
      this.record.add(allergy(this.record.newId(), { ...known, patient: at.patient, encounter: at.encounter, recorded: time, recorder: referenceTo(this.careTeam.physician) }));
    }
    const rng = this.rng;
    const age = this.ageAt(time);
    const cardiovascular = this.problems.diabetes || this.problems.hypertension || this.problems.hyperlipidemia;
    if (age >= 50 && cardiovascular && rng.chance(0.5)) this.otcDrugs.push("aspirin");
    if (rng.chance(0.2)) this.otcDrugs.push("acetaminophen");
    if (!this.problems.ckd3 && rng.chance(0.2)) this.otcDrugs.push("ibuprofen");
    for (const drug of this.otcDrugs) {
      this.record.add(selfReportedDrug(this.record.newId(), { ...at, drug: DRUG[drug], since: time - rng.between(0.5, 5) * YEAR_MS, asserted: time }));
    }
  }

  private recordVitals(at: AtVisit, vitals: Vitals, measured: number, withBodySize: boolean) {
    const add = (codes: Code[], value: number, unit: string, ucum: string) =>
      this.record.add(vitalSign(this.record.newId(), { ...at, codes, value, unit, ucum, measured }));
    this.record.add(
      bloodPressure(this.record.newId(), {
        ...at,
        panel: VITAL.bloodPressure,
        systolic: { code: VITAL.systolic, value: vitals.systolic },
        diastolic: { code: VITAL.diastolic, value: vitals.diastolic },
        measured,
      }),
    );
    add([VITAL.heartRate], vitals.heartRate, "beats/minute", "/min");
    add([VITAL.respiratoryRate], vitals.respiratoryRate, "breaths/minute", "/min");
    add([VITAL.temperature], vitals.temperature, "°C", "Cel");
    add([VITAL.spo2, VITAL.spo2Arterial], vitals.spo2, "%", "%");
    add([VITAL.weight], vitals.weight, "kg", "kg");
    if (withBodySize) {
      add([VITAL.height], vitals.height, "cm", "cm");
      add([VITAL.bmi], vitals.bmi, "kg/m2", "kg/m2");
    }
  }

  /** Draws the ordered panels and records each as its results plus one DiagnosticReport. */
  private runLabs(at: AtVisit, m: Moment, panels: PanelKey[], infection: Infection): LabValues {
    const rng = this.rng;
    const collected = m.time + 10 * MINUTE_MS;
    const issued = collected + rng.between(4, 30) * HOUR_MS;
    const values: LabValues = {};
    for (const key of panels) {
      const measured: LabValues =
        key === "metabolic"
          ? metabolicPanel(this.profile, m, rng)
          : key === "lipid"
            ? lipidPanel(this.profile, m, rng)
            : key === "cbc"
              ? bloodCount(this.profile, m, rng, infection)
              : key === "a1c"
                ? { a1c: measureA1c(this.profile, m, rng) }
                : { tsh: measureTsh(this.profile, m, rng) };
      const panel = PANEL[key];
      const flagged: string[] = [];
      const results = panel.tests.map((test) => {
        const value = measured[test]!;
        values[test] = value;
        const limits = referenceLimits(LAB[test], this.person.sex, m.age);
        if (interpret(value, limits) !== "N") flagged.push(LAB[test].name);
        return referenceTo(this.record.add(labResult(this.record.newId(), { ...at, test: LAB[test], value, limits, collected, issued })));
      });
      this.record.add(
        labReport(this.record.newId(), {
          ...at,
          panel,
          results,
          collected,
          issued,
          performer: referenceTo(this.careTeam.clinic),
          conclusion: flagged.length ? `Outside the reference interval: ${flagged.join("; ")}.` : "All results within the reference intervals.",
        }),
      );
    }
    return values;
  }

  // ---- Clinical decisions ------------------------------------------------------------------------------------

  /** Hypertension is diagnosed on two consecutive raised readings, and treatment is stepped up the same way. */
  private reviewBloodPressure(at: AtVisit, vitals: Vitals, time: number) {
    const high = vitals.systolic >= 140 || vitals.diastolic >= 90;
    if (high && this.previousBloodPressureHigh) {
      if (!this.problems.hypertension) {
        this.diagnose("hypertension", at, time);
        this.startFirstAvailable(HYPERTENSION_DRUGS, at, time, "hypertension");
        this.lastBloodPressureChange = time;
      } else if (time - this.lastBloodPressureChange >= 90 * DAY_MS && this.startFirstAvailable(HYPERTENSION_DRUGS, at, time, "hypertension")) {
        this.lastBloodPressureChange = time;
      }
    }
    this.previousBloodPressureHigh = high;
  }

  private reviewResults(at: AtVisit, results: LabValues, m: Moment) {
    const { time } = m;
    const { a1c, ldl, tsh, egfr } = results;
    if (a1c !== undefined && !this.problems.diabetes) {
      if (a1c >= 6.5) {
        const prediabetes = this.problems.prediabetes;
        if (prediabetes) {
          resolveCondition(prediabetes, time);
          delete this.problems.prediabetes;
        }
        this.diagnose("diabetes", at, time);
        this.startDrug("metformin", time, "diabetes", at);
      } else if (a1c >= 5.7 && !this.problems.prediabetes) {
        this.diagnose("prediabetes", at, time);
      }
    }
    if (ldl !== undefined && !this.problems.hyperlipidemia && !this.intolerant.has("atorvastatin")) {
      if (ldl >= 160 || (ldl >= 130 && (this.problems.diabetes || this.problems.hypertension || m.age >= 55))) {
        this.diagnose("hyperlipidemia", at, time);
        this.startDrug("atorvastatin", time, "hyperlipidemia", at);
      }
    }
    if (tsh !== undefined) {
      const high = tsh > 4.5;
      if (!this.problems.hypothyroidism && (tsh > 10 || (high && this.previousTshHigh))) {
        this.diagnose("hypothyroidism", at, time);
        this.startDrug("levothyroxine", time, "hypothyroidism", at);
      }
      this.previousTshHigh = high;
    }
    // Chronic kidney disease needs a low eGFR lasting three months.
    if (egfr !== undefined && !this.problems.ckd3) {
      if (egfr >= 60) this.firstLowEgfr = undefined;
      else if (this.firstLowEgfr === undefined) this.firstLowEgfr = time;
      else if (time - this.firstLowEgfr >= 90 * DAY_MS) this.diagnose("ckd3", at, time, this.firstLowEgfr);
    }
  }

  private diagnose(key: ProblemKey, at: AtVisit, time: number, onset = time) {
    const problem = PROBLEM[key];
    this.problems[key] = this.record.add(
      condition(this.record.newId(), { ...at, problem, listed: true, onset, recorded: time, recorder: referenceTo(this.careTeam.physician) }),
    );
    this.plan.push(`New diagnosis: ${problem.icd10.display} (${problem.icd10.code}).`);
  }

  /** Starts a long-term drug; with `at`, prescribed at this visit, otherwise taken since before the history. */
  private startDrug(drug: DrugKey, time: number, indication: ProblemKey, at?: AtVisit) {
    this.therapy[drug] = time;
    this.indications[drug] = indication;
    if (!at) return;
    this.prescribe(drug, at, time);
    this.plan.push(`Started ${DRUG[drug].rxnorm.display}: ${DRUG[drug].sig.toLowerCase()}.`);
    // Some patients cannot take a drug: an ACE inhibitor's dry cough, a statin's muscle aches.
    if ((drug === "lisinopril" && this.rng.chance(0.1)) || (drug === "atorvastatin" && this.rng.chance(0.07))) {
      this.pendingReactions[drug] = time + this.rng.between(21, 90) * DAY_MS;
    }
  }

  private startFirstAvailable(drugs: DrugKey[], at: AtVisit, time: number, indication: ProblemKey): boolean {
    const next = drugs.find((drug) => this.therapy[drug] === undefined && !this.intolerant.has(drug));
    if (next) this.startDrug(next, time, indication, at);
    return next !== undefined;
  }

  private prescribe(drug: DrugKey, at: AtVisit, time: number) {
    const indication = this.indications[drug];
    const reason = indication && this.problems[indication];
    const request = this.record.add(
      prescription(this.record.newId(), {
        ...at,
        drug: DRUG[drug],
        status: "active",
        authored: time,
        prescriber: referenceTo(this.careTeam.physician),
        ...(reason && { reason: referenceTo(reason) }),
      }),
    );
    this.prescriptions[drug] = { request, authored: time };
  }

  /** Long-term drugs are prescribed for a year at a time; a renewal completes the previous order. */
  private renewPrescriptions(at: AtVisit, time: number) {
    for (const drug of Object.keys(this.therapy) as DrugKey[]) {
      const current = this.prescriptions[drug];
      if (current && time - current.authored < RENEWAL_INTERVAL) continue;
      if (current) endPrescription(current.request, "completed");
      this.prescribe(drug, at, time);
    }
  }

  private reportDrugReactions(at: AtVisit, time: number) {
    for (const drug of Object.keys(this.pendingReactions) as DrugKey[]) {
      if (time < this.pendingReactions[drug]!) continue;
      delete this.pendingReactions[drug];
      const reaction = drug === "lisinopril" ? REACTION.cough : REACTION.myalgia;
      const current = this.prescriptions[drug];
      if (current) endPrescription(current.request, "stopped", reaction);
      delete this.prescriptions[drug];
      delete this.therapy[drug];
      this.intolerant.add(drug);
      const text = drug === "lisinopril" ? "Lisinopril" : "Atorvastatin";
      this.allergyNames.push(`${text} (intolerance)`);
      this.record.add(
        allergy(this.record.newId(), {
          ...at,
          substance: drug === "lisinopril" ? SUBSTANCE.lisinopril : SUBSTANCE.atorvastatin,
          text,
          type: "intolerance",
          category: "medication",
          criticality: "low",
          reaction,
          severity: "mild",
          onset: time - this.rng.between(7, 20) * DAY_MS,
          recorded: time,
          recorder: referenceTo(this.careTeam.physician),
        }),
      );
      this.plan.push(`Stopped ${DRUG[drug].rxnorm.display} (${reaction.display.replace(/ \(.*\)$/, "").toLowerCase()}).`);
      if (drug === "lisinopril") {
        this.startFirstAvailable(["amlodipine", "hydrochlorothiazide"], at, time, "hypertension");
        this.lastBloodPressureChange = time;
      }
    }
  }

  // ---- Vaccines and procedures -------------------------------------------------------------------------------

  private vaccinate(at: AtVisit, m: Moment, annual: boolean) {
    const { time, age } = m;
    const month = monthOf(time);
    const season = month >= 8 ? yearOf(time) : month <= 1 ? yearOf(time) - 1 : undefined;
    if (season !== undefined && this.fluSeasonsPlanned.has(season) && !this.fluSeasonsGiven.has(season)) {
      this.fluSeasonsGiven.add(season);
      this.giveVaccine(at, time, this.rng.chance(0.5) ? VACCINE.influenza : VACCINE.influenzaQuadrivalent);
    }
    if (annual && this.tdapDue !== undefined && time >= this.tdapDue) {
      this.tdapDue = undefined;
      this.giveVaccine(at, time, VACCINE.tdap);
    }
    if (annual && this.pneumococcalPlanned && age >= 65) {
      this.pneumococcalPlanned = false;
      this.giveVaccine(at, time, VACCINE.pneumococcal);
    }
    // Recombinant zoster vaccine (licensed late 2017): two doses, two to six months apart, from age 50.
    const zosterReady = this.zosterPlanned && age >= 50 && time >= Date.UTC(2018, 0, 1);
    if ((annual && zosterReady && this.zosterDoses.length === 0) || (this.zosterDoses.length === 1 && time - this.zosterDoses[0] >= 60 * DAY_MS)) {
      this.zosterDoses.push(time);
      this.giveVaccine(at, time, VACCINE.zoster, this.zosterDoses.length);
    }
  }

  private giveVaccine(at: AtVisit, time: number, vaccine: Code, dose?: number) {
    this.record.add(
      immunization(this.record.newId(), {
        patient: at.patient,
        vaccine,
        given: time + 30 * MINUTE_MS,
        lot: this.lotNumber(),
        atClinic: { encounter: at.encounter, clinician: referenceTo(this.careTeam.physician) },
        dose,
      }),
    );
    this.plan.push(`Vaccinated: ${vaccine.display}.`);
  }

  private lotNumber() {
    const letters = "ABCDEFGHJKLMNPRSTUVWXYZ";
    return `${this.rng.pick([...letters])}${this.rng.pick([...letters])}${this.rng.int(1000, 9999)}`;
  }

  /** A flu shot or COVID-19 vaccine from a pharmacy, known to the clinic from the pharmacy's record. */
  private pharmacyVaccine(visit: Extract<Visit, { kind: "pharmacy" }>) {
    if (visit.fluSeason !== undefined) {
      if (this.fluSeasonsGiven.has(visit.fluSeason)) return;
      this.fluSeasonsGiven.add(visit.fluSeason);
    }
    this.record.add(
      immunization(this.record.newId(), { patient: this.subject, vaccine: visit.vaccine, given: visit.time, lot: this.lotNumber(), dose: visit.dose }),
    );
  }

  private routineProcedures(at: AtVisit, m: Moment, end: number) {
    const rng = this.rng;
    const hypertension = this.problems.hypertension;
    if ((m.age >= 50 || hypertension) && rng.chance(0.25)) {
      this.record.add(
        procedure(this.record.newId(), {
          ...at,
          code: PROCEDURE.ecg,
          start: end - 10 * MINUTE_MS,
          performer: referenceTo(this.careTeam.physician),
          ...(hypertension ? { reason: referenceTo(hypertension) } : { reasonText: "Cardiovascular risk assessment" }),
        }),
      );
    }
    const asthma = this.problems.asthma;
    if (asthma && rng.chance(0.3)) {
      this.record.add(
        procedure(this.record.newId(), { ...at, code: PROCEDURE.spirometry, start: end - 20 * MINUTE_MS, end: end - 5 * MINUTE_MS, performer: referenceTo(this.careTeam.physician), reason: referenceTo(asthma) }),
      );
    }
  }

  /** Colonoscopy or mammography at an outside department: an encounter of its own. */
  private screening(time: number, kind: "colonoscopy" | "mammography") {
    const code = kind === "colonoscopy" ? PROCEDURE.colonoscopy : PROCEDURE.mammography;
    const minutes = kind === "colonoscopy" ? this.rng.int(25, 50) : this.rng.int(15, 25);
    const end = time + (minutes + 30) * MINUTE_MS;
    const reasonText = kind === "colonoscopy" ? "Colorectal cancer screening" : "Breast cancer screening";
    const visit = this.record.add(
      encounter(this.record.newId(), { patient: this.subject, type: code, start: time, end, clinic: referenceTo(this.careTeam.clinic), reasonText }),
    );
    this.record.add(
      procedure(this.record.newId(), {
        patient: this.subject,
        encounter: referenceTo(visit),
        code,
        start: time + 15 * MINUTE_MS,
        end: time + (15 + minutes) * MINUTE_MS,
        reasonText,
      }),
    );
  }

  // ---- Urgent visits -----------------------------------------------------------------------------------------

  private urgentVisit(time: number) {
    const rng = this.rng;
    const asthma = this.problems.asthma;
    const reason = rng.weighted(asthma ? [...ACUTE_REASONS, ASTHMA_ATTACK] : ACUTE_REASONS);
    const emergency = rng.chance(reason.emergency);
    const end = time + rng.int(30, emergency ? 240 : 60) * MINUTE_MS;
    const visit = this.record.add(
      encounter(this.record.newId(), {
        patient: this.subject,
        type: emergency ? ENCOUNTER_TYPE.emergency : ENCOUNTER_TYPE.symptom,
        priority: emergency ? "emergency" : "urgent",
        start: time,
        end,
        clinic: referenceTo(this.careTeam.clinic),
        clinician: referenceTo(this.careTeam.urgentCare),
      }),
    );
    const at: AtVisit = { patient: this.subject, encounter: referenceTo(visit) };
    this.plan = [];

    let diagnosis: Identified<Condition> | undefined = asthma && reason === ASTHMA_ATTACK ? asthma : undefined;
    if (reason.problem) {
      const abated = time + rng.between(7, 21) * DAY_MS;
      diagnosis = this.record.add(
        condition(this.record.newId(), {
          ...at,
          problem: PROBLEM[reason.problem],
          listed: false,
          onset: time - rng.between(1, 5) * DAY_MS,
          recorded: end,
          ...(abated < this.now && { abated }),
          recorder: referenceTo(this.careTeam.urgentCare),
        }),
      );
    }
    if (diagnosis) visit.reasonReference = [referenceTo(diagnosis)];

    const m = this.moment(time);
    this.recordVitals(at, vitalSigns(this.profile, m, rng, reason.illness), time + 5 * MINUTE_MS, false);
    if (rng.chance(reason.bloodCount)) this.runLabs(at, m, ["cbc"], reason.infection);
    if (reason.procedure && rng.chance(reason.procedure.chance)) {
      this.record.add(
        procedure(this.record.newId(), {
          ...at,
          code: reason.procedure.code,
          start: time + 20 * MINUTE_MS,
          performer: referenceTo(this.careTeam.urgentCare),
          ...(diagnosis && { reason: referenceTo(diagnosis) }),
        }),
      );
    }
    const drug = reason.drug?.(rng, this.allergicToPenicillin);
    if (drug) {
      const courseEnds = time + (DRUG[drug].courseDays ?? 0) * DAY_MS;
      this.record.add(
        prescription(this.record.newId(), {
          ...at,
          drug: DRUG[drug],
          status: courseEnds < this.now ? "completed" : "active",
          authored: end - 5 * MINUTE_MS,
          prescriber: referenceTo(this.careTeam.urgentCare),
          ...(diagnosis && { reason: referenceTo(diagnosis) }),
        }),
      );
    }
  }

  // ---- Notes -------------------------------------------------------------------------------------------------

  private writeNote(at: AtVisit, start: number, end: number, annual: boolean, vitals: Vitals, results: LabValues) {
    const { physician, clinic } = this.careTeam;
    const clinicianName = physician.name![0];
    const name = this.patient.name![0];
    const shown: LabKey[] = ["a1c", "glucose", "ldl", "egfr", "potassium", "tsh", "hemoglobin"];
    const text = consultNoteText({
      visitDate: isoDate(start),
      patient: `${name.given![0]} ${name.family}`,
      age: this.ageAt(start),
      sex: this.person.sex,
      clinician: `${clinicianName.given![0]} ${clinicianName.family}, ${clinicianName.suffix![0]}`,
      reason: annual ? "Annual preventive visit and review of chronic conditions." : "Follow-up of chronic conditions.",
      problems: Object.values(this.problems).map((problem) => problem.code!.coding![1].display!),
      medications: [...(Object.keys(this.therapy) as DrugKey[]), ...this.otcDrugs].map((drug) => `${DRUG[drug].rxnorm.display}: ${DRUG[drug].sig}`),
      allergies: this.allergyNames,
      vitals,
      results: shown
        .filter((test) => results[test] !== undefined)
        .map((test) => {
          const value = results[test]!;
          const flag = interpret(value, referenceLimits(LAB[test], this.person.sex, this.ageAt(start)));
          return `${LAB[test].name}: ${value} ${LAB[test].unit}${flag === "N" ? "" : ` (${flag})`}`;
        }),
      plan: this.plan,
    });
    this.record.add(
      consultNote(this.record.newId(), {
        ...at,
        text,
        title: `Consult note ${isoDate(start)}`,
        written: end + 30 * MINUTE_MS,
        start,
        end,
        author: referenceTo(physician),
        custodian: referenceTo(clinic),
      }),
    );
  }
}
