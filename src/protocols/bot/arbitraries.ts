// fast-check generators of bot messages.
import fc from 'fast-check';
import { botDefaults, type BotSettings } from './settings';

/** A message as a person types it: ASCII or Chinese text, never empty, never the end word. */
export function messageArb(settings: BotSettings = botDefaults): fc.Arbitrary<string> {
  const end = settings.botEndWord;
  return fc.oneof(
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }),
    fc.constantFrom('你好', '办理业务', '查询余额', 'hello 你好', 'Q'),
    fc.array(fc.constantFrom('你', '好', '业', '务', 'a', ' ', '1'), { minLength: 1, maxLength: 20 }).map((a) => a.join('')),
  ).filter((m) => end === null || m.trim() !== end);
}
