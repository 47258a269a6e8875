// Global setup of the PostgreSQL run (vitest.pg.config.mts): one private cluster for the whole run, started once
// and deleted at the end. Every test still gets a database of its own (freshEngine → freshPgStore), so files
// running side by side never see each other's rows; one cluster instead of one per file saves its start-up
// (2-4 s) about forty times.
import type { TestProject } from "vitest/node";
import { startPgCluster } from "../scripts/pg-cluster.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // two files at a time, each test's store keeping up to 10 connections until its idle timeout
  const cluster = await startPgCluster({ maxConnections: 300 });
  project.provide("pgUrl", cluster.url);
  return () => cluster.stop();
}
