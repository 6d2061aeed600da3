// upload's variant: the header template, the acknowledgement and the framed form.
import { UsageError } from '../../harness/errors';
import { isJsonTemplate } from '../template';
import type { VariantSpec } from '../variant';

/** The facts of upload a course's variant changes; the course's own are uploadDefaults. */
export interface UploadSettings {
  /** The upload header: a template over {size} (and {name}); decimal digits in the course. */
  uploadHeader: string;
  /** What the upload server sends after reading the header, before the body (null: nothing). */
  uploadAck: string | null;
  /** framed uploads: the course's msg/file/close transfer, or one JSON header frame then the raw body. */
  uploadFramed: 'course' | 'json-header';
}

export const uploadDefaults: UploadSettings = {
  uploadHeader: '{size}',
  uploadAck: null,
  uploadFramed: 'course',
};

export const uploadVariant: VariantSpec<UploadSettings> = {
  fields: {
    header: { setting: 'uploadHeader', kind: { type: 'template', required: ['size'], optional: ['name'] } },
    ack: { setting: 'uploadAck', kind: { type: 'text|null' } },
    framed_form: { setting: 'uploadFramed', kind: { type: 'enum', values: ['course', 'json-header'] } },
  },
  check: (where, _obj, s) => checkUpload(where, s),
};

function checkUpload(where: string, s: UploadSettings): void {
  if (s.uploadFramed === 'json-header' && !isJsonTemplate(s.uploadHeader)) {
    throw new UsageError(`${where}: a framed "json-header" upload needs a JSON header template, like {"filename": "{name}", "filesize": {size}}`);
  }
}
