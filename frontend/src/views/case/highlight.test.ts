import { describe, expect, it } from 'vitest';
import { segments } from './highlight';

const hit = (phrase: string, start: number, end: number) => ({ phrase, start, end, why: 'w' });

describe('segments', () => {
  it('marks hits by rune offsets', () => {
    const s = segments('您好，请稍等一下', [hit('稍等', 4, 6)]);
    expect(s.map((x) => [x.text, !!x.hit])).toEqual([['您好，请', false], ['稍等', true], ['一下', false]]);
  });
  it('counts astral characters as one rune like Go does', () => {
    const s = segments('😀稍等', [hit('稍等', 1, 3)]);
    expect(s.map((x) => x.text)).toEqual(['😀', '稍等']);
  });
  it('drops out-of-range and overlapping hits instead of garbling the text', () => {
    const s = segments('abcdef', [hit('x', 4, 99), hit('bcd', 1, 4), hit('cd', 2, 4)]);
    expect(s.map((x) => x.text).join('')).toBe('abcdef');
    expect(s.filter((x) => x.hit).map((x) => x.text)).toEqual(['bcd']);
  });
  it('no hits: one plain segment', () => {
    expect(segments('ok', [])).toEqual([{ text: 'ok', hit: undefined }]);
  });
});
