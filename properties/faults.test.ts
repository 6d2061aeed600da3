// The fault table: each fault's claim about the plan it makes, on random streams with the
// codec's hints (beside a known-bad twin that the same property catches), the clauses' fault
// names against the table, and Conn.sendPlan's pacing as a real server reads it.
import t, { type Test } from 'tap';
import fc from 'fast-check';
import net from 'node:net';
import { addCuts, cutsArb, planBytes, planCuts, planWrites, splitAt, type WritePlan } from '../src/harness/chunk';
import { FAULTS, FAULT_LIST, streamOf, type Fault, type Hints, type Part } from '../src/harness/faults';
import { isValidUtf8 } from '../src/harness/text';
import { Conn } from '../src/harness/conn';
import { Transcript } from '../src/harness/transcript';
import { frameHeader } from '../src/protocols/wire/framing';
import { PROTOCOLS } from '../src/protocols';
import { SEED } from './helpers';

const params = { seed: SEED, numRuns: 300 };

// Texts with 1-, 2-, 3- and 4-byte characters; frames around some of them; raw bytes.
const textArb = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '|', 'é', 'ß', '你', '说', '€', '😀'), minLength: 1, maxLength: 12 }).map((s) => Buffer.from(s));
const partsArb: fc.Arbitrary<Part[]> = fc.oneof(
  textArb.map((b): Part[] => [{ bytes: b, kind: 'text', starts: true }]),
  textArb.map((b): Part[] => [{ bytes: frameHeader(b.length), kind: 'header', starts: true }, { bytes: b, kind: 'text' }]),
  fc.uint8Array({ minLength: 1, maxLength: 12 }).map((a): Part[] => [{ bytes: frameHeader(a.length), kind: 'header', starts: true }, { bytes: Buffer.from(a), kind: 'binary' }]),
);

interface Case {
  bytes: Buffer;
  hints: Hints;
  /** The plan the fault transforms: the stream already cut somewhere, some gaps paced. */
  plan: WritePlan;
}

const caseArb: fc.Arbitrary<Case> = fc
  .array(partsArb, { minLength: 1, maxLength: 4 })
  .map((ps) => streamOf(ps.flat()))
  .chain(({ bytes, hints }) =>
    cutsArb(bytes.length, 4).chain((cuts) =>
      fc.array(fc.boolean(), { minLength: splitAt(bytes, cuts).length - 1, maxLength: splitAt(bytes, cuts).length - 1 }).map((paced) => ({
        bytes,
        hints,
        plan: { segments: splitAt(bytes, cuts), paced, ending: { kind: 'open' as const } },
      })),
    ),
  );

/** A fault's case with parameters: random ones, or (one in four) one of its boundary cases. */
function withParams<P>(fault: Fault<P>): fc.Arbitrary<Case & { p: P }> {
  return caseArb
    .filter((c) => !fault.appliesTo || fault.appliesTo(c.bytes.length, c.hints))
    .chain((c) => {
      const boundary = fault.boundary?.(c.bytes.length, c.hints) ?? [];
      const p = boundary.length ? fc.oneof({ weight: 3, arbitrary: fault.params(c.bytes.length, c.hints) }, { weight: 1, arbitrary: fc.constantFrom(...boundary) }) : fault.params(c.bytes.length, c.hints);
      return p.map((v) => ({ ...c, p: v }));
    });
}

/**
 * Runs the claim on the fault's plans; `fails` when the fault is a known-bad twin the claim must
 * catch. `prepare` sets up the plan the fault is applied to (by default the case's own).
 */
function holds<P>(t: Test, name: string, fault: Fault<P>, claim: (c: Case & { p: P }, after: WritePlan) => boolean, fails = false, prepare = (c: Case & { p: P }) => c) {
  const out = fc.check(
    fc.property(withParams(fault), (raw) => {
      const c = prepare(raw);
      return claim(c, fault.apply(c.plan, c.p));
    }),
    params,
  );
  if (fails) t.ok(out.failed, `${name}: the known-bad twin is caught`);
  else t.notOk(out.failed, `${name}${out.failed ? `: ${fc.defaultReportMessage(out)}` : ''}`);
}

