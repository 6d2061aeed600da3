// upload with sockspec as the server, for testing a student's upload client: the scripted user
// names a file sockspec wrote; the played server reads the header and exactly the file's bytes
// (lesson: the size in digits, then the body; framed: the course's type frame, file frame and
// close frame) and judges them byte for byte. The server sends nothing (or the variant's ack).
import type { ClientObservation, ClientSessionContext } from '../../../harness/client-clause';
import type { Endpoint } from '../../../harness/endpoint';
import { ClientReader, CUT_SHORT, playedMessage, sentWrong, type PlayedSender, type ServerPlay } from '../../kit/client-play';
import { CLOSE, parseHeader, parseTypeFrame, safeBasename, sizeHeader } from '../codec';
import { uploadDefaults, type UploadSettings } from '../settings';

/** The file the scripted user uploads, as the client's stdin names it (relative: its folder is the client's own). */
export const UPLOAD_FILE = 'photo.png';

/** A small binary file: every byte value, twice. */
export const SAMPLE_FILE = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));

export const uploadScript = (file: Buffer) => ({ stdin: `${UPLOAD_FILE}\n\n\n`, files: { [UPLOAD_FILE]: file } });

/** Where the played server ends the connection early: after receiving this many bytes of the client's stream. */
export interface EarlyEnd {
  at: number;
  how: 'close' | 'reset';
}

/** Plays one upload of `file`; with `early`, ends the connection once `early.at` bytes have come. */
export async function playUpload(ctx: ClientSessionContext<UploadSettings>, ep: Endpoint, sender: PlayedSender, file: Buffer, early?: EarlyEnd): Promise<ClientObservation> {
  const reader = new ClientReader(ep, ctx);
  if (early) {
    await reader.take(early.at);
    if (early.how === 'reset') ep.reset();
    else ep.abandon();
    return CUT_SHORT;
  }
  const s = ctx.settings;
  if (ctx.profile === 'framed' && s.uploadFramed === 'json-header') {
    // One JSON header frame (its fields in any order and spacing), then exactly the raw bytes.
    const head = await reader.frame();
    const parsed = head.payload && parseHeader(s, head.payload.toString('utf8'));
    if (!parsed || parsed.size !== file.length || (parsed.name !== null && safeBasename(parsed.name) !== UPLOAD_FILE)) {
      return { ...sentWrong('another header frame', `a frame holding the header ${JSON.stringify(sizeHeader(file.length, s, UPLOAD_FILE).toString())} (fields in any order)`, head.payload ?? head.bad), over: reader.ended };
    }
    const body = await reader.take(file.length);
    if (!body || !body.equals(file)) return { ...sentWrong(`a body that is not the file's ${file.length} bytes`, `exactly the file's ${file.length} bytes`, (body ?? reader.pending).subarray(0, 64)), over: reader.ended };
  } else if (ctx.profile === 'framed') {
    const type = await reader.frame();
    const parsed = type.payload && parseTypeFrame(type.payload);
    if (!parsed || parsed === 'close' || parsed.msg_type !== 'file') {
      return { ...sentWrong('no file type frame first', `a frame holding {"msg_type": "file", "file_name": "${UPLOAD_FILE}"}`, type.payload ?? type.bad), over: reader.ended };
    }
    if (safeBasename(parsed.file_name) !== UPLOAD_FILE) return { ...sentWrong('another file name', `"${UPLOAD_FILE}" (the name of the file the user gave)`, parsed.file_name), over: false };
    const body = await reader.frame(file.length + (1 << 20));
    if (!body.payload || !body.payload.equals(file)) return { ...sentWrong(`a file frame that is not the file's ${file.length} bytes`, `exactly the file's ${file.length} bytes`, body.payload ?? body.bad), over: reader.ended };
    const close = await reader.frame();
    if (close.payload?.toString() !== CLOSE) return { ...sentWrong('no close frame after the file', `a frame holding "${CLOSE}"`, close.payload ?? close.bad), over: reader.ended };
  } else {
    const header = sizeHeader(file.length, s, UPLOAD_FILE);
    const h = s.uploadHeader === uploadDefaults.uploadHeader ? await reader.expect(header) : await templatedHeader(reader, s, file);
    if (!h.ok) return { ...sentWrong('another header', `the size header ${JSON.stringify(header.toString())}`, h.got), over: reader.ended };
    if (s.uploadAck !== null && !(await sender.send(0))) return CUT_SHORT;
    const b = await reader.expect(file);
    if (!b.ok) return { ...sentWrong(`a body that is not the file's ${file.length} bytes`, `exactly the file's ${file.length} bytes`, b.got.subarray(0, 64)), over: reader.ended };
  }
  // The client closes once it has sent everything; the server then closes its side.
  if (!(await reader.end())) return { verdict: 'hang', summary: 'after the whole file the client neither closed the connection nor exited', over: false };
  if (reader.pending.length) return { ...sentWrong('more than the file', 'nothing after the upload', reader.pending.subarray(0, 64)), over: true };
  ep.abandon();
  return { verdict: 'pass', summary: 'as expected', over: true };
}

/**
 * A variant's header (a template such as JSON): read what comes before the pause, and take the
 * shortest start of it the variant's form accepts for this file, whatever its spacing or field
 * order; what follows is the body's start.
 */
async function templatedHeader(reader: ClientReader, s: UploadSettings, file: Buffer): Promise<{ ok: boolean; got: Buffer }> {
  const first = (await reader.anything()) ?? Buffer.alloc(0);
  for (let n = 1; n <= Math.min(first.length, 4096); n++) {
    const h = parseHeader(s, first.subarray(0, n).toString('utf8'));
    if (h && h.size === file.length && (h.name === null || safeBasename(h.name) === UPLOAD_FILE) && first.subarray(n).equals(file.subarray(0, first.length - n))) {
      reader.unread(first.length - n);
      return { ok: true, got: first.subarray(0, n) };
    }
  }
  return { ok: false, got: first };
}

export const uploadPlay: ServerPlay<UploadSettings> = {
  protocol: 'upload',
  script: () => uploadScript(SAMPLE_FILE),
  // The variant's ack after the header (lesson), else nothing: the server only listens.
  writes: (settings, profile) => (settings.uploadAck !== null && profile === 'lesson' ? [playedMessage(profile, settings.uploadAck)] : []),
  play: (ctx, ep, sender) => playUpload(ctx, ep, sender, SAMPLE_FILE),
};
