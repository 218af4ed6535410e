"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ProgressBar } from "@/components/ui/progress-bar";
import { SelectField, TextField } from "@/components/ui/text-field";

const DOCUMENT_TYPES = [
  ["LAB_REPORT", "Lab report"],
  ["IMAGING_REPORT", "Imaging report"],
  ["CLINICAL_LETTER", "Letter or clinic note"],
  ["OTHER", "Something else"],
] as const;

export type UploadedDocument = { document: { id: string; title: string }; duplicate: boolean };
type UploadProblem = { message: string; fields: Record<string, string[]> };

/** Sends the form with XMLHttpRequest, which (unlike fetch) reports upload progress for large scans. */
function sendUpload(url: string, form: FormData, onProgress: (percent: number) => void) {
  return new Promise<UploadedDocument>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.responseType = "json";
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(Math.round((event.loaded / event.total) * 100));
    request.onload = () => {
      const body = request.response as (UploadedDocument & { error?: { message: string; fieldErrors?: Record<string, string[]> } }) | null;
      if (request.status < 300 && body) resolve(body);
      else reject({ message: body?.error?.message ?? "The upload failed. Please try again.", fields: body?.error?.fieldErrors ?? {} } satisfies UploadProblem);
    };
    request.onerror = () => reject({ message: "The upload was interrupted. Check your connection and try again.", fields: {} } satisfies UploadProblem);
    request.send(form);
  });
}

/** Upload a lab report (PDF, or a photo or scan of it) into a patient's record. */
export function DocumentUploadForm({ patientId, maxMegabytes, onUploaded }: { patientId: string; maxMegabytes: number; onUploaded: (uploaded: UploadedDocument) => void }) {
  const [progress, setProgress] = useState<number | null>(null);
  const [problem, setProblem] = useState<UploadProblem | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const file = (form.elements.namedItem("file") as HTMLInputElement).files?.[0];
    if (!file) {
      setProblem({ message: "Choose a file to upload.", fields: { file: ["Choose a file to upload."] } });
      return;
    }
    setProblem(null);
    setProgress(0);
    try {
      const uploaded = await sendUpload(`/api/patients/${patientId}/documents`, new FormData(form), setProgress);
      form.reset();
      onUploaded(uploaded);
    } catch (failure) {
      setProblem(failure as UploadProblem);
    } finally {
      setProgress(null);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {problem && <Alert tone="error">{problem.message}</Alert>}
      <TextField
        label="File"
        name="file"
        type="file"
        accept="application/pdf,image/png,image/jpeg,image/tiff,.pdf,.png,.jpg,.jpeg,.tif,.tiff"
        hint={`PDF, PNG, JPEG or TIFF, up to ${maxMegabytes} MB. Several pages are fine.`}
        errors={problem?.fields.file}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Title (optional)" name="title" maxLength={200} placeholder="e.g. Blood count, March 2024" errors={problem?.fields.title} />
        <SelectField label="Kind of document" name="type" options={DOCUMENT_TYPES} defaultValue="LAB_REPORT" errors={problem?.fields.type} />
      </div>
      {progress !== null && (
        <div className="space-y-1" aria-live="polite">
          <p className="text-sm text-slate-600">Uploading… {progress}%</p>
          <ProgressBar label="Upload" percent={progress} />
        </div>
      )}
      <Button type="submit" disabled={progress !== null}>
        {progress !== null ? "Uploading…" : "Upload"}
      </Button>
    </form>
  );
}
