// Exports a recording as pcapng (section header, one raw-IPv4 interface, enhanced packets)
// with real IPv4/TCP headers: handshake, consistent sequence and acknowledgement numbers,
// FIN and RST, so Wireshark's "Follow TCP Stream" shows exactly the recorded bytes.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Recording } from './load';

const LINKTYPE_IPV4 = 228;
const MSS = 32_768;
const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function block(type: number, body: Buffer): Buffer {
  const len = 12 + body.length;
  const b = Buffer.alloc(len);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(len, 4);
  body.copy(b, 8);
  b.writeUInt32LE(len, len - 4);
  return b;
}

function checksum(buf: Buffer, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < buf.length; i += 2) sum += buf.readUInt16BE(i);
  if (buf.length % 2) sum += buf[buf.length - 1] << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

interface Endpoint {
  ip: Buffer;
  port: number;
  seq: number;
}

function tcpPacket(src: Endpoint, dst: Endpoint, flags: number, payload: Buffer, id: number): Buffer {
  const tcp = Buffer.alloc(20 + payload.length);
  tcp.writeUInt16BE(src.port, 0);
  tcp.writeUInt16BE(dst.port, 2);
  tcp.writeUInt32BE(src.seq >>> 0, 4);
  tcp.writeUInt32BE(flags & ACK ? dst.seq >>> 0 : 0, 8);
  tcp[12] = 5 << 4;
  tcp[13] = flags;
  tcp.writeUInt16BE(65535, 14);
  payload.copy(tcp, 20);
  const pseudo = Buffer.alloc(12);
  src.ip.copy(pseudo, 0);
  dst.ip.copy(pseudo, 4);
  pseudo[9] = 6;
  pseudo.writeUInt16BE(tcp.length, 10);
  tcp.writeUInt16BE(checksum(Buffer.concat([pseudo, tcp])), 16);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + tcp.length, 2);
  ip.writeUInt16BE(id & 0xffff, 4);
  ip.writeUInt16BE(0x4000, 6); // don't fragment
  ip[8] = 64;
  ip[9] = 6;
  src.ip.copy(ip, 12);
  dst.ip.copy(ip, 16);
  ip.writeUInt16BE(checksum(ip), 10);
  return Buffer.concat([ip, tcp]);
}

export function exportPcapng(rec: Recording, out: string, serverPort = 8001): void {
  const fd = openSync(out, 'w');
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeBigInt64LE(-1n, 8);
  writeSync(fd, block(0x0a0d0d0a, shb));
  const idb = Buffer.alloc(8);
  idb.writeUInt16LE(LINKTYPE_IPV4, 0);
  idb.writeUInt32LE(262_144, 4);
  writeSync(fd, block(0x00000001, idb));
  let id = 1;
  const packet = (tMicros: number, data: Buffer) => {
    const body = Buffer.alloc(20 + pad4(data.length));
    const ts = BigInt(Math.max(0, Math.round(tMicros)));
    body.writeUInt32LE(0, 0);
    body.writeUInt32LE(Number(ts >> 32n), 4);
    body.writeUInt32LE(Number(ts & 0xffffffffn), 8);
    body.writeUInt32LE(data.length, 12);
    body.writeUInt32LE(data.length, 16);
    data.copy(body, 20);
    writeSync(fd, block(0x00000006, body));
  };
  const clientIp = Buffer.from([127, 0, 0, 1]);
  const serverIp = Buffer.from([127, 0, 0, 2]);
  const ends = new Map<number, { c: Endpoint; s: Endpoint }>();
  const base = Date.parse(rec.header.createdAt) * 1000 || 0;
  for (const e of rec.events) {
    const t = base + e.t;
    if (e.kind === 'connect' && e.dir === 'c2s') {
      const c: Endpoint = { ip: clientIp, port: 40_000 + (e.conn % 20_000), seq: 1000 + e.conn * 100_000 };
      const s: Endpoint = { ip: serverIp, port: serverPort, seq: 5000 + e.conn * 100_000 };
      ends.set(e.conn, { c, s });
      packet(t, tcpPacket(c, s, SYN, Buffer.alloc(0), id++));
      c.seq++;
      packet(t, tcpPacket(s, c, SYN | ACK, Buffer.alloc(0), id++));
      s.seq++;
      packet(t, tcpPacket(c, s, ACK, Buffer.alloc(0), id++));
      continue;
    }
    const ep = ends.get(e.conn);
    if (!ep) continue;
    const [src, dst] = e.dir === 'c2s' ? [ep.c, ep.s] : [ep.s, ep.c];
    if (e.kind === 'data' && e.bytes) {
      for (let off = 0; off < e.bytes.length; off += MSS) {
        const piece = e.bytes.subarray(off, off + MSS);
        packet(t, tcpPacket(src, dst, PSH | ACK, piece, id++));
        src.seq += piece.length;
        packet(t, tcpPacket(dst, src, ACK, Buffer.alloc(0), id++));
      }
    } else if (e.kind === 'fin') {
      packet(t, tcpPacket(src, dst, FIN | ACK, Buffer.alloc(0), id++));
      src.seq++;
      packet(t, tcpPacket(dst, src, ACK, Buffer.alloc(0), id++));
    } else if (e.kind === 'rst') {
      packet(t, tcpPacket(src, dst, RST | ACK, Buffer.alloc(0), id++));
      ends.delete(e.conn);
    }
  }
  closeSync(fd);
}
