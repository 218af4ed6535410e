// Where a document's file and page images are served: the authorised, audited
// routes under app/api/patients/[patientId]/documents. No imports, so pages and
// the record's FHIR links can both use it.
export const documentFileUrl = (patientId: string, documentId: string) => `/api/patients/${patientId}/documents/${documentId}/file`;

export const documentPageUrl = (patientId: string, documentId: string, page: number) => `/api/patients/${patientId}/documents/${documentId}/pages/${page}`;
