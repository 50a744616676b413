// The pages in a real browser (Debian's Chromium, driven by playwright-core) against `signpost start` on
// the seed data: no console error, no horizontal scrolling on a phone, no WCAG 2.2 A/AA violation in
// either colour scheme, and what the JSON says (the leader, every shift, a stale indicator, a failing
// source) visible on the page. Screenshots land in test/browser/artifacts/ (UPDATE_SCREENSHOTS=1 also
// refreshes the README's, docs/images/page-kupyansk.png).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { type Browser, launch } from './chromium.ts';

const ROOT = join(import.meta.dirname, '../..');
const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const SECRET = 'browser-test-secret-key';
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const PAGES = [
  { name: 'index', path: '/' },
  { name: 'kupyansk', path: '/scenarios/kupyansk' },
] as const;

/** What the tests use of the page's globals (the project's TypeScript has no DOM library). */
interface InPage {
  document: { documentElement: { scrollWidth: number; clientWidth: number } };
  axe: {
    run(
      context: unknown,
      options: unknown,
    ): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[]; passes: unknown[] }>;
  };
}

let child: ChildProcess | undefined;
let feed: Server | undefined;
let browser: Browser | undefined;
let base = '';
let dir = '';
let output = '';

/**
 * The seed scenario as shipped, plus one indicator of weight 0 (it moves no probability) whose source is a
 * feed that answers 404, at a URL whose query carries a key that must never reach a page.
 */
async function scenariosWithFailingSource(port: number): Promise<string> {
  const folder = join(dir, 'scenarios');
  await cp(join(ROOT, 'scenarios'), folder, { recursive: true });
  const seed = parse(await readFile(join(folder, 'kupyansk.yaml'), 'utf8'));
  seed.indicators.push({
    id: 'frontline-reports',
    title: 'Front-line reports (a failing feed)',
    unit: 'reports per month',
    cadence: 'P1M',
    source: {
      kind: 'csv',
      url: `http://127.0.0.1:${port}/reports.csv?api_key=${SECRET}`,
      time: 'month',
      value: 'value',
    },
    weight: 0,
    evidence: {
      model: 'gaussian',
      expect: { baseline: { mean: 1, sd: 1 }, risk: { mean: 2, sd: 1 } },
    },
  });
  await writeFile(join(folder, 'kupyansk.yaml'), stringify(seed));
  return folder;
}

