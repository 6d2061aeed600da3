// A large upload (up to GiBs) through the harness in either profile and any form: the header
// as the form has it, the body streamed from a generated pattern with backpressure, and the
// oracle comparing the stored file with the pattern as it reads it back. Nothing holds the
// payload; `npm run bench` measures this path's memory and speed.
import type { Observation } from '../../harness/clause';
import { encodeFrame } from '../wire/framing';
import type { UploadBody } from './body';
import { CLOSE, FILES_DIR, fileItemHead, jsonHeaderFrame, UPLOAD_NAME } from './codec';
import { judgeBodies } from './framed-session';
import { endLessonUpload, endUpload, judgeStored, sendLessonUpload, streamBody, type UploadCtx } from './session';

export async function uploadStream(ctx: UploadCtx, body: UploadBody, name = UPLOAD_NAME): Promise<Observation> {
  const what = `a streamed upload of ${body.size} bytes`;
  if (ctx.profile === 'lesson') {
    return (await endLessonUpload(ctx, await sendLessonUpload(ctx, body, { name }), `after ${what}`)) ?? judgeStored(ctx, body, what);
  }
  const course = ctx.settings.uploadFramed === 'course';
  const conn = await ctx.connect();
  await conn.write(course ? fileItemHead(name, body.size) : jsonHeaderFrame(ctx.settings, body.size, name));
  if ((await streamBody(conn, body)) && course) await conn.write(encodeFrame(CLOSE));
  const closing = await endUpload(ctx, conn, `after ${what}`);
  if (closing) return closing;
  return course ? judgeBodies(ctx, new Map([[`${FILES_DIR}/${name}`, body]]), what) : judgeStored(ctx, body, what);
}
