// The client clauses every protocol shares, built from the faults table: sockspec plays the
// server (a protocol's ServerPlay) and delivers one of its writes the way TCP may. Oracles on
// the client's side (no traceback, every reply printed whole, exits once the server closed)
// are the runner's; what the client sent is judged by the play.
import fc from 'fast-check';
import type { ClientClause, ClientObservation } from '../../harness/client-clause';
import { planOf } from '../../harness/chunk';
import { FAULTS, type Fault } from '../../harness/faults';
import type { Profile } from '../../harness/protocol';
import { NO_CONNECTION, PlayedSender, streamOfWrite, type Delivery, type ServerPlay, type TextChoice } from './client-play';

/** A fault on write `at`, with its parameters. */
interface FaultInput {
  at: number;
  p: unknown;
}

/** Runs one session of the play with a delivery; the printed texts are checked only when `printed`. */
async function playOnce<S>(play: ServerPlay<S>, ctx: Parameters<ClientClause<unknown, S>['run']>[0], text: TextChoice, delivery: Delivery | undefined, printed: boolean, lenient = false): Promise<ClientObservation> {
  const ep = await ctx.accept();
  if (!ep) return NO_CONNECTION;
  const writes = play.writes(ctx.settings, ctx.profile, text);
  const sender = new PlayedSender(ep, writes, delivery, Math.min(1000, ctx.stepMs));
  const obs = await play.play(ctx, ep, sender, text);
  await sender.flush();
  if (sender.ended) return { ...obs, printed: undefined, over: true };
  // The played server gives up on a client that went its own way after garbage: it must still exit.
  if (lenient && obs.verdict === 'wrong-answer') return { verdict: 'pass', summary: 'the client ended the conversation its own way', over: false };
  return printed && obs.verdict === 'pass' ? { ...obs, printed: sender.shown() } : obs;
}

/** Writes of a conversation a fault can act on, with their bytes and hints. */
function targets<S>(play: ServerPlay<S>, settings: S, profile: Profile, text: TextChoice, fault: Fault) {
  return play
    .writes(settings, profile, text)
    .map((w, at) => ({ at, ...streamOfWrite(w) }))
    .filter((w) => (fault.appliesTo ? fault.appliesTo(w.bytes.length, w.hints) : w.bytes.length > 0));
}

function faultArb<S>(play: ServerPlay<S>, settings: S, profile: Profile, text: TextChoice, fault: Fault): fc.Arbitrary<FaultInput> {
  const ws = targets(play, settings, profile, text, fault);
  if (!ws.length) return fc.constant({ at: -1, p: null });
  return fc.constantFrom(...ws).chain((w) => fault.params(w.bytes.length, w.hints).map((p) => ({ at: w.at, p })));
}

/** The first writes' boundary cases (the welcome, then the first reply). */
function faultBoundary<S>(play: ServerPlay<S>, settings: S, profile: Profile, text: TextChoice, fault: Fault, writes = 2): FaultInput[] {
  return targets(play, settings, profile, text, fault)
    .slice(0, writes)
    .flatMap((w) => (fault.boundary?.(w.bytes.length, w.hints) ?? []).map((p) => ({ at: w.at, p })));
}

const viaFault = (fault: Fault, input: FaultInput): Delivery | undefined => (input.at < 0 ? undefined : { at: input.at, plan: (bytes: Buffer) => fault.apply(planOf(bytes), input.p) });

interface FaultClauseSpec {
  name: string;
  level: ClientClause['level'];
  profiles?: readonly Profile[];
  /** The fault per profile (lesson keeps characters whole where the lesson cannot do better). */
  fault: (profile: Profile) => Fault;
  text: TextChoice;
  /** Whether the replies must be printed whole (judged at this clause's level). */
  printed: boolean;
  /** The server's bytes are garbage: what the client does next (give up, say so) is its own business, as long as it exits cleanly. */
  lenient?: boolean;
  description: string;
  expectation: string;
  zh: { description: string; expectation: string };
}

/**
 * The shared client clauses of a protocol. `onlyConversation`: its server never writes (upload
 * only listens), so faults on the server's writes have nothing to act on.
 */
