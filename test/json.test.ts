import { parseJsonKeepingIds } from '../src/zoho/json.js';

describe('parsing Zoho JSON without losing ID digits', () => {
  test('integers past 2^53 become exact strings', () => {
    expect(Number('1060099000000334001')).not.toBe(1060099000000334001n.toString());
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
