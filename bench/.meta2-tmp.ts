import { build } from 'esbuild';
import { BUNDLE_SETTINGS } from '../infra/constructs/signpost-function.ts';
const name = process.argv[2]!;
const r = await build({
    entryPoints: [`functions/${name}/handler.ts`], outdir: `/tmp/meta2-${name}`, bundle: true, platform: 'node', splitting: true,
    format: 'esm', minify: true, target: 'node24', mainFields: [...BUNDLE_SETTINGS.mainFields], alias: { ...BUNDLE_SETTINGS.alias }, metafile: true, write: false,
});
for (const [inp, v] of Object.entries(r.metafile.inputs)) {
  if (inp.includes('node_modules')) continue;
  const zs = v.imports.filter(i => /zod|powertools|augurs/.test(i.path)).map(i=>i.path.replace(/.*node_modules\//,''));
  if (zs.length) console.log(inp, zs.join(' '));
}
