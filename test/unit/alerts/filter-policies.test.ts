// The documented filter policies against the attributes an alert is published with, matched the way
// SNS matches exact-string policies: every key in the policy must be an attribute with a listed value.
import { describe, expect, it } from 'vitest';
import { scenarioPathChangesAndWarnings } from '../../../shared/alerts/filter-policies.ts';
import { messageAttributes } from '../../../shared/alerts/publish.ts';
import type { AlertRecord } from '../../../shared/store/alerts.ts';

function matches(policy: Record<string, string[]>, attributes: Record<string, string>): boolean {
  return Object.entries(policy).every(
    ([key, values]) => attributes[key] !== undefined && values.includes(attributes[key]),
  );
}

function alert(scenarioId: string, kind: AlertRecord['kind']): AlertRecord {
  return { scenarioId, kind, sequence: 1 } as AlertRecord;
}

describe('scenarioPathChangesAndWarnings', () => {
  it.each([
    { scenarioId: 'rail', kind: 'path-shift', delivered: true },
    { scenarioId: 'rail', kind: 'reverted', delivered: true },
    { scenarioId: 'rail', kind: 'forecast-warning', delivered: true },
    { scenarioId: 'rail', kind: 'data-stale', delivered: false },
    { scenarioId: 'rail', kind: 'data-recovered', delivered: false },
    { scenarioId: 'rail', kind: 'silence-summary', delivered: false },
    { scenarioId: 'port', kind: 'path-shift', delivered: false },
    { scenarioId: 'port', kind: 'forecast-warning', delivered: false },
  ] as const)(
    "delivers a $kind alert of $scenarioId to rail's subscriber: $delivered",
    ({ scenarioId, kind, delivered }) => {
      // Arrange
      const policy = scenarioPathChangesAndWarnings('rail');

      // Act
      const matched = matches(policy, messageAttributes(alert(scenarioId, kind)));

      // Assert
      expect(matched).toBe(delivered);
    },
  );
});
