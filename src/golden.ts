// Golden sessions: for each protocol and profile, the polite session (the reference client's
// conversation) against the reference server, recorded byte-exact. `npm run golden` writes
// them to recordings/golden/; npm test replays each against the reference server.
import path from 'node:path';
import { sessionContext } from './harness/runner/context';
import { saveRecording } from './harness/recording/save';
import { InProcessTarget } from './harness/targets/in-process';
import { Transcript } from './harness/transcript';
import { VERSION } from './harness/version';
import { prepareDirFor, PROTOCOLS, referenceServer } from './protocols';
import type { LessonProtocol, Profile } from './protocols/types';

export const GOLDEN_DIR = path.join(__dirname, '..', 'recordings', 'golden');

export function goldenFile(protocol: string, profile: Profile): string {
  return path.join(GOLDEN_DIR, `${protocol}-${profile}.cbor`);
}

export async function recordGolden<S>(protocol: LessonProtocol<S>, profile: Profile): Promise<string> {
  const target = new InProcessTarget(referenceServer(protocol), profile, protocol.defaults, prepareDirFor(protocol));
  await target.start();
  const transcript = new Transcript();
  const ctx = sessionContext(target, profile, protocol.defaults, { stepMs: 2000, readCap: 1 << 20, transcript });
  try {
    const seen = await protocol.probe(ctx);
    if (seen.verdict !== 'pass') throw new Error(`the reference ${protocol.name} server failed its own polite session: ${seen.summary}`);
  } finally {
    await target.stop();
  }
  const file = goldenFile(protocol.name, profile);
  saveRecording(file, { sockspecVersion: VERSION, protocol: protocol.name, profile, target: `built-in ${referenceServer(protocol).name}`, createdAt: new Date().toISOString(), settings: { ...(protocol.defaults as object) } }, transcript.events);
  return file;
}

if (require.main === module) {
  void (async () => {
    for (const p of PROTOCOLS) for (const profile of p.profiles) process.stdout.write(`wrote ${await recordGolden(p, profile)}\n`);
  })();
}
