// SQLite's date and time functions (date.c): time-value + modifiers → text / number / NULL.
//
//   date(tv, mod…) 'YYYY-MM-DD'   time(…) 'HH:MM:SS'   datetime(…) 'YYYY-MM-DD HH:MM:SS'
//   julianday(…) REAL   unixepoch(…) INTEGER (REAL with 'subsec')   strftime(fmt, tv, mod…)
//   timediff(a, b) '±YYYY-MM-DD HH:MM:SS.SSS'
//
// Every function has the shape (args, now) => SqlValue, where now() is the statement's clock in
// Unix milliseconds (SQLite keeps 'now' fixed for one statement). Anything SQLite rejects —
// an unparsable time-value or modifier, a result outside 0000-01-01..9999-12-31 — is NULL.
//
// The working representation is SQLite's DateTime: a Julian day in milliseconds (iJD) and/or
// broken-down Y-M-D and h:m:s, each with a validity flag, converted lazily. The arithmetic below
// mirrors date.c step by step (C integer division truncates toward zero: idiv), because the
// visible results — month overflow ('2023-01-31', '+1 month' is '2023-03-03'), rounding of
// fractional seconds, the 'floor'/'ceiling' rules — fall out of exactly those steps.

import { scanReal, numScan, toReal, toText } from '../convert';
import { RealBox, real, type SqlValue } from '../types';
import { formatPrintf } from './printf';

/** Julian day of 1970-01-01 00:00:00 in milliseconds. */
const UNIX_EPOCH_JD_MS = 210866760000000;
/** 9999-12-31 23:59:59.999 */
const MAX_JD_MS = 464269060799999;

class DateTime {
  iJD = 0; // Julian day × 86400000
  Y = 0;
  M = 0;
  D = 0;
  h = 0;
  m = 0;
  s = 0; // seconds, with fraction
  tz = 0; // timezone offset in minutes
  validJD = false;
  validYMD = false;
  validHMS = false;
  rawS = false; // s holds a raw number not yet interpreted
  isError = false;
  useSubsec = false;
  isUtc = false;
  isLocal = false;
  nFloor = 0; // days to subtract for 'floor' after a month/year overflow

  copy(): DateTime {
    return Object.assign(new DateTime(), this);
  }
}

function idiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** sqlite3Isspace */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Maximum values of the getDigits format letters a..f. */
const DIGIT_MAX = [12, 14, 24, 31, 59, 14712];

/**
 * getDigits: reads fixed-width digit groups described by `format` (4 chars per group: count,
 * minimum, max letter, separator) starting at s[at]. Returns the values read (fewer on error).
 */
function getDigits(s: string, at: number, format: string): number[] {
  const out: number[] = [];
  let i = at;
  for (let f = 0; f < format.length; f += 4) {
    let n = format.charCodeAt(f) - 48;
    const min = format.charCodeAt(f + 1) - 48;
    const max = DIGIT_MAX[format.charCodeAt(f + 2) - 97] as number;
    const next = f + 3 < format.length ? format.charCodeAt(f + 3) : 0;
    let val = 0;
    while (n-- > 0) {
      const c = s.charCodeAt(i);
      if (!isDigit(c)) return out;
      val = val * 10 + c - 48;
      i++;
    }
    if (val < min || val > max || (next !== 0 && next !== s.charCodeAt(i))) return out;
    out.push(val);
    i++;
  }
  return out;
}

/** sqlite3AtoF(...) > 0: the whole text (spaces aside) is a number. */
function atofWhole(s: string): number | null {
  return scanReal(s) > 0 ? numScan.real : null;
}

/** parseTimezone: optional [+-]HH:MM or Z, then only spaces. Returns true on error. */
function parseTimezone(s: string, i: number, p: DateTime): boolean {
  while (isSpace(s.charCodeAt(i))) i++;
  p.tz = 0;
  const c = s.charCodeAt(i);
  let sgn: number;
  if (c === 45) sgn = -1;
  else if (c === 43) sgn = 1;
  else if (c === 90 || c === 122) {
    i++;
    p.isLocal = false;
    p.isUtc = true;
    while (isSpace(s.charCodeAt(i))) i++;
    return i < s.length;
  } else return i < s.length;
  i++;
  const d = getDigits(s, i, '20b:20e');
  if (d.length !== 2) return true;
  i += 5;
  p.tz = sgn * ((d[1] as number) + (d[0] as number) * 60);
  while (isSpace(s.charCodeAt(i))) i++;
  return i < s.length;
}

