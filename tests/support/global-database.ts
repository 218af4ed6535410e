import type { TestProject } from "vitest/node";
import { startTestCluster } from "./test-cluster";

declare module "vitest" {
  export interface ProvidedContext {
    testDatabaseServerUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startTestCluster();
  project.provide("testDatabaseServerUrl", server.serverUrl);
  return () => server.stop();
}
