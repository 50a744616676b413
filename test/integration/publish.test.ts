// Publishing scenarios as data: versions written only for what changed, with who and when; removals;
// two publishers racing; and the functions' catalog reading what was published.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { publishScenarios } from '../../shared/app/publish.ts';
import { loadScenarios } from '../../shared/config/load-scenarios.ts';
import { MAX_CACHED, ScenarioCatalog, ScenarioIndex } from '../../shared/runtime/scenarios.ts';
import {
  getPublishedScenario,
  listScenarioSummaries,
  listScenarioVersions,
  PublishConflictError,
} from '../../shared/store/scenario-definitions.ts';
import { runCli } from '../cli/run-cli.ts';
import { AB_EXPECT, EVEN_AB, scenarioYaml } from '../fixtures/scenario.ts';
import { barrier, intercepted } from './interleave.ts';
import { scenarioFolder, useFreshTable } from './local-stack.ts';

const AT = new Date('2026-01-01T00:00:00Z');
const yaml = (id: string, title = `Scenario ${id}`) =>
  scenarioYaml({ id, title, paths: EVEN_AB, indicators: [{ id: `${id}-x`, expect: AB_EXPECT }] });

describe('publishing scenarios', () => {
  const store = useFreshTable('publish');

  it('publishes each scenario as version 1, then nothing while nothing changes', async () => {
    // Arrange
    const folder = await scenarioFolder('publish', { 'one.yaml': yaml('one'), 'two.yaml': yaml('two') });
    try {
      // Act
      const first = await publishScenarios(store, folder.registry.loaded, { by: 'ana', at: AT });
      const again = await publishScenarios(store, folder.registry.loaded, { by: 'ana', at: AT });

      // Assert
      expect(first).toMatchObject({ added: ['one', 'two'], changed: [], unchanged: [] });
      expect(again).toMatchObject({ added: [], changed: [], unchanged: ['one', 'two'] });
      expect(await getPublishedScenario(store, 'one')).toMatchObject({
        version: 1,
        publishedBy: 'ana',
        publishedAt: AT.toISOString(),
        file: 'one.yaml',
        scenario: folder.registry.scenario('one'),
      });
      expect(
        (await listScenarioSummaries(store)).map((s) => [s.scenarioId, s.indicators.map((i) => i.id)]),
      ).toEqual([
        ['one', ['one-x']],
        ['two', ['two-x']],
      ]);
    } finally {
      await folder.remove();
    }
  });

  it('publishes a changed scenario as its next version and keeps every version with who and when', async () => {
    // Arrange
    const folder = await scenarioFolder('publish', {
      'one.yaml': yaml('one', 'Renamed'),
      'two.yaml': yaml('two'),
    });
    try {
      // Act
      const report = await publishScenarios(store, folder.registry.loaded, {
        by: 'ben',
        at: new Date(AT.getTime() + 1000),
      });

      // Assert
      expect(report).toMatchObject({
        added: [],
        changed: [{ scenarioId: 'one', from: 1, to: 2 }],
        unchanged: ['two'],
      });
      expect((await getPublishedScenario(store, 'one'))?.scenario.title).toBe('Renamed');
      expect((await listScenarioVersions(store, 'one')).map((v) => [v.version, v.publishedBy])).toEqual([
        [1, 'ana'],
        [2, 'ben'],
      ]);
    } finally {
      await folder.remove();
    }
  });

  it('keeps a published scenario missing from the folder unless told to remove it, and records the removal', async () => {
    // Arrange
    const folder = await scenarioFolder('publish', { 'one.yaml': yaml('one', 'Renamed') });
    try {
      // Act
      const kept = await publishScenarios(store, folder.registry.loaded, { by: 'ana', at: AT });
      const removed = await publishScenarios(store, folder.registry.loaded, {
        by: 'ana',
        at: AT,
        removeMissing: true,
      });

      // Assert
      expect(kept).toMatchObject({ missing: ['two'], removed: [] });
      expect(removed).toMatchObject({ missing: [], removed: ['two'] });
      expect(await getPublishedScenario(store, 'two')).toBeNull();
      expect((await listScenarioSummaries(store)).map((s) => s.scenarioId)).toEqual(['one']);
      expect((await listScenarioVersions(store, 'two')).map((v) => [v.version, v.hash])).toEqual([
        [1, expect.any(String)],
        [2, 'removed'],
      ]);
    } finally {
      await folder.remove();
    }
  });

  it('writes nothing on a dry run', async () => {
    const folder = await scenarioFolder('publish', { 'three.yaml': yaml('three') });
    try {
      const report = await publishScenarios(store, folder.registry.loaded, {
        by: 'ana',
        at: AT,
        dryRun: true,
      });
      expect(report.added).toEqual(['three']);
      expect(await getPublishedScenario(store, 'three')).toBeNull();
    } finally {
      await folder.remove();
    }
  });

  it('lets one of two publishers racing on a scenario win, the other failing with a conflict', async () => {
    // Arrange: two edits of the same scenario, published at once; both have read before either commits.
    const a = await scenarioFolder('publish', { 'four.yaml': yaml('four', 'A') });
    const b = await scenarioFolder('publish', { 'four.yaml': yaml('four', 'B') });
    const bothRead = barrier(2);
    const racing = intercepted(store, (command) =>
      command instanceof TransactWriteCommand ? bothRead() : undefined,
    );
    try {
      // Act
      const results = await Promise.allSettled([
        publishScenarios(racing, a.registry.loaded, { by: 'a', at: AT }),
        publishScenarios(racing, b.registry.loaded, { by: 'b', at: AT }),
      ]);

      // Assert
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(PublishConflictError);
      expect((await listScenarioVersions(store, 'four')).map((v) => v.version)).toEqual([1]);
    } finally {
      await a.remove();
      await b.remove();
    }
  });
});

