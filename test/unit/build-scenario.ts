// Builds valid scenarios in code for unit tests: only the parts a test cares about are spelled out.
import type { Scenario } from '../../shared/config/scenario-schema.ts';
import { scenarioSchema } from '../../shared/config/scenario-schema.ts';
import type { Cadence } from '../../shared/domain/period.ts';

export interface PathSpec {
  id: string;
  prior: number;
  title?: string;
}

export interface IndicatorSpec {
  id: string;
  cadence?: Cadence;
  staleAfter?: string;
  title?: string;
  unit?: string;
  /** Per path: the mean and standard deviation that path expects. */
  expect: Record<string, { mean: number; sd: number }>;
  source?: Record<string, unknown>;
}

export interface ScenarioSpec {
  id?: string;
  title?: string;
  paths: PathSpec[];
  indicators: IndicatorSpec[];
  alerting?: { enterMargin?: number; confirm?: { m: number; n: number } };
}

/** Runs the spec through the real schema, so defaults apply and an invalid spec fails loudly. */
export function buildScenario(spec: ScenarioSpec): Scenario {
  return scenarioSchema.parse({
    id: spec.id ?? 'test-scenario',
    title: spec.title ?? 'Test scenario',
    description: 'A scenario built in a unit test.',
    paths: spec.paths.map((p) => ({
      id: p.id,
      title: p.title ?? `Path ${p.id}`,
      description: `What path ${p.id} means.`,
      prior: p.prior,
    })),
    ...(spec.alerting ? { alerting: spec.alerting } : {}),
    indicators: spec.indicators.map((i) => ({
      id: i.id,
      title: i.title ?? `Indicator ${i.id}`,
      unit: i.unit ?? 'units',
      cadence: i.cadence ?? 'P1M',
      ...(i.staleAfter ? { staleAfter: i.staleAfter } : {}),
      source: i.source ?? { kind: 'csv', path: `data/${i.id}.csv`, time: 'month', value: 'value' },
      evidence: { model: 'gaussian', expect: i.expect },
    })),
  });
}