/** parseHhMmSs: HH:MM[:SS[.SSS…]] [timezone]. Returns true on error. */
function parseHhMmSs(s: string, i: number, p: DateTime): boolean {
  const hm = getDigits(s, i, '20c:20e');
  if (hm.length !== 2) return true;
  i += 5;
  let sec = 0;
  let ms = 0;
  if (s.charCodeAt(i) === 58) {
    i++;
    const sd = getDigits(s, i, '20e');
    if (sd.length !== 1) return true;
    sec = sd[0] as number;
    i += 2;
    if (s.charCodeAt(i) === 46 && isDigit(s.charCodeAt(i + 1))) {
      let scale = 1.0;
      i++;
      while (isDigit(s.charCodeAt(i))) {
        ms = ms * 10.0 + s.charCodeAt(i) - 48;
        scale *= 10.0;
        i++;
      }
      ms /= scale;
      // Truncate to avoid problems with sub-millisecond rounding (as SQLite does).
      if (ms > 0.999) ms = 0.999;
    }
  }
  p.validJD = false;
  p.rawS = false;
  p.validHMS = true;
  p.h = hm[0] as number;
  p.m = hm[1] as number;
  p.s = sec + ms;
  return parseTimezone(s, i, p);
}

function datetimeError(p: DateTime): void {
  Object.assign(p, new DateTime());
  p.isError = true;
}

function computeJD(p: DateTime): void {
  if (p.validJD) return;
  let Y: number;
  let M: number;
  let D: number;
  if (p.validYMD) {
    Y = p.Y;
    M = p.M;
    D = p.D;
  } else {
    Y = 2000;
    M = 1;
    D = 1;
  }
  if (Y < -4713 || Y > 9999 || p.rawS) {
    datetimeError(p);
    return;
  }
  if (M <= 2) {
    Y--;
    M += 12;
  }
  const A = idiv(Y + 4800, 100);
  const B = 38 - A + idiv(A, 4);
  const X1 = idiv(36525 * (Y + 4716), 100);
  const X2 = idiv(306001 * (M + 1), 10000);
  p.iJD = Math.trunc((X1 + X2 + D + B - 1524.5) * 86400000);
  p.validJD = true;
  if (p.validHMS) {
    p.iJD += p.h * 3600000 + p.m * 60000 + Math.trunc(p.s * 1000 + 0.5);
    if (p.tz !== 0) {
      p.iJD -= p.tz * 60000;
      p.validYMD = false;
      p.validHMS = false;
      p.tz = 0;
      p.isUtc = true;
      p.isLocal = false;
    }
  }
}

/** computeFloor: how many days past the end of the month D is (for the 'floor' modifier). */
function computeFloor(p: DateTime): void {
  if (p.D <= 28) p.nFloor = 0;
  else if (((1 << p.M) & 0x15aa) !== 0) p.nFloor = 0;
  else if (p.M !== 2) p.nFloor = p.D === 31 ? 1 : 0;
  else if (p.Y % 4 !== 0 || (p.Y % 100 === 0 && p.Y % 400 !== 0)) p.nFloor = p.D - 28;
  else p.nFloor = p.D - 29;
}

/** parseYyyyMmDd: [-]YYYY-MM-DD [T] [time]. Returns true on error. */
function parseYyyyMmDd(s: string, p: DateTime): boolean {
  let i = 0;
  let neg = false;
  if (s.charCodeAt(0) === 45) {
    i = 1;
    neg = true;
  }
  const d = getDigits(s, i, '40f-21a-21d');
  if (d.length !== 3) return true;
  i += 10;
  let c: number;
  while (isSpace((c = s.charCodeAt(i))) || c === 84) i++;
  if (!parseHhMmSs(s, i, p)) {
    // got the time
  } else if (i >= s.length) {
    p.validHMS = false;
  } else return true;
  p.validJD = false;
  p.validYMD = true;
  p.Y = neg ? -(d[0] as number) : (d[0] as number);
  p.M = d[1] as number;
  p.D = d[2] as number;
  computeFloor(p);
  if (p.tz !== 0) computeJD(p);
  return false;
}

