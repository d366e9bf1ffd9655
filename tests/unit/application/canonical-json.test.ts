import { canonicalJson } from '../../../src/application/event-sourcing/canonical-json';

describe('canonicalJson: equal values always serialise the same', () => {
  it('does not depend on the order in which keys were written', () => {
    expect(canonicalJson({ b: 1, a: 2, c: 3 })).toBe(canonicalJson({ c: 3, a: 2, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('sorts keys at every level of nesting', () => {
    const one = { outer: { z: 1, y: { q: true, p: null } }, alpha: 'x' };
    const two = { alpha: 'x', outer: { y: { p: null, q: true }, z: 1 } };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
    expect(canonicalJson(one)).toBe('{"alpha":"x","outer":{"y":{"p":null,"q":true},"z":1}}');
  });

  it('keeps array order (order in an array is meaning) and sorts keys of objects inside arrays', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson([3, 1, 2])).not.toBe(canonicalJson([1, 2, 3]));
    expect(canonicalJson([{ b: 1, a: 2 }, [{ d: 0, c: 0 }]])).toBe('[{"a":2,"b":1},[{"c":0,"d":0}]]');
  });

  it('tells different values apart', () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 1, b: 0 }));
    expect(canonicalJson({ a: { b: 1 } })).not.toBe(canonicalJson({ 'a.b': 1 }));
  });

  it('leaves out undefined fields, as they are lost when the event is stored as JSON', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(
      canonicalJson(JSON.parse(JSON.stringify({ a: 1, b: undefined }))),
    );
  });

  it('gives the same text for a value and its JSON round trip (what the store hands back)', () => {
    const value = {
      name: '월간 베이직',
      amount: 9_900,
      quote: 'say "hi"\n',
      tags: ['a', 'b'],
      nested: { z: [1, { y: 2, x: 1 }] },
    };
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
  });

  it('serialises primitives as JSON does', () => {
    expect(canonicalJson('x')).toBe('"x"');
    expect(canonicalJson(12)).toBe('12');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(false)).toBe('false');
    expect(canonicalJson([NaN, Infinity, -0, 1e21, 0.1])).toBe(
      JSON.stringify([NaN, Infinity, -0, 1e21, 0.1]),
    );
    expect(canonicalJson({ s: 'a"\\\n\u2028' })).toBe(JSON.stringify({ s: 'a"\\\n\u2028' }));
  });

  it('orders integer-like keys as strings, not as the engine enumerates them', () => {
    expect(canonicalJson({ 2: 'b', 10: 'a', a: 'c' })).toBe('{"10":"a","2":"b","a":"c"}');
  });

  it('gives the same text whether or not the keys were already in order', () => {
    const ordered = { a: 1, b: { c: [{ d: 1, e: 2 }] } };
    const reversed = { b: { c: [{ e: 2, d: 1 }] }, a: 1 };
    expect(canonicalJson(reversed)).toBe(canonicalJson(ordered));
    expect(canonicalJson(ordered)).toBe('{"a":1,"b":{"c":[{"d":1,"e":2}]}}');
  });
});