const sameBytes = (c: Case, after: WritePlan) => planBytes(after).equals(c.bytes);
const sorted = (xs: Iterable<number>) => [...new Set(xs)].sort((a, b) => a - b);
const sameSet = (a: Iterable<number>, b: Iterable<number>) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
/** The plan's pacing at a cut, by offset. */
const pacingAt = (plan: WritePlan) => new Map(planCuts(plan).map((c, i) => [c, plan.paced[i]]));
/** Cut exactly at the old cuts plus `added` (strictly inside), the new ones paced, the old ones as they were. */
function cutsAdded(c: Case, after: WritePlan, added: readonly number[]): boolean {
  const before = pacingAt(c.plan);
  const now = pacingAt(after);
  const want = sorted([...before.keys(), ...added.filter((x) => x > 0 && x < c.bytes.length)]);
  return sameSet(now.keys(), want) && [...now].every(([cut, paced]) => (before.has(cut) ? before.get(cut) === paced : paced));
}
const insideHeader = (h: Hints, cut: number) => h.headers.some(([s, e]) => cut > s && cut < e);

t.test('delivery faults keep the bytes', async (t) => {
  // (oversize needs streams over 1024 bytes: its own test below.)
  for (const f of [FAULTS.fragment, FAULTS.betweenChars, FAULTS.splitUtf8, FAULTS.splitHeader, FAULTS.coalesce, FAULTS.halfClose] as Fault[]) {
    holds(t, `${f.name} keeps every byte`, f, (c, after) => sameBytes(c, after) && after.segments.length === after.paced.length + 1);
  }
  // A twin that drops the last byte of what it cuts.
  holds(t, 'fragment', { ...FAULTS.fragment, apply: (plan, cuts) => { const p = FAULTS.fragment.apply(plan, cuts); return { ...p, segments: [...p.segments.slice(0, -1), p.segments.at(-1)!.subarray(1)] }; } }, sameBytes, true);
});

t.test('the cutting faults add the cuts they claim, paced, and keep the old ones', async (t) => {
  holds(t, 'fragment adds its cuts', FAULTS.fragment, (c, after) => c.p.length > 0 && cutsAdded(c, after, c.p));
  holds(t, 'between-chars adds its cuts, never inside a character', FAULTS.betweenChars, (c, after) => cutsAdded(c, after, c.p) && c.p.length > 0 && c.p.every((x) => c.hints.charBoundaries.includes(x) && !c.hints.insideChars.includes(x)));
  holds(t, 'split-utf8 cuts inside a character', FAULTS.splitUtf8, (c, after) => cutsAdded(c, after, [c.p]) && c.hints.insideChars.includes(c.p) && (c.bytes[c.p] & 0xc0) === 0x80);
  holds(t, 'split-header cuts inside a header', FAULTS.splitHeader, (c, after) => cutsAdded(c, after, c.p) && c.p.some((x) => insideHeader(c.hints, x)));
  // Twins: split-utf8 at a boundary between characters, split-header anywhere, between-chars at any byte.
  holds(t, 'split-utf8', { ...FAULTS.splitUtf8, params: (_l, h) => fc.constantFrom(...h.charBoundaries), appliesTo: (_l, h) => h.charBoundaries.length > 0 && h.insideChars.length > 0 }, (c) => (c.bytes[c.p] & 0xc0) === 0x80, true);
  holds(t, 'split-header', { ...FAULTS.splitHeader, params: (l) => cutsArb(l, 2) }, (c) => c.p.some((x) => insideHeader(c.hints, x)), true);
  holds(t, 'between-chars', { ...FAULTS.betweenChars, params: (l) => cutsArb(l, 6).filter((x) => x.length > 0), appliesTo: (l, h) => l > 1 && h.insideChars.length > 0 }, (c) => c.p.every((x) => !c.hints.insideChars.includes(x)), true);
});

