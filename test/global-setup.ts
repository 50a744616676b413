// Starts the real local services once for the whole test run.
import type { TestProject } from 'vitest/node';
import { type LocalServices, localAwsEnv, startLocalServices } from '../cli/local/services.ts';

let services: LocalServices | undefined;

export async function setup(project: TestProject): Promise<void> {
  services = await startLocalServices();
  project.provide('localAwsEnv', localAwsEnv(services));
}

export async function teardown(): Promise<void> {
  await services?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    localAwsEnv: Record<string, string>;
  }
}
