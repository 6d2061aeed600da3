// npm run bench [-- --json FILE] [-- --suite]: each figure side by side with its baseline in
// the same run, printed as a ratio (these machines are noisy).
import net from 'node:net';
import os from 'node:os';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Conn } from '../src/harness/conn';
import { Transcript } from '../src/harness/transcript';
import { Runner } from '../src/harness/runner';
import { InProcessTarget } from '../src/harness/targets/in-process';
import { SpawnTarget } from '../src/harness/targets/spawn';
import { stopSockDiag } from '../src/harness/sockdiag';
import { sha256File } from '../src/harness/sandbox';
import { findBuiltin, findProtocol, allBuiltins } from '../src/protocols';
import { reply } from '../src/protocols/hello/cases/reply';
import { DEFAULT_SETTINGS, type Profile, type Settings } from '../src/protocols/types';
import type { SessionContext } from '../src/harness/clause';
import { sizeHeader } from '../src/protocols/upload/codec';
import { loadExamples, EXAMPLES_DIR } from '../src/start';

const ROOT = path.join(__dirname, '..');
const args = process.argv.slice(2);
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const withSuite = args.includes('--suite');
// --only sessions|upload|detect|suite: one figure (for profiling with --cpu-prof).
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const wanted = (name: string) => (only ? only === name : name !== 'suite' || withSuite);
const figures: Record<string, number | string> = { cores: os.cpus().length, node: process.version };
const say = (s: string) => process.stdout.write(`${s}\n`);

async function timed<T>(n: number, inFlight: number, one: () => Promise<T>): Promise<number> {
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < n) await one();
    }),
  );
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function sessionThroughput(): Promise<void> {
  const target = new InProcessTarget(findBuiltin('hello-reference')!, 'lesson', DEFAULT_SETTINGS);
  await target.start();
  const request = Buffer.from('hello');
  const ctx: SessionContext<Settings> = {
    profile: 'lesson',
    settings: DEFAULT_SETTINGS,
    stepMs: 2000,
    local: true,
    connect: () => Conn.open({ host: '127.0.0.1', port: target.port, transcript: new Transcript(), readCap: 1 << 20, connectTimeoutMs: 2000, paceTimeoutMs: 500, gapMs: 5 }),
    changes: async () => [],
  };
  const harness = async () => {
    const seen = await reply.run(ctx, { request, cuts: [] });
    if (seen.verdict !== 'pass') throw new Error(`bench session failed: ${seen.summary}`);
  };
  const raw = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port: target.port, noDelay: true });
      const got: Buffer[] = [];
      s.on('connect', () => s.write(request));
      s.on('data', (d) => {
        got.push(d);
        if (Buffer.concat(got).length >= 11) s.end();
      });
      s.on('close', () => resolve());
      s.on('error', reject);
    });
  for (const inFlight of [1, 16]) {
    await timed(200, inFlight, raw);
    await timed(200, inFlight, harness); // warm-up
    const r = await timed(2000, inFlight, raw);
    const h = await timed(2000, inFlight, harness);
    const key = inFlight === 1 ? '' : '_16';
    figures[`raw_sessions_per_sec${key}`] = Math.round(r);
    figures[`sessions_per_sec${key}`] = Math.round(h);
    figures[`session_ratio${key}`] = +(h / r).toFixed(3);
    say(`sessions (${inFlight} in flight): harness ${Math.round(h)}/s, raw net ${Math.round(r)}/s, ratio ${(h / r).toFixed(2)} (target >= 0.5)`);
  }
  await target.stop();
}

function* pattern(total: number, chunk = 1 << 20): Generator<Buffer> {
  const block = Buffer.alloc(chunk);
  for (let i = 0; i < chunk; i++) block[i] = (i * 131 + 7) & 0xff;
  for (let off = 0; off < total; off += chunk) yield total - off >= chunk ? block : block.subarray(0, total - off);
}

async function uploadStreaming(total: number): Promise<void> {
  const profile: Profile = 'lesson';
  const target = new InProcessTarget(findBuiltin('upload-reference')!, profile, DEFAULT_SETTINGS);
  await target.start();
  global.gc?.();
  const idle = process.memoryUsage().rss;
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  // Harness path: a paced header, the body streamed chunk by chunk with backpressure, the
  // oracle hashing as it streams (sender side) and from disk (server side).
  const t0 = process.hrtime.bigint();
  const conn = await Conn.open({ host: '127.0.0.1', port: target.port, transcript: new Transcript(4096), readCap: 1 << 20, connectTimeoutMs: 2000, paceTimeoutMs: 2000, gapMs: 5 });
  await conn.write(sizeHeader(total));
  await conn.pace();
  const sent = createHash('sha256');
  for (const chunk of pattern(total)) {
    sent.update(chunk);
    await conn.writeFlowing(chunk);
  }
  conn.end();
  await conn.waitForEnd(60_000);
  conn.close();
  const stored = await sha256File(path.join(target.sandbox!.work, 'xxx.png'));
  const harnessSecs = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(sampler);
  if (stored !== sent.digest('hex')) throw new Error('bench upload stored different bytes');
  // Baseline: a raw socket copy of the same bytes in the same process.
  const rawSecs = await rawCopy(total);
  await target.stop();
  const mb = (peak - idle) / 1e6;
  figures.upload_bytes = total;
  figures.upload_rss_growth_mb = +mb.toFixed(1);
  figures.upload_mb_per_sec = Math.round(total / 1e6 / harnessSecs);
  figures.raw_copy_mb_per_sec = Math.round(total / 1e6 / rawSecs);
  figures.upload_ratio = +(rawSecs / harnessSecs).toFixed(3);
  say(`upload ${total / 2 ** 30} GiB: peak RSS growth ${mb.toFixed(1)} MB (target < 64), ${Math.round(total / 1e6 / harnessSecs)} MB/s vs raw copy ${Math.round(total / 1e6 / rawSecs)} MB/s, ratio ${(rawSecs / harnessSecs).toFixed(2)} (target >= 0.5)`);
}

