// `npm run bench`: benchmarks that print figures for docs/benchmarks.md. None are written yet.
console.log('no benchmarks yet (see docs/benchmarks.md)');
