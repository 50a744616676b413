// The public address of a scenario's page, which alert emails, the CLI and the pages themselves link to;
// functions/pages/routes.ts declares the route (`GET /scenarios/{id}`) this path matches.
export function scenarioPagePath(scenarioId: string): string {
  return `/scenarios/${encodeURIComponent(scenarioId)}`;
}