async function waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = output.match(pattern);
    if (match) return match;
    if (Date.now() > deadline || child?.exitCode !== null)
      throw new Error(`no ${pattern} within ${timeoutMs} ms; output so far:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function json<T>(path: string): Promise<T> {
  const response = await fetch(`${base}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

/** Every page of a list route. */
async function all<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${cursor}` : '';
    const page: { items: T[]; nextCursor: string | null } = await json(`${path}?limit=100${query}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** Opens a page, collecting console errors and uncaught exceptions. */
async function open(
  path: string,
  viewport: { width: number; height: number },
  colorScheme: 'light' | 'dark' = 'light',
): Promise<{ page: Page; errors: string[] }> {
  const page = await (browser as Browser).context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize(viewport);
  await page.emulateMedia({ colorScheme });
  const response = await page.goto(`${base}${path}`, { waitUntil: 'load' });
  expect(response?.status(), path).toBe(200);
  return { page, errors };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signpost-browser-'));
  await mkdir(ARTIFACTS, { recursive: true });
  feed = createServer((_, response) => response.writeHead(404).end('gone'));
  await new Promise<void>((resolve) => feed?.listen(0, '127.0.0.1', resolve));
  const scenarios = await scenariosWithFailingSource((feed.address() as AddressInfo).port);
  child = spawn(
    process.execPath,
    ['cli/main.ts', 'start', '--in-memory', '--port', '0', '--scenarios', scenarios],
    { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const [, url] = await waitFor(/pages at (http:\/\/[\d.:]+)\//, 110_000);
  base = url as string;
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    child.kill('SIGINT');
    await once(child, 'exit');
  }
  feed?.close();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

describe('the pages in Chromium', () => {
  for (const viewport of VIEWPORTS) {
    it(`load the index and the seed page without a console error or horizontal scrolling at ${viewport.width}x${viewport.height}`, async () => {
      for (const { name, path } of PAGES) {
        // Act
        const { page, errors } = await open(path, viewport);
        const overflow = await page.evaluate(() => {
          const { documentElement: root } = (globalThis as unknown as InPage).document;
          return root.scrollWidth - root.clientWidth;
        });
        await page.screenshot({ path: join(ARTIFACTS, `${name}-${viewport.name}.png`), fullPage: true });
        if (process.env.UPDATE_SCREENSHOTS && name === 'kupyansk' && viewport.name === 'desktop')
          await page.screenshot({
            path: join(ROOT, 'docs/images/page-kupyansk.png'),
            fullPage: true,
            clip: { x: 0, y: 0, width: viewport.width, height: 1720 },
          });
        await page.close();

        // Assert
        expect(errors, path).toEqual([]);
        expect(overflow, path).toBeLessThanOrEqual(0);
      }
    });
  }

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`find no WCAG 2.2 A/AA violation with axe-core in the ${colorScheme} colour scheme`, async () => {
      const axe = await readFile(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
      for (const { name, path } of PAGES) {
        // Arrange: axe runs in the page's main world (the page's CSP forbids adding a script to it).
        const { page } = await open(path, VIEWPORTS[0], colorScheme);
        await page.evaluate(axe);

        // Act
        const result = await page.evaluate(async () => {
          const { axe, document } = globalThis as unknown as InPage;
          const { violations, passes } = await axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
          });
          return {
            violations: violations.map(
              (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
            ),
            passes: passes.length,
          };
        });
        await page.screenshot({ path: join(ARTIFACTS, `${name}-${colorScheme}.png`) });
        await page.close();

        // Assert
        expect(result.violations, `${path} (${colorScheme})`).toEqual([]);
        expect(result.passes, 'axe checked something').toBeGreaterThan(10);
      }
    });
  }

  it('shows the current leader and every confirmed shift of the replay, as the API serves them', async () => {
    // Arrange: what the JSON says.
    const assessment = await json<{ leader: string; state: { path: string | null } }>(
      '/v1/scenarios/kupyansk/assessment',
    );
    const alerts = await all<{ kind: string; at: string; to?: string }>('/v1/scenarios/kupyansk/alerts');
    const shifts = alerts.filter((a) => a.kind === 'path-shift' || a.kind === 'reverted');

    // Act
    const { page } = await open('/scenarios/kupyansk', VIEWPORTS[0]);
    const leader = await page.locator('#headline').getAttribute('data-leader');
    const logged = await page
      .locator('#alerts tbody tr')
      .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-kind')} ${r.getAttribute('data-at')}`));
    const timeline = await page.locator('#timeline svg').textContent();
    await page.close();

    // Assert
    expect(shifts.length).toBeGreaterThan(0);
    expect(leader).toBe(assessment.leader);
    for (const shift of shifts) {
      expect(logged).toContain(`${shift.kind} ${shift.at}`);
      const label = `${shift.kind === 'reverted' ? 'reverted' : 'shift'} → ${shift.to} · ${shift.at.slice(0, 7)}`;
      expect(timeline).toContain(label);
    }
  });

  it('shows a stale indicator and a failing source as such, naming the source without its query', async () => {
    // Arrange
    const health = await json<{
      indicators: { indicatorId: string; stale: boolean; consecutiveFailures: number }[];
    }>('/v1/health');
    const stale = health.indicators
      .filter((i) => i.stale && i.consecutiveFailures === 0)
      .map((i) => i.indicatorId);
    const failing = health.indicators.filter((i) => i.consecutiveFailures > 0).map((i) => i.indicatorId);

    // Act
    const { page } = await open('/scenarios/kupyansk', VIEWPORTS[0]);
    const card = (id: string) => page.locator(`#indicators [data-indicator="${id}"]`);
    const source = (id: string) => page.locator(`#sources tr[data-indicator="${id}"]`);
    const html = await page.content();

    // Assert
    expect(stale.length).toBeGreaterThan(0);
    expect(failing).toEqual(['frontline-reports']);
    const visible = (locator: Locator) => locator.isVisible();
    for (const id of stale) {
      expect(await card(id).getAttribute('data-fresh')).toBe('false');
      expect(await visible(card(id).getByText(/stale since \d{4}-\d{2}-\d{2}/))).toBe(true);
      expect(await visible(source(id).getByText('stale', { exact: true }))).toBe(true);
    }
    expect(await source('frontline-reports').getAttribute('data-failing')).toBe('true');
    expect(await visible(source('frontline-reports').getByText('failing (1 in a row)'))).toBe(true);
    expect(
      await visible(source('frontline-reports').getByText(/^http:\/\/127\.0\.0\.1:\d+\/reports\.csv$/)),
    ).toBe(true);
    expect(html).not.toContain(SECRET);
    expect(html).not.toContain('api_key');
    await page.close();
  });
});
