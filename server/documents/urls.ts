// Where documents are uploaded and their files and page images served (the
// authorised, audited routes under app/api/patients/[patientId]/documents), and
// where browsers send direct uploads. No imports, so browser code and the edge
// proxy can use it.

/** Where a patient's documents are uploaded through the app (multipart). */
export const documentUploadUrl = (patientId: string) => `/api/patients/${patientId}/documents`;

export const documentFileUrl = (patientId: string, documentId: string) => `/api/patients/${patientId}/documents/${documentId}/file`;

/**
 * The origin browsers PUT direct uploads to, as the S3 SDK addresses the bucket (S3_* settings, see
 * storage/settings.ts), for the Content-Security-Policy; null when documents are kept in a local folder.
 */
export function directUploadOrigin(env: Record<string, string | undefined>): string | null {
  const read = (name: string) => env[name]?.trim() || undefined;
  const bucket = read("S3_BUCKET");
  if (!bucket) return null;
  const pathStyle = ["true", "1"].includes(read("S3_FORCE_PATH_STYLE")?.toLowerCase() ?? "");
  const endpoint = read("S3_ENDPOINT");
  if (endpoint && URL.canParse(endpoint)) {
    const url = new URL(endpoint);
    return pathStyle ? url.origin : `${url.protocol}//${bucket}.${url.host}`;
  }
  const region = read("S3_REGION") ?? "us-east-1";
  return pathStyle ? `https://s3.${region}.amazonaws.com` : `https://${bucket}.s3.${region}.amazonaws.com`;
}

export const documentPageUrl = (patientId: string, documentId: string, page: number) => `/api/patients/${patientId}/documents/${documentId}/pages/${page}`;
