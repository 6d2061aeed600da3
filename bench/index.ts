// npm run bench [-- --json FILE] [-- --suite] [-- --only sessions|upload|detect|verdict|suite|grade]: each
// figure side by side with its baseline in the same run, printed as a ratio (these machines are
// noisy). BENCH_UPLOAD_BYTES changes the upload size (1 GiB).
import net from 'node:net';
import os from 'node:os';
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Conn } from '../src/harness/conn';
import { Transcript } from '../src/harness/transcript';
import { Runner } from '../src/harness/runner';
import { InProcessTarget } from '../src/harness/targets/in-process';
import type { Target } from '../src/harness/targets/types';
import { sockInfo, stopSockDiag } from '../src/harness/sockdiag';
import { sessionContext } from '../src/harness/runner/context';
import { findBuiltin, findProtocol, allBuiltins, prepareDirFor } from '../src/protocols';
import { reply } from '../src/protocols/hello/cases/reply';
import type { Profile } from '../src/protocols/types';
import { helloDefaults } from '../src/protocols/hello/settings';
import { uploadDefaults } from '../src/protocols/upload/settings';
import { patternBody } from '../src/protocols/upload/body';
import { uploadStream } from '../src/protocols/upload/stream';
import { streamBody } from '../src/protocols/upload/session';
import { CLOSE, FILES_DIR, fileItemHead, LESSON_FILE, sizeHeader, UPLOAD_NAME } from '../src/protocols/upload/codec';
import { encodeFrame } from '../src/protocols/wire/framing';
import { exampleClass, exampleTarget, loadExamples, EXAMPLES_DIR } from '../src/start';
import { settingsFromVariant } from '../src/protocols/variant';

const ROOT = path.join(__dirname, '..');
const args = process.argv.slice(2);
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const withSuite = args.includes('--suite');
// --only sessions|upload|detect|verdict|suite: one figure (for profiling with --cpu-prof).
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
// suite and grade (minutes each) run only when asked for.
const wanted = (name: string) => (only ? only === name : name !== 'grade' && (name !== 'suite' || withSuite));
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

type SessionKind = 'raw' | 'harness';

/**
 * One side of the session figure, in a process of its own (`--session-child KIND`) with its own
 * in-process reference server: it runs rounds of sessions when the parent asks (`{ n, inFlight }`
 * over IPC) and answers with the seconds they took. Each side is alone in its process, as a
 * real run is: in one shared process the raw loop's sockets and the harness's (half-open, with
 * end-of-stream probes) went through the same `net` internals and each shaped the other's JIT
 * state (the figure was lower that way, though within this machine's noise).
 */
