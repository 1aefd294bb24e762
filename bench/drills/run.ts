// `npm run drill [name…]`: every fault drill (or the ones named), each in a process of its own so
// that one drill's leftovers cannot touch the next. Exits 1 if any drill fails.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const DRILLS = [
  'redis-killed',
  'postgres-restarted',
  'do-evicted',
  'idempotency',
  'gateway-timeout',
  'two-processes',
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !DRILLS.includes(name));
if (unknown.length > 0) {
  console.error(`unknown drill(s): ${unknown.join(', ')}; the drills are: ${DRILLS.join(', ')}`);
  process.exit(2);
}

const results: [string, boolean, number][] = [];
for (const name of wanted.length > 0 ? wanted : DRILLS) {
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, `${name}.ts`)], { stdio: 'inherit' });
    child.on('exit', resolve);
  });
  results.push([name, code === 0, (Date.now() - started) / 1000]);
}
console.log('\ndrills:');
for (const [name, passed, seconds] of results)
  console.log(`  ${passed ? 'passed' : 'FAILED'}  ${name} (${seconds.toFixed(0)} s)`);
const failed = results.filter(([, passed]) => !passed).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
