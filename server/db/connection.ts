// Connection settings every PostgreSQL client of the app uses. The session
// time zone is pinned to UTC: Prisma's pg adapter sends timestamps without a
// zone, which PostgreSQL would otherwise read in the server's own zone and
// compare wrongly with now() (leases, sleeps, retries).
export function pgConnectionConfig(connectionString = process.env.DATABASE_URL) {
  return { connectionString, options: "-c TimeZone=UTC" };
}
