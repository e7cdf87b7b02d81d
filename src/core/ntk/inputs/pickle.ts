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

export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Utf8Text
  | Uint8Array
  | PickleValue[]
  | Map<string, PickleValue>
  | NdArray
  | PickleGlobal
  | PickleObject;

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

const ALLOWED_GLOBALS = new Set([
  'numpy.core.multiarray._reconstruct',
  'numpy._core.multiarray._reconstruct',
  'numpy.ndarray',
  'numpy.dtype',
  '_codecs.encode',
]);

export class PickleError extends Error {}

/** Long text kept as UTF-8 bytes (see `text` in {@link unpickle}). */
export class Utf8Text {
  constructor(readonly utf8: Uint8Array) {}
}

/**
 * What a dataset pickle can hold, so a hostile file cannot make the reader use unbounded memory or work. The
 * largest supported file, NAS-Bench-201's ImageNet16 `train_data_batch_1`, holds about 128,000 labels plus one
 * array; CIFAR-100's `train` 50,000 fine labels, 50,000 coarse labels, 50,000 file names and one array. A value
 * is anything an opcode pushes; the nesting is dict -> list -> number, or dict -> array -> state -> dtype -> args.
 */
export interface PickleLimits {
  /** Most values the opcodes may push in all (1,000,000: about 6 times CIFAR-100's 150,000). */
  readonly maxValues: number;
  /** Deepest nesting of lists, tuples and dicts (32; the dataset files nest 5). */
  readonly maxDepth: number;
}

export const DATASET_PICKLE_LIMITS: PickleLimits = { maxValues: 1_000_000, maxDepth: 32 };

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/**
 * Reads a pickle. `what` (the file's path) starts every error message. Work is linear in the file's length (every
 * opcode consumes at least one byte), memory is bounded by `limits.maxValues`, and shared or self-referencing
 * containers (a "billion laughs" list, a list that contains itself) are never copied or walked twice.
 */
