import { describe, expect, it } from 'vitest';
import type { Finding } from '../../api';
import { segments } from './highlight';

const hit = (text: string, start: number, end: number): Finding => ({ rule: 'r', category: 'c', start, end, text, zh: '', en: '', source: '' });

describe('segments', () => {
  it('marks findings by UTF-16 offsets', () => {
    const s = segments('您好，请稍等一下', [hit('稍等', 4, 6)]);
    expect(s.map((x) => [x.text, !!x.hit])).toEqual([['您好，请', false], ['稍等', true], ['一下', false]]);
  });
  it('an emoji before the finding takes two UTF-16 units', () => {
    const s = segments('😀稍等', [hit('稍等', 2, 4)]);
    expect(s.map((x) => x.text)).toEqual(['😀', '稍等']);
  });
  it('drops out-of-range and overlapping findings instead of garbling the text', () => {
    const s = segments('abcdef', [hit('x', 4, 99), hit('bcd', 1, 4), hit('cd', 2, 4)]);
    expect(s.map((x) => x.text).join('')).toBe('abcdef');
    expect(s.filter((x) => x.hit).map((x) => x.text)).toEqual(['bcd']);
  });
  it('no findings: one plain segment', () => {
    expect(segments('ok', [])).toEqual([{ text: 'ok', hit: undefined }]);
  });
});
