// Environment variables, validated once at cold start: a function with a missing setting fails fast.
import * as z from './validation.ts';

export class EnvironmentError extends Error {
  constructor(issues: z.core.$ZodIssue[]) {
    super(`invalid environment: ${issues.map((i) => `${i.path.join('.')} (${i.message})`).join('; ')}`);
    this.name = 'EnvironmentError';
  }
}

export function readEnv<S extends z.ZodMiniType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const result = z.safeParse(schema, env);
  if (!result.success) throw new EnvironmentError(result.error.issues);
  return result.data;
}

export const tableEnv = z.object({
  TABLE_NAME: z.string().check(z.minLength(1, 'the DynamoDB table name')),
  SCENARIOS_DIR: z.string().check(z.minLength(1, 'the folder with the scenario YAML files')),
});
