// Child process of the memory workload (workloads/40-memory.ts): loads `rows` rows into a fresh
// AmberDB memory database and prints the growth of the V8 heap + external memory (after full GCs)
// and of RSS, as JSON. A process of its own, because in the runner's process the tables of earlier
// workloads (and their garbage) move the figure by more than the rows being measured.
//   node --expose-gc -r ts-node/register/transpile-only bench/lib/memory-probe.ts ROWS
import { openMemory } from './engines';
import { loadItems } from '../workloads/40-memory';

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('memory-probe needs node --expose-gc');
  gc();
  gc();
}

function resident(): { heap: number; rss: number } {
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.external, rss: m.rss };
}

const rows = Number.parseInt(process.argv[2] ?? '', 10);
if (!Number.isInteger(rows) || rows <= 0) throw new Error('usage: memory-probe.ts ROWS');
// Warm-up: a throwaway load first, so the code paths' one-time allocations (compiled statements,
// the parser, inline caches) and the garbage of starting up are not counted as the rows' cost.
const warm = openMemory('amberdb');
loadItems(warm, Math.min(rows, 5000));
warm.db.close();
const target = openMemory('amberdb');
collect();
const before = resident();
loadItems(target, rows);
collect();
const after = resident();
// The table must still be alive when measured (the check keeps `target` reachable).
const n = (target.db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;
process.stdout.write(JSON.stringify({ rows: n, heap: after.heap - before.heap, rss: after.rss - before.rss }) + '\n');
