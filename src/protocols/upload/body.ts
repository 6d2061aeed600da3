// An upload's body as the oracle sees it: a size and chunks that can be produced again. A
// small payload is one buffer; a large one (a GiB) is generated chunk by chunk from a pattern,
// so neither sending it nor checking the stored file ever holds it in memory. The stored file
// is compared byte for byte with a second generation as it is read back, which is cheaper than
// hashing both sides and says where the copy first goes wrong.
import { closeSync, openSync, readSync } from 'node:fs';

export interface UploadBody {
  readonly size: number;
  /** The bytes, in order; the same bytes on every call. */
  chunks(): Iterable<Buffer>;
}

export function bufferBody(data: Buffer): UploadBody {
  return { size: data.length, chunks: () => [data] };
}

/**
 * `size` bytes of a fixed pseudo-random stream, in chunks of `chunkBytes`. Chunk i is a view
 * of one random block of twice that size, starting at (i × 4099) mod chunkBytes: every chunk is
 * different (a chunk stored twice, dropped or out of order shows), nothing is allocated per
 * chunk (a GiB leaves no garbage behind), and the views are never written to, so a consumer
 * may keep them.
 */
export function patternBody(size: number, chunkBytes = 1 << 20): UploadBody {
  const block = Buffer.alloc(2 * chunkBytes);
  let x = 0x9e3779b9;
  for (let i = 0; i < block.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    block[i] = x & 0xff;
  }
  return {
    size,
    *chunks() {
      for (let off = 0, i = 0; off < size; off += chunkBytes, i++) {
        const start = (i * 4099) % chunkBytes;
        yield block.subarray(start, start + Math.min(chunkBytes, size - off));
      }
    },
  };
}

/** Chunks compared between two turns of the event loop (16 MiB of a generated body: about 1.5 ms read from the page cache). */
const CHUNKS_PER_TURN = 16;

/**
 * Compares a stored file with the body, streaming both. Null when equal; else the offset of the
 * first byte that differs (the shorter length when one is a prefix of the other).
 *
 * The reads are synchronous, a few chunks per turn of the event loop: the file was just written,
 * so each read is usually a copy from the page cache, and a promise read (FileHandle.read, a
 * trip to the thread pool and back per chunk) took twice as long over a GiB (190 to 260 ms
 * against 90 here). Nothing time-sensitive runs meanwhile: a clause's oracle judges after its
 * session, and sessions run one at a time.
 */
export async function firstDifference(file: string, body: UploadBody): Promise<number | null> {
  const fd = openSync(file, 'r');
  try {
    let offset = 0;
    let buf = Buffer.alloc(0);
    let read = 0;
    for (const want of body.chunks()) {
      // Every CHUNKS_PER_TURN chunks read, other work runs.
      if (read > 0 && read % CHUNKS_PER_TURN === 0) await new Promise<void>((next) => setImmediate(next));
      read++;
      if (buf.length < want.length) buf = Buffer.alloc(want.length);
      let got = 0;
      while (got < want.length) {
        const bytesRead = readSync(fd, buf, got, want.length - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      const seen = buf.subarray(0, got);
      if (!seen.equals(want)) {
        let i = 0;
        while (i < got && seen[i] === want[i]) i++;
        return offset + i;
      }
      offset += want.length;
    }
    return readSync(fd, Buffer.alloc(1), 0, 1, offset) === 0 ? null : offset;
  } finally {
    closeSync(fd);
  }
}