export function unpickle(buf: Uint8Array, what = 'pickle', limits: PickleLimits = DATASET_PICKLE_LIMITS): PickleValue {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let values = 0;
  const fail = (msg: string): never => {
    throw new PickleError(`${what}: ${msg} at byte ${pos}; is it a CIFAR/ImageNet16 Python pickle?`);
  };
  const push = (v: unknown) => {
    if (++values > limits.maxValues)
      fail(
        `holds more than ${limits.maxValues.toLocaleString('en-US')} values, more than any CIFAR or ImageNet16 file (a pickle bomb?)`,
      );
    stack.push(v);
  };
  const top = () => (stack.length ? stack[stack.length - 1] : fail('stack underflow'));
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
  // Dataset dicts are keyed by str (Python 3) or bytes (Python 2); anything else, a list for one, is refused
  // (String() of a deeply nested list would recurse without bound).
  const key = (k: unknown) =>
    k instanceof Uint8Array
      ? latin1.decode(k)
      : typeof k === 'string' || typeof k === 'number'
        ? String(k)
        : fail(`has a dict key that is ${describe(k)}, not a string`);
  const setItems = (dict: unknown, items: unknown[]) => {
    if (!(dict instanceof Map)) fail('SETITEMS on a non-dict');
    for (let i = 0; i < items.length; i += 2) (dict as Map<string, unknown>).set(key(items[i]), items[i + 1]);
  };
  const global = (name: string): PickleGlobal => {
    if (!ALLOWED_GLOBALS.has(name)) fail(`refuses to load the Python object ${name}`);
    return { kind: 'global', name };
  };

  // Text longer than 1 MiB is kept as its UTF-8 bytes: in the dataset files that is only the pixel array of a
  // Python 3 pickle at protocol 2 (`_codecs.encode(text, 'latin1')`), which becomes bytes without ever being a
  // JavaScript string (150 MB of heap for CIFAR-100, built in a loop a heap limit cannot interrupt cleanly).
  const text = (b: Uint8Array): string | Utf8Text => (b.length > 2 ** 20 ? new Utf8Text(b) : utf8.decode(b));
  /** Python's text.encode('latin1') from the text's UTF-8 bytes; code points above 255 are an error, as in Python. */
  const latin1FromUtf8 = (b: Uint8Array): Uint8Array => {
    const out = new Uint8Array(b.length);
    let n = 0;
    for (let i = 0; i < b.length; i++) {
      const c = b[i];
      if (c < 0x80) out[n++] = c;
      else if ((c & 0xe0) === 0xc0 && i + 1 < b.length && (b[i + 1] & 0xc0) === 0x80 && (c & 0x1f) <= 3)
        out[n++] = ((c & 0x1f) << 6) | (b[++i] & 0x3f);
      else
        fail(
          '_codecs.encode of text that is not latin1 (a byte string pickled by Python 3 is all code points below 256)',
        );
    }
    return out.subarray(0, n);
  };
  const memoGet = (i: number) =>
    memo.has(i) ? memo.get(i) : fail(`refers to memo entry ${i}, which was never stored`);

  // The dataset pickles are protocol 2 or later, which always start with the PROTO opcode.
  if (buf[0] !== 0x80) fail('not a Python pickle of protocol 2 or later (no protocol marker)');
  try {
    return run();
  } catch (e) {
    if (e instanceof PickleError) throw e;
    // Whatever else a malformed file provokes (a stack overflow, a bad length) still names the file and the place.
    return fail(`is malformed (${e instanceof Error ? e.message : String(e)})`);
  }

  function run(): PickleValue {
    for (;;) {
      const op = u8();
      switch (op) {
        case 0x80:
          u8();
          break; // PROTO
        case 0x95:
          bytes(8);
          break; // FRAME
        case 0x2e: {
          // STOP
          const v = pop();
          return finish(v as PickleValue);
        }
        case 0x28:
          marks.push(stack.length);
          break; // MARK
        case 0x7d:
          push(new Map());
          break; // EMPTY_DICT
        case 0x5d:
          push([]);
          break; // EMPTY_LIST
        case 0x29:
          push([]);
          break; // EMPTY_TUPLE
        case 0x4e:
          push(null);
          break; // NONE
        case 0x88:
          push(true);
          break; // NEWTRUE
        case 0x89:
          push(false);
          break; // NEWFALSE
        case 0x4b:
          push(u8());
          break; // BININT1
        case 0x4d:
          push(u16());
          break; // BININT2
        case 0x4a:
          push(i32());
          break; // BININT
        case 0x8a: {
          // LONG1
          const n = u8();
          const b = bytes(n);
          let v = 0n;
          for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
          if (n && b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
          push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
          break;
        }
        case 0x47:
          push((need(8), (pos += 8), dv.getFloat64(pos - 8, false)));
          break; // BINFLOAT
        case 0x49: {
          // INT (text)
          const s = line();
          push(s === '01' ? true : s === '00' ? false : Number(s));
          break;
        }
        case 0x58:
          push(text(bytes(u32())));
          break; // BINUNICODE
        case 0x8c:
          push(utf8.decode(bytes(u8())));
          break; // SHORT_BINUNICODE
        case 0x8d:
          push(text(bytes(Number(dv.getBigUint64((need(8), (pos += 8), pos - 8), true)))));
          break; // BINUNICODE8
        case 0x54:
          push(bytes(u32()));
          break; // BINSTRING (Python 2 str: raw bytes)
        case 0x55:
          push(bytes(u8()));
          break; // SHORT_BINSTRING
        case 0x42:
          push(bytes(u32()));
          break; // BINBYTES
        case 0x43:
          push(bytes(u8()));
          break; // SHORT_BINBYTES
        case 0x8e:
          push(bytes(Number(dv.getBigUint64((need(8), (pos += 8), pos - 8), true))));
          break; // BINBYTES8
        case 0x71:
          memo.set(u8(), top());
          break; // BINPUT
        case 0x72:
          memo.set(u32(), top());
          break; // LONG_BINPUT
        case 0x94:
          memo.set(memo.size, top());
          break; // MEMOIZE
        case 0x68:
          push(memoGet(u8()));
          break; // BINGET
        case 0x6a:
          push(memoGet(u32()));
          break; // LONG_BINGET
        case 0x61: {
          // APPEND
          const v = pop();
          const list = top();
          if (!Array.isArray(list)) fail('APPEND on a non-list');
          (list as unknown[]).push(v);
          break;
        }
        case 0x65: {
          // APPENDS
          const items = popMark();
          const list = top();
          if (!Array.isArray(list)) fail('APPENDS on a non-list');
          for (const it of items) (list as unknown[]).push(it);
          break;
        }
        case 0x73: {
          // SETITEM
          const v = pop();
          const k = pop();
          setItems(top(), [k, v]);
          break;
        }
        case 0x75: {
          // SETITEMS
          const items = popMark();
          setItems(top(), items);
          break;
        }
        case 0x74:
          push(popMark());
          break; // TUPLE
        case 0x85:
          push([pop()]);
          break; // TUPLE1
        case 0x86: {
          const b = pop();
          const a = pop();
          push([a, b]);
          break;
        } // TUPLE2
        case 0x87: {
          const c = pop();
          const b = pop();
          const a = pop();
          push([a, b, c]);
          break;
        } // TUPLE3
        case 0x63: {
          const mod = line();
          const name = line();
          push(global(`${mod}.${name}`));
          break;
        } // GLOBAL
        case 0x93: {
          const name = pop();
          const mod = pop();
          push(global(`${mod}.${name}`));
          break;
        } // STACK_GLOBAL
        case 0x52: // REDUCE
        case 0x81: {
          // NEWOBJ
          const args = pop();
          const callable = pop() as PickleGlobal;
          if (!callable || callable.kind !== 'global') fail('REDUCE of a non-callable');
          if (callable.name === '_codecs.encode') {
            // Python 3 pickles of Python 2 byte strings: _codecs.encode(text, 'latin1').
            const source = Array.isArray(args) ? args[0] : undefined;
            if (source instanceof Utf8Text) push(latin1FromUtf8(source.utf8));
            else if (typeof source === 'string') push(latin1FromUtf8(Buffer.from(source, 'utf8')));
            else fail(`_codecs.encode of ${describe(source)}, expected a string`);
          } else push({ kind: 'object', name: callable.name, args: args as PickleValue } satisfies PickleObject);
          break;
        }
        case 0x62: {
          // BUILD
          const state = pop();
          const obj = top() as PickleObject;
          if (!obj || (obj as { kind?: string }).kind !== 'object') fail('BUILD on a non-object');
          obj.state = state as PickleValue;
          break;
        }
        default:
          fail(`unsupported pickle opcode 0x${op.toString(16)}`);
      }
    }
  }

  /**
   * Turns numpy reconstruct objects into NdArrays, in place. Iterative with a visited set: a container reached
   * again (shared, as in a "billion laughs" list, or containing itself) is not walked again, and nesting deeper
   * than any dataset file is refused instead of overflowing the call stack.
   */
  function finish(root: PickleValue): PickleValue {
    const isReconstruct = (v: unknown): v is PickleObject =>
      !!v &&
      typeof v === 'object' &&
      (v as { kind?: unknown }).kind === 'object' &&
      (v as PickleObject).name.endsWith('._reconstruct');
    if (isReconstruct(root)) return ndarray(root);
    const seen = new Set<object>();
    const todo: [PickleValue, number][] = [[root, 0]];
    while (todo.length) {
      const [v, depth] = todo.pop()!;
      if (!(v instanceof Map) && !Array.isArray(v)) continue;
      if (seen.has(v)) continue;
      seen.add(v);
      if (depth >= limits.maxDepth)
        fail(`nests lists or dicts more than ${limits.maxDepth} deep (dataset files nest 5)`);
      if (v instanceof Map) {
        for (const [k, x] of v) {
          if (isReconstruct(x)) v.set(k, ndarray(x));
          else todo.push([x, depth + 1]);
        }
      } else {
        for (let i = 0; i < v.length; i++) {
          if (isReconstruct(v[i])) v[i] = ndarray(v[i] as PickleObject);
          else todo.push([v[i], depth + 1]);
        }
      }
    }
    return root;
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
    if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0))
      fail(`numpy array shape is ${describe(shape)}, expected a tuple of sizes`);
    return { kind: 'ndarray', shape: shape as number[], dtype, data };
  }
}

/** A short description of a pickled value for messages: its kind, never its (possibly huge) contents. */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) return `a list or tuple of ${v.length}`;
  if (v instanceof Map) return 'a dict';
  if (v instanceof Uint8Array) return `bytes of length ${v.length}`;
  if (v instanceof Utf8Text) return `a string of ${v.utf8.length} bytes`;
  if (typeof v === 'string') return v.length <= 20 ? JSON.stringify(v) : `a string of length ${v.length}`;
  if (typeof v === 'object' && 'kind' in v) {
    const o = v as { kind: string; name?: string };
    return o.kind === 'ndarray' ? 'an array' : `a Python object ${o.name}`;
  }
  return String(v);
}
