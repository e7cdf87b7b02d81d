/**
 * Tables that user text is looked up in (op aliases, dataset and metric ids, network sizes, labels) must answer only
 * for their own keys. A plain object literal also "has" `constructor`, `toString`, `hasOwnProperty` and `__proto__`
 * through Object.prototype: `ALIASES['constructor']` is the function `Object`, which then travels on as if it were
 * an op name (`--where 'has constructor'` printed `function Object() { [native code] }`; the server offered to
 * change `constructor` into it). Every such table is built with {@link lookupTable}, and membership tests on tables
 * use {@link hasOwnKey}, never `in`.
 */

/** A frozen copy of `entries` without a prototype: a key it does not hold reads as undefined, whatever its name. */
export function lookupTable<T extends object>(entries: T): Readonly<T> {
  return Object.freeze(Object.assign(Object.create(null) as T, entries));
}

/** True when `key` is one of the table's own keys (not something inherited through a prototype). */
export function hasOwnKey<K extends PropertyKey>(table: Readonly<Record<K, unknown>>, key: PropertyKey): key is K {
  return Object.prototype.hasOwnProperty.call(table, key);
}

/** `table[key]` for an own key, else undefined. */
export function ownValue<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
