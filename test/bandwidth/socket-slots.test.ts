// The client's socket queue: first come first served, a waiter that gives up leaves it, a release frees exactly one slot.
import { SocketSlots } from '../../src/bandwidth/socket-slots';

describe('SocketSlots', () => {
  test('up to its size at once, then waiters in arrival order', async () => {
    const slots = new SocketSlots(2);
    const first = await slots.acquire(0);
    const second = await slots.acquire(0);
    expect(first && second).toBeTruthy();
    const served: string[] = [];
    const third = slots.acquire(60_000).then((release) => { served.push('third'); return release; });
    const fourth = slots.acquire(60_000).then((release) => { served.push('fourth'); return release; });
    expect(slots.queued).toBe(2);
    first?.();
    (await third)?.();
    second?.();
    (await fourth)?.();
    expect(served).toEqual(['third', 'fourth']);
    expect(slots.active).toBe(0);
  });

  test('a full pool with no time to wait refuses at once', async () => {
    const slots = new SocketSlots(1);
    await slots.acquire(0);
    expect(await slots.acquire(0)).toBeUndefined();
    expect(slots.queued).toBe(0);
  });

  test('a waiter whose time is up leaves the queue and the next one is served', async () => {
    const slots = new SocketSlots(1);
    const held = await slots.acquire(0);
    const gaveUp = await slots.acquire(1);
    expect(gaveUp).toBeUndefined();
    expect(slots.queued).toBe(0);
    const next = slots.acquire(60_000);
    held?.();
    expect(typeof (await next)).toBe('function');
    expect(slots.active).toBe(1);
  });

  test('releasing twice frees one slot only', async () => {
    const slots = new SocketSlots(1);
    const release = await slots.acquire(0);
    release?.();
    release?.();
    expect(slots.active).toBe(0);
    await slots.acquire(0);
    expect(await slots.acquire(0)).toBeUndefined();
  });
});
