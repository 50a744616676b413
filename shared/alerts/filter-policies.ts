// Example SNS subscription filter policies (on message attributes), as documented in docs/alerts.md.

/** Everything about one scenario, nothing about the others. */
export const oneScenario = (scenarioId: string) => ({ scenario: [scenarioId] });

/** Only confirmed changes of path (shifts and reversals): what is worth a text message. */
export const pathChangesOnly = { kind: ['path-shift', 'reverted'] };

/** One scenario's path changes: the usual SMS subscription. */
export const scenarioPathChanges = (scenarioId: string) => ({ scenario: [scenarioId], ...pathChangesOnly });

/** One scenario's path changes and the forecast warnings that may precede them. */
export const scenarioPathChangesAndWarnings = (scenarioId: string) => ({
  scenario: [scenarioId],
  kind: [...pathChangesOnly.kind, 'forecast-warning'],
});