describe("the functions' catalog of published scenarios", () => {
  const store = useFreshTable('catalog');

  it('keeps at most MAX_CACHED scenarios: one asked for again after that many others is read again', async () => {
    // Arrange: a catalog on a client that counts its reads.
    const folder = await scenarioFolder('capped', { 'one.yaml': yaml('one', 'First') });
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    let reads = 0;
    db.middlewareStack.add(
      (next) => (args) => {
        reads++;
        return next(args);
      },
      { step: 'initialize', name: 'countReads' },
    );
    const catalog = new ScenarioCatalog({ db, name: store.name }, '.');
    try {
      await publishScenarios(store, folder.registry.loaded, { by: 'ana', at: AT });
      await catalog.scenario('one');
      await catalog.scenario('one');
      const whileCached = reads;

      // Act: as many unknown ids as the cache holds, then the first one again.
      for (let i = 0; i < MAX_CACHED; i++) await catalog.scenario(`unknown-${i}`);
      const before = reads;
      const again = await catalog.scenario('one');

      // Assert
      expect(whileCached).toBe(1);
      expect(reads).toBe(before + 1);
      expect(again?.title).toBe('First');
    } finally {
      db.destroy();
      await folder.remove();
    }
  });

  it('reads a scenario once per cache period, and the newly published one after it', async () => {
    // Arrange: a clock the test moves.
    const folder = await scenarioFolder('catalog', { 'one.yaml': yaml('one', 'First') });
    let now = 0;
    const catalog = new ScenarioCatalog(store, folder.registry.loaded[0]?.dir ?? '.', 60_000, () => now);
    try {
      await publishScenarios(store, folder.registry.loaded, { by: 'ana', at: AT });
      const before = await catalog.scenario('one');
      await folder.write('one.yaml', yaml('one', 'Second'));
      await publishScenarios(store, await loadScenarios(folder.registry.loaded[0]?.dir ?? '.'), {
        by: 'ana',
        at: AT,
      });

      // Act
      const cached = await catalog.scenario('one');
      now += 60_001;
      const fresh = await catalog.scenario('one');

      // Assert
      expect([before?.title, cached?.title, fresh?.title]).toEqual(['First', 'First', 'Second']);
      expect(await catalog.scenario('unknown')).toBeUndefined();
    } finally {
      await folder.remove();
    }
  });

  it("finds every published scenario from the catalog's summaries, the relative data folder its own", async () => {
    // Arrange
    const folder = await scenarioFolder('catalog', { 'one.yaml': yaml('one'), 'two.yaml': yaml('two') });
    const dir = folder.registry.loaded[0]?.dir ?? '.';
    try {
      await publishScenarios(store, folder.registry.loaded, { by: 'ana', at: AT });

      // Act
      const index = new ScenarioIndex(store, '/data/here');
      const registry = await index.registryOf((await index.summaries()).map((s) => s.scenarioId));

      // Assert
      expect(registry.scenarios.map((s) => s.id)).toEqual(['one', 'two']);
      expect(registry.loaded.map((l) => l.dir)).toEqual(['/data/here', '/data/here']);
      expect(registry.scenario('two')).toEqual(folder.registry.scenario('two'));
      expect(dir).not.toBe('/data/here');
    } finally {
      await folder.remove();
    }
  });
});

