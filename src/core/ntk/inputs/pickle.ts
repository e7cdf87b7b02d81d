/**
 * A minimal Python unpickler for the dataset files NTK inputs come from: CIFAR-10/100 "python version" batches
 * (pickled by Python 2, protocol 2) and NAS-Bench-201's ImageNet16-120 batches. Hand-written because no
 * maintained npm package reads NumPy arrays out of pickles, and a general unpickler would execute arbitrary
 * globals: this one only builds dicts, lists, tuples, numbers, strings, bytes and `numpy.ndarray` (through
 * numpy's `_reconstruct` + `dtype` globals, the only ones it accepts), and fails clearly on anything else.
 */
export interface NdArray {
  readonly kind: 'ndarray';
  readonly shape: readonly number[];
  /** NumPy dtype string, e.g. `u1`, `i8`. */
  readonly dtype: string;
  /** Raw little-endian element bytes, C order. */
  readonly data: Uint8Array;
}

export type PickleValue = null | boolean | number | bigint | string | Uint8Array | PickleValue[] | Map<string, PickleValue> | NdArray | PickleGlobal | PickleObject;

interface PickleGlobal {
  readonly kind: 'global';
  readonly name: string;
}
interface PickleObject {
  readonly kind: 'object';
  readonly name: string;
  readonly args: PickleValue;
  state?: PickleValue;
}

const ALLOWED_GLOBALS = new Set(['numpy.core.multiarray._reconstruct', 'numpy._core.multiarray._reconstruct', 'numpy.ndarray', 'numpy.dtype', '_codecs.encode']);

export class PickleError extends Error {}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

