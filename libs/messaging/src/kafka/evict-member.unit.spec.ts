import { isOwnHost } from './evict-member';

describe('isOwnHost', () => {
  it("knows this machine's addresses as the broker writes them, and no other", () => {
    expect(isOwnHost('/127.0.0.1')).toBe(true);
    expect(isOwnHost('/::ffff:127.0.0.1')).toBe(true);
    expect(isOwnHost('/203.0.113.9')).toBe(false);
    expect(isOwnHost('')).toBe(false);
  });
});
