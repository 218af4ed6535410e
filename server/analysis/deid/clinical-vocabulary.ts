// Clinical words that look like names or identifiers to the other rules, so clinical meaning survives
// de-identification: units and doses, lab and clinical abbreviations, code systems, and eponyms.

/** UCUM-ish unit atoms as reports and prescriptions print them (case-insensitive), two letters or more. */
const UNIT_ATOM =
  "(?:mmol|µmol|umol|nmol|pmol|mol|meq|mosm|mg|µg|ug|mcg|ng|pg|kg|gm|ml|µl|ul|dl|iu|miu|µiu|uiu|ku|mu|units?|unt|" +
  "cells?|copies|mm\\[?hg\\]?|mmhg|cmh2o|cm|mm|µm|um|ft|lbs?|oz|bpm|beats|breaths|min|hr|hrs|sec|wk|days?|weeks?|" +
  "months?|fl|%|‰|°c|°f|x\\s?10\\^?\\d+|10\\*\\d+|10\\^\\d+|10e\\d+|mil|thou|au|puffs?|tabs?|tablets?|caps?|" +
  "capsules?|drops?|gtt|sprays?|patch(?:es)?|vials?|ampoules?|doses?|sachets?|mets|kcal|cal|s\\/co)";
/** One-letter units (g, L, U) after a space; m, h, d, s, C, F only glued to the number ("37C", "10h"). */
const SHORT_UNIT = "(?:\\s?[glu]|[mhdscfk])(?![\\p{L}])";
const DENOMINATOR = `(?:\\d+(?:\\.\\d+)?\\s?)?(?:${UNIT_ATOM}|[glumhdsk])\\d?`;

/** A unit expression: an atom, then "/" and denominators ("mL/min/1.73m2", "10*3/uL", "mg/kg/d"). */
export const UNIT = `(?:\\s?${UNIT_ATOM}\\d?|${SHORT_UNIT})(?:\\s?\\/\\s?${DENOMINATOR})*`;

/**
 * A measured value with its unit ("7.2 %", "500 mg", "142/88 mmHg", "4000 unt/ml", "5-10 mg"), or a value after a
 * vital-sign or lab label ("BP 142/88", "HR 72"). These are what analysis needs and what identifier patterns (phone
 * numbers, ids) must never swallow. One range or ratio at most, so a phone number followed by "days" is no dose.
 */
export const CLINICAL_VALUE = new RegExp(
  `(?<![\\w.])[<>≤≥~]?\\d+(?:[.,]\\d+)?(?:\\s?(?:-|–|to|\\/|x)\\s?\\d+(?:[.,]\\d+)?)?${UNIT}(?![\\p{L}\\d])` +
    `|\\b(?:BP|blood pressure)[:\\s]+\\d{2,3}\\/\\d{2,3}\\b` +
    `|\\b(?:HR|RR|pulse|SpO2|O2 sat|temp|weight|height|BMI|HbA1c|A1c|INR|eGFR|LDL|HDL|TSH|PSA|WBC|RBC|Hgb|Hb|Hct|PLT|MCV|Na|K|Cl|CO2|BUN|Cr)[:\\s]+\\d+(?:\\.\\d+)?\\b`,
  "giu",
);

/**
 * Codes of clinical code systems, kept as they are: they describe the condition or test, not the person.
 * LOINC ("4548-4"), ICD-10 ("E11.9"), and any number right after a code system's name (SNOMED, RxNorm, CPT, NDC).
 */
export const CLINICAL_CODE = new RegExp(
  [
    "(?<![\\w-])\\d{3,5}-\\d(?![\\w-])", // LOINC with its check digit
    "(?<![\\w.])[A-TV-Z]\\d{2}(?:\\.[0-9A-Z]{1,4})?(?![\\w])", // ICD-10 / ICD-10-CM
    "\\b(?:SNOMED(?:[ -]CT)?|SCT|RxNorm|RXCUI|CPT|HCPCS|NDC|LOINC|ICD-?(?:9|10)(?:-CM|-PCS)?|ATC|CVX|UCUM)(?:\\s*(?:code|#|no\\.?))?[:\\s]+[\\w.-]+",
  ].join("|"),
  "g",
);

/** Lab, vital-sign and clinical abbreviations printed in capitals that the name rules would otherwise take. */
export const CLINICAL_ABBREVIATIONS = new Set(
  (
    "BP HR RR SPO2 BMI ECG EKG EEG EMG MRI CT PET CXR US ICU ER ED OR PACU NICU PICU CCU OB GYN ENT GI GU CNS PNS CVA " +
    "TIA MI CHF CAD PAD PVD DVT PE AF AFIB COPD CKD ESRD AKI ARDS UTI URI HIV AIDS HCV HBV HPV HSV CMV EBV TB MRSA VRE " +
    "COVID SARS RSV GERD IBS IBD DM T1DM T2DM HTN HLD OSA BPH ADHD PTSD OCD CBC CMP BMP LFT LFTS TSH FT4 PSA INR PTT APTT " +
    "ESR CRP HBA1C LDL HDL VLDL BUN EGFR GFR ALT AST ALP GGT LDH CK CKMB BNP NTPROBNP WBC RBC HGB HCT PLT MCV MCH MCHC RDW " +
    "MPV ANC ABG VBG UA UACR ACR NSAID NSAIDS ACE ARB SSRI SNRI PPI DOAC LMWH TPN IV IM SC SQ PO PR SL NPO PRN BID TID QID " +
    "QD QHS QAM QPM HS AC PC STAT DNR DNI POLST ADL IADL ROM PT OT SLP SOB DOE CP HPI ROS PMH PSH FH SH HEENT " +
    "NKDA NKA MG MCG ML IU MEQ MMOL DL NOTE CONSULT REPORT HISTORY PLAN ASSESSMENT LAB LABS RESULTS VITALS MEDS " +
    "NSTEMI STEMI CABG PCI TAVR ICD AICD CRT LVEF EF NYHA CPAP BIPAP HFNC O2 FIO2 PEEP LOINC SNOMED ICD10 RXNORM CPT HCPCS NDC " +
    "FHIR HL7 HIPAA PHI MRN DOB SSN ID TDAP DTAP MMR MMRV IPV OPV PCV PCV13 PCV20 PPSV PPSV23 HIB HEPA HEPB BCG VZV TD " +
    "HPV9 MENACWY MENB RZV COVID-19"
  ).split(" "),
);

/** Words that make the capitalised word before them an eponym ("Parkinson disease", "Glasgow Coma Scale"), not a person. */
export const EPONYM_HEADS =
  /^(?:['’]s\s+)?(?:disease|syndrome|sign|test|score|scale|criteria|classification|catheter|monitor|palsy|lymphoma|sarcoma|tumou?r|esophagus|oesophagus|phenomenon|ulcer|fracture|procedure|maneuver|manoeuvre|reflex|tube|node|contracture|cyst|type|index|equation|formula|method|stain|bodies|body|cells?|disorder|dementia|thyroiditis|anomaly|deformity|triad|law|position|incision|operation|repair|block|coma)\b/i;
