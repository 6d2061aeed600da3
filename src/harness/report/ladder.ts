// A finding's shrunk session as a ladder diagram (inline SVG, no script): the client's and the
// server's lifelines, one arrow per segment with its size and text, connects, FIN and RST
// marks, the server's exit, pauses, and the step where it went wrong highlighted.
import type { TranscriptEvent } from '../transcript';
import { printable } from '../text';
import { bytesOf, htmlEscape } from './markup';

const W = 760;
const CLIENT = 170;
const SERVER = 640;
const ROW = 30;
const PAUSE_ROW = 20;
/** A gap between two events longer than this is drawn as a pause. */
const PAUSE_US = 200_000;
const MAX_ROWS = 80;

/** The event the verdict is about, or a last row to add when it is about what never came. */
export function wrongStep(events: readonly TranscriptEvent[], verdict: string, stepMs?: number): { index?: number; trailer?: string } {
  const last = (f: (e: TranscriptEvent) => boolean) => {
    for (let i = events.length - 1; i >= 0; i--) if (f(events[i])) return i;
    return -1;
  };
  const first = (f: (e: TranscriptEvent) => boolean) => events.findIndex(f);
  const nothing = stepMs ? `nothing from the server for ${stepMs} ms` : 'nothing more from the server';
  if (verdict === 'pass' || !events.length) return {};
  if (verdict === 'crash') {
    const i = last((e) => e.kind === 'exit');
    return { index: i >= 0 ? i : events.length - 1 };
  }
  if (verdict === 'reset') {
    const i = first((e) => e.kind === 'rst' && e.dir === 's2c');
    return i >= 0 ? { index: i } : { index: Math.max(0, first((e) => e.kind === 'rst')) };
  }
  if (verdict === 'flood') return { index: Math.max(0, first((e) => e.kind === 'data' && e.dir === 's2c')) };
  if (verdict === 'hang' || verdict === 'busy-loop') return { trailer: verdict === 'busy-loop' ? `${nothing}, at full CPU` : nothing };
  const i = last((e) => e.dir === 's2c' && (e.kind === 'data' || e.kind === 'fin'));
  return i >= 0 ? { index: i } : { trailer: nothing };
}

function label(e: TranscriptEvent): string {
  if (e.kind === 'connect') return `#${e.conn} connect`;
  if (e.kind === 'fin') return `#${e.conn} FIN`;
  if (e.kind === 'rst') return `#${e.conn} RST`;
  const b = bytesOf(e) ?? Buffer.alloc(0);
  const n = e.length ?? b.length;
  const text = printable(b.subarray(0, 96));
  const shown = [...text].length > 44 ? `${[...text].slice(0, 43).join('')}…` : text;
  return `#${e.conn} ${n} byte${n === 1 ? '' : 's'}${n ? `: ${shown}` : ''}`;
}

function arrow(y: number, e: TranscriptEvent): string {
  const [x1, x2] = e.dir === 'c2s' ? [CLIENT, SERVER] : [SERVER, CLIENT];
  const colour = e.kind === 'rst' ? '#c62828' : e.kind === 'fin' ? '#333' : e.kind === 'connect' ? '#888' : e.dir === 'c2s' ? '#1565c0' : '#e65100';
  const dash = e.kind === 'connect' ? ' stroke-dasharray="5 4"' : '';
  const width = e.kind === 'rst' || e.kind === 'fin' ? 2.5 : 1.5;
  const head = x2 > x1 ? `${x2},${y} ${x2 - 9},${y - 5} ${x2 - 9},${y + 5}` : `${x2},${y} ${x2 + 9},${y - 5} ${x2 + 9},${y + 5}`;
  const mark = e.kind === 'rst' ? `<text x="${x2 + (x2 > x1 ? 8 : -8)}" y="${y + 5}" text-anchor="${x2 > x1 ? 'start' : 'end'}" fill="#c62828" font-weight="bold">✕</text>` : '';
  return `<line x1="${x1}" y1="${y}" x2="${x2}" y2="${y}" stroke="${colour}" stroke-width="${width}"${dash}/><polygon points="${head}" fill="${colour}"/>${mark}`
    + `<text x="${(CLIENT + SERVER) / 2}" y="${y - 5}" text-anchor="middle" fill="${colour}"${e.kind === 'rst' ? ' font-weight="bold"' : ''}>${htmlEscape(label(e))}</text>`;
}