function setDateTimeToCurrent(now: () => number, p: DateTime): void {
  p.iJD = now() + UNIX_EPOCH_JD_MS;
  p.validJD = true;
  p.isUtc = true;
  p.isLocal = false;
  clearYMD_HMS_TZ(p);
}

function setRawDateNumber(p: DateTime, r: number): void {
  p.s = r;
  p.rawS = true;
  if (r >= 0.0 && r < 5373484.5) {
    p.iJD = Math.trunc(r * 86400000.0 + 0.5);
    p.validJD = true;
  }
}

function eqi(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b;
}

/** parseDateOrTime. Returns true on error. */
function parseDateOrTime(s: string, p: DateTime, now: () => number): boolean {
  if (!parseYyyyMmDd(s, p)) return false;
  if (!parseHhMmSs(s, 0, p)) return false;
  if (eqi(s, 'now')) {
    setDateTimeToCurrent(now, p);
    return false;
  }
  const r = atofWhole(s);
  if (r !== null) {
    setRawDateNumber(p, r);
    return false;
  }
  if (eqi(s, 'subsec') || eqi(s, 'subsecond')) {
    p.useSubsec = true;
    setDateTimeToCurrent(now, p);
    return false;
  }
  return true;
}

function validJulianDay(iJD: number): boolean {
  return iJD >= 0 && iJD <= MAX_JD_MS;
}

function computeYMD(p: DateTime): void {
  if (p.validYMD) return;
  if (!p.validJD) {
    p.Y = 2000;
    p.M = 1;
    p.D = 1;
  } else if (!validJulianDay(p.iJD)) {
    datetimeError(p);
    return;
  } else {
    const Z = idiv(p.iJD + 43200000, 86400000);
    const alpha = Math.trunc((Z + 32044.75) / 36524.25) - 52;
    const A = Z + 1 + alpha - idiv(alpha + 100, 4) + 25;
    const B = A + 1524;
    const C = Math.trunc((B - 122.1) / 365.25);
    const D = idiv(36525 * (C & 32767), 100);
    const E = Math.trunc((B - D) / 30.6001);
    const X1 = Math.trunc(30.6001 * E);
    p.D = B - D - X1;
    p.M = E < 14 ? E - 1 : E - 13;
    p.Y = p.M > 2 ? C - 4716 : C - 4715;
  }
  p.validYMD = true;
}

function computeHMS(p: DateTime): void {
  if (p.validHMS) return;
  computeJD(p);
  const dayMs = (p.iJD + 43200000) % 86400000;
  p.s = (dayMs % 60000) / 1000.0;
  const dayMin = idiv(dayMs, 60000);
  p.m = dayMin % 60;
  p.h = idiv(dayMin, 60);
  p.rawS = false;
  p.validHMS = true;
}

function computeYMD_HMS(p: DateTime): void {
  computeYMD(p);
  computeHMS(p);
}

function clearYMD_HMS_TZ(p: DateTime): void {
  p.validYMD = false;
  p.validHMS = false;
  p.tz = 0;
}

/**
 * toLocaltime: UTC → local broken-down time via the host's time zone. Like SQLite, years outside
 * 1970..2037 are mapped to an equivalent year near 2000 first.
 */
function toLocaltime(p: DateTime): void {
  computeJD(p);
  let t: number;
  let iYearDiff: number;
  if (p.iJD < 2108667600 * 100000 || p.iJD > 2130141456 * 100000) {
    const x = p.copy();
    computeYMD_HMS(x);
    iYearDiff = 2000 + (x.Y % 4) - x.Y;
    x.Y += iYearDiff;
    x.validJD = false;
    computeJD(x);
    t = idiv(x.iJD, 1000) - 210866760000;
  } else {
    iYearDiff = 0;
    t = idiv(p.iJD, 1000) - 210866760000;
  }
  const d = new Date(t * 1000);
  p.Y = d.getFullYear() - iYearDiff;
  p.M = d.getMonth() + 1;
  p.D = d.getDate();
  p.h = d.getHours();
  p.m = d.getMinutes();
  p.s = d.getSeconds() + (p.iJD % 1000) * 0.001;
  p.validYMD = true;
  p.validHMS = true;
  p.validJD = false;
  p.rawS = false;
  p.tz = 0;
  p.isError = false;
}

