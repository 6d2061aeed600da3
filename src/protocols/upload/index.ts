// upload (文件上传): a size header then the bytes (lesson), or the day-21 framed transfer.
import type { LessonProtocol } from '../types';
import { planOf } from '../../harness/chunk';
import { uploadDefaults, uploadVariant, type UploadSettings } from './settings';
import { learnUpload } from './learn';
import { framedRobustClauses } from '../kit/framed-clauses';
import { startUploadServer } from './server';
import { startUploadCourse, startUploadFramedUnsafePath } from './variants';
import { store } from './cases/store';
import { badHeader } from './cases/bad-header';
import { earlyClose } from './cases/early-close';
import { reset } from './cases/reset';
import { coalescedHeader } from './cases/coalesced-header';
import { partialLeft } from './cases/partial-left';
import { servesMany } from './cases/serves-many';
import { framedStore } from './cases/framed-store';
import { framedSplitHeader } from './cases/framed-split-header';
import { nameTraversal, pathTraversal } from './cases/path-traversal';
import { jsonBadHeader, jsonStore } from './cases/json-header';
import { invalidJson } from './cases/invalid-json';
import { endLessonUpload, endUpload, sendLessonUpload } from './session';
import { encodeJsonHeaderUpload, encodeSession } from './codec';
import { PASS } from '../kit/session';
import { clientClauses } from '../kit/client-clauses';
import { uploadPlay } from './client-cases/play';
import { fileUpload } from './client-cases/file';
import { uploadEarlyClose, uploadReset } from './client-cases/early-end';

export const upload: LessonProtocol<UploadSettings> = {
  name: 'upload',
  title: 'file upload (文件上传): size header and bytes, or framed transfer',
  profiles: ['lesson', 'framed'],
  cleanExitAllowed: true,
  storesFiles: true,
  defaults: uploadDefaults,
  variant: uploadVariant,
  learn: learnUpload,
  clientClauses: [...clientClauses(uploadPlay, true), fileUpload, uploadEarlyClose, uploadReset],
  clauses: [
    store,
    badHeader,
    earlyClose,
    reset,
    coalescedHeader,
    partialLeft,
    servesMany,
    framedStore,
    framedSplitHeader,
    pathTraversal,
    invalidJson,
    jsonStore,
    jsonBadHeader,
    nameTraversal,
    ...framedRobustClauses({ protocol: 'upload', greeting: () => null }),
  ],
  builtins: [
    {
      name: 'upload-reference',
      protocol: 'upload',
      profiles: ['lesson', 'framed'],
      faithful: false,
      description: 'reference upload server (streams to a temporary file, renames when complete, base names only)',
      expectedFailures: {},
      start: startUploadServer,
    },
    {
      name: 'upload-course',
      protocol: 'upload',
      profiles: ['lesson'],
      faithful: true,
      description: "the course's upload server: int(recv(1024)), loop until recv_size == total, one upload then exit",
      expectedFailures: { lesson: { 'upload.bad-header': 'crash', 'upload.early-close': 'busy-loop', 'upload.reset': 'crash', 'upload.serves-many': 'wrong-answer' } },
      start: startUploadCourse,
    },
    {
      name: 'upload-framed-unsafe-path',
      protocol: 'upload',
      profiles: ['framed'],
      faithful: true,
      description: "framed transfer that opens os.path.join('files', file_name) and loops on recv without checking b''",
      expectedFailures: { framed: { 'upload.framed.path-traversal': 'escape', 'upload.framed.eof-in-frame': 'busy-loop', 'upload.framed.invalid-json': 'crash' } },
      start: startUploadFramedUnsafePath,
    },
  ],
  probe: async (ctx) => {
    // A polite session is a small complete upload.
    if (ctx.profile === 'lesson') {
      return (await endLessonUpload(ctx, await sendLessonUpload(ctx, planOf(Buffer.from('probe'))), 'after a polite upload')) ?? PASS;
    }
    const conn = await ctx.connect();
    const course = ctx.settings.uploadFramed === 'course';
    await conn.write(course ? encodeSession([{ kind: 'msg', text: 'probe' }]) : encodeJsonHeaderUpload(ctx.settings, 'probe.txt', Buffer.from('probe')));
    return (await endUpload(ctx, conn, 'after a polite upload')) ?? PASS;
  },
};
