import { build } from 'esbuild';
import { BUNDLE_SETTINGS } from '/work/main/infra/constructs/signpost-function.ts';
const name = process.argv[2]!;
const r = await build({
    entryPoints: [`/work/main/functions/${name}/handler.ts`], outdir: `/tmp/meta-${name}`, entryNames: 'index',
    chunkNames: 'chunk-[name]-[hash]', outExtension: { '.js': '.mjs' }, splitting: true, bundle: true, platform: 'node',
    format: 'esm', minify: true, target: BUNDLE_SETTINGS.target, mainFields: [...BUNDLE_SETTINGS.mainFields],
    define: BUNDLE_SETTINGS.define, alias: { ...BUNDLE_SETTINGS.alias }, banner: { js: BUNDLE_SETTINGS.banner },
    legalComments: BUNDLE_SETTINGS.legalComments, logLevel: 'warning', metafile: true, write: true,
});
const groups = new Map<string, number>();
for (const [out, o] of Object.entries(r.metafile.outputs)) {
  console.log(out, o.bytes, o.imports.filter(i=>i.kind==='import-statement').map(i=>i.path).join(','));
  for (const [inp, v] of Object.entries(o.inputs)) {
    const m = inp.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const k = out.split('/').pop() + ' ' + (m ? m[1] : inp.split('/').slice(0,2).join('/'));
    groups.set(k, (groups.get(k) ?? 0) + v.bytesInOutput);
  }
}
for (const [k, v] of [...groups].sort((a,b)=>b[1]-a[1]).slice(0,40)) console.log(v, k);
const files = new Map<string, number>();
for (const [out, o] of Object.entries(r.metafile.outputs)) {
  if (!out.endsWith('index.mjs') && !out.includes('SOHLZ')) continue;
  for (const [inp, v] of Object.entries(o.inputs)) files.set(inp, (files.get(inp) ?? 0) + v.bytesInOutput);
}
for (const [k, v] of [...files].sort((a,b)=>b[1]-a[1]).slice(0,400)) console.log(v, k.replace(/.*node_modules\//,''));