/** The "NNN units" modifiers: name, limit on |NNN|, seconds per unit. */
const XFORMS: readonly { name: string; limit: number; secs: number }[] = [
  { name: 'second', limit: 4.6427e14, secs: 1.0 },
  { name: 'minute', limit: 7.7379e12, secs: 60.0 },
  { name: 'hour', limit: 1.2897e11, secs: 3600.0 },
  { name: 'day', limit: 5373485.0, secs: 86400.0 },
  { name: 'month', limit: 176546.0, secs: 2592000.0 },
  { name: 'year', limit: 14713.0, secs: 31536000.0 },
];

/** parseModifier: applies modifier `z` (the idx-th argument) to p. Returns true on error. */
function parseModifier(z: string, p: DateTime, idx: number): boolean {
  const lower = z.toLowerCase();
  const c0 = z.charCodeAt(0);
  switch (c0 | (c0 >= 65 && c0 <= 90 ? 32 : 0)) {
    case 97: // a: auto
      if (lower === 'auto') {
        if (idx > 1) return true;
        if (!p.rawS || p.validJD) {
          p.rawS = false;
          return false;
        }
        if (p.s >= -210866760000 && p.s <= 253402300799) {
          const r = p.s * 1000.0 + 210866760000000.0;
          clearYMD_HMS_TZ(p);
          p.iJD = Math.trunc(r + 0.5);
          p.validJD = true;
          p.rawS = false;
          return false;
        }
      }
      return true;
    case 99: // c: ceiling
      if (lower === 'ceiling') {
        computeJD(p);
        clearYMD_HMS_TZ(p);
        p.nFloor = 0;
        return false;
      }
      return true;
    case 102: // f: floor
      if (lower === 'floor') {
        computeJD(p);
        p.iJD -= p.nFloor * 86400000;
        clearYMD_HMS_TZ(p);
        return false;
      }
      return true;
    case 106: // j: julianday
      if (lower === 'julianday') {
        if (idx > 1) return true;
        if (p.validJD && p.rawS) {
          p.rawS = false;
          return false;
        }
      }
      return true;
    case 108: // l: localtime
      if (lower === 'localtime') {
        if (!p.isLocal) toLocaltime(p);
        p.isUtc = false;
        p.isLocal = true;
        return false;
      }
      return true;
    case 117: // u: unixepoch, utc
      if (lower === 'unixepoch' && p.rawS) {
        if (idx > 1) return true;
        const r = p.s * 1000.0 + 210866760000000.0;
        if (r >= 0.0 && r < 464269060800000.0) {
          clearYMD_HMS_TZ(p);
          p.iJD = Math.trunc(r + 0.5);
          p.validJD = true;
          p.rawS = false;
          return false;
        }
        return true;
      }
      if (lower === 'utc') {
        if (!p.isUtc) {
          computeJD(p);
          const iOrigJD = p.iJD;
          let iGuess = iOrigJD;
          let iErr = 0;
          let cnt = 0;
          do {
            const x = new DateTime();
            iGuess -= iErr;
            x.iJD = iGuess;
            x.validJD = true;
            toLocaltime(x);
            computeJD(x);
            iErr = x.iJD - iOrigJD;
          } while (iErr !== 0 && cnt++ < 3);
          Object.assign(p, new DateTime());
          p.iJD = iGuess;
          p.validJD = true;
          p.isUtc = true;
          p.isLocal = false;
        }
        return false;
      }
      return true;
    case 119: {
      // w: weekday N
      if (!lower.startsWith('weekday ')) return true;
      const r = atofWhole(z.slice(8));
      if (r === null || !(r >= 0.0 && r < 7.0) || Math.trunc(r) !== r) return true;
      const n = r;
      computeYMD_HMS(p);
      p.tz = 0;
      p.validJD = false;
      computeJD(p);
      let Zd = idiv(p.iJD + 129600000, 86400000) % 7;
      if (Zd > n) Zd -= 7;
      p.iJD += (n - Zd) * 86400000;
      clearYMD_HMS_TZ(p);
      return false;
    }
    case 115: {
      // s: start of …, subsec, subsecond
      if (!lower.startsWith('start of ')) {
        if (lower === 'subsec' || lower === 'subsecond') {
          p.useSubsec = true;
          return false;
        }
        return true;
      }
      if (!p.validJD && !p.validYMD && !p.validHMS) return true;
      const unit = lower.slice(9);
      computeYMD(p);
      p.validHMS = true;
      p.h = 0;
      p.m = 0;
      p.s = 0.0;
      p.rawS = false;
      p.tz = 0;
      p.validJD = false;
      if (unit === 'month') {
        p.D = 1;
        return false;
      }
      if (unit === 'year') {
        p.M = 1;
        p.D = 1;
        return false;
      }
      return unit !== 'day';
    }
    case 43:
    case 45:
    case 48:
    case 49:
    case 50:
    case 51:
    case 52:
    case 53:
    case 54:
    case 55:
    case 56:
    case 57:
      return numericModifier(z, p);
    default:
      return true;
  }
}

