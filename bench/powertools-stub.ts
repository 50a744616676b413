// No-op stand-ins for the Powertools Logger and Metrics the functions use, aliased over the packages by
// bench/bundles.ts to build each function without Powertools: the upper bound of what replacing it
// could save at import. Never bundled into a deployed function.
class Stub {
  info(): void {}
  warn(): void {}
  error(): void {}
  debug(): void {}
  setCorrelationId(): void {}
  addMetric(): void {}
  addDimension(): void {}
  singleMetric(): Stub {
    return this;
  }
}

export { Stub as Logger, Stub as Metrics };
export const MetricUnit = { Count: 'Count' } as const;
const middleware = () => ({ before: () => {} });

export { middleware as injectLambdaContext, middleware as logMetrics };
