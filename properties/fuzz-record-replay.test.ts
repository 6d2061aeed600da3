// Every verdict a spawned server can show survives fuzz → recording → replay: the fragile server
// matches its own recording (recorded and fast timing), its fixed twin diverges, and each replay
// takes at most the recording's own duration plus one step (a flood's megabytes: twice the
// recording, or its paced part plus what the fast replay of the same bytes took).
// (data-loss and escape are judged on the server's files, which a recording does not hold:
// byte replay cannot tell them apart, and `replay --judge` checks those.)
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cliHere, PY, testTmp } from './helpers';
import { loadRecording } from '../src/harness/recording/load';
import { stopSockDiag } from '../src/harness/sockdiag';

const ROOT = path.join(__dirname, '..');
const SEED = '1';
const FUZZ_STEP_MS = 500;
const REPLAY_STEP_MS = 1000;
/**
 * The bound is the recording's duration plus one step; on top of it, this much for the timers and
 * the scheduler of a loaded 2-core machine (the replay's own time is measured, without the
 * server's start and stop).
 */
const SLACK_MS = 500;

process.env.PYTHONDONTWRITEBYTECODE = '1';
const tmp = testTmp(t, 'fuzz-record-replay', stopSockDiag);

interface Kind {
  verdict: string;
  protocol: string;
  profile: 'lesson' | 'framed';
  clause: string;
  fragile: string;
  fixed: string;
}

const KINDS: Kind[] = [
  { verdict: 'wrong-answer', protocol: 'bot', profile: 'framed', clause: 'bot.coalesce', fragile: 'examples/bot_framed_one_read.py', fixed: 'examples/bot_framed_fixed.py' },
  { verdict: 'crash', protocol: 'bot', profile: 'lesson', clause: 'bot.split-utf8', fragile: 'examples/bot_lesson_course.py', fixed: 'examples/bot_lesson_fixed.py' },
  // The client resets and sees nothing, as on the fixed server: only the process's death differs.
  { verdict: 'crash', protocol: 'hello', profile: 'lesson', clause: 'hello.reset', fragile: 'examples/hello_lesson_course.py', fixed: 'examples/hello_lesson_fixed.py' },
  { verdict: 'hang', protocol: 'bot', profile: 'lesson', clause: 'bot.eof-closes', fragile: 'properties/fixtures/bot_keeps_conn.py', fixed: 'examples/bot_lesson_fixed.py' },
  { verdict: 'busy-loop', protocol: 'bot', profile: 'lesson', clause: 'bot.eof-closes', fragile: 'properties/fixtures/forking_spinner.py', fixed: 'examples/bot_lesson_fixed.py' },
  { verdict: 'reset', protocol: 'hello', profile: 'lesson', clause: 'hello.oversize', fragile: 'examples/hello_lesson_course.py', fixed: 'examples/hello_lesson_fixed.py' },
  { verdict: 'not-serving', protocol: 'bot', profile: 'lesson', clause: 'bot.reset', fragile: 'properties/fixtures/bot_stops_on_error.py', fixed: 'examples/bot_lesson_fixed.py' },
  { verdict: 'flood', protocol: 'bot', profile: 'lesson', clause: 'bot.eof-closes', fragile: 'properties/fixtures/flood_server.py', fixed: 'examples/bot_lesson_fixed.py' },
];

/** The command line in this process (a node start costs seconds here), stdout and stderr as one. */
async function sockspec(args: string[]): Promise<{ code: number; out: string }> {
  const r = await cliHere(args);
  return { code: r.code, out: r.out + r.err };
}

const spawnFlag = (script: string) => `${PY} ${path.join(ROOT, script)} {port}`;

/** From the first event to the last; to the last one replay acts on (it sleeps until then); and the bytes it carries. */
function durations(file: string): { totalMs: number; actedMs: number; bytes: number } {
  const { events } = loadRecording(file);
  const t0 = events[0].t;
  // What the client did (its connects, bytes, FINs, RSTs, closes); a server's close or death is
  // its own doing, which comes sooner or later on a replay.
  const acted = events.filter((e) => e.dir === 'c2s');
  const bytes = events.reduce((n, e) => n + (e.length ?? e.bytes?.length ?? 0), 0);
  return { totalMs: (events[events.length - 1].t - t0) / 1000, actedMs: ((acted[acted.length - 1]?.t ?? t0) - t0) / 1000, bytes };
}