/** '±NNN units', '±HH:MM[:SS[.SSS]]', '±YYYY-MM-DD[ HH:MM[:SS[.SSS]]]'. Returns true on error. */
function numericModifier(z: string, p: DateTime): boolean {
  const len = z.length;
  const z0 = z.charCodeAt(0);
  let n = 1;
  for (; n < len; n++) {
    const c = z.charCodeAt(n);
    if (c === 58 || isSpace(c)) break;
    if (c === 45) {
      if (n === 5 && getDigits(z, 1, '40f').length === 1) break;
      if (n === 6 && getDigits(z, 1, '50f').length === 1) break;
    }
  }
  const r0 = atofWhole(z.slice(0, n));
  if (r0 === null) return true;
  let r = r0;
  let z2 = z; // where a time of day to add starts (with its sign), see below
  let z2at = 0;
  let zi = 0; // offset of z in the original text (moves by one for 5-digit years)
  if (z.charCodeAt(n) === 45) {
    // ±YYYY-MM-DD: add or subtract years, months (0..11) and days (0..30)
    if (z0 !== 43 && z0 !== 45) return true;
    let d: number[];
    if (n === 5) {
      d = getDigits(z, 1, '40f-20a-20d');
      if (d.length !== 3) return true;
    } else {
      d = getDigits(z, 1, '50f-20a-20d');
      if (d.length !== 3) return true;
      zi = 1;
    }
    const Y = d[0] as number;
    const M = d[1] as number;
    let D = d[2] as number;
    if (M >= 12) return true;
    if (D >= 31) return true;
    computeYMD_HMS(p);
    p.validJD = false;
    if (z0 === 45) {
      p.Y -= Y;
      p.M -= M;
      D = -D;
    } else {
      p.Y += Y;
      p.M += M;
    }
    const x = p.M > 0 ? idiv(p.M - 1, 12) : idiv(p.M - 12, 12);
    p.Y += x;
    p.M -= x * 12;
    computeFloor(p);
    computeJD(p);
    p.validHMS = false;
    p.validYMD = false;
    p.iJD += D * 86400000;
    const at = zi + 11;
    if (at >= len) return false;
    if (isSpace(z.charCodeAt(at)) && getDigits(z, at + 1, '20c:20e').length === 2) {
      z2 = z;
      z2at = at + 1;
      n = 2;
    } else return true;
  }
  if (z2.charCodeAt(z2at + n) === 58) {
    // ±HH:MM[:SS[.SSS]]: shift by a time of day
    const tx = new DateTime();
    if (!isDigit(z2.charCodeAt(z2at))) z2at++;
    if (parseHhMmSs(z2, z2at, tx)) return true;
    computeJD(tx);
    tx.iJD -= 43200000;
    const day = idiv(tx.iJD, 86400000);
    tx.iJD -= day * 86400000;
    if (z0 === 45) tx.iJD = -tx.iJD;
    computeJD(p);
    clearYMD_HMS_TZ(p);
    p.iJD += tx.iJD;
    return false;
  }
  // NNN units
  let k = n;
  while (isSpace(z.charCodeAt(k))) k++;
  let unit = z.slice(k).toLowerCase();
  if (unit.length < 3 || unit.length > 10) return true;
  if (unit.charCodeAt(unit.length - 1) === 115) unit = unit.slice(0, -1);
  computeJD(p);
  const rounder = r < 0 ? -0.5 : 0.5;
  p.nFloor = 0;
  let rc = true;
  for (const xf of XFORMS) {
    if (xf.name === unit && r > -xf.limit && r < xf.limit) {
      if (unit === 'month') {
        computeYMD_HMS(p);
        p.M += Math.trunc(r);
        const x = p.M > 0 ? idiv(p.M - 1, 12) : idiv(p.M - 12, 12);
        p.Y += x;
        p.M -= x * 12;
        computeFloor(p);
        p.validJD = false;
        r -= Math.trunc(r);
      } else if (unit === 'year') {
        computeYMD_HMS(p);
        p.Y += Math.trunc(r);
        computeFloor(p);
        p.validJD = false;
        r -= Math.trunc(r);
      }
      computeJD(p);
      p.iJD += Math.trunc(r * 1000.0 * xf.secs + rounder);
      rc = false;
      break;
    }
  }
  clearYMD_HMS_TZ(p);
  return rc;
}

