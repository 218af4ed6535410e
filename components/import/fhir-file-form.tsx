"use client";

import { useId, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { ImportFiles } from "./import-procedures";

type Format = ImportFiles["format"];

/** Bulk Data exports are .ndjson; anything else is taken for a Bundle, which the server then checks. */
function formatOf(fileName: string): Format {
  return fileName.toLowerCase().endsWith(".ndjson") ? "NDJSON" : "BUNDLE";
}

const FORMAT_LABEL: Record<Format, string> = { BUNDLE: "FHIR Bundle", NDJSON: "Bulk Data (NDJSON)" };

/**
 * The file picker of an import. Files are read in the browser and sent as
 * text; the format follows from their extension, one format per import.
 */
export function FhirFileForm({ onImport, pending, message, fileErrors }: {
  /** Starts the import; rejects when the server refuses the files (shown from `message` / `fileErrors`). */
  onImport: (files: ImportFiles) => Promise<unknown>;
  pending: boolean;
  message: string | null;
  fileErrors?: string[];
}) {
  const id = useId();
  const [chosen, setChosen] = useState<File[]>([]);
  const [reading, setReading] = useState(false);
  // A refusal is about the files sent; choosing others clears it.
  const [showRefusal, setShowRefusal] = useState(false);
  const [missing, setMissing] = useState(false);
  const formats = [...new Set(chosen.map((file) => formatOf(file.name)))];
  const errors = missing
    ? ["Choose at least one file."]
    : formats.length > 1
      ? ["Import Bundle (.json) files and Bulk Data (.ndjson) files separately: choose files of one kind."]
      : showRefusal
        ? (fileErrors ?? [])
        : [];

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    if (!chosen.length) return setMissing(true);
    if (formats.length > 1) return;
    setReading(true);
    try {
      const files = await Promise.all(chosen.map(async (file) => ({ fileName: file.name, content: await file.text() })));
      setShowRefusal(true);
      await onImport({ format: formats[0], files });
    } catch {
      return; // the caller shows why
    } finally {
      setReading(false);
    }
    form.reset();
    setChosen([]);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {showRefusal && message && !errors.length && <Alert tone="error">{message}</Alert>}
      <div className="space-y-1">
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          FHIR files
        </label>
        <input
          id={id}
          name="files"
          type="file"
          multiple
          accept=".json,.ndjson,application/fhir+json"
          aria-invalid={errors.length ? true : undefined}
          aria-describedby={`${id}-hint${errors.length ? ` ${id}-error` : ""}`}
          onChange={(event) => {
            setChosen(Array.from(event.target.files ?? []));
            setMissing(false);
            setShowRefusal(false);
          }}
          className="block w-full text-sm text-slate-700 file:mr-4 file:rounded-md file:border-0 file:bg-slate-100 file:px-4 file:py-2 file:text-sm file:font-semibold file:text-slate-900 hover:file:bg-slate-200"
        />
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          One or more FHIR Bundle (.json) files, or the .ndjson files of a Bulk Data export. Up to 50 files of 50 MB each.
        </p>
        {errors.length > 0 && (
          <p id={`${id}-error`} className="text-sm text-red-700">
            {errors.join(" ")}
          </p>
        )}
      </div>
      {formats.length === 1 && (
        <p className="text-sm text-slate-600">
          {chosen.length === 1 ? "1 file" : `${chosen.length} files`}, read as {FORMAT_LABEL[formats[0]]}.
        </p>
      )}
      <Button type="submit" disabled={reading || pending}>
        {reading || pending ? "Uploading…" : "Import"}
      </Button>
    </form>
  );
}