const secs = (us: number) => (us >= 1e6 ? `${(us / 1e6).toFixed(1)} s` : `${Math.round(us / 1000)} ms`);

/** The ladder diagram of `events` (a finding's transcript); `verdict` says which step to highlight. */
export function ladderSvg(events: readonly TranscriptEvent[], verdict: string, stepMs?: number): string {
  const shown = events.filter((e) => e.kind !== 'close');
  const wrong = wrongStep(shown, verdict, stepMs);
  const body: string[] = [];
  let y = 40;
  let prev: number | undefined;
  const rows = shown.slice(0, MAX_ROWS);
  rows.forEach((e, i) => {
    if (prev !== undefined && e.t - prev > PAUSE_US) {
      body.push(`<text x="${(CLIENT + SERVER) / 2}" y="${y + 12}" text-anchor="middle" fill="#777" font-style="italic">pause ${secs(e.t - prev)}</text>`);
      body.push(`<rect x="${CLIENT - 3}" y="${y + 2}" width="6" height="${PAUSE_ROW - 4}" fill="#fff"/><rect x="${SERVER - 3}" y="${y + 2}" width="6" height="${PAUSE_ROW - 4}" fill="#fff"/>`);
      y += PAUSE_ROW;
    }
    prev = e.t;
    const mid = y + ROW / 2 + 4;
    if (i === wrong.index) body.push(`<rect class="wrong" x="4" y="${y}" width="${W - 8}" height="${ROW}" fill="#ffe38a" fill-opacity="0.7" rx="3"><title>where it went wrong</title></rect><text x="${W - 10}" y="${mid + 4}" text-anchor="end" fill="#8a6d00">⚠</text>`);
    body.push(`<text x="10" y="${mid + 4}" fill="#666" font-size="10">${(e.t / 1000).toFixed(1)} ms</text>`);
    if (e.kind === 'exit') {
      const why = e.signal ? `killed by ${e.signal}` : `exit code ${e.code ?? '?'}`;
      body.push(`<rect x="${SERVER - 110}" y="${mid - 10}" width="180" height="20" fill="#fbe0e0" stroke="#c62828" rx="3"/><text x="${SERVER - 20}" y="${mid + 4}" text-anchor="middle" fill="#c62828">server died (${htmlEscape(why)})</text>`);
    } else body.push(arrow(mid, e));
    y += ROW;
  });
  if (shown.length > rows.length) {
    body.push(`<text x="${(CLIENT + SERVER) / 2}" y="${y + 16}" text-anchor="middle" fill="#777">… ${shown.length - rows.length} more events (the table below lists more, the recording all)</text>`);
    y += ROW;
  }
  if (wrong.trailer) {
    body.push(`<rect class="wrong" x="4" y="${y}" width="${W - 8}" height="${ROW}" fill="#ffe38a" fill-opacity="0.7" rx="3"><title>where it went wrong</title></rect><text x="${(CLIENT + SERVER) / 2}" y="${y + ROW / 2 + 4}" text-anchor="middle" fill="#8a6d00">⚠ ${htmlEscape(wrong.trailer)}</text>`);
    y += ROW;
  }
  const h = y + 10;
  const lifelines = [CLIENT, SERVER].map((x) => `<line x1="${x}" y1="28" x2="${x}" y2="${h - 6}" stroke="#bbb" stroke-width="2"/>`).join('');
  const heads = `<text x="${CLIENT}" y="18" text-anchor="middle" font-weight="bold">client (sockspec)</text><text x="${SERVER}" y="18" text-anchor="middle" font-weight="bold">server</text>`;
  return `<svg class="ladder" role="img" aria-label="the shrunk session as a ladder diagram" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" font-size="12" font-family="system-ui,sans-serif"><title>the shrunk session, client on the left, server on the right</title>${heads}${lifelines}${body.join('')}</svg>`;
}