export function clientClauses<S>(play: ServerPlay<S>, onlyConversation = false): ClientClause<any, S>[] {
  const p = play.protocol;
  const hasWrites = (settings: S, profile: Profile) => play.writes(settings, profile, 'plain').length > 0;

  const faulty = (spec: FaultClauseSpec): ClientClause<FaultInput, S> => ({
    id: `${p}.client.${spec.name}`,
    level: spec.level,
    profiles: spec.profiles ?? ['lesson', 'framed'],
    description: spec.description,
    expectation: spec.expectation,
    zh: spec.zh,
    faults: [...new Set((spec.profiles ?? ['lesson', 'framed']).map((pr) => spec.fault(pr).name))],
    appliesTo: (settings, profile) => targets(play, settings, profile, spec.text, spec.fault(profile)).length > 0,
    arbitrary: (profile, settings) => faultArb(play, settings, profile, spec.text, spec.fault(profile)),
    boundary: (profile, settings) => faultBoundary(play, settings, profile, spec.text, spec.fault(profile)),
    script: (_i, settings, profile) => play.script(settings, profile, spec.text),
    run: (ctx, input) => playOnce(play, ctx, spec.text, viaFault(spec.fault(ctx.profile), input), spec.printed, spec.lenient),
  });

  const conversation: ClientClause<null, S> = {
    id: `${p}.client.conversation`,
    level: 'MUST',
    profiles: ['lesson', 'framed'],
    description: 'sockspec plays the server correctly, every message in one segment and in lockstep; the client runs its scripted input.',
    expectation: 'The client sends exactly what the protocol says, prints every reply whole, and exits (no traceback) once the conversation is over.',
    zh: {
      description: 'sockspec 扮演服务端，完全按协议回复：每条消息一个报文段，一问一答；客户端按脚本输入运行。',
      expectation: '客户端发送的内容完全符合协议，每条回复都完整打印出来，对话结束后正常退出（没有 Traceback）。',
    },
    faults: [],
    arbitrary: () => fc.constant(null),
    boundary: () => [null],
    script: (_i, settings, profile) => play.script(settings, profile, 'plain'),
    run: (ctx) => playOnce(play, ctx, 'plain', undefined, true),
  };

  const fragment = faulty({
    name: 'fragment',
    level: { lesson: 'ADVISORY', framed: 'MUST' },
    fault: (profile) => (profile === 'framed' ? FAULTS.fragment : FAULTS.betweenChars),
    text: 'plain',
    printed: true,
    description: "One of the server's writes (the welcome, a reply) reaches the client in several segments, paced so each recv returns one piece (lesson: cut between characters; framed: anywhere, header included, down to one byte).",
    expectation: 'framed: the client reads the whole frame and prints the reply whole. lesson: it cannot know where an unframed reply ends (printing it in pieces is ADVISORY), but it must not crash, hang or spin.',
    zh: {
      description: '服务端的一次发送（欢迎语、回复）被拆成几个报文段到达客户端，每次 recv 只收到一段（lesson：在字符之间切开；framed：任意位置，包括报头，最小一个字节）。',
      expectation: 'framed：客户端读完整个帧，完整打印回复。lesson：无边界协议下客户端无法知道回复在哪里结束（分段打印只是 ADVISORY），但不能崩溃、卡住或空转。',
    },
  });

  const splitUtf8 = faulty({
    name: 'split-utf8',
    level: 'ROBUST',
    fault: () => FAULTS.splitUtf8,
    text: 'wide',
    printed: false,
    description: "A multi-byte UTF-8 character of one of the server's writes is cut across two segments, paced so one recv ends inside it.",
    expectation: "The client does not crash: a strict .decode('utf-8') of each recv raises UnicodeDecodeError on the first half (decode incrementally, or only whole frames).",
    zh: {
      description: '服务端某次发送中的一个多字节 UTF-8 字符被切在两个报文段之间，一次 recv 正好在字符中间结束。',
      expectation: "客户端不能崩溃：对每次 recv 的结果直接 .decode('utf-8') 会在半个字符上抛出 UnicodeDecodeError（应增量解码，或只解码完整的帧）。",
    },
  });

  // The rest of write k held back and sent with write k+1 in one segment (a delayed segment).
  const coalesce: ClientClause<{ at: number; cut: number }, S> = {
    id: `${p}.client.coalesce`,
    level: { lesson: 'ADVISORY', framed: 'MUST' },
    profiles: ['lesson', 'framed'],
    description: "The end of one server write (the welcome's tail) is delayed and arrives in one segment with the next (the first reply), as after a lost segment: one recv returns the tail and the reply together (粘包).",
    expectation: 'framed: the client splits the stream into frames and prints each reply whole. lesson: printing them together or in pieces is ADVISORY, but it must not crash, hang or spin.',
    zh: {
      description: '服务端一次发送的末尾（欢迎语的后半）被延迟，和下一次发送（第一条回复）在同一个报文段里到达，就像丢包重传之后：一次 recv 同时收到两者（粘包）。',
      expectation: 'framed：客户端按帧切分数据，每条回复完整打印。lesson：合在一起或分段打印只是 ADVISORY，但不能崩溃、卡住或空转。',
    },
    faults: ['between-chars', 'coalesce'],
    appliesTo: (settings, profile) => holdable(settings, profile).length > 0,
    arbitrary: (profile, settings) => {
      const ws = holdable(settings, profile);
      return ws.length ? fc.constantFrom(...ws).chain((w) => fc.constantFrom(...w.cuts).map((cut) => ({ at: w.at, cut }))) : fc.constant({ at: -1, cut: 0 });
    },
    boundary: (profile, settings) => holdable(settings, profile).slice(0, 1).map((w) => ({ at: w.at, cut: w.cuts[Math.floor(w.cuts.length / 2)] })),
    script: (_i, settings, profile) => play.script(settings, profile, 'plain'),
    run: (ctx, i) => playOnce(play, ctx, 'plain', i.at < 0 ? undefined : { at: i.at, holdFrom: i.cut }, true),
  };
  /** Writes followed by another, with where they may be cut (lesson: between characters). */
  const holdable = (settings: S, profile: Profile) => {
    const ws = play.writes(settings, profile, 'plain').map((w, at) => ({ at, ...streamOfWrite(w) }));
    return ws
      .slice(0, -1)
      .map((w) => ({ at: w.at, cuts: profile === 'framed' ? Array.from({ length: w.bytes.length - 1 }, (_, i) => i + 1) : [...w.hints.charBoundaries] }))
      .filter((w) => w.cuts.length > 0);
  };

  const oversize = faulty({
    name: 'oversize',
    level: { lesson: 'ADVISORY', framed: 'MUST' },
    fault: () => FAULTS.oversize,
    text: 'long',
    printed: true,
    description: 'The server sends a reply larger than one recv(1024) (Chinese text, so the 1024th byte falls inside a character), in one write.',
    expectation: 'framed: the client reads the whole frame and prints it whole. lesson: a client cannot know where the reply ends (printing it in pieces is ADVISORY), but it must not crash on the character cut at 1024 bytes, hang or spin.',
    zh: {
      description: '服务端一次发送超过一次 recv(1024) 的回复（中文，所以第 1024 个字节落在字符中间）。',
      expectation: 'framed：客户端读完整个帧并完整打印。lesson：客户端无法知道回复在哪里结束（分段打印只是 ADVISORY），但不能因为第 1024 字节处被切开的字符而崩溃，也不能卡住或空转。',
    },
  });

  const badBytes = faulty({
    name: 'invalid-utf8',
    level: 'ROBUST',
    fault: () => FAULTS.badBytes,
    text: 'plain',
    printed: false,
    lenient: true,
    description: "One of the server's texts holds bytes that are not valid UTF-8 (a stray continuation byte, a truncated character, 0xff).",
    expectation: 'The client does not crash with a traceback (decode with errors="replace", or catch UnicodeDecodeError) and goes on or exits saying what went wrong.',
    zh: {
      description: '服务端发送的文本中含有不合法的 UTF-8 字节（孤立的后续字节、被截断的字符、0xff）。',
      expectation: '客户端不能带着 Traceback 崩溃（用 errors="replace" 解码，或捕获 UnicodeDecodeError），继续运行或说明出错原因后退出。',
    },
  });

  const earlyClose = faulty({
    name: 'early-close',
    level: 'ROBUST',
    fault: () => FAULTS.earlyClose,
    text: 'plain',
    printed: false,
    description: "The server closes the connection (FIN, and reads nothing more) after k bytes of one of its writes: recv returns b'' where the client expected a message.",
    expectation: "The client notices the end of stream (recv returns b''), does not crash, spin or wait forever, and exits (saying the server closed is fine).",
    zh: {
      description: "服务端在某次发送的第 k 个字节之后关闭连接（FIN，之后不再读取）：客户端在等待消息的地方 recv 返回 b''。",
      expectation: "客户端发现对方已关闭（recv 返回 b''），不崩溃、不空转、不无限等待，并且退出（提示服务端已断开即可）。",
    },
  });

  const reset = faulty({
    name: 'reset',
    level: 'ROBUST',
    fault: () => FAULTS.reset,
    text: 'plain',
    printed: false,
    description: 'The server resets the connection (a real RST) after k bytes of one of its writes.',
    expectation: 'The client catches ConnectionResetError (or BrokenPipeError on its next send), does not crash with a traceback, and exits.',
    zh: {
      description: '服务端在某次发送的第 k 个字节之后重置连接（真正的 RST）。',
      expectation: '客户端捕获 ConnectionResetError（或下一次发送时的 BrokenPipeError），不带 Traceback 崩溃，并且退出。',
    },
  });

  const splitHeader = faulty({
    name: 'framed.split-header',
    level: 'MUST',
    profiles: ['framed'],
    fault: () => FAULTS.splitHeader,
    text: 'plain',
    printed: true,
    description: "A frame of the server's reaches the client with its 4-byte length header cut across segments: one recv(4) returns fewer than 4 bytes.",
    expectation: 'The client reads until it has the whole header, then the whole body, and prints the reply whole (struct.unpack on fewer than 4 bytes raises struct.error).',
    zh: {
      description: '服务端的一个帧到达客户端时，4 字节的长度报头被切在几个报文段之间：一次 recv(4) 收到不足 4 个字节。',
      expectation: '客户端一直读到报头完整，再读完整个消息体，并完整打印回复（对不足 4 字节做 struct.unpack 会抛出 struct.error）。',
    },
  });

  // Faults act on the server's writes: a protocol whose server only listens (upload) has none.
  const onWrites = [fragment, splitUtf8, coalesce, oversize, badBytes, earlyClose, reset, splitHeader].map(
    (c): ClientClause<any, S> => ({ ...c, appliesTo: (settings: S, profile: Profile) => hasWrites(settings, profile) && (c.appliesTo?.(settings, profile) ?? true) }),
  );
  return onlyConversation ? [conversation] : [conversation, ...onWrites];
}