function rawCopy(total: number): Promise<number> {
  return new Promise((resolve) => {
    let received = 0;
    const t0 = process.hrtime.bigint();
    const server = net.createServer((s) => {
      s.on('data', (d) => (received += d.length));
      s.on('end', () => {
        s.end();
        server.close();
        if (received === total) resolve(Number(process.hrtime.bigint() - t0) / 1e9);
      });
    });
    server.listen(0, '127.0.0.1', async () => {
      const c = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
      await new Promise((r) => c.once('connect', r));
      for (const chunk of pattern(total)) if (!c.write(chunk)) await new Promise((r) => c.once('drain', r));
      c.end();
    });
  });
}

async function timeToFirstFinding(): Promise<void> {
  const times: number[] = [];
  const one = async (name: string, protocolName: string, profile: Profile, makeTarget: () => InProcessTarget | SpawnTarget) => {
    const protocol = findProtocol(protocolName)!;
    const target = makeTarget();
    const t0 = Date.now();
    await target.start();
    let first: number | undefined;
    try {
      await new Runner(protocol, profile, DEFAULT_SETTINGS, target, {
        seed: 1,
        runs: 25,
        stepMs: 2000,
        timeLimitMs: 60_000,
        stopOnFinding: true,
        onProgress: (e) => {
          if (e.kind === 'clause-end' && e.result.status === 'fail' && e.result.effectiveLevel !== 'ADVISORY' && first === undefined) first = (Date.now() - t0) / 1000;
        },
      }).run();
    } finally {
      await target.stop();
    }
    times.push(first ?? Infinity);
    say(`  first finding: ${name.padEnd(40)} ${first?.toFixed(2) ?? 'none'} s`);
  };
  for (const b of allBuiltins().filter((x) => x.faithful)) {
    for (const profile of b.profiles) await one(`builtin ${b.name}`, b.protocol, profile, () => new InProcessTarget(b, profile, DEFAULT_SETTINGS, findProtocol(b.protocol)!.prepareDir));
  }
  for (const ex of loadExamples().filter((e) => e.fragile)) {
    await one(`examples/${ex.file}`, ex.protocol, ex.profile, () => new SpawnTarget({ command: `python3 ${path.join(EXAMPLES_DIR, ex.file)} {port}`, cwd: ROOT, prepareDir: findProtocol(ex.protocol)!.prepareDir, startTimeoutMs: 10_000, keep: false }));
  }
  const sorted = [...times].sort((a, b) => a - b);
  figures.detect_median_s = +sorted[Math.floor(sorted.length / 2)].toFixed(2);
  figures.detect_max_s = +sorted[sorted.length - 1].toFixed(2);
  say(`time to first finding: median ${figures.detect_median_s} s (target < 5), max ${figures.detect_max_s} s (target < 20)`);
}

function suiteCost(): void {
  for (const [name, script] of [['npm_test', 'test'], ['npm_start', 'start']] as const) {
    const t0 = Date.now();
    const r = spawnSync('npm', ['run', script], { cwd: ROOT, stdio: 'ignore' });
    const secs = (Date.now() - t0) / 1000;
    figures[`${name}_s`] = +secs.toFixed(1);
    say(`${name.replace('_', ' ')}: ${secs.toFixed(1)} s (exit ${r.status}; target ${name === 'npm_test' ? '< 180' : '< 120'} s)`);
  }
}

async function main(): Promise<void> {
  say(`sockspec bench on ${os.cpus().length} cores, node ${process.version}`);
  if (wanted('sessions')) await sessionThroughput();
  if (wanted('upload')) await uploadStreaming(Number(process.env.BENCH_UPLOAD_BYTES ?? 2 ** 30));
  if (wanted('detect')) await timeToFirstFinding();
  if (wanted('suite')) suiteCost();
  else if (!only) say('(suite cost: add --suite to time npm test and npm start)');
  if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(figures, null, 2)}\n`);
  stopSockDiag();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
