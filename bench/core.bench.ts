// `npm run bench:core`: speed of the core library on the real NAS-RobBench-201 files, with Python (json, and
// scipy where it has the same operation) measured in the same run as the peer. Prints figures and ratios; the
// targets (cold load < 100 ms, one query < 20 µs) are checked here, never in unit tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBenchmark } from '../src/core/benchmark/load';
import { findProjectRoot, sharedDataCandidates } from '../src/core/benchmark/projectRoot';
import { ADVERSARIAL_METRIC_IDS, COST_METRIC_IDS, METRIC_IDS } from '../src/core/benchmark/metrics';
import { BENCHMARK_FILE_ROLES, PUBLISHED_FILES } from '../src/core/benchmark/dataSources';
import { DATASET_IDS } from '../src/core/space/cost';
import { correlationMatrix } from '../src/core/stats/correlation';
import { benchmarkOracle } from '../src/core/search/objective';
import { runSearch, runSeed, SEARCH_ALGORITHMS, SEARCH_ALGORITHM_NAMES } from '../src/core/search/algorithms';

/**
 * CPU time of this process (user + system) in ms. The project machine runs several builds at once (load averages
 * above 10 on 2 cores), and wall-clock time then measures the scheduler; CPU time measures the work. The Python
 * peer uses time.process_time(), the same quantity.
 */
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const us = (x: number) => `${x < 1 ? x.toFixed(3) : x.toFixed(2)} µs`;
const ratio = (ours: number, peer: number) =>
  peer >= ours ? `${(peer / ours).toFixed(1)}x faster than Python` : `${(ours / peer).toFixed(1)}x slower than Python`;

function dataDir(): string {
  const fromEnv = process.env.ROBUST_NAS_DATA;
  if (fromEnv) return fromEnv;
  const root = findProjectRoot(__dirname);
  const dir = root ? sharedDataCandidates(root).find((d) => existsSync(d)) : undefined;
  if (!dir)
    throw new Error('bench:core needs the data: set ROBUST_NAS_DATA or put it at ../shared/data/nas-robbench-201');
  return dir;
}

/** The peer: the same load and query work in Python's json module (and scipy's spearmanr for the matrix). */
const PYTHON_PEER = String.raw`
import hashlib, json, os, sys, time, statistics, random
d = sys.argv[1]
EXPECT = json.loads(sys.argv[2])
def load():
    out = {}
    for role, (name, sha) in EXPECT.items():
        b = open(os.path.join(d, name), 'rb').read()
        assert hashlib.sha256(b).hexdigest() == sha
        t = b.decode('utf-8')
        out[role] = json.loads(t[t.index('=') + 1:])
    adv, std, ops = out['adversarial'], out['standard'], out['ops']
    assert len(adv) == 15626 and len(std) == 15626 and len(ops) == 15625
    # index: representative of every index, columns per (dataset, metric) over the evaluated cells, checked ranges
    rep = [0] * 15625
    for i in range(15625):
        v = adv[str(i)]
        rep[i] = i if isinstance(v, list) else int(v)
    evaluated = [i for i in range(15625) if rep[i] == i]
    pos = {i: p for p, i in enumerate(evaluated)}
    cols = {}
    for table, header in ((adv, adv['']), (std, std[''])):
        rows = [table[str(i)] for i in evaluated]
        for c, h in enumerate(header):
            col = [r[c] for r in rows]
            assert all(0 <= x <= 1 for x in col)
            cols[h] = col
    return rep, pos, cols, adv
t0 = time.process_time(); rep, pos, cols, adv = load(); cold = time.process_time() - t0
if len(sys.argv) > 3 and sys.argv[3] == 'cold':
    print(json.dumps({'coldLoad': cold}))
    sys.exit(0)
warm = []
for _ in range(5):
    t0 = time.process_time(); load(); warm.append(time.process_time() - t0)
# ranks of one column (1 = best, ties share the best rank), then value + rank + percentile look-ups
col = cols['cifar10#val_pgd_8_acc']
t0 = time.process_time()
order = sorted(range(len(col)), key=lambda p: -col[p])
rank = [0] * len(col); lower = [0] * len(col); n = len(col); s = 0
while s < n:
    e = s + 1
    while e < n and col[order[e]] == col[order[s]]: e += 1
    for k in range(s, e): rank[order[k]] = s + 1; lower[order[k]] = n - e
    s = e
rank_time = time.process_time() - t0
rng = random.Random(1); idx = [rng.randrange(15625) for _ in range(10000)]
def query(i):
    p = pos[rep[i]]
    return (col[p], rank[p], 100 * lower[p] / (n - 1))
batches = []
for _ in range(50):
    t0 = time.process_time()
    for i in idx: query(i)
    batches.append((time.process_time() - t0) / len(idx))
res = {'coldLoad': cold, 'warmLoad': statistics.median(warm), 'rankColumn': rank_time, 'query': statistics.median(batches)}
try:
    import numpy as np
    from scipy.stats import spearmanr
    names = [h for h in adv['']]
    m = np.array([cols[h] for h in names]).T
    times = []
    for _ in range(5):
        t0 = time.process_time(); spearmanr(m); times.append(time.process_time() - t0)
    res['spearman18'] = statistics.median(times)
except ImportError:
    pass
print(json.dumps(res))
`;

