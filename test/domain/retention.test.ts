import { describe, expect, it } from 'vitest';
import { keepUntil } from '../../src/domain/retention.ts';

describe('how long a child’s record is kept', () => {
  it('is until the 75th birthday, 1 March for a 29 February birthday in a common year (later, never earlier)', () => {
    expect(keepUntil('2010-05-14', 75)).toBe('2085-05-14');
    expect(keepUntil('2008-02-29', 75)).toBe('2083-03-01');
    expect(keepUntil('2009-02-28', 75)).toBe('2084-02-28');
    expect(keepUntil('2024-02-29', 75)).toBe('2099-03-01');
    expect(keepUntil('2012-02-29', 75)).toBe('2087-03-01');
  });

  it('is not known without a date of birth', () => {
    expect(keepUntil(undefined, 75)).toBeNull();
    expect(keepUntil('14/05/2010', 75)).toBeNull();
  });
});