function cString(s: string): string {
  const k = s.indexOf('\0');
  return k < 0 ? s : s.slice(0, k);
}

/** isDate: the time-value and modifiers of args[0..] → p, or null when SQLite returns NULL. */
function isDate(args: readonly SqlValue[], from: number, now: () => number): DateTime | null {
  const p = new DateTime();
  const argc = args.length - from;
  if (argc <= 0) {
    setDateTimeToCurrent(now, p);
    return p;
  }
  const v = args[from] as SqlValue;
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof RealBox) {
    setRawDateNumber(p, toReal(v) as number);
  } else {
    const t = toText(v);
    if (t === null || parseDateOrTime(cString(t), p, now)) return null;
  }
  for (let i = 1; i < argc; i++) {
    const z = toText(args[from + i] as SqlValue);
    if (z === null || parseModifier(cString(z), p, i)) return null;
  }
  computeJD(p);
  if (p.isError || !validJulianDay(p.iJD)) return null;
  if (argc === 1 && p.validYMD && p.D > 28) {
    // Normalize a YYYY-MM-DD like 2023-02-31 → 2023-03-03.
    p.validYMD = false;
  }
  return p;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

function pad4(n: number): string {
  return n < 10 ? '000' + n : n < 100 ? '00' + n : n < 1000 ? '0' + n : String(n % 10000);
}

function ymdText(x: DateTime): string {
  const Y = x.Y < 0 ? -x.Y : x.Y;
  const d = pad4(Y) + '-' + pad2(x.M % 100) + '-' + pad2(x.D % 100);
  return x.Y < 0 ? '-' + d : d;
}

function hmsText(x: DateTime): string {
  let t = pad2(x.h % 100) + ':' + pad2(x.m % 100) + ':';
  if (x.useSubsec) {
    const s = Math.trunc(1000.0 * x.s + 0.5);
    t += pad2(Math.trunc(s / 1000) % 100) + '.' + String(s % 1000).padStart(3, '0');
  } else {
    t += pad2(Math.trunc(x.s) % 100);
  }
  return t;
}

/** date(time-value, modifier, …) */
export function date(args: readonly SqlValue[], now: () => number): SqlValue {
  const x = isDate(args, 0, now);
  if (x === null) return null;
  computeYMD(x);
  return ymdText(x);
}

/** time(time-value, modifier, …) */
export function time(args: readonly SqlValue[], now: () => number): SqlValue {
  const x = isDate(args, 0, now);
  if (x === null) return null;
  computeHMS(x);
  return hmsText(x);
}