t.test('coalesce removes the message cuts it joined and nothing else', async (t) => {
  const joined = (c: Case & { p: number[] }, after: WritePlan) => {
    const before = pacingAt(c.plan);
    const now = pacingAt(after);
    return c.p.length > 0 && c.p.every((j) => c.hints.messages.includes(j)) && sameSet(now.keys(), [...before.keys()].filter((x) => !c.p.includes(x))) && [...now].every(([cut, paced]) => before.get(cut) === paced);
  };
  // The plan it joins: every message in its own segment (paced), plus the random cuts.
  const messagesApart = (c: Case & { p: number[] }) => ({ ...c, plan: addCuts(c.plan, c.hints.messages) });
  holds(t, 'coalesce removes exactly the message cuts it was given', FAULTS.coalesce, joined, false, messagesApart);
  // A twin that writes everything at once: it drops cuts it was not asked to join.
  holds(t, 'coalesce', { ...FAULTS.coalesce, apply: (plan) => ({ segments: [planBytes(plan)], paced: [], ending: plan.ending }) }, joined, true, messagesApart);
});

t.test('the endings cut the stream to exactly k bytes and end it as they say', async (t) => {
  for (const [f, kind] of [[FAULTS.earlyClose, 'close'], [FAULTS.reset, 'reset'], [FAULTS.stall, 'stall']] as const) {
    holds(t, `${f.name} sends exactly the first k bytes, then a ${kind}`, f, (c, after) => c.p >= 0 && c.p < c.bytes.length && planBytes(after).equals(c.bytes.subarray(0, c.p)) && after.ending.kind === kind && after.segments.length === after.paced.length + 1);
  }
  holds(t, 'half-close sends every byte, then a FIN', FAULTS.halfClose, (c, after) => sameBytes(c, after) && after.ending.kind === 'half-close');
  // A twin one byte off.
  holds(t, 'early-close', { ...FAULTS.earlyClose, apply: (plan, at) => FAULTS.earlyClose.apply(plan, at + 1) }, (c, after) => planBytes(after).length === c.p, true);
});

t.test('bad-bytes keeps the length, the cuts and the headers, and makes one text invalid UTF-8', async (t) => {
  const claim = (c: Case & { p: { at: number; bad: number } }, after: WritePlan) => {
    const out = planBytes(after);
    const text = (c.hints.texts ?? []).find(([s, e]) => c.p.at >= s && c.p.at < e);
    return (
      out.length === c.bytes.length &&
      sameSet(planCuts(after), planCuts(c.plan)) &&
      c.hints.headers.every(([s, e]) => out.subarray(s, e).equals(c.bytes.subarray(s, e))) &&
      !!text &&
      isValidUtf8(c.bytes.subarray(text[0], text[1])) &&
      !isValidUtf8(out.subarray(text[0], text[1]))
    );
  };
  holds(t, 'bad-bytes', FAULTS.badBytes, (c, after) => c.hints.texts!.length > 0 && claim(c, after));
  // Its twin: a truncated 你 written at any character start (e4 bd over 你's first two bytes is 你 again).
  const truncatedAnywhere: Fault<{ at: number; bad: number }> = {
    ...FAULTS.badBytes,
    appliesTo: (_l, h) => (h.texts ?? []).some(([s, e]) => e - s >= 2),
    params: (_l, h) => fc.constantFrom(...(h.texts ?? []).filter(([s, e]) => e - s >= 2).map(([s]) => s)).map((at) => ({ at, bad: 2 })),
  };
  holds(t, 'bad-bytes', truncatedAnywhere, claim, true);
  const you = streamOf([{ bytes: Buffer.from('你'), kind: 'text' }]);
  const out = planBytes(FAULTS.badBytes.apply({ segments: [you.bytes], paced: [], ending: { kind: 'open' } }, { at: 0, bad: 2 }));
  t.ok(isValidUtf8(out), 'e4 bd written over 你 is valid UTF-8: why the fault never puts a truncated character there');
  t.ok(FAULTS.badBytes.appliesTo!(4, streamOf([{ bytes: Buffer.from('😀'), kind: 'text' }]).hints), 'a text of one 4-byte character still has a place for bad bytes');
});

