// learn for upload: whether the server acknowledges the header (the header form comes from the flags).
import type { SessionContext } from '../../harness/clause';
import { untilQuiet, type Learned } from '../kit/learn';
import type { UploadSettings } from './settings';
import { jsonHeaderFrame, sizeHeader } from './codec';

/**
 * upload: the header form is taken from the flags (a server must not be sent a header it does
 * not expect). One polite upload shows whether the server acknowledges the header.
 */
export async function learnUpload(ctx: SessionContext<UploadSettings>): Promise<Learned<UploadSettings>> {
  const s = ctx.settings;
  const settings: UploadSettings = { ...s };
  const body = Buffer.from('sockspec learn\n');
  const framedJson = ctx.profile === 'framed' && s.uploadFramed === 'json-header';
  const facts: string[] = [];
  if (ctx.profile === 'framed' && !framedJson) {
    facts.push("framed uploads use the course's msg/file/close transfer (for one JSON header frame and the raw body, give --framed-form json-header --header TEMPLATE)");
    return { settings, facts, unknown: [] };
  }
  facts.push(`the header is "${s.uploadHeader}" (from the flags or the course; learn does not probe it)`);
  const conn = await ctx.connect();
  await conn.write(framedJson ? jsonHeaderFrame(s, body.length, 'learn.txt') : sizeHeader(body.length, s, 'learn.txt'));
  await conn.pace();
  await untilQuiet(ctx, conn);
  const ack = conn.received.toString('utf8');
  settings.uploadAck = ack === '' ? null : ack;
  facts.push(ack ? `the server acknowledges the header with ${JSON.stringify(ack)}` : 'the server sends nothing after the header');
  if (!conn.finished) await conn.write(body);
  conn.end();
  await conn.waitForEnd(ctx.stepMs);
  conn.close();
  if (!conn.serverEnded || conn.receivedBytes > Buffer.byteLength(ack)) {
    return { settings, facts, unknown: [`the upload: the server ${conn.serverEnded ? 'sent more after the body' : 'did not close after a complete upload'} (check --header)`] };
  }
  return { settings, facts, unknown: [] };
}
