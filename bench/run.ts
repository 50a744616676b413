// `npm run bench`: every benchmark, one after the other, each printing its figures (see docs/benchmarks.md).
import { execFileSync } from 'node:child_process';

const benchmarks = [
  'bench/domain.ts',
  'bench/ingest.ts',
  'bench/api.ts',
  'bench/projection.ts',
  'bench/calibration.ts',
  'bench/bundles.ts',
  'bench/pages.ts',
  'bench/import-scale.ts',
];
for (const file of benchmarks) {
  execFileSync(process.execPath, [file], { stdio: 'inherit' });
}
