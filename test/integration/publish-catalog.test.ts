// The catalog a publish keeps (shared/store/scenario-catalog.ts): each indicator's entries follow what its
// scenarios declare through renames and removals, and the entries of a deployment published before the
// listings read the catalog are rewritten by the next publish without a new version.
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { publishScenarios } from '../../shared/app/publish.ts';
import { ScenarioListing } from '../../shared/runtime/scenario-listing.ts';
import { scenariosDeclaring } from '../../shared/store/scenario-catalog.ts';
import { listScenarioSummaries, listScenarioVersions } from '../../shared/store/scenario-definitions.ts';
import { AB_EXPECT, EVEN_AB, scenarioYaml } from '../fixtures/scenario.ts';
import { scenarioFolder, useFreshTable } from './local-stack.ts';

const AT = new Date('2026-01-01T00:00:00Z');
const yaml = (id: string, indicators: string[]) =>
  scenarioYaml({
    id,
    title: `Scenario ${id}`,
    paths: EVEN_AB,
    indicators: indicators.map((i) => ({ id: i, expect: AB_EXPECT })),
  });

describe("the catalog's indicator entries", () => {
  const store = useFreshTable('publish-catalog');

  it('follow what the scenarios declare as an indicator is shared, renamed and its scenario removed', async () => {
    // Arrange
    const folder = await scenarioFolder('publish-catalog', {
      'one.yaml': yaml('one', ['one-x', 'common']),
      'two.yaml': yaml('two', ['two-x', 'common']),
    });
    try {
      await publishScenarios(store, folder.registry.loaded, { by: 'ana', at: AT });
      const shared = await scenariosDeclaring(store, 'common');

      // Act: one renames its own indicator; two is removed.
      const renamed = await scenarioFolder('publish-catalog', {
        'one.yaml': yaml('one', ['one-y', 'common']),
      });
      await publishScenarios(store, renamed.registry.loaded, { by: 'ana', at: AT, removeMissing: true });
      await renamed.remove();

      // Assert
      expect(shared).toEqual(['one', 'two']);
      expect(await scenariosDeclaring(store, 'common')).toEqual(['one']);
      expect(await scenariosDeclaring(store, 'one-x')).toEqual([]);
      expect(await scenariosDeclaring(store, 'one-y')).toEqual(['one']);
      expect(await scenariosDeclaring(store, 'two-x')).toEqual([]);
    } finally {
      await folder.remove();
    }
  });

  it('are moved when all 50 indicators of a scenario are renamed at once (more writes than one transaction)', async () => {
    // Arrange
    const before = Array.from({ length: 50 }, (_, i) => `old-${i}`);
    const after = Array.from({ length: 50 }, (_, i) => `new-${i}`);
    const first = await scenarioFolder('publish-catalog', { 'wide.yaml': yaml('wide', before) });
    const second = await scenarioFolder('publish-catalog', { 'wide.yaml': yaml('wide', after) });
    try {
      await publishScenarios(store, first.registry.loaded, { by: 'ana', at: AT });

      // Act
      const report = await publishScenarios(store, second.registry.loaded, { by: 'ana', at: AT });

      // Assert
      expect(report.changed).toEqual([{ scenarioId: 'wide', from: 1, to: 2 }]);
      const declared = async (ids: string[]) =>
        (await Promise.all(ids.map((id) => scenariosDeclaring(store, id)))).flat();
      expect(await declared(before)).toEqual([]);
      expect(await declared(after)).toEqual(after.map(() => 'wide'));
    } finally {
      await first.remove();
      await second.remove();
    }
  });
});

describe('a catalog published before the listings read it', () => {
  const store = useFreshTable('publish-upgrade');

  it('is listed from the definitions until the next publish rewrites it, without a new version', async () => {
    // Arrange: published, then its catalog put back as an older publish wrote it (no listing fields,
    // no indicator entries).
    const folder = await scenarioFolder('publish-upgrade', { 'one.yaml': yaml('one', ['one-x']) });
    try {
      await publishScenarios(store, folder.registry.loaded, { by: 'ana', at: AT });
      const summary = { pk: 'CAT#scenarios', sk: 'SCN#one', entity: 'scenario-summary', scenarioId: 'one' };
      await store.db.send(
        new PutCommand({
          TableName: store.name,
          Item: {
            ...summary,
            version: 1,
            indicators: [{ id: 'one-x', cadence: 'P1M', manual: false, host: null }],
          },
        }),
      );
      await store.db.send(
        new DeleteCommand({ TableName: store.name, Key: { pk: 'CAT#indicators', sk: 'IND#one-x#SCN#one' } }),
      );
      const listing = new ScenarioListing(store, '.', 0);
      const oldPage = await listing.page({ limit: 10 });
      const oldDeclared = await listing.declaring('one-x');

      // Act
      const report = await publishScenarios(store, folder.registry.loaded, { by: 'ana', at: AT });
      const again = await publishScenarios(store, folder.registry.loaded, { by: 'ana', at: AT });

      // Assert
      expect(oldPage.items).toEqual([
        expect.objectContaining({
          id: 'one',
          title: 'Scenario one',
          indicators: [expect.objectContaining({ id: 'one-x' })],
        }),
      ]);
      expect(oldDeclared).toBeNull();
      expect(report).toMatchObject({ unchanged: ['one'], refreshed: ['one'], changed: [] });
      expect(again.refreshed).toEqual([]);
      expect((await listScenarioVersions(store, 'one')).map((v) => v.version)).toEqual([1]);
      expect((await listScenarioSummaries(store))[0]).toMatchObject({ title: 'Scenario one', version: 1 });
      expect((await listing.declaring('one-x'))?.scenarios.scenarios.map((s) => s.id)).toEqual(['one']);
    } finally {
      await folder.remove();
    }
  });
});
