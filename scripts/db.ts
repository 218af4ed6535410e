// Database commands that work without Prisma's native engine:
//   npm run db:migrate                      apply pending migrations
//   npm run db:migration:create -- <name>   write a migration for schema changes in prisma/*.prisma
//   npm run db:seed                         add the demo accounts
import { createMigration } from "./lib/migration-files";
import { prepareDatabase, withDatabase } from "./lib/database";
import { seedDemoData } from "./seed";

const [command, ...args] = process.argv.slice(2);

async function main() {
  switch (command) {
    case "migrate":
      return withDatabase((url) => prepareDatabase(url));
    case "create-migration": {
      const created = await createMigration(args[0]);
      console.log(created ? `created ${created}` : "no schema changes: nothing to create");
      return;
    }
    case "seed":
      return withDatabase(async (url) => {
        await prepareDatabase(url);
        await seedDemoData();
      });
    default:
      console.error("usage: tsx scripts/db.ts migrate | create-migration <name> | seed");
      process.exitCode = 2;
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
