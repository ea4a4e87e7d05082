import { parseJsonKeepingIds } from '../src/zoho/json.js';

describe('parsing Zoho JSON without losing ID digits', () => {
  test('integers past 2^53 become exact strings', () => {
    // the premise: plain JSON.parse rounds such an ID to another number
    expect(String((JSON.parse('{"id":1060099000000334001}') as { id: number }).id)).not.toBe('1060099000000334001');
    expect(parseJsonKeepingIds('{"id":1060099000000334001,"ids":[24073000002958013, 1060099000000334009]}')).toEqual({
      id: '1060099000000334001',
      ids: ['24073000002958013', '1060099000000334009'],
    });
  });

  test('strings, small numbers and decimals are untouched', () => {
    expect(parseJsonKeepingIds('{"a":"id 1060099000000334001 \\" 12345678901234567","n":42,"f":1234567890123456.5,"e":12345678901234567e2}')).toEqual({
      a: 'id 1060099000000334001 " 12345678901234567',
      n: 42,
      f: 1234567890123456.5,
      e: 12345678901234567e2,
    });
    expect(parseJsonKeepingIds('[0.12345678901234567890, 1e-12345678901234567]')).toEqual([0.12345678901234567890, 0]);
  });
});
