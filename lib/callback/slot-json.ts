// The availability v2 slot list written straight into bytes. For 30 days of 5-minute buckets that is 8,640 slots
// (about 800 KB): building them as strings, joining and encoding them cost more than computing the slots, while
// every byte here is ASCII and the times are whole minutes, written from their digits.

// short constant parts are copied by a loop: a native Buffer call per part costs more than the copy
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const SLOT_A = ascii('{"utcTime":"');
const SLOT_B = ascii('","localTime":"');
const SLOT_C = ascii('","capacity":');
const SLOT_D = ascii(',"total":');
const SECONDS_Z = ascii(":00.000Z");
const SECONDS = ascii(":00.000");
// per slot: the fixed parts, 24 + 23 characters of times, two counts of up to 16 digits, the comma and brace
const SLOT_MAX = SLOT_A.length + SLOT_B.length + SLOT_C.length + SLOT_D.length + 24 + 23 + 16 + 16 + 2;
// years with four digits: 0000-01-01 to 10000-01-01
const MIN_MS = -62167219200000;
const MAX_MS = 253402300800000;

/** Year, month and day of a day number since 1970-01-01 (proleptic Gregorian; H. Hinnant's civil_from_days). */
function civil(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export class SlotWriter {
  private buf: Buffer<ArrayBuffer>;
  private pos = 0;
  // the date part of the last day written, per column (UTC and local times move through days separately)
  private days = [NaN, NaN];
  private dates = [new Uint8Array(10), new Uint8Array(10)];

  constructor(slots: number, head: string) {
    this.buf = Buffer.allocUnsafe(slots * (SLOT_MAX + 1) + Buffer.byteLength(head) + 64);
    this.pos += this.buf.write(head, this.pos);
  }

  /** ASCII only (digits, times). */
  private raw(s: string): void {
    this.pos += this.buf.write(s, this.pos, "latin1");
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  private bytes(b: Uint8Array): void {
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < b.length; i++) buf[p++] = b[i];
    this.pos = p;
  }

  private two(n: number): void {
    this.buf[this.pos++] = 48 + Math.floor(n / 10);
    this.buf[this.pos++] = 48 + (n % 10);
  }

  private int(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > 9999999999999999) return this.raw(JSON.stringify(n));
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    for (let i = digits - 1, x = n; i >= 0; i--, x = Math.floor(x / 10)) this.buf[this.pos + i] = 48 + (x % 10);
    this.pos += digits;
  }

  /** `yyyy-MM-ddTHH:mm:ss.SSS` of ms read as UTC, and a `Z` when asked; column 0 or 1 keeps its own day. */
  private time(ms: number, col: 0 | 1, z: boolean): void {
    // in minutes the arithmetic stays in small integers
    const minutes = ms / 60_000;
    if (!Number.isInteger(minutes) || ms < MIN_MS || ms >= MAX_MS) {
      const s = new Date(ms).toISOString();
      return this.raw(z ? s : s.slice(0, 23));
    }
    const day = Math.floor(minutes / 1440);
    const date = this.dates[col];
    if (day !== this.days[col]) {
      this.days[col] = day;
      const [y, m, d] = civil(day);
      date.set(ascii(`${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`));
    }
    this.bytes(date);
    const min = minutes - day * 1440;
    this.buf[this.pos++] = 84; // T
    this.two(Math.floor(min / 60));
    this.buf[this.pos++] = 58; // :
    this.two(min % 60);
    this.bytes(z ? SECONDS_Z : SECONDS);
  }

  /** One slot object; `first` leaves out the comma before it. */
  slot(first: boolean, start: number, localAsUtc: number, capacity: number, total: number): void {
    // counts past 16 digits are written by JSON.stringify ("1e+21"), still within the reserve
    this.room(2 * SLOT_MAX);
    if (!first) this.buf[this.pos++] = 44; // ,
    this.bytes(SLOT_A);
    this.time(start, 0, true);
    this.bytes(SLOT_B);
    this.time(localAsUtc, 1, false);
    this.bytes(SLOT_C);
    this.int(capacity);
    this.bytes(SLOT_D);
    this.int(total);
    this.buf[this.pos++] = 125; // }
  }

  /** The bytes written, closed with `tail`. */
  end(tail: string): Uint8Array<ArrayBuffer> {
    this.room(Buffer.byteLength(tail));
    this.pos += this.buf.write(tail, this.pos);
    return this.buf.subarray(0, this.pos);
  }
}
