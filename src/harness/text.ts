// Text on the wire: strict UTF-8 (as Python's bytes.decode('utf-8')) and incremental decoding.

/** Decode like Python's `data.decode('utf-8')`: throws on invalid or truncated bytes. */
export function decodeStrict(bytes: Buffer): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

export function isValidUtf8(bytes: Buffer): boolean {
  try {
    decodeStrict(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Python's error text for a failed decode, for tracebacks of the lesson-faithful variants. */
export function describeDecodeError(bytes: Buffer): string {
  const prefix = "UnicodeDecodeError: 'utf-8' codec can't decode";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    const hex = `0x${b.toString(16).padStart(2, '0')}`;
    if (need < 0) return `${prefix} byte ${hex} in position ${i}: invalid start byte`;
    if (need === 0) continue;
    // The second byte's range is narrower after E0, ED, F0 and F4 (no overlongs, no surrogates).
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return `${prefix} bytes in position ${i}-${bytes.length - 1}: unexpected end of data`;
      const c = bytes[i + k];
      const ok = k === 1 ? c >= lo && c <= hi : (c & 0xc0) === 0x80;
      if (!ok) return `${prefix} byte ${hex} in position ${i}: invalid continuation byte`;
    }
    i += need;
  }
  return `${prefix} bytes`;
}

/** Bytes shown to people: text where it is printable UTF-8, \xNN escapes elsewhere. */
export function printable(bytes: Buffer): string {
  let out = '';
  const dec = new TextDecoder('utf-8', { fatal: false });
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    const piece = len ? bytes.subarray(i, i + len) : null;
    if (piece && piece.length === len && isValidUtf8(piece)) {
      const s = dec.decode(piece);
      if (len === 1 && (b < 0x20 || b === 0x7f)) out += b === 0x0a ? '\\n' : b === 0x0d ? '\\r' : b === 0x09 ? '\\t' : `\\x${b.toString(16).padStart(2, '0')}`;
      else if (s === '\\') out += '\\\\';
      else out += s;
      i += len;
    } else {
      out += `\\x${b.toString(16).padStart(2, '0')}`;
      i += 1;
    }
  }
  return out;
}

/** True when `bytes` ends with the first part of a multi-byte character (more bytes will complete it). */
export function endsMidCharacter(bytes: Buffer): boolean {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const width = b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 1;
    return width > back;
  }
  return false;
}
