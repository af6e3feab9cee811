import { describe, expect, it } from 'vitest';
import { lazyClient } from '../../functions/composition/lazy-client.js';

class FakeClient {
  static made = 0;
  constructor() {
    FakeClient.made++;
  }
  async send(command: { n: number }): Promise<number> {
    return command.n * 2;
  }
}

describe('lazy SDK clients of the composition', () => {
  it('makes the client on the first request, once, and sends every request through it', async () => {
    FakeClient.made = 0;
    let imports = 0;
    const client = lazyClient(async () => {
      imports++;
      return new FakeClient();
    });
    expect(imports).toBe(0); // nothing loaded at cold start
    expect(await Promise.all([client.send({ n: 1 }), client.send({ n: 2 })])).toEqual([2, 4]);
    expect(await client.send({ n: 3 })).toBe(6);
    expect(imports).toBe(1);
    expect(FakeClient.made).toBe(1);
  });

  it('tries again on the next request when loading the package failed', async () => {
    let attempts = 0;
    const client = lazyClient(async () => {
      if (++attempts === 1) throw new Error('package not found');
      return new FakeClient();
    });
    await expect(client.send({ n: 1 })).rejects.toThrow('package not found');
    expect(await client.send({ n: 5 })).toBe(10);
    expect(attempts).toBe(2);
  });
});