t.test('oversize is one write of more than a lesson read', async (t) => {
  const big = fc.integer({ min: 1025, max: 5000 }).chain((n) => cutsArb(n, 5).map((cuts) => ({ bytes: Buffer.alloc(n, 0x61), cuts })));
  const check = (f: Fault<null>) =>
    fc.check(
      fc.property(big, ({ bytes, cuts }) => {
        const plan = { segments: splitAt(bytes, cuts), paced: splitAt(bytes, cuts).slice(1).map(() => true), ending: { kind: 'open' as const } };
        const after = f.apply(plan, null);
        return FAULTS.oversize.appliesTo!(bytes.length, streamOf([{ bytes, kind: 'text' }]).hints) && planWrites(after).length === 1 && planBytes(after).equals(bytes);
      }),
      params,
    );
  t.notOk(check(FAULTS.oversize).failed, 'oversize: one write, every byte');
  t.ok(check({ ...FAULTS.oversize, apply: (plan) => plan }).failed, 'oversize: the known-bad twin (the plan as it was) is caught');
  t.notOk(FAULTS.oversize.appliesTo!(1024, streamOf([{ bytes: Buffer.alloc(1024), kind: 'text' }]).hints), 'not for 1024 bytes: one read takes them');
});

t.test('every fault a clause (server or client) names is in the table, and every fault is used by a server clause', async (t) => {
  const names = new Set(FAULT_LIST.map((f) => f.name));
  t.equal(names.size, FAULT_LIST.length, 'fault names are distinct');
  const used = new Set<string>();
  for (const p of PROTOCOLS) {
    for (const c of p.clauses) {
      for (const f of c.faults ?? []) {
        t.ok(names.has(f), `${c.id} names the fault ${f}`);
        used.add(f);
      }
    }
    for (const c of p.clientClauses ?? []) for (const f of c.faults ?? []) t.ok(names.has(f), `${c.id} names the fault ${f}`);
  }
  for (const f of FAULT_LIST) t.ok(used.has(f.name), `${f.name} is used by a server clause`);
});

t.test('Conn.sendPlan: paced segments are separate reads, unpaced ones one read, then the ending', async (t) => {
  const reads: string[] = [];
  let done!: () => void;
  const ended = new Promise<void>((r) => (done = r));
  const srv = net.createServer({ allowHalfOpen: true }, (sock) => {
    sock.on('data', (d) => reads.push(d.toString()));
    sock.on('end', () => {
      sock.end();
      done();
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  const conn = await Conn.open({ host: '127.0.0.1', port, transcript: new Transcript(), readCap: 1 << 20, connectTimeoutMs: 2000, paceTimeoutMs: 2000, gapMs: 5 });
  const seg = (s: string) => Buffer.from(s);
  const plan: WritePlan = { segments: ['ab', 'c', 'de', 'f', 'g', '你好'].map(seg), paced: [true, false, false, true, true], ending: { kind: 'half-close' } };
  t.ok(await conn.sendPlan(plan), 'the plan was written');
  await ended;
  conn.close();
  await new Promise<void>((r) => srv.close(() => r()));
  t.same(reads, ['ab', 'cdef', 'g', '你好'], 'one read per paced segment; the unpaced ones together');
  t.same(planWrites(plan).map(String), reads, 'as planWrites says');
});
