// Builds valid scenarios in code for unit tests: only the parts a test cares about are spelled out.
import type { Scenario } from '../../shared/config/scenario-schema.ts';
import { scenarioSchema } from '../../shared/config/scenario-schema.ts';
import type { Cadence } from '../../shared/domain/period.ts';

export interface PathSpec {
  id: string;
  prior: number;
  title?: string;
}

/** An evidence model as written in YAML (defaults such as a trend's `periods` may be left out). */
export type EvidenceSpec =
  | { model: 'gaussian'; expect: Record<string, { mean: number; sd: number }> }
  | { model: 'bands'; bands: { below?: number; likelihood: Record<string, number> }[] }
  | {
      model: 'trend';
      periods?: number;
      scale?: 'absolute' | 'relative';
      expect: Record<string, { slope: number; sd: number }>;
    }
  | {
      model: 'event';
      window?: string;
      from?: string;
      deadline?: string;
      threshold: number;
      likelihood: {
        large: Record<string, number>;
        small: Record<string, number>;
        pending?: Record<string, number>;
        missed: Record<string, number>;
      };
    };

export type MissingSpec = 'ignore' | 'keepLast' | { absence: Record<string, number> };

export interface IndicatorSpec {
  id: string;
  cadence?: Cadence;
  staleAfter?: string;
  title?: string;
  unit?: string;
  source?: Record<string, unknown>;
  /** Shorthand for a gaussian model: per path, the mean and standard deviation it expects. */
  expect?: Record<string, { mean: number; sd: number }>;
  /** Any evidence model; takes precedence over `expect`. */
  evidence?: EvidenceSpec;
  weight?: number;
  halfLife?: string;
  group?: string;
  missing?: MissingSpec;
}

export interface AlertingSpec {
  enterMargin?: number;
  exitMargin?: number;
  confirm?: { m: number; n: number };
  minIndicators?: number;
  minDwell?: string;
  cooldown?: string;
  revertWindow?: string;
}

export interface ScenarioSpec {
  id?: string;
  title?: string;
  paths: PathSpec[];
  indicators: IndicatorSpec[];
  alerting?: AlertingSpec;
  groups?: { id: string; cap: number }[];
  outcomes?: { from: string; path: string }[];
}

/** The raw document for a spec, before validation: for schema tests that expect a rejection. */
export function scenarioDocument(spec: ScenarioSpec): Record<string, unknown> {
  return {
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
    ...(spec.groups ? { groups: spec.groups } : {}),
    ...(spec.outcomes ? { outcomes: spec.outcomes } : {}),
    indicators: spec.indicators.map((i) => ({
      id: i.id,
      title: i.title ?? `Indicator ${i.id}`,
      unit: i.unit ?? 'units',
      cadence: i.cadence ?? 'P1M',
      ...(i.staleAfter ? { staleAfter: i.staleAfter } : {}),
      source: i.source ?? { kind: 'csv', path: `data/${i.id}.csv`, time: 'month', value: 'value' },
      evidence: i.evidence ?? { model: 'gaussian', expect: i.expect },
      ...(i.weight === undefined ? {} : { weight: i.weight }),
      ...(i.halfLife ? { halfLife: i.halfLife } : {}),
      ...(i.group ? { group: i.group } : {}),
      ...(i.missing ? { missing: i.missing } : {}),
    })),
  };
}

/** Runs the spec through the real schema, so defaults apply and an invalid spec fails loudly. */
export function buildScenario(spec: ScenarioSpec): Scenario {
  return scenarioSchema.parse(scenarioDocument(spec));
}

/** Alerting rules with the schema's defaults filled in (exitMargin stays unset unless given). */
export function buildRules(alerting: AlertingSpec = {}): Scenario['alerting'] {
  return buildScenario({
    paths: [
      { id: 'a', prior: 0.5 },
      { id: 'b', prior: 0.5 },
    ],
    // As many indicators as the rules ask updates to use, so the rules themselves are valid.
    indicators: Array.from({ length: alerting.minIndicators ?? 1 }, (_, i) => ({
      id: `x${i}`,
      expect: { a: { mean: 0, sd: 1 }, b: { mean: 1, sd: 1 } },
    })),
    alerting,
  }).alerting;
}