export function unpickle(buf: Uint8Array, what = 'pickle'): PickleValue {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  const fail = (msg: string): never => {
    throw new PickleError(`${what}: ${msg} at byte ${pos}; is it a CIFAR/ImageNet16 Python pickle?`);
  };
  const need = (n: number) => {
    if (pos + n > buf.length) fail('file ends early (truncated download?)');
  };
  const u8 = () => (need(1), buf[pos++]);
  const u16 = () => (need(2), (pos += 2), dv.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), dv.getUint32(pos - 4, true));
  const i32 = () => (need(4), (pos += 4), dv.getInt32(pos - 4, true));
  const bytes = (n: number) => (need(n), (pos += n), buf.subarray(pos - n, pos));
  const line = () => {
    const end = buf.indexOf(10, pos);
    if (end < 0) fail('unterminated text line');
    const s = latin1.decode(buf.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = () => (stack.length ? stack.pop() : fail('stack underflow'));
  const popMark = () => {
    const m = marks.pop();
    if (m === undefined) fail('missing MARK');
    return stack.splice(m!);
  };
  const key = (k: unknown) => (k instanceof Uint8Array ? latin1.decode(k) : String(k));
  const setItems = (dict: unknown, items: unknown[]) => {
    if (!(dict instanceof Map)) fail('SETITEMS on a non-dict');
    for (let i = 0; i < items.length; i += 2) (dict as Map<string, unknown>).set(key(items[i]), items[i + 1]);
  };
  const global = (name: string): PickleGlobal => {
    if (!ALLOWED_GLOBALS.has(name)) fail(`refuses to load the Python object ${name}`);
    return { kind: 'global', name };
  };

  // The dataset pickles are protocol 2 or later, which always start with the PROTO opcode.
  if (buf[0] !== 0x80) fail('not a Python pickle of protocol 2 or later (no protocol marker)');
  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: bytes(8); break; // FRAME
      case 0x2e: { // STOP
        const v = pop();
        return finish(v as PickleValue);
      }
      case 0x28: marks.push(stack.length); break; // MARK
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x8a: { // LONG1
        const n = u8();
        const b = bytes(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
        if (n && b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case 0x47: stack.push((need(8), (pos += 8), dv.getFloat64(pos - 8, false))); break; // BINFLOAT
      case 0x49: { // INT (text)
        const s = line();
        stack.push(s === '01' ? true : s === '00' ? false : Number(s));
        break;
      }
      case 0x58: stack.push(utf8.decode(bytes(u32()))); break; // BINUNICODE
      case 0x8c: stack.push(utf8.decode(bytes(u8()))); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(utf8.decode(bytes(Number(dv.getBigUint64((need(8), (pos += 8), pos - 8), true))))); break; // BINUNICODE8
      case 0x54: stack.push(bytes(u32())); break; // BINSTRING (Python 2 str: raw bytes)
      case 0x55: stack.push(bytes(u8())); break; // SHORT_BINSTRING
      case 0x42: stack.push(bytes(u32())); break; // BINBYTES
      case 0x43: stack.push(bytes(u8())); break; // SHORT_BINBYTES
      case 0x8e: stack.push(bytes(Number(dv.getBigUint64((need(8), (pos += 8), pos - 8), true)))); break; // BINBYTES8
      case 0x71: memo.set(u8(), stack[stack.length - 1]); break; // BINPUT
      case 0x72: memo.set(u32(), stack[stack.length - 1]); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, stack[stack.length - 1]); break; // MEMOIZE
      case 0x68: stack.push(memo.get(u8())); break; // BINGET
      case 0x6a: stack.push(memo.get(u32())); break; // LONG_BINGET
      case 0x61: { // APPEND
        const v = pop();
        (stack[stack.length - 1] as unknown[]).push(v);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark();
        const list = stack[stack.length - 1];
        if (!Array.isArray(list)) fail('APPENDS on a non-list');
        for (const it of items) (list as unknown[]).push(it);
        break;
      }
      case 0x73: { // SETITEM
        const v = pop();
        const k = pop();
        setItems(stack[stack.length - 1], [k, v]);
        break;
      }
      case 0x75: { // SETITEMS
        const items = popMark();
        setItems(stack[stack.length - 1], items);
        break;
      }
      case 0x74: stack.push(popMark()); break; // TUPLE
      case 0x85: stack.push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push([a, b]); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push([a, b, c]); break; } // TUPLE3
      case 0x63: { const mod = line(); const name = line(); stack.push(global(`${mod}.${name}`)); break; } // GLOBAL
      case 0x93: { const name = pop(); const mod = pop(); stack.push(global(`${mod}.${name}`)); break; } // STACK_GLOBAL
      case 0x52: // REDUCE
      case 0x81: { // NEWOBJ
        const args = pop();
        const callable = pop() as PickleGlobal;
        if (!callable || callable.kind !== 'global') fail('REDUCE of a non-callable');
        if (callable.name === '_codecs.encode') {
          // Python 3 pickles of Python 2 byte strings: _codecs.encode(text, 'latin1').
          const [text] = args as [string];
          stack.push(Uint8Array.from(text, (ch) => ch.charCodeAt(0)));
        } else stack.push({ kind: 'object', name: callable.name, args: args as PickleValue } satisfies PickleObject);
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        const obj = stack[stack.length - 1] as PickleObject;
        if (!obj || (obj as { kind?: string }).kind !== 'object') fail('BUILD on a non-object');
        obj.state = state as PickleValue;
        break;
      }
      default:
        fail(`unsupported pickle opcode 0x${op.toString(16)}`);
    }
  }

  /** Turns numpy reconstruct objects into NdArrays, recursively. */
  function finish(v: PickleValue): PickleValue {
    if (v instanceof Map) {
      for (const [k, x] of v) v.set(k, finish(x));
      return v;
    }
    if (Array.isArray(v)) return v.map(finish);
    if (v && typeof v === 'object' && 'kind' in v && v.kind === 'object' && v.name.endsWith('._reconstruct')) return ndarray(v);
    return v;
  }

  function ndarray(o: PickleObject): NdArray {
    // state = (version, shape, dtype, is_fortran, raw bytes)
    const st = o.state as PickleValue[];
    if (!Array.isArray(st) || st.length < 5) fail('malformed numpy array state');
    const [, shape, dtypeObj, fortran, raw] = st;
    const d = dtypeObj as PickleObject;
    const dtypeArgs = d?.args as PickleValue[];
    const dt = Array.isArray(dtypeArgs) ? dtypeArgs[0] : '';
    const dtype = dt instanceof Uint8Array ? latin1.decode(dt) : String(dt);
    if (fortran) fail('Fortran-ordered arrays are not supported');
    let data: Uint8Array;
    if (raw instanceof Uint8Array) data = raw;
    else if (typeof raw === 'string') data = Uint8Array.from(raw, (ch) => ch.charCodeAt(0));
    else return fail('numpy array without raw data');
    return { kind: 'ndarray', shape: (shape as number[]).map(Number), dtype, data };
  }
}
