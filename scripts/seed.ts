// Demo data for a fresh database. Each domain seeds its own data through its
// public API; re-running changes nothing that already exists.
export async function seedDemoData(log: (line: string) => void = console.log) {
  const { seedDemoAccounts } = await import("@/server/auth");
  const accounts = await seedDemoAccounts();
  log(`seed: demo accounts ready (${accounts.map((a) => a.email).join(", ")})`);
}
