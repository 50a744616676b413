// zod for what the functions validate at run time, as `zod/mini` with zod's English messages.
// Why mini: classic zod's schema classes carry every method (JSON Schema conversion included) on their
// prototypes, so esbuild keeps ≈ 85-100 KB of it in each bundle; mini's functional API tree-shakes to
// what is used. Mini ships no messages unless a locale is configured: without this, every issue would
// read "Invalid input", and the errors named in logs and API 400s must stay as clear as classic zod's.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export * from 'zod/mini';
