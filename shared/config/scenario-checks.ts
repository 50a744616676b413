// The checks across fields of a scenario file: unique ids, priors summing to 1, every per-path table
// naming each path, groups and outcomes that exist, alerting and forecast settings that fit together.
import type * as z from 'zod';
import { dynamicsChecks } from './dynamics-schema.ts';

/** Adds an issue at the field to fix for each inconsistency; `data` may be partly malformed. */
export function crossFieldChecks(data: unknown, ctx: z.RefinementCtx): void {
  const record = (value: unknown): Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  const scenario = record(data);
  const paths = list(scenario.paths).map(record);
  const indicators = list(scenario.indicators).map(record);
  const pathIds = paths.map((p) => p.id).filter((id): id is string => typeof id === 'string');

  for (const i of duplicates(paths.map((p) => String(p.id)))) {
    ctx.addIssue({ code: 'custom', path: ['paths', i, 'id'], message: 'a path id not used before' });
  }
  for (const i of duplicates(list(scenario.groups).map((g) => String(record(g).id)))) {
    ctx.addIssue({ code: 'custom', path: ['groups', i, 'id'], message: 'a group id not used before' });
  }
  const minIndicators = record(scenario.alerting).minIndicators;
  if (typeof minIndicators === 'number' && indicators.length > 0 && minIndicators > indicators.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['alerting', 'minIndicators'],
      message: `at most the number of indicators (${indicators.length}), or the state could never leave insufficient-data`,
    });
  }
  // A warning needs a projected confirmed change within the horizon. From a steady state that takes
  // m updates; a shorter horizon could warn only once a shift is already pending (votes in hand),
  // i.e. never ahead of one: refused as a configuration mistake.
  const forecastBlock = record(scenario.forecast);
  const confirmM = record(record(scenario.alerting).confirm).m;
  const horizon = forecastBlock.horizon ?? 6;
  if (
    forecastBlock.warnAbove !== undefined &&
    typeof horizon === 'number' &&
    typeof confirmM === 'number' &&
    horizon < confirmM
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['forecast', 'horizon'],
      message: `a horizon of at least alerting.confirm.m (${confirmM}) periods when warnAbove is set: a shorter one cannot project a confirmed change from a steady state, so the warning could only come once a shift is already pending`,
    });
  }
  for (const i of duplicates(indicators.map((indicator) => String(indicator.id)))) {
    ctx.addIssue({
      code: 'custom',
      path: ['indicators', i, 'id'],
      message: 'an indicator id not used before',
    });
  }
  const priors = paths.map((p) => p.prior);
  // The sum is only worth reporting when each prior on its own is valid.
  if (priors.length > 0 && priors.every((p) => typeof p === 'number' && p > 0 && p < 1)) {
    const priorSum = (priors as number[]).reduce((sum, p) => sum + p, 0);
    if (Math.abs(priorSum - 1) > 1e-6) {
      ctx.addIssue({
        code: 'custom',
        path: ['paths'],
        message: `priors summing to 1 (they sum to ${priorSum})`,
      });
    }
  }
  // Every per-path table (expectations, likelihoods) must name each path of the scenario, and only those.
  indicators.forEach((indicator, i) => {
    for (const { at, table } of perPathTables(indicator, record, list)) {
      const named = Object.keys(table);
      for (const pathId of pathIds.filter((p) => !named.includes(p))) {
        ctx.addIssue({
          code: 'custom',
          path: ['indicators', i, ...at, pathId],
          message: `an entry for path ${pathId}`,
        });
      }
      for (const extra of named.filter((p) => !pathIds.includes(p))) {
        ctx.addIssue({
          code: 'custom',
          path: ['indicators', i, ...at, extra],
          message: `one of the scenario's paths (${pathIds.join(', ')})`,
        });
      }
    }
    const groupIds = list(scenario.groups).map((g) => record(g).id);
    if (indicator.group !== undefined && !groupIds.includes(indicator.group)) {
      ctx.addIssue({
        code: 'custom',
        path: ['indicators', i, 'group'],
        message: `a group declared under groups (${groupIds.join(', ') || 'none are'})`,
      });
    }
  });
  list(scenario.outcomes).forEach((o, i) => {
    const { path: pathId, from, known } = record(o);
    if (typeof pathId === 'string' && !pathIds.includes(pathId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['outcomes', i, 'path'],
        message: `one of the scenario's paths (${pathIds.join(', ')})`,
      });
    }
    if (typeof known === 'string' && typeof from === 'string' && known < from) {
      ctx.addIssue({
        code: 'custom',
        path: ['outcomes', i, 'known'],
        message: `a date on or after from (${from})`,
      });
    }
  });
  dynamicsChecks(record(scenario.dynamics), pathIds, ctx);
}

/** The per-path tables of an indicator, with where they sit; absent or malformed ones are skipped. */
function perPathTables(
  indicator: Record<string, unknown>,
  record: (value: unknown) => Record<string, unknown>,
  list: (value: unknown) => unknown[],
): { at: (string | number)[]; table: Record<string, unknown> }[] {
  const evidence = record(indicator.evidence);
  const tables: { at: (string | number)[]; table: Record<string, unknown> }[] = [];
  if (evidence.model === 'gaussian' || evidence.model === 'trend') {
    tables.push({ at: ['evidence', 'expect'], table: record(evidence.expect) });
  }
  if (evidence.model === 'bands') {
    list(evidence.bands).forEach((band, b) => {
      tables.push({ at: ['evidence', 'bands', b, 'likelihood'], table: record(record(band).likelihood) });
    });
  }
  if (evidence.model === 'event') {
    const likelihood = record(evidence.likelihood);
    for (const outcome of ['large', 'small', 'pending', 'missed']) {
      if (likelihood[outcome] !== undefined) {
        tables.push({ at: ['evidence', 'likelihood', outcome], table: record(likelihood[outcome]) });
      }
    }
  }
  const missing = record(indicator.missing);
  if (missing.absence !== undefined)
    tables.push({ at: ['missing', 'absence'], table: record(missing.absence) });
  // An empty table was already reported by its own schema; naming every path again adds nothing.
  return tables.filter(({ table }) => Object.keys(table).length > 0);
}

function duplicates(values: string[]): number[] {
  return values.flatMap((v, i) => (values.indexOf(v) < i ? [i] : []));
}
