// Every literal key the views pass to t() exists in both languages, and both languages have the same keys:
// i18next shows a missing key as the key itself ("save" on a Chinese button), which no view test notices.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import i18n, { resources, type Messages } from './index';

const src = join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

function keys(m: Messages, prefix = ''): string[] {
  return Object.entries(m).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`)));
}

describe('i18n keys', () => {
  it('are the same in Chinese and English', () => {
    const res = resources();
    for (const ns of Object.keys(res['zh-CN'])) {
      expect(keys(res.en[ns] ?? {}).sort(), `namespace ${ns}`).toEqual(keys(res['zh-CN'][ns]).sort());
    }
  });

  it('used literally in the code exist', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(src)) {
      const text = readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, ''); // comments quote keys as examples
      for (const m of text.matchAll(/\bt\(\s*'([^'`$]+)'/g)) {
        const [ns, key] = m[1].includes(':') ? m[1].split(':', 2) : ['common', m[1]];
        for (const lng of ['zh-CN', 'en']) {
          // A string: a key that names a group of strings shows as an object, not as text.
          if (typeof i18n.getResource(lng, ns, key) !== 'string') missing.push(`${file.slice(src.length + 1)}: ${m[1]} (${lng})`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
