// upload's variant: the header template, the acknowledgement and the framed form.
import { UsageError } from '../../harness/errors';
import { isJsonTemplate } from '../template';
import type { Settings } from '../types';
import type { VariantSpec } from '../variant';

export const uploadVariant: VariantSpec = {
  fields: {
    header: { setting: 'uploadHeader', kind: { type: 'template', required: ['size'], optional: ['name'] } },
    ack: { setting: 'uploadAck', kind: { type: 'text|null' } },
    framed_form: { setting: 'uploadFramed', kind: { type: 'enum', values: ['course', 'json-header'] } },
  },
  check: (where, _obj, s) => checkUpload(where, s),
};

function checkUpload(where: string, s: Settings): void {
  if (s.uploadFramed === 'json-header' && !isJsonTemplate(s.uploadHeader)) {
    throw new UsageError(`${where}: a framed "json-header" upload needs a JSON header template, like {"filename": "{name}", "filesize": {size}}`);
  }
}