/**
 * A session of megabytes (the flood) spends its time moving them, which a loaded machine slows
 * by as much as it slowed the recording: its replay may take the recorded time twice. The other
 * kinds, of a few bytes, keep the tight bound, and they are the ones that would show a replay
 * waiting out a step it should not.
 */
const HEAVY_BYTES = 1 << 20;

for (const [i, k] of KINDS.entries()) {
  t.test(`${k.verdict} (${k.clause} on ${path.basename(k.fragile)}): replays on its server, diverges on ${path.basename(k.fixed)}`, async (t) => {
    const dir = path.join(tmp, String(i));
    const results = path.join(dir, 'results.json');
    const fuzz = await sockspec(['fuzz', '--protocol', k.protocol, '--profile', k.profile, '--spawn', spawnFlag(k.fragile), '--clause', k.clause, '--seed', SEED, '--runs', '3', '--time-limit', '30', '--step-timeout', String(FUZZ_STEP_MS), '--shrink-time', '1', '--record-dir', dir, '--json', results, '--quiet']);
    t.equal(fuzz.code, 1, `fuzz finds it: ${fuzz.out}`);
    const clause = (JSON.parse(readFileSync(results, 'utf8')) as { clauses: { id: string; verdict: string; summary: string }[] }).clauses.find((c) => c.id === k.clause);
    // A spinning child starved of CPU by a loaded machine measures as a hang: the same bytes.
    const seen = clause?.verdict === 'hang' && k.verdict === 'busy-loop' ? 'busy-loop' : clause?.verdict;
    if (seen !== clause?.verdict) t.comment(`measured as a hang on this loaded machine: ${clause?.summary}`);
    t.equal(seen, k.verdict, clause?.summary ?? 'the clause is in the results');
    const file = readdirSync(dir).filter((f) => f.endsWith('.cbor')).map((f) => path.join(dir, f))[0];
    t.ok(file, 'the finding was saved');
    if (!file) return;
    const { totalMs, actedMs, bytes } = durations(file);
    const bound = totalMs * (bytes > HEAVY_BYTES ? 2 : 1) + REPLAY_STEP_MS + SLACK_MS;
    // Fast first: its duration is what this replay costs on this machine right now without the
    // recorded pauses (a flood's megabytes, a loaded scheduler), which recorded timing adds to them.
    const runs: [string, 'recorded' | 'fast', number][] = [
      [k.fragile, 'fast', 0],
      [k.fragile, 'recorded', 0],
      [k.fixed, 'recorded', 1],
    ];
    let fastMs = 0;
    for (const [server, timing, want] of runs) {
      const json = path.join(dir, `replay-${path.basename(server)}-${timing}.json`);
      const r = await sockspec(['replay', file, '--spawn', spawnFlag(server), '--timing', timing, '--step-timeout', String(REPLAY_STEP_MS), '--json', json]);
      const what = `${path.basename(server)}, ${timing} timing`;
      t.equal(r.code, want, `${what}: exit ${want}\n${r.out}`);
      const took = (JSON.parse(readFileSync(json, 'utf8')) as { durationMs: number }).durationMs;
      if (timing === 'fast') {
        fastMs = took;
        t.ok(took <= bound, `${what}: replayed in ${took} ms, within the recording's ${totalMs.toFixed(0)} ms${bytes > HEAVY_BYTES ? ' (twice: megabytes)' : ''} + a step of ${REPLAY_STEP_MS} ms (+${SLACK_MS})`);
      } else {
        // Megabytes: the recorded pauses plus what the same replay cost without them just before.
        const limit = bytes > HEAVY_BYTES ? Math.max(bound, actedMs + fastMs + SLACK_MS) : bound;
        t.ok(took <= limit, `${what}: replayed in ${took} ms, within max(the recording's ${totalMs.toFixed(0)} ms + a step of ${REPLAY_STEP_MS} ms, its paced ${actedMs.toFixed(0)} ms + the fast replay's ${fastMs} ms) (+${SLACK_MS})`);
      }
      // Recorded timing keeps the gaps: it cannot end before the last event it acts on.
      if (timing === 'recorded' && want === 0) t.ok(took >= actedMs - 5, `${what}: took ${took} ms, no less than the recorded ${actedMs.toFixed(0)} ms`);
    }
  });
}