async function sessionChild(kind: SessionKind): Promise<void> {
  const target = new InProcessTarget(findBuiltin('hello-reference')!, 'lesson', helloDefaults);
  await target.start();
  const request = Buffer.from('hello');
  // Each session as the runner makes it: its own context and transcript (hello stores no files,
  // so the runner takes no snapshot of the working folder for it).
  const harness = async () => {
    const seen = await reply.run(sessionContext(target, 'lesson', helloDefaults, { stepMs: 2000, watchFiles: !!findProtocol('hello')!.storesFiles }), { request, cuts: null });
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
  const one = kind === 'raw' ? raw : harness;
  // The parent gone (it failed, or was killed): its in-process server would keep this alive.
  process.on('disconnect', () => process.exit(1));
  await new Promise<void>((stopped) => {
    process.on('message', (m: { n: number; inFlight: number } | 'stop') => {
      if (m === 'stop') return void target.stop().then(stopped);
      timed(m.n, m.inFlight, one).then(
        (perSec) => process.send!({ secs: m.n / perSec }),
        (e: unknown) => process.send!({ error: e instanceof Error ? e.message : String(e) }),
      );
    });
    process.send!({ ready: true });
  });
}

async function sessionThroughput(): Promise<void> {
  const started: ChildProcess[] = [];
  const start = (kind: SessionKind) =>
    new Promise<ChildProcess>((resolve, reject) => {
      const child = fork(__filename, ['--session-child', kind], { cwd: ROOT, execArgv: process.execArgv });
      started.push(child);
      const failed = (why: string) => reject(new Error(`the ${kind} session process ${why}`));
      child.once('error', (e) => failed(`could not start (${e.message})`));
      child.once('exit', (code, signal) => failed(`exited (${signal ?? code}) before it was ready`));
      child.once('message', () => {
        child.removeAllListeners('error').removeAllListeners('exit');
        resolve(child);
      });
    });
  /** One round's seconds; a child that exits or fails meanwhile fails the round (never a wait forever). */
  const round = (child: ChildProcess, n: number, inFlight: number) =>
    new Promise<number>((resolve, reject) => {
      const gone = (code: number | null, signal: NodeJS.Signals | null) => settle(new Error(`a session process exited (${signal ?? code}) during a round`));
      const broke = (e: Error) => settle(e);
      const answer = (m: { secs?: number; error?: string }) => settle(m.secs !== undefined ? m.secs : new Error(`bench session failed: ${m.error}`));
      const settle = (r: number | Error) => {
        child.off('exit', gone).off('error', broke).off('message', answer);
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
      child.on('exit', gone).on('error', broke).on('message', answer);
      child.send({ n, inFlight });
    });
  try {
    const sides: Record<SessionKind, ChildProcess> = { raw: await start('raw'), harness: await start('harness') };
    for (const inFlight of [1, 16]) {
      for (const kind of ['raw', 'harness'] as const) await round(sides[kind], 500, inFlight); // warm-up
      // Interleaved in rounds of 250 sessions, each pair of rounds in the other order than the one
      // before: the speed of this machine drifts by 2x within a minute, and a slow spell then costs
      // both. The figure is the total over all rounds; the pairs' own ratios show how noisy it was.
      const spent = { raw: 0, harness: 0 };
      const pairs: number[] = [];
      for (let i = 0; i < 32; i++) {
        const secs = { raw: 0, harness: 0 };
        for (const kind of i % 2 ? (['harness', 'raw'] as const) : (['raw', 'harness'] as const)) secs[kind] = await round(sides[kind], 250, inFlight);
        spent.raw += secs.raw;
        spent.harness += secs.harness;
        pairs.push(secs.raw / secs.harness);
      }
      pairs.sort((a, b) => a - b);
      const [r, h] = [8000 / spent.raw, 8000 / spent.harness];
      const [q1, median, q3] = [pairs[8], (pairs[15] + pairs[16]) / 2, pairs[24]];
      const key = inFlight === 1 ? '' : '_16';
      figures[`raw_sessions_per_sec${key}`] = Math.round(r);
      figures[`sessions_per_sec${key}`] = Math.round(h);
      figures[`session_ratio${key}`] = +(h / r).toFixed(3);
      figures[`session_ratio${key}_pairs_median`] = +median.toFixed(3);
      figures[`session_ratio${key}_pairs_quartiles`] = `${q1.toFixed(2)}..${q3.toFixed(2)}`;
      say(
        `sessions (${inFlight} in flight, 8000 each in rounds of 250, each side in its own process): harness ${Math.round(h)}/s, raw net ${Math.round(r)}/s, ` +
          `ratio ${(h / r).toFixed(2)} (target >= 0.8; the 32 pairs of rounds: median ${median.toFixed(2)}, quartiles ${q1.toFixed(2)} to ${q3.toFixed(2)})`,
      );
    }
  } finally {
    // Each child stops its server and exits; one that does not within 5 s is killed. The upload
    // figures start only once both are gone.
    await Promise.all(
      started.map(
        (child) =>
          new Promise<void>((gone) => {
            if (child.exitCode !== null || child.signalCode !== null) return gone();
            const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => {
              clearTimeout(kill);
              gone();
            });
            if (child.connected) child.send('stop');
            else child.kill('SIGKILL');
          }),
      ),
    );
  }
}

/** Samples this process's RSS every 20 ms from now (after a GC): its idle figure, and the peak once stopped. */
function rssSampler(): { idle: number; stop(): number } {
  global.gc?.();
  const idle = process.memoryUsage().rss;
  let peak = idle;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return {
    idle,
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

/** The raw client's upload: seconds from connect to close, and the process's peak RSS growth. */
interface RawUploadFigures {
  secs: number;
  growth: number;
}

interface UploadFigures {
  idle: number;
  peak: number;
  secs: number;
  rawSecs: number;
  /** The raw copy again, its receiver writing the bytes to a file in the same folder. */
  diskSecs: number;
}

/**
 * One profile's upload, in a fresh process (`--upload-child harness PROFILE BYTES`) so that its
 * RSS baseline is this upload's alone: the harness path as a run takes it (a session transcript,
 * the upload codec, the reference server storing to disk, the oracle comparing the stored file
 * with the generated body), then the raw socket copy of the same bytes.
 */
async function uploadChild(profile: Profile, total: number): Promise<UploadFigures> {
  const target = new InProcessTarget(findBuiltin('upload-reference')!, profile, uploadDefaults);
  await target.start();
  const sandbox = target.sandbox!;
  // The sock_diag helper (which paces the header) starts once per process, in a run at its polite
  // session: not inside this upload, where its start (through a pyenv shim, half a second of CPU)
  // competed with the upload for the two cores.
  await sockInfo(1, 1);
  const rss = rssSampler();
  const ctx = sessionContext(target, profile, uploadDefaults, { stepMs: 10_000 });
  const t0 = process.hrtime.bigint();
  const seen = await uploadStream(ctx, patternBody(total));
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const [idle, peak] = [rss.idle, rss.stop()];
  await target.stop();
  if (seen.verdict !== 'pass') throw new Error(`bench upload (${profile}) failed: ${seen.summary} ${seen.observed ?? ''}`);
  const rawSecs = await rawCopy(total);
  spawnSync('sync');
  return { idle, peak, secs, rawSecs, diskSecs: await rawCopy(total, path.dirname(sandbox.root)) };
}

/**
 * The fair baseline of an upload (`--upload-child raw PROFILE BYTES`, a fresh process too): a
 * minimal raw Node client sends the same bytes (the same header, body and close frame) to the
 * same in-process reference server, storing into the same kind of sandbox folder, and is done
 * when the server closes (it closes once the file is in place). Seconds from connect to close,
 * and the process's peak RSS growth (the in-process server's share of the harness's figure).
 */
async function rawUploadChild(profile: Profile, total: number): Promise<RawUploadFigures> {
  const target = new InProcessTarget(findBuiltin('upload-reference')!, profile, uploadDefaults);
  await target.start();
  try {
    const rss = rssSampler();
    const t0 = process.hrtime.bigint();
    const c = net.connect({ host: '127.0.0.1', port: target.port, noDelay: true, allowHalfOpen: true });
    const closed = new Promise<void>((resolve, reject) => {
      c.on('data', () => undefined);
      c.on('close', () => resolve());
      c.on('error', reject);
    });
    await new Promise((r) => c.once('connect', r));
    const send = async (b: Buffer) => {
      if (!c.write(b)) await new Promise((r) => c.once('drain', r));
    };
    if (profile === 'lesson') {
      // The course's server reads the header alone: let it arrive before the body.
      await send(sizeHeader(total, uploadDefaults, UPLOAD_NAME));
      await new Promise((r) => setTimeout(r, 1));
    } else await send(fileItemHead(UPLOAD_NAME, total));
    for (const chunk of patternBody(total).chunks()) await send(chunk);
    if (profile === 'framed') await send(encodeFrame(CLOSE));
    c.end();
    await closed;
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const growth = rss.stop() - rss.idle;
    const stored = profile === 'lesson' ? path.join(target.sandbox!.work, LESSON_FILE) : path.join(target.sandbox!.work, FILES_DIR, UPLOAD_NAME);
    if (statSync(stored).size !== total) throw new Error(`the raw ${profile} upload stored ${statSync(stored).size} of ${total} bytes`);
    return { secs, growth };
  } finally {
    await target.stop();
  }
}

/** Runs an upload child (harness or raw) in a fresh process, after `sync`. */
function runUploadChild<T>(kind: 'harness' | 'raw', profile: Profile, total: number): T {
  spawnSync('sync');
  const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--upload-child', kind, profile, String(total)], { cwd: ROOT, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`the ${kind} ${profile} upload failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as T;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function uploadStreaming(total: number): Promise<void> {
  const worst = { growth: 0, ratio: Infinity, harness: Infinity };
  const gib = total / 2 ** 30;
  const mbps = (secs: number) => Math.round(total / 1e6 / secs);
  for (const profile of ['lesson', 'framed'] as Profile[]) {
    // The disk is the noisiest part of this machine: each upload starts with no dirty pages left
    // by the one before (sync), and each figure is the median of three. The harness and its raw
    // baseline alternate which goes first.
    const tries = Array.from({ length: 3 }, (_, i) => {
      const harness = () => runUploadChild<UploadFigures>('harness', profile, total);
      const raw = () => runUploadChild<RawUploadFigures>('raw', profile, total);
      let h: UploadFigures, r: RawUploadFigures;
      if (i % 2) [r, h] = [raw(), harness()];
      else [h, r] = [harness(), raw()];
      return { ...h, serverSecs: r.secs, rawGrowth: r.growth };
    });
    const secs = median(tries.map((t) => t.secs));
    const rawSecs = median(tries.map((t) => t.rawSecs));
    const diskSecs = median(tries.map((t) => t.diskSecs));
    const serverSecs = median(tries.map((t) => t.serverSecs));
    const harnessRatio = median(tries.map((t) => t.serverSecs / t.secs));
    const { idle, peak } = tries.reduce((a, b) => (b.peak - b.idle > a.peak - a.idle ? b : a));
    const mb = (peak - idle) / 1e6;
    const ratio = median(tries.map((t) => t.rawSecs / t.secs));
    worst.growth = Math.max(worst.growth, mb);
    worst.ratio = Math.min(worst.ratio, ratio);
    worst.harness = Math.min(worst.harness, harnessRatio);
    const rawMb = Math.max(...tries.map((t) => t.rawGrowth)) / 1e6;
    figures[`upload_${profile}_rss_growth_mb`] = +mb.toFixed(1);
    figures[`raw_upload_${profile}_rss_growth_mb`] = +rawMb.toFixed(1);
    figures[`upload_${profile}_mb_per_sec`] = mbps(secs);
    figures[`raw_upload_${profile}_mb_per_sec`] = mbps(serverSecs);
    figures[`upload_harness_${profile}_ratio`] = +harnessRatio.toFixed(3);
    figures[`raw_copy_${profile}_mb_per_sec`] = mbps(rawSecs);
    figures[`upload_${profile}_ratio`] = +ratio.toFixed(3);
    figures[`raw_copy_to_disk_${profile}_mb_per_sec`] = mbps(diskSecs);
    figures[`upload_${profile}_vs_disk_ratio`] = +median(tries.map((t) => t.diskSecs / t.secs)).toFixed(3);
    say(`upload ${gib} GiB ${profile} (medians of 3; the largest RSS growth): peak RSS growth ${mb.toFixed(1)} MB (target < 48; the raw client's with the same server ${rawMb.toFixed(1)} MB); ${mbps(secs)} MB/s vs a raw client to the same reference server ${mbps(serverSecs)} MB/s, ratio ${harnessRatio.toFixed(2)} (target >= 0.8); vs a raw socket copy to a sink ${mbps(rawSecs)} MB/s, ratio ${ratio.toFixed(2)}; vs a raw copy into a file ${mbps(diskSecs)} MB/s, ratio ${figures[`upload_${profile}_vs_disk_ratio`]}`);
  }
  // Where the time goes: the harness's own sending side against the same raw baseline.
  const pairs: [number, number][] = [];
  for (let i = 0; i < 3; i++) pairs.push([await rawCopy(total), await harnessCopy(total)]);
  const [raw, sender] = pairs.sort((a, b) => a[0] / a[1] - b[0] / b[1])[1];
  figures.upload_sender_ratio = +(raw / sender).toFixed(3);
  say(`upload ${gib} GiB, the harness's sending side alone (to a sink, median of 3): ${mbps(sender)} MB/s vs raw copy ${mbps(raw)} MB/s, ratio ${(raw / sender).toFixed(2)}`);
  figures.upload_bytes = total;
  figures.upload_rss_growth_mb = +worst.growth.toFixed(1);
  figures.upload_ratio = +worst.ratio.toFixed(3);
  figures.upload_harness_ratio = +worst.harness.toFixed(3);
}

/**
 * Seconds to stream `total` bytes to a sink in this process that counts and discards them (or,
 * given `dir`, writes them to a file there). `send` is the sender: a raw Node socket (the
 * baseline) or the harness's connection.
 */
function copyToSink(total: number, send: (port: number) => Promise<void>, dir?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let received = 0;
    const t0 = process.hrtime.bigint();
    const server = net.createServer({ allowHalfOpen: true }, (s) => {
      const file = dir ? path.join(dir, `sockspec-bench-${process.pid}.bin`) : undefined;
      const out = file ? createWriteStream(file, { highWaterMark: 8 << 20 }) : undefined;
      s.on('data', (d) => {
        received += d.length;
        if (out && !out.write(d)) {
          s.pause();
          out.once('drain', () => s.resume());
        }
      });
      s.on('end', () => {
        const done = () => {
          const secs = Number(process.hrtime.bigint() - t0) / 1e9;
          s.end();
          server.close();
          if (file) rmSync(file, { force: true });
          if (received === total) resolve(secs);
          else reject(new Error(`the sink got ${received} of ${total} bytes`));
        };
        if (out) out.end(done);
        else done();
      });
    });
    server.listen(0, '127.0.0.1', () => void send((server.address() as net.AddressInfo).port).catch(reject));
  });
}

const rawCopy = (total: number, dir?: string) =>
  copyToSink(
    total,
    async (port) => {
      const c = net.connect(port, '127.0.0.1');
      await new Promise((r) => c.once('connect', r));
      for (const chunk of patternBody(total).chunks()) if (!c.write(chunk)) await new Promise((r) => c.once('drain', r));
      c.end();
    },
    dir,
  );

/** The harness's sending side alone (connection, transcript, generated body, backpressure). */
const harnessCopy = (total: number) =>
  copyToSink(total, async (port) => {
    const conn = await Conn.open({ host: '127.0.0.1', port, transcript: new Transcript(), readCap: 4 << 20, connectTimeoutMs: 2000, paceTimeoutMs: 2000, gapMs: 5 });
    await streamBody(conn, patternBody(total));
    conn.end();
    await conn.waitForEnd(60_000);
    conn.close();
  });

async function timeToFirstFinding(): Promise<void> {
  const times: number[] = [];
  const one = async (name: string, protocolName: string, profile: Profile, makeTarget: () => Target, given?: unknown) => {
    const protocol = findProtocol(protocolName)!;
    const settings = given ?? protocol.defaults;
    const target = makeTarget();
    const t0 = Date.now();
    await target.start();
    let first: number | undefined;
    try {
      await new Runner(protocol, profile, settings, target, {
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
    say(`  first finding: ${name.padEnd(50)} ${first?.toFixed(2) ?? 'none'} s`);
  };
  for (const b of allBuiltins().filter((x) => x.faithful)) {
    for (const profile of b.profiles) await one(`builtin ${b.name}`, b.protocol, profile, () => new InProcessTarget(b, profile, findProtocol(b.protocol)!.defaults, prepareDirFor(findProtocol(b.protocol)!)));
  }
  for (const ex of loadExamples().filter((e) => e.fragile)) {
    await one(`examples/${ex.file}`, ex.protocol, ex.profile, () => exampleTarget(ex.file, findProtocol(ex.protocol)!));
  }
  // The course-style twins of the variant examples, fuzzed under their variant.
  const variants = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, 'variants', 'manifest.json'), 'utf8')) as { file: string; protocol: string; profile?: Profile; variant: unknown; fragile: boolean }[];
  for (const ex of variants.filter((e) => e.fragile)) {
    const settings = settingsFromVariant(ex.protocol, ex.variant);
    const file = path.join('variants', ex.file);
    await one(`examples/${file}`, ex.protocol, ex.profile ?? 'lesson', () => exampleTarget(file, findProtocol(ex.protocol)!, settings), settings);
  }
  const sorted = [...times].sort((a, b) => a - b);
  figures.detect_median_s = +sorted[Math.floor(sorted.length / 2)].toFixed(2);
  figures.detect_max_s = +sorted[sorted.length - 1].toFixed(2);
  say(`time to first finding: median ${figures.detect_median_s} s (target < 5), max ${figures.detect_max_s} s (target < 20)`);
}

/** Every example server of a folder's manifest, with the variant it is fuzzed under. */
function manifestExamples(folder: string): { file: string; protocol: string; profile: Profile; settings: unknown }[] {
  const list = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, folder, 'manifest.json'), 'utf8')) as { file: string; protocol: string; profile?: Profile; variant?: unknown }[];
  return list.map((ex) => ({
    file: path.join(folder, ex.file),
    protocol: ex.protocol,
    profile: ex.profile ?? 'lesson',
    settings: ex.variant ? settingsFromVariant(ex.protocol, ex.variant) : findProtocol(ex.protocol)!.defaults,
  }));
}