/** datetime(time-value, modifier, …) */
export function datetime(args: readonly SqlValue[], now: () => number): SqlValue {
  const x = isDate(args, 0, now);
  if (x === null) return null;
  computeYMD_HMS(x);
  return ymdText(x) + ' ' + hmsText(x);
}

/** julianday(time-value, modifier, …): REAL */
export function julianday(args: readonly SqlValue[], now: () => number): SqlValue {
  const x = isDate(args, 0, now);
  if (x === null) return null;
  computeJD(x);
  return real(x.iJD / 86400000.0);
}

/** unixepoch(time-value, modifier, …): INTEGER seconds, or REAL with 'subsec'. */
export function unixepoch(args: readonly SqlValue[], now: () => number): SqlValue {
  const x = isDate(args, 0, now);
  if (x === null) return null;
  computeJD(x);
  if (x.useSubsec) return real((x.iJD - UNIX_EPOCH_JD_MS) / 1000.0);
  return idiv(x.iJD, 1000) - 210866760000;
}

function daysAfterJan01(x: DateTime): number {
  const jan01 = x.copy();
  jan01.validJD = false;
  jan01.M = 1;
  jan01.D = 1;
  computeJD(jan01);
  return idiv(x.iJD - jan01.iJD + 43200000, 86400000);
}

function daysAfterMonday(x: DateTime): number {
  return idiv(x.iJD + 43200000, 86400000) % 7;
}

function daysAfterSunday(x: DateTime): number {
  return idiv(x.iJD + 129600000, 86400000) % 7;
}

/** The Thursday of x's ISO week (for %G %g %V). */
function isoThursday(x: DateTime): DateTime {
  const y = x.copy();
  y.iJD += (3 - daysAfterMonday(x)) * 86400000;
  y.validYMD = false;
  computeYMD(y);
  return y;
}

function space2(n: number): string {
  return n < 10 ? ' ' + n : String(n);
}

/** %02d as SQLite's printf renders it: -1 is "-1". */
function int02(n: number): string {
  return n < 0 ? '-' + String(-n) : pad2(n);
}

/** %04d as SQLite's printf renders it (a negative year keeps its sign inside the width). */
function int04(n: number): string {
  return n < 0 ? '-' + String(-n).padStart(3, '0') : String(n).padStart(4, '0');
}

/** strftime(format, time-value, modifier, …) */
export function strftime(args: readonly SqlValue[], now: () => number): SqlValue {
  if (args.length === 0) return null;
  const f = toText(args[0] as SqlValue);
  if (f === null) return null;
  const fmt = cString(f);
  const x = isDate(args, 1, now);
  if (x === null) return null;
  computeJD(x);
  computeYMD_HMS(x);
  let out = '';
  let j = 0;
  let i = 0;
  for (; i < fmt.length; i++) {
    if (fmt.charCodeAt(i) !== 37) continue;
    if (j < i) out += fmt.slice(j, i);
    i++;
    j = i + 1;
    switch (fmt[i]) {
      case 'd':
        out += pad2(x.D);
        break;
      case 'e':
        out += space2(x.D);
        break;
      case 'f': {
        let s = x.s;
        if (s > 59.999) s = 59.999;
        out += formatPrintf('%06.3f', [real(s)]) as string;
        break;
      }
      case 'F':
        out += int04(x.Y) + '-' + pad2(x.M) + '-' + pad2(x.D);
        break;
      case 'G':
        out += int04(isoThursday(x).Y);
        break;
      case 'g':
        out += int02(isoThursday(x).Y % 100);
        break;
      case 'H':
        out += pad2(x.h);
        break;
      case 'k':
        out += space2(x.h);
        break;
      case 'I':
      case 'l': {
        let h = x.h;
        if (h > 12) h -= 12;
        if (h === 0) h = 12;
        out += fmt[i] === 'I' ? pad2(h) : space2(h);
        break;
      }
      case 'j':
        out += String(daysAfterJan01(x) + 1).padStart(3, '0');
        break;
      case 'J':
        out += formatPrintf('%.16g', [real(x.iJD / 86400000.0)]) as string;
        break;
      case 'm':
        out += pad2(x.M);
        break;
      case 'M':
        out += pad2(x.m);
        break;
      case 'p':
        out += x.h >= 12 ? 'PM' : 'AM';
        break;
      case 'P':
        out += x.h >= 12 ? 'pm' : 'am';
        break;
      case 'R':
        out += pad2(x.h) + ':' + pad2(x.m);
        break;
      case 's':
        if (x.useSubsec) out += formatPrintf('%.3f', [real((x.iJD - UNIX_EPOCH_JD_MS) / 1000.0)]) as string;
        else out += String(idiv(x.iJD, 1000) - 210866760000);
        break;
      case 'S':
        out += pad2(Math.trunc(x.s));
        break;
      case 'T':
        out += pad2(x.h) + ':' + pad2(x.m) + ':' + pad2(Math.trunc(x.s));
        break;
      case 'u': {
        const d = daysAfterSunday(x);
        out += d === 0 ? '7' : String(d);
        break;
      }
      case 'w':
        out += String(daysAfterSunday(x));
        break;
      case 'U':
        out += pad2(idiv(daysAfterJan01(x) - daysAfterSunday(x) + 7, 7));
        break;
      case 'V':
        out += pad2(idiv(daysAfterJan01(isoThursday(x)), 7) + 1);
        break;
      case 'W':
        out += pad2(idiv(daysAfterJan01(x) - daysAfterMonday(x) + 7, 7));
        break;
      case 'Y':
        out += int04(x.Y);
        break;
      case '%':
        out += '%';
        break;
      default:
        return null;
    }
  }
  if (j < i) out += fmt.slice(j, i);
  return out;
}