/**
 * Child mode: one load in a fresh process with the given index cache folder, its CPU time in ms on stdout (module
 * loading is not timed). An empty folder is a first start (JSON parsed, index written), a filled one a later start.
 */
async function coldLoadChild(dir: string, cacheDir: string) {
  const t = cpuNow();
  let indexCache = '';
  await loadBenchmark({ dataDir: dir, cacheDir, onIndexCache: (e) => (indexCache = e.kind) });
  console.log(JSON.stringify({ coldLoad: cpuNow() - t, indexCache }));
}

interface ColdLoads {
  /** First start: no index cache yet (parse, validate, compute representatives, write the index). */
  readonly first: number;
  /** Later start: the index cache is read instead of the JSON. */
  readonly cached: number;
  readonly python?: number;
}

/**
 * Cold loads in fresh processes, first starts, later starts and Python's load interleaved so all three see the same
 * machine load; medians. Each first start gets an empty cache folder; the later starts share one filled by a load.
 */
async function coldLoads(dir: string, expect: string, rounds: number): Promise<ColdLoads> {
  const first: number[] = [];
  const cached: number[] = [];
  const python: number[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'rn-bench-core-'));
  const filled = join(scratch, 'filled');
  await loadBenchmark({ dataDir: dir, cacheDir: filled });
  const child = (cacheDir: string, expected: string) => {
    const a = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--cold-load-child', dir, cacheDir], {
      encoding: 'utf8',
    });
    if (a.status !== 0) throw new Error(`cold-load child failed: ${a.stderr}`);
    const r = JSON.parse(a.stdout) as { coldLoad: number; indexCache: string };
    if (r.indexCache !== expected)
      throw new Error(`cold-load child: index cache ${r.indexCache}, expected ${expected}`);
    return r.coldLoad;
  };
  try {
    for (let r = 0; r < rounds; r++) {
      first.push(child(join(scratch, `empty-${r}`), 'written'));
      cached.push(child(filled, 'used'));
      const b = spawnSync('python3', ['-c', PYTHON_PEER, dir, expect, 'cold'], { encoding: 'utf8' });
      if (b.status === 0) python.push(JSON.parse(b.stdout).coldLoad * 1000);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { first: median(first), cached: median(cached), python: python.length ? median(python) : undefined };
}

async function main() {
  if (process.argv[2] === '--cold-load-child') return coldLoadChild(process.argv[3], process.argv[4]);
  const dir = dataDir();
  const expect = JSON.stringify(
    Object.fromEntries(BENCHMARK_FILE_ROLES.map((r) => [r, [PUBLISHED_FILES[r].name, PUBLISHED_FILES[r].sha256]])),
  );
  const load = (await import('node:os')).loadavg()[0];
  console.log(`bench:core — data: ${dir}`);
  console.log(
    `node ${process.version}, ${process.platform}/${process.arch}, load average ${load.toFixed(1)} on ${(await import('node:os')).cpus().length} cores\n`,
  );
  const cold = await coldLoads(dir, expect, 7);

  // 1. Cold load: the first load in this process (files read, sha256-checked, parsed, validated, representatives
  //    computed from the structure and checked, columns built). Then warm loads (JIT compiled, disk cache warm).
  //    The index cache is off here: these rows time the JSON path, the cold rows above both.
  let t = cpuNow();
  const bench = await loadBenchmark({ dataDir: dir, indexCache: false });
  const coldLoad = cpuNow() - t;
  const warmLoads: number[] = [];
  for (let i = 0; i < 5; i++) {
    t = cpuNow();
    await loadBenchmark({ dataDir: dir, indexCache: false });
    warmLoads.push(cpuNow() - t);
  }
  t = cpuNow();
  bench.precomputeRanks();
  const allRanks = cpuNow() - t;

  // 2. One query: value, rank and percentile of one metric of one index (any index; isomorphic ones map to their
  //    representative). Batches of 10,000 random indices, median over batches.
  const rng = (() => {
    let s = 1;
    return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  })();
  const idx = Array.from({ length: 100_000 }, () => Math.floor(rng() * 15625));
  const perQuery: number[] = [];
  let sink = 0;
  for (let b = 0; b < 50; b++) {
    t = cpuNow();
    for (const i of idx) sink += bench.metric(i, 'cifar10', 'pgd@8')!.rank;
    perQuery.push(((cpuNow() - t) * 1000) / idx.length);
  }
  const perResults: number[] = [];
  for (let b = 0; b < 20; b++) {
    t = cpuNow();
    for (let j = 0; j < 1000; j++) sink += bench.results(idx[j]).metrics.cifar100.clean!.rank;
    perResults.push(((cpuNow() - t) * 1000) / 1000);
  }
  const arch = bench.archOfIndex(1).archString;
  const perResolve: number[] = [];
  for (let b = 0; b < 20; b++) {
    t = cpuNow();
    for (let j = 0; j < 1000; j++) sink += bench.resolve(arch).ok ? 1 : 0;
    perResolve.push(((cpuNow() - t) * 1000) / 1000);
  }

  // 3. The full 18 x 18 Spearman matrix: every adversarial metric of every dataset over the 6,466 cells.
  const columns = DATASET_IDS.flatMap((d) => ADVERSARIAL_METRIC_IDS.map((m) => bench.column(d, m)));
  const spearmanTimes: number[] = [];
  let matrix: number[][] = [];
  for (let r = 0; r < 5; r++) {
    t = cpuNow();
    matrix = correlationMatrix(columns, 'spearman');
    spearmanTimes.push(cpuNow() - t);
  }

  // 4. 100 runs of each search algorithm at a budget of 100 queries, maximising PGD@8 on CIFAR-10.
  const oracle = benchmarkOracle(bench, { dataset: 'cifar10', metric: 'pgd@8' });
  const searchTimes = SEARCH_ALGORITHMS.map((algo) => {
    t = cpuNow();
    let found = 0;
    for (let r = 0; r < 100; r++)
      found +=
        runSearch(oracle, algo, { budget: 100, seed: runSeed(0, r) }).bestClass === oracle.optimum.classIndex ? 1 : 0;
    return { algo, ms: cpuNow() - t, found };
  });

  // 5. The peer, in the same run.
  const py = spawnSync('python3', ['-c', PYTHON_PEER, dir, expect], { encoding: 'utf8' });
  const peer = py.status === 0 ? (JSON.parse(py.stdout) as Record<string, number>) : undefined;
  if (!peer) console.log(`(python3 peer failed: ${py.stderr || py.error})\n`);

  const columnCount = DATASET_IDS.reduce((k, d) => k + METRIC_IDS.filter((m) => bench.hasMetric(d, m)).length, 0);
  const costColumnCount = DATASET_IDS.length * COST_METRIC_IDS.length;
  const rows: [string, string, string][] = [
    [
      'first start: 3 files -> ready index, index cache written (fresh process, median of 7)',
      ms(cold.first),
      cold.python ? `${ms(cold.python)} (${ratio(cold.first, cold.python)})` : '',
    ],
    [
      'later start: 3 files verified, index cache read (fresh process, median of 7)',
      ms(cold.cached),
      cold.python ? `${ms(cold.python)} (${ratio(cold.cached, cold.python)})` : '',
    ],
    [
      'first load in this process, from JSON',
      ms(coldLoad),
      peer ? `${ms(peer.coldLoad * 1000)} (${ratio(coldLoad, peer.coldLoad * 1000)})` : '',
    ],
    [
      'warm load from JSON (median of 5)',
      ms(median(warmLoads)),
      peer ? `${ms(peer.warmLoad * 1000)} (${ratio(median(warmLoads), peer.warmLoad * 1000)})` : '',
    ],
    [
      `rank all ${columnCount} (dataset, metric) columns (${costColumnCount} of them costs counted from the cells)`,
      ms(allRanks),
      peer ? `1 column: ${ms(peer.rankColumn * 1000)}` : '',
    ],
    [
      'one query: value + rank + percentile',
      us(median(perQuery)),
      peer ? `${us(peer.query * 1e6)} (${ratio(median(perQuery), peer.query * 1e6)})` : '',
    ],
    ['results(): 35 metrics + cost, 3 datasets', us(median(perResults)), ''],
    ['resolve(architecture string)', us(median(perResolve)), ''],
    [
      '18 x 18 Spearman matrix, 6,466 cells',
      ms(median(spearmanTimes)),
      peer?.spearman18
        ? `scipy.stats.spearmanr: ${ms(peer.spearman18 * 1000)} (${ratio(median(spearmanTimes), peer.spearman18 * 1000)})`
        : '',
    ],
    ...searchTimes.map(
      (s) =>
        [
          `${SEARCH_ALGORITHM_NAMES[s.algo]}: 100 runs x 100 queries`,
          ms(s.ms),
          `found the optimum in ${s.found}/100 runs`,
        ] as [string, string, string],
    ),
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log('CPU time (user + system) of each step; peers measured in this run.\n');
  console.log(`${'what'.padEnd(w0)}  ${'Robust NAS'.padStart(w1)}  peer (Python ${peer ? 'json/scipy' : 'n/a'})`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
  const spearmanMs = median(spearmanTimes);
  const x = (ours: number, peer: number | undefined) => (peer ? `${(ours / peer).toFixed(2)}x` : 'n/a');
  console.log(
    `\nratios to the peer (ours / peer; issue 14 goals in brackets): first start ${x(cold.first, cold.python)}, ` +
      `later start ${x(cold.cached, cold.python)} (<= 0.5x), Spearman matrix ${x(spearmanMs, peer?.spearman18 && peer.spearman18 * 1000)} (<= 1.0x)`,
  );
  console.log(
    `targets: cold load < 100 ms: ${cold.first < 100 ? 'met' : 'NOT met'}; one query < 20 µs: ${median(perQuery) < 20 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `(Robust NAS's load also computes every representative from the cell structure and checks it against both files; the Python peer only reads the references.)`,
  );
  console.log(`load average at the end: ${(await import('node:os')).loadavg()[0].toFixed(1)}`);
  console.log(
    `spearman(cifar10 clean, imagenet16-120 autoattack) = ${matrix[0][17].toFixed(3)}; checksum ${sink % 97}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
