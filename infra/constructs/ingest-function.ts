// The ingest function: fetches each indicator's source on a schedule per cadence, stores new observations.
import { Duration } from 'aws-cdk-lib';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { LoadedScenario } from '../../shared/config/load-scenarios.ts';
import type { Cadence } from '../../shared/domain/period.ts';
import { FunctionSchedule, type ScheduledFunctionProps } from './function-schedule.ts';
import { SignpostFunction } from './signpost-function.ts';
import { grantTable, indicatorPartitions, TABLE_ACCESS } from './table-access.ts';

/**
 * When ingest polls the indicators of each cadence (UTC). Sources publish with a lag and revise recent
 * periods, so a monthly, quarterly or yearly figure can appear on any day: those are polled daily, not
 * once per period. Daily series are polled every six hours so a new day is seen within a few hours.
 * Ingest writes each period idempotently, so a poll that finds nothing new costs only a few requests.
 */
export const INGEST_SCHEDULES: Record<Cadence, { hour: string; description: string }> = {
  P1D: { hour: '*/6', description: 'every six hours' },
  P1W: { hour: '4', description: 'daily' },
  P1M: { hour: '4', description: 'daily' },
  P3M: { hour: '4', description: 'daily' },
  P1Y: { hour: '4', description: 'daily' },
};

/** The function, and beside it (in `scope`) one schedule per cadence the scenarios' indicators use. */
export class IngestFunction extends SignpostFunction {
  constructor(scope: Construct, id: string, props: ScheduledFunctionProps) {
    super(scope, id, {
      ...props,
      name: 'ingest',
      description: 'Fetches indicator sources and stores new observations',
      timeout: Duration.minutes(2),
    });
    const { scenarios, table, scheduleFailures } = props;
    // Observations, revisions, fetch runs and source health: all in the fetched indicators' partitions.
    const fetched = indicatorPartitions(scenarios, false);
    grantTable(this, table, TABLE_ACCESS.ingest, { read: fetched, write: fetched });
    for (const secretId of secretIds(scenarios)) {
      const secret = secretId.startsWith('arn:')
        ? Secret.fromSecretCompleteArn(scope, `Secret-${secretId}`, secretId)
        : Secret.fromSecretNameV2(scope, `Secret-${secretId}`, secretId);
      secret.grantRead(this);
    }
    this.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(scheduleFailures) });
    for (const [cadence, indicators] of indicatorsByCadence(scenarios)) {
      const when = INGEST_SCHEDULES[cadence];
      new FunctionSchedule(scope, `Ingest${cadence}`, {
        description: `Ingest the ${cadence} indicators ${when.description}`,
        schedule: ScheduleExpression.cron({ minute: '0', hour: when.hour }),
        fn: this,
        input: { indicators },
        deadLetterQueue: scheduleFailures,
      });
    }
  }
}

/** The distinct cadences across all scenarios, each with the sorted ids of its indicators. */
export function indicatorsByCadence(scenarios: LoadedScenario[]): Map<Cadence, string[]> {
  const byCadence = new Map<Cadence, Set<string>>();
  for (const { scenario } of scenarios) {
    // Manual indicators are posted through the API: there is nothing to fetch on a schedule.
    for (const indicator of scenario.indicators.filter((i) => i.source.kind !== 'manual')) {
      const ids = byCadence.get(indicator.cadence) ?? new Set<string>();
      ids.add(indicator.id);
      byCadence.set(indicator.cadence, ids);
    }
  }
  return new Map(
    [...byCadence].sort(([a], [b]) => a.localeCompare(b)).map(([c, ids]) => [c, [...ids].sort()]),
  );
}

/** The Secrets Manager secrets the scenarios' HTTP sources take header values from. */
export function secretIds(scenarios: LoadedScenario[]): string[] {
  const ids = new Set<string>();
  for (const { scenario } of scenarios) {
    for (const { source } of scenario.indicators) {
      const headers = 'headers' in source ? source.headers : undefined;
      for (const value of Object.values(headers ?? {})) if ('secret' in value) ids.add(value.secret);
    }
  }
  return [...ids].sort();
}
