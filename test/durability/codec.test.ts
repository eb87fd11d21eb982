import { ByteReader, ByteWriter, DecodeError } from '../../src/durability/bytes';
import { readChangeSet, readValue, writeChangeSet, writeValue } from '../../src/durability/codec';
import { crc32c } from '../../src/durability/crc32c';
import { RealBox } from '../../src/value/types';
import { Rng, normalize, randomChangeSet, randomValue } from './random';

function roundTripValue(v: Parameters<typeof writeValue>[1]): unknown {
  const w = new ByteWriter(4);
  writeValue(w, v);
  const r = new ByteReader(w.view());
  const got = readValue(r);
  expect(r.remaining).toBe(0);
  return got;
}

test('crc32c matches the standard check value', () => {
  expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
  const data = new Rng(7).bytes(1000);
  // Incremental over any split equals one pass.
  for (const cut of [0, 1, 7, 8, 9, 500, 999, 1000]) {
    expect(crc32c(data, cut, 1000, crc32c(data, 0, cut))).toBe(crc32c(data));
  }
});

test('every value round-trips with its storage class (random and edge values)', () => {
  const rng = new Rng(42);
  for (let i = 0; i < 5000; i++) {
    const v = randomValue(rng);
    expect(normalize(roundTripValue(v))).toEqual(normalize(v));
  }
});

test('an integral REAL stays REAL and an INTEGER stays INTEGER', () => {
  expect(roundTripValue(new RealBox(2))).toBeInstanceOf(RealBox);
  expect(Object.is((roundTripValue(new RealBox(-0)) as RealBox).value, -0)).toBe(true);
  expect(roundTripValue(2)).toBe(2);
  expect(roundTripValue(9223372036854775807n)).toBe(9223372036854775807n);
  expect(roundTripValue(-9223372036854775808n)).toBe(-9223372036854775808n);
  expect(roundTripValue(9007199254740991n)).toBe(9007199254740991); // safe bigint normalizes
  expect(roundTripValue(Number.MIN_SAFE_INTEGER)).toBe(Number.MIN_SAFE_INTEGER);
});

test('encodings are compact: small integers take two bytes, short text one length byte', () => {
  const size = (v: Parameters<typeof writeValue>[1]): number => {
    const w = new ByteWriter();
    writeValue(w, v);
    return w.pos;
  };
  expect(size(null)).toBe(1);
  expect(size(5)).toBe(2);
  expect(size(-5)).toBe(2);
  expect(size(300)).toBe(3);
  expect(size('abc')).toBe(5);
  expect(size(1.5)).toBe(9);
  expect(size(9223372036854775807n)).toBe(11);
});

test('change sets round-trip (random)', () => {
  const rng = new Rng(99);
  const w = new ByteWriter(16);
  for (let i = 0; i < 1000; i++) {
    const cs = randomChangeSet(rng);
    w.reset();
    writeChangeSet(w, cs);
    expect(normalize(readChangeSet(new ByteReader(w.view())))).toEqual(normalize(cs));
  }
});

test('an unknown value tag or record kind is a decode error, never a wrong value', () => {
  expect(() => readValue(new ByteReader(Uint8Array.of(0x99)))).toThrow(DecodeError);
  expect(() => readChangeSet(new ByteReader(Uint8Array.of(1, 0x77)))).toThrow(/unknown record kind 0x77/);
  expect(() => readChangeSet(new ByteReader(Uint8Array.of(1, 2, 5, 1, 0)))).toThrow(/table reference 5/);
  expect(() => readChangeSet(new ByteReader(Uint8Array.of(0, 0)))).toThrow(/after the last record/);
});

test('every truncation of an encoded change set is a decode error', () => {
  const rng = new Rng(5);
  const w = new ByteWriter();
  for (let i = 0; i < 15; i++) {
    const cs = randomChangeSet(rng, 5);
    if (cs.length === 0) continue;
    w.reset();
    writeChangeSet(w, cs);
    const all = w.view().slice();
    for (let cut = 0; cut < all.length; cut++) {
      expect(() => readChangeSet(new ByteReader(all, 0, cut))).toThrow(DecodeError);
    }
  }
});

test('encoding is fast enough for the commit path', () => {
  const rng = new Rng(1);
  const rows = Array.from({ length: 20000 }, (_, i) => ({
    kind: 'put' as const,
    table: 'items',
    rowid: i,
    row: [i, `name ${i}`, rng.int(1000) / 7, null, 'some longer text value here'],
  }));
  const w = new ByteWriter();
  const t0 = process.hrtime.bigint();
  writeChangeSet(w, rows);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  expect(ms).toBeLessThan(500); // ~20 ms on a laptop; generous for slow CI
  expect(readChangeSet(new ByteReader(w.view())).length).toBe(20000);
});
