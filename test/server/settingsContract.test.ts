import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { coerceSettings, DEFAULT_SETTINGS, SETTING_ENUMS, SETTING_ITEM_ENUMS } from '../../src/shared/settings';

interface ConfigProperty {
  type: string;
  default: unknown;
  enum?: string[];
  items?: { type: string; enum?: string[] };
  minimum?: number;
  maximum?: number;
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, ConfigProperty> } };
};
const properties = manifest.contributes.configuration.properties;

/** `{ inlayHints: { enabled: true } }` -> `[['inlayHints.enabled', true]]`. */
function flatten(value: object, prefix = ''): [string, unknown][] {
  return Object.entries(value).flatMap(([k, v]): [string, unknown][] =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? flatten(v, `${prefix}${k}.`) : [[`${prefix}${k}`, v]],
  );
}

const settingKeys = flatten(DEFAULT_SETTINGS);

test('every setting of RobustNasSettings is contributed with the same type and default, and nothing else is', () => {
  assert.deepEqual(Object.keys(properties).sort(), settingKeys.map(([k]) => `robustNas.${k}`).sort());
  for (const [key, def] of settingKeys) {
    const p = properties[`robustNas.${key}`];
    const type = Array.isArray(def) ? 'array' : typeof def;
    // Counts and seeds are declared `integer` (VS Code then rejects 2.5 in the settings editor); coercion checks it too.
    if (p.type === 'integer')
      assert.ok(Number.isInteger(def), `robustNas.${key} is integer but defaults to ${String(def)}`);
    else assert.equal(p.type, type, `type of robustNas.${key}`);
    assert.deepEqual(p.default, def, `default of robustNas.${key}`);
    if (Array.isArray(def)) assert.equal(p.items?.type, 'string', `items of robustNas.${key}`);
    if (Array.isArray(def))
      assert.deepEqual(
        p.items?.enum,
        SETTING_ITEM_ENUMS[key] ? [...SETTING_ITEM_ENUMS[key]] : undefined,
        `item enum of robustNas.${key}`,
      );
  }
});

test('numeric NTK settings: the declared bounds are the ones coercion enforces', () => {
  const ntk = (raw: Record<string, unknown>) => coerceSettings({ ntk: raw }).ntk;
  for (const [key, def] of settingKeys.filter(([, v]) => typeof v === 'number')) {
    const p = properties[`robustNas.${key}`];
    assert.ok(p.minimum !== undefined && p.maximum !== undefined, `robustNas.${key} declares its bounds`);
    const name = key.slice('ntk.'.length);
    assert.equal(ntk({ [name]: p.minimum })[name as 'n'], p.minimum, `${key} minimum accepted`);
    assert.equal(ntk({ [name]: p.maximum })[name as 'n'], p.maximum, `${key} maximum accepted`);
    assert.equal(ntk({ [name]: p.minimum! - 1 })[name as 'n'], def, `${key} below the minimum falls back`);
    assert.equal(ntk({ [name]: p.maximum! + 1 })[name as 'n'], def, `${key} above the maximum falls back`);
    if (p.type === 'integer')
      assert.equal(ntk({ [name]: p.minimum! + 0.5 })[name as 'n'], def, `${key} must be an integer`);
  }
  // Unknown variants are dropped; none left falls back to the default list.
  assert.deepEqual(ntk({ variants: ['twice', 'bogus', 'twice'] }).variants, ['twice']);
  assert.deepEqual(ntk({ variants: ['bogus'] }).variants, DEFAULT_SETTINGS.ntk.variants);
});

test('every enumerated setting lists exactly the values the server accepts', () => {
  for (const [key] of settingKeys) {
    const p = properties[`robustNas.${key}`];
    assert.deepEqual(p.enum, SETTING_ENUMS[key] ? [...SETTING_ENUMS[key]] : undefined, `enum of robustNas.${key}`);
  }
  for (const [key, values] of Object.entries(SETTING_ENUMS)) {
    for (const v of values) {
      // Each allowed value survives coercion unchanged.
      const raw = key.split('.').reduceRight<unknown>((inner, part) => ({ [part]: inner }), v);
      const coerced = flatten(coerceSettings(raw)).find(([k]) => k === key)?.[1];
      assert.equal(coerced, v, `robustNas.${key} = ${v}`);
    }
  }
});

test('bad raw values fall back to the defaults instead of throwing', () => {
  assert.deepEqual(
    coerceSettings({ dataset: 'mnist', metric: 7, inlayHints: 'yes', diagnostics: null, languages: [1] }),
    DEFAULT_SETTINGS,
  );
  assert.deepEqual(coerceSettings(undefined), DEFAULT_SETTINGS);
});
