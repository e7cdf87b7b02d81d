import { loadBenchmark } from './src/core/benchmark/load';
async function main() {
  for (let i = 0; i < 6; i++) { const t = performance.now(); await loadBenchmark({ dataDir: '/work/shared/data/nas-robbench-201' }); console.log((performance.now() - t).toFixed(1)); }
}
main();
