import path from 'node:path';
import fc from 'fast-check';
import type { Clause, Observation } from '../../../harness/clause';
import type { Conn } from '../../../harness/conn';
import { planOf } from '../../../harness/chunk';
import { PASS } from '../../kit/session';
import type { UploadSettings } from '../settings';
import { encodeJsonHeaderUpload, encodeSession, FILES_DIR } from '../codec';
import { placeholders } from '../../template';
import { endUpload, sendLessonUpload, settledChanges, type UploadCtx } from '../session';

type Name = { kind: 'relative' | 'absolute'; name: string };

const nameArb = (): fc.Arbitrary<Name> =>
  fc.oneof(
    fc.constantFrom('../escaped.txt', '../../escaped.txt', '../../../escaped.txt', 'a/../../escaped.txt', '..\\..\\escaped.txt', './../escaped.txt').map((name) => ({ kind: 'relative' as const, name })),
    fc.constant({ kind: 'absolute' as const, name: 'escaped-absolute.txt' }),
  );

/** The name to send, and the probe file's bytes. An absolute name points into the harness-owned folder around the server's, never elsewhere. */
function probe(ctx: UploadCtx, n: Name): { name: string; data: Buffer } {
  const name = n.kind === 'absolute' ? path.join(ctx.sandboxRoot ?? '/nonexistent', n.name) : n.name;
  return { name, data: Buffer.from(`sockspec path traversal probe: ${n.name}\n`) };
}

const baseOf = (name: string) => path.basename(name.replace(/\\/g, '/'));

/** Ends the upload and reports any file the name put where `escaped` says it must not be. */
async function judgeEscape(ctx: UploadCtx, conn: Conn, name: string, where: string, escaped: (rel: string) => boolean, expected: string): Promise<Observation> {
  const closing = await endUpload(ctx, conn, `after a file named ${JSON.stringify(name)}`, true);
  if (closing) return closing;
  const outside = (await settledChanges(ctx, () => true)).filter((c) => escaped(c.rel));
  if (!outside.length) return PASS;
  return {
    verdict: 'escape',
    summary: `a file named ${JSON.stringify(name)} was written outside ${where}: ${outside.map((c) => c.rel).join(', ')}`,
    expected,
    observed: outside.map((c) => `${c.kind} ${c.rel}`).join('; '),
  };
}

export const pathTraversal: Clause<Name, UploadSettings> = {
  id: 'upload.framed.path-traversal',
  level: 'ROBUST',
  profiles: ['framed'],
  zh: { description: "客户端发送的文件名试图跳出 files/：`../x`、`../../x`、`a/../../x`、带反斜杠的名字，或绝对路径（open(os.path.join('files', name)) 会照着这些路径走）。", expectation: 'files/ 之外不写入任何东西：服务端只用文件名本身（base name）保存文件，或者拒绝它。（这是安全问题。）' },
  needsFiles: true,
  description: "A client sends a file whose name tries to leave files/: `../x`, `../../x`, `a/../../x`, backslashes, or an absolute path (open(os.path.join('files', name)) follows them).",
  expectation: 'Nothing is written outside files/: the server stores the file under its base name, or refuses it. (A security finding.)',
  appliesTo: (s) => s.uploadFramed === 'course',
  arbitrary: () => nameArb(),
  run: async (ctx, n) => {
    const { name, data } = probe(ctx, n);
    const conn = await ctx.connect();
    await conn.write(encodeSession([{ kind: 'file', name, data }]));
    // Writes outside the working directory itself are caught by the runner's sandbox check.
    return judgeEscape(ctx, conn, name, 'files/', (rel) => !rel.startsWith(`${FILES_DIR}/`) && !rel.startsWith('..'), `files/${baseOf(name)} or a refusal`);
  },
};

/** The same attack on a variant whose upload header carries the file name ({name}). */
export const nameTraversal: Clause<Name, UploadSettings> = {
  id: 'upload.path-traversal',
  level: 'ROBUST',
  profiles: ['lesson', 'framed'],
  zh: { description: "客户端的上传报头把文件名写成 `../x`、`../../x`、`a/../../x`、带反斜杠的名字，或绝对路径（open(header['filename'], 'wb') 会照着这些路径走）。", expectation: '服务端工作目录之外不写入任何东西：服务端只用文件名本身（base name）保存文件，或者拒绝它。（这是安全问题。）' },
  needsFiles: true,
  appliesTo: (s, profile) => placeholders(s.uploadHeader).includes('name') && (profile === 'lesson' || s.uploadFramed === 'json-header'),
  description: "A client's upload header names the file `../x`, `../../x`, `a/../../x`, with backslashes, or as an absolute path (open(header['filename'], 'wb') follows them).",
  expectation: "Nothing is written outside the server's working directory: the server stores the file under its base name, or refuses it. (A security finding.)",
  arbitrary: () => nameArb(),
  run: async (ctx, n) => {
    const { name, data } = probe(ctx, n);
    let conn;
    if (ctx.profile === 'lesson') {
      const sent = await sendLessonUpload(ctx, planOf(data), { name });
      conn = sent.conn;
    } else {
      conn = await ctx.connect();
      await conn.write(encodeJsonHeaderUpload(ctx.settings, name, data));
    }
    // Writes elsewhere are caught by the runner's sandbox check.
    return judgeEscape(ctx, conn, name, 'the working directory', (rel) => rel.startsWith('..'), `${baseOf(name)} in the working directory, or a refusal`);
  },
};
