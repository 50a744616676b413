// The pages' goals on the seed data (docs/benchmarks.md): the server time to render the seed page, warm,
// median of 100 (the rendering alone from data read once, and the whole request through local mode's HTTP
// adapter on DynamoDB Local, reads included); its size (HTML with the inline SVG); and the first
// contentful paint in Debian's Chromium, median of 10 fresh loads. Starts local mode in memory on the seed
// scenarios, as `npm start --in-memory` does.
import { join } from 'node:path';
import { runLocal } from '../cli/local/run.ts';
import { readScenario } from '../functions/pages/data.ts';
import { scenarioPage } from '../functions/pages/views/scenario-page.ts';
import { loadScenarios } from '../shared/config/load-scenarios.ts';
import { ScenarioRegistry } from '../shared/config/registry.ts';
import { table } from '../shared/runtime/clients.ts';
import { launch } from '../test/browser/chromium.ts';
import { median } from './median.ts';

/** What the benchmark reads of the page's paint timing (the project's TypeScript has no DOM library). */
type Timing = { performance: { getEntriesByType(type: string): { name: string; startTime: number }[] } };

const RENDERS = 100;
const LOADS = 10;
const GOALS = { renderMs: 50, bytes: 150 * 1024, fcpMs: 300 };

const scenariosDir = join(import.meta.dirname, '../scenarios');
const started = Date.now();
const local = await runLocal({ port: 0, host: '127.0.0.1', scenariosDir, dataDir: null }, () => undefined);
try {
  console.log(`local mode on the seed data ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const url = `${local.api}/scenarios/kupyansk`;

  // The rendering alone: the page's data read once, then drawn RENDERS times after a warm-up.
  const registry = new ScenarioRegistry(await loadScenarios(scenariosDir));
  const scenario = registry.scenario('kupyansk');
  if (!scenario) throw new Error('the seed scenario is missing');
  const now = new Date();
  const data = await readScenario(table(process.env.TABLE_NAME as string), scenario, now);
  for (let i = 0; i < 10; i++) scenarioPage(data, now);
  const renders = Array.from({ length: RENDERS }, () => {
    const t = performance.now();
    scenarioPage(data, now);
    return performance.now() - t;
  });

  // The whole request: HTTP adapter, the pages handler, its DynamoDB Local reads and the rendering.
  for (let i = 0; i < 10; i++) await (await fetch(url)).text();
  const requests: number[] = [];
  let html = '';
  for (let i = 0; i < RENDERS; i++) {
    const t = performance.now();
    html = await (await fetch(url)).text();
    requests.push(performance.now() - t);
  }
  const bytes = Buffer.byteLength(html);
  const svgBytes = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].reduce(
    (sum, m) => sum + Buffer.byteLength(m[0]),
    0,
  );

  // First contentful paint in Chromium, each load in a new page (the server warm, the browser cache off).
  const browser = await launch();
  const paints: number[] = [];
  try {
    for (let i = 0; i < LOADS + 1; i++) {
      const page = await browser.context.newPage();
      await page.goto(url, { waitUntil: 'load' });
      // The paint entries are recorded when the frame is presented, which may be after the load event.
      await page.waitForFunction(() =>
        (globalThis as unknown as Timing).performance
          .getEntriesByType('paint')
          .some((e) => e.name === 'first-contentful-paint'),
      );
      const fcp = await page.evaluate(
        () =>
          (globalThis as unknown as Timing).performance
            .getEntriesByType('paint')
            .find((e) => e.name === 'first-contentful-paint')?.startTime ?? Number.NaN,
      );
      if (i > 0) paints.push(fcp); // the first load also starts the renderer
      await page.close();
    }
  } finally {
    await browser.close();
  }

  const render = median(renders);
  const request = median(requests);
  const fcp = median(paints);
  const verdict = (ok: boolean) => (ok ? 'ok' : 'OVER GOAL');
  console.log(`seed page: ${url}`);
  console.log(
    `render (data read once)   median ${render.toFixed(1)} ms of ${RENDERS}  (goal ≤ ${GOALS.renderMs} ms: ${verdict(render <= GOALS.renderMs)})`,
  );
  console.log(`request (reads + render)  median ${request.toFixed(1)} ms of ${RENDERS}`);
  console.log(
    `size                      ${(bytes / 1024).toFixed(1)} KB HTML, of which ${(svgBytes / 1024).toFixed(1)} KB inline SVG  (goal ≤ 150 KB: ${verdict(bytes <= GOALS.bytes)})`,
  );
  console.log(
    `first contentful paint    median ${fcp.toFixed(0)} ms of ${LOADS} loads  (goal ≤ ${GOALS.fcpMs} ms: ${verdict(fcp <= GOALS.fcpMs)})`,
  );
} finally {
  await local.stop('bench done');
}