/** timediff(a, b): the time to add to b to reach a, as '±YYYY-MM-DD HH:MM:SS.SSS'. */
export function timediff(args: readonly SqlValue[], now: () => number): SqlValue {
  if (args.length !== 2) return null;
  const d1 = isDate(args.slice(0, 1), 0, now);
  if (d1 === null) return null;
  const d2 = isDate(args.slice(1, 2), 0, now);
  if (d2 === null) return null;
  computeYMD_HMS(d1);
  computeYMD_HMS(d2);
  let sign: string;
  let Y: number;
  let M: number;
  if (d1.iJD >= d2.iJD) {
    sign = '+';
    Y = d1.Y - d2.Y;
    if (Y !== 0) {
      d2.Y = d1.Y;
      d2.validJD = false;
      computeJD(d2);
    }
    M = d1.M - d2.M;
    if (M < 0) {
      Y--;
      M += 12;
    }
    if (M !== 0) {
      d2.M = d1.M;
      d2.validJD = false;
      computeJD(d2);
    }
    while (d1.iJD < d2.iJD) {
      M--;
      if (M < 0) {
        M = 11;
        Y--;
      }
      d2.M--;
      if (d2.M < 1) {
        d2.M = 12;
        d2.Y--;
      }
      d2.validJD = false;
      computeJD(d2);
    }
    d1.iJD -= d2.iJD;
    d1.iJD += 148699540800000;
  } else {
    sign = '-';
    Y = d2.Y - d1.Y;
    if (Y !== 0) {
      d2.Y = d1.Y;
      d2.validJD = false;
      computeJD(d2);
    }
    M = d2.M - d1.M;
    if (M < 0) {
      Y--;
      M += 12;
    }
    if (M !== 0) {
      d2.M = d1.M;
      d2.validJD = false;
      computeJD(d2);
    }
    while (d1.iJD > d2.iJD) {
      M--;
      if (M < 0) {
        M = 11;
        Y--;
      }
      d2.M++;
      if (d2.M > 12) {
        d2.M = 1;
        d2.Y++;
      }
      d2.validJD = false;
      computeJD(d2);
    }
    d1.iJD = d2.iJD - d1.iJD;
    d1.iJD += 148699540800000;
  }
  clearYMD_HMS_TZ(d1);
  computeYMD_HMS(d1);
  return (
    sign +
    int04(Y) +
    '-' +
    pad2(M) +
    '-' +
    pad2(d1.D - 1) +
    ' ' +
    pad2(d1.h) +
    ':' +
    pad2(d1.m) +
    ':' +
    (formatPrintf('%06.3f', [real(d1.s)]) as string)
  );
}
