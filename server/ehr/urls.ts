// Where a clinic's backend services key set is published (the route under
// app/api/ehr/organizations), for portals that fetch keys from a JWKS URL. No
// imports, so browser code can use it.

export const organizationJwksPath = (organizationConnectionId: string) => `/api/ehr/organizations/${organizationConnectionId}/jwks`;
