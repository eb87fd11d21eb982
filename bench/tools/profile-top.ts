// Top functions of a V8 .cpuprofile (from `node --cpu-prof`): self time and total time (a function
// counted once per sample however often it recurses), grouped by function, file and line.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof -r ts-node/register/transpile-only bench/run.ts \
//     --quick --filter join-indexed --only amberdb
//   npx ts-node --transpile-only bench/tools/profile-top.ts /tmp/prof/*.cpuprofile [count]
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function main(): void {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: profile-top.ts FILE.cpuprofile [count]');
  const count = Number(process.argv[3] ?? 25);
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const root = process.cwd();
  const key = (n: ProfileNode): string => {
    const f = n.callFrame;
    const where = f.url === '' ? '' : ` ${path.relative(root, f.url.replace(/^file:\/\//, ''))}:${f.lineNumber + 1}`;
    return `${f.functionName === '' ? '(anonymous)' : f.functionName}${where}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    all += dt;
    const leaf = byId.get(id);
    if (leaf === undefined) return;
    self.set(key(leaf), (self.get(key(leaf)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let n: ProfileNode | undefined = leaf; n !== undefined; n = byId.get(parent.get(n.id) ?? -1)) {
      const k = key(n);
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + dt);
    }
  });
  const pct = (x: number): string => `${((100 * x) / all).toFixed(1).padStart(5)}%`;
  console.log(`${(all / 1e6).toFixed(2)} s sampled\n\nself time`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, count)) console.log(`${pct(v)}  ${k}`);
  console.log('\ntotal time (src/ only)');
  for (const [k, v] of [...total].filter(([k]) => k.includes('src/')).sort((a, b) => b[1] - a[1]).slice(0, count)) console.log(`${pct(v)}  ${k}`);
}

main();
