"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { documentUploadUrl } from "@/server/documents/urls";
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

type DocumentKind = (typeof DOCUMENT_TYPES)[number][0];
const isUploadProblem = (failure: unknown): failure is UploadProblem => typeof failure === "object" && failure !== null && "fields" in failure && !(failure instanceof Error);
const INTERRUPTED: UploadProblem = { message: "The upload was interrupted. Check your connection and try again.", fields: {} };

/** Sends a request with XMLHttpRequest, which (unlike fetch) reports upload progress for large scans. */
function send(method: "POST" | "PUT", url: string, body: FormData | File, headers: Record<string, string>, onProgress: (percent: number) => void) {
  return new Promise<XMLHttpRequest>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(method, url);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.responseType = method === "POST" ? "json" : "text";
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(Math.round((event.loaded / event.total) * 100));
    request.onload = () => resolve(request);
    request.onerror = () => reject(INTERRUPTED);
    request.send(body);
  });
}

/** Through the app: the multipart upload route. */
async function uploadThroughApp(patientId: string, form: FormData, onProgress: (percent: number) => void) {
  const response = await send("POST", documentUploadUrl(patientId), form, {}, onProgress);
  const body = response.response as (UploadedDocument & { error?: { message: string; fieldErrors?: Record<string, string[]> } }) | null;
  if (response.status < 300 && body) return body;
  throw { message: body?.error?.message ?? "The upload failed. Please try again.", fields: body?.error?.fieldErrors ?? {} } satisfies UploadProblem;
}

/**
 * Upload a lab report (PDF, or a photo or scan of it) into a patient's record: through the app, or (`direct`, when
 * documents are kept in S3) straight to the store, so files larger than a serverless request can carry get through.
 */
export function DocumentUploadForm({ patientId, maxMegabytes, direct, onUploaded }: {
  patientId: string;
  maxMegabytes: number;
  direct: boolean;
  onUploaded: (uploaded: UploadedDocument) => void;
}) {
  const trpc = useTRPC();
  const startDirect = useMutation(trpc.documents.uploads.start.mutationOptions());
  const finishDirect = useMutation(trpc.documents.uploads.finish.mutationOptions());
  const [progress, setProgress] = useState<number | null>(null);
  const [problem, setProblem] = useState<UploadProblem | null>(null);

  /** Straight to the store: a URL for this many bytes, the file itself, then the app files what arrived. */
  async function uploadDirectly(file: File, form: FormData): Promise<UploadedDocument> {
    const target = await startDirect.mutateAsync({ patientId, sizeBytes: file.size });
    const stored = await send("PUT", target.url, file, target.headers, setProgress);
    if (stored.status >= 300) throw { message: "The file could not be stored. Please try again.", fields: {} } satisfies UploadProblem;
    const type = String(form.get("type") ?? "") as DocumentKind;
    return finishDirect.mutateAsync({ patientId, uploadId: target.uploadId, fileName: file.name, title: String(form.get("title") ?? "") || undefined, type: type || undefined });
  }

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
      const uploaded = direct ? await uploadDirectly(file, new FormData(form)) : await uploadThroughApp(patientId, new FormData(form), setProgress);
      form.reset();
      onUploaded(uploaded);
    } catch (failure) {
      const { message, fields } = isUploadProblem(failure) ? failure : formErrors(failure);
      setProblem({ message: message ?? INTERRUPTED.message, fields });
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
