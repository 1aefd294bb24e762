// The bench's round-trip counter reads the client side of Postgres's wire protocol: it must count
// every Sync and Query however the bytes are cut, pass everything else on unchanged, and swallow
// an SSL request (answered 'N' by the proxy).
import { describe, expect, it } from 'vitest';
import { FrontendReader } from '../../../bench/support/pg-counter.ts';

function message(type: string, payload: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(payload.length + 4, 1);
  return Buffer.concat([header, payload]);
}

function startup(): Buffer {
  const params = Buffer.from('user\0postgres\0database\0test\0\0', 'latin1');
  const head = Buffer.alloc(8);
  head.writeInt32BE(params.length + 8, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, params]);
}

const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

describe('FrontendReader', () => {
  const conversation = Buffer.concat([
    startup(),
    message('Q', Buffer.from('select 1\0')),
    message('P', Buffer.from('\0select $1\0\0\0')),
    message('B', Buffer.alloc(10)),
    message('E', Buffer.alloc(5)),
    message('S'),
    message('X'),
  ]);

  it('counts Sync and Query messages and forwards the bytes unchanged, however they are cut', () => {
    for (const size of [1, 3, 7, 64, conversation.length]) {
      const seen: string[] = [];
      const reader = new FrontendReader((type) => seen.push(String.fromCharCode(type)));
      const forwarded: Buffer[] = [];
      for (let at = 0; at < conversation.length; at += size) {
        expect(reader.push(conversation.subarray(at, at + size))).toBe(false);
        forwarded.push(reader.take());
      }
      expect(seen).toEqual(['Q', 'P', 'B', 'E', 'S', 'X']);
      expect(seen.filter((type) => type === 'S' || type === 'Q')).toHaveLength(2);
      expect(Buffer.concat(forwarded).equals(conversation)).toBe(true);
    }
  });

  it('swallows an SSL request and reads the startup after it', () => {
    const seen: number[] = [];
    const reader = new FrontendReader((type) => seen.push(type));
    expect(reader.push(SSL_REQUEST)).toBe(true);
    expect(reader.take()).toHaveLength(0);
    expect(reader.push(Buffer.concat([startup(), message('S')]))).toBe(false);
    expect(reader.take().equals(Buffer.concat([startup(), message('S')]))).toBe(true);
    expect(seen).toEqual([0x53]);
  });
});