describe('signpost publish', () => {
  const store = useFreshTable('publish-cli');

  it('validates first: a bad scenario publishes nothing and exits 3 naming the file and field', async () => {
    // Arrange
    const document = parse(yaml('bad')) as Record<string, unknown>;
    const folder = await scenarioFolder('publish-cli', { 'good.yaml': yaml('good') });
    const dir = folder.registry.loaded[0]?.dir ?? '';
    await folder.write('bad.yaml', stringify({ ...document, paths: [] }));
    try {
      // Act
      const result = await runCli(['publish', '--table', store.name, '--scenarios', dir]);

      // Assert
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/bad\.yaml:\d+: paths/);
      expect(result.stderr).not.toMatch(/good\.yaml/);
      expect(await listScenarioSummaries(store)).toEqual([]);
    } finally {
      await folder.remove();
    }
  });

  it('publishes what changed and says so, as JSON with --json', async () => {
    // Arrange
    const folder = await scenarioFolder('publish-cli', { 'good.yaml': yaml('good') });
    const dir = folder.registry.loaded[0]?.dir ?? '';
    try {
      // Act
      const first = await runCli(['publish', '--table', store.name, '--scenarios', dir, '--by', 'ci']);
      const second = await runCli([
        'publish',
        '--table',
        store.name,
        '--scenarios',
        dir,
        '--by',
        'ci',
        '--json',
      ]);

      // Assert
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('added      good (version 1)');
      expect(first.stdout).toContain(`published 1 change(s) to ${store.name}; 0 unchanged`);
      expect(second.code).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({ by: 'ci', added: [], unchanged: ['good'] });
      expect((await listScenarioVersions(store, 'good')).map((v) => v.publishedBy)).toEqual(['ci']);
    } finally {
      await folder.remove();
    }
  });

  it('finds the table in the outputs file cdk deploy wrote, and refuses one naming no stateful stack', async () => {
    // Arrange
    const folder = await scenarioFolder('publish-cli', { 'five.yaml': yaml('five') });
    const dir = folder.registry.loaded[0]?.dir ?? '';
    const outputs = join(dir, 'cdk-outputs.json');
    const wrong = join(dir, 'wrong.json');
    await writeFile(
      outputs,
      JSON.stringify({ 'Signpost-dev-Stateful': { TableName: store.name }, 'Signpost-dev-Stateless': {} }),
    );
    await writeFile(wrong, JSON.stringify({ 'Signpost-dev-Stateless': { ApiUrl: 'x' } }));
    try {
      // Act
      const published = await runCli(['publish', '--outputs', outputs, '--scenarios', dir, '--by', 'ci']);
      const refused = await runCli(['publish', '--outputs', wrong, '--scenarios', dir]);

      // Assert
      expect(published.code).toBe(0);
      expect(await getPublishedScenario(store, 'five')).not.toBeNull();
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(
        `expected one stateful stack with a TableName output in ${wrong}, found none`,
      );
    } finally {
      await folder.remove();
    }
  });
});
