// The tests `npm run mutation` (Stryker) runs against each mutant: the unit, integration and contract
// tests, which run the mutated modules in their own process. Left out: the CDK and bundle tests (they
// bundle the functions with esbuild, which Stryker's workers cannot spawn, and test no mutated module),
// the CLI and end-to-end tests (child processes, which never see the mutant under test), and the browser
// tests (a browser against local mode: slow, and the pages read what the unit tests of the store cover).
import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        ...configDefaults.exclude,
        'test/infra/**',
        'test/artifact/**',
        'test/cli/**',
        'test/e2e/**',
        'test/browser/**',
      ],
    },
  }),
);