/**
 * Time to a full verdict: every applicable clause has run its boundary cases (or failed), with
 * the default options, over every example server, corrected and fragile, slow ones included.
 */
async function timeToVerdict(): Promise<void> {
  const times: number[] = [];
  for (const ex of [...manifestExamples('.'), ...manifestExamples('variants'), ...manifestExamples('trust')]) {
    const protocol = findProtocol(ex.protocol)!;
    const target = exampleTarget(ex.file, protocol, ex.settings);
    const t0 = Date.now();
    await target.start();
    let r;
    try {
      r = await new Runner(protocol, ex.profile, ex.settings, target, { seed: 1, runs: 25, stepMs: 2000, timeLimitMs: 60_000, stopAtVerdict: true }).run();
    } finally {
      await target.stop();
    }
    const secs = (Date.now() - t0 - r.durationMs + (r.verdictMs ?? r.durationMs)) / 1000;
    times.push(r.complete || r.clauses.some((c) => c.status === 'fail') ? secs : Infinity);
    say(`  full verdict: examples/${ex.file.padEnd(44)} ${secs.toFixed(2)} s${r.complete ? '' : ' (incomplete)'}`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  figures.verdict_median_s = +sorted[Math.floor(sorted.length / 2)].toFixed(2);
  figures.verdict_max_s = +sorted[sorted.length - 1].toFixed(2);
  say(`time to a full verdict: median ${figures.verdict_median_s} s (target < 10), max ${figures.verdict_max_s} s (target < 60)`);
}

/**
 * grade's parallel speed-up: the wall time of grading a class with --jobs 2 over --jobs 1. The
 * class of each protocol is its lesson examples (the course's server and the corrected one),
 * each handed in by two students: four submissions per protocol, sixteen in all.
 */
function gradeParallel(): void {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sockspec-bench-grade-'));
  try {
    const lesson = loadExamples().filter((e) => e.profile === 'lesson');
    const protocols = [...new Set(lesson.map((e) => e.protocol))];
    for (const p of protocols) exampleClass(path.join(tmp, p), lesson.filter((e) => e.protocol === p), 2);
    const wall: Record<number, number> = {};
    for (const jobs of [1, 2]) {
      const t0 = Date.now();
      for (const p of protocols) {
        // server_kit.py binds a socket too: without --entry the course's servers (which do not import it) go ungraded.
        const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'sockspec.js'), 'grade', path.join(tmp, p), '--protocol', p, '--entry', 'server.py', '--runs', '10', '--time-limit', '60', '--jobs', String(jobs), '--out', path.join(tmp, `out-${jobs}`, p), '--quiet'], { cwd: ROOT, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`grade ${p} --jobs ${jobs} exited ${r.status}: ${r.stderr}`);
        const ungraded = (JSON.parse(readFileSync(path.join(tmp, `out-${jobs}`, p, 'class.json'), 'utf8')) as { submissions: { name: string; error: string | null }[] }).submissions.filter((s) => s.error);
        if (ungraded.length) throw new Error(`grade ${p} --jobs ${jobs} did not grade ${ungraded.map((s) => `${s.name} (${s.error})`).join(', ')}`);
      }
      wall[jobs] = (Date.now() - t0) / 1000;
      figures[`grade_jobs${jobs}_s`] = +wall[jobs].toFixed(1);
    }
    figures.grade_parallel_ratio = +(wall[2] / wall[1]).toFixed(3);
    say(`grade ${protocols.length * 4} submissions (${protocols.join(', ')}; 4 each): --jobs 1 ${wall[1].toFixed(1)} s, --jobs 2 ${wall[2].toFixed(1)} s, ratio ${(wall[2] / wall[1]).toFixed(2)} (target <= 0.6 on 2 cores)`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function suiteCost(): void {
  for (const [name, script] of [['npm_test', 'test'], ['npm_start', 'start']] as const) {
    const t0 = Date.now();
    const r = spawnSync('npm', ['run', script], { cwd: ROOT, stdio: 'ignore' });
    const secs = (Date.now() - t0) / 1000;
    figures[`${name}_s`] = +secs.toFixed(1);
    say(`${name.replace('_', ' ')}: ${secs.toFixed(1)} s (exit ${r.status}; target ${name === 'npm_test' ? '< 150' : '< 120'} s)`);
  }
}

async function main(): Promise<void> {
  const sessions = args.indexOf('--session-child');
  if (sessions >= 0) return sessionChild(args[sessions + 1] as SessionKind);
  const child = args.indexOf('--upload-child');
  if (child >= 0) {
    const [kind, profile, bytes] = [args[child + 1], args[child + 2] as Profile, Number(args[child + 3])];
    process.stdout.write(JSON.stringify(kind === 'raw' ? await rawUploadChild(profile, bytes) : await uploadChild(profile, bytes)));
    return;
  }
  say(`sockspec bench on ${os.cpus().length} cores, node ${process.version}`);
  if (wanted('sessions')) await sessionThroughput();
  if (wanted('upload')) await uploadStreaming(Number(process.env.BENCH_UPLOAD_BYTES ?? 2 ** 30));
  if (wanted('detect')) await timeToFirstFinding();
  if (wanted('verdict')) await timeToVerdict();
  if (wanted('grade')) gradeParallel();
  if (wanted('suite')) suiteCost();
  else if (!only) say('(suite cost: add --suite to time npm test and npm start; grade_parallel_ratio: --only grade)');
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
