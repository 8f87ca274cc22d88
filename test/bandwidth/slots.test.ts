// The one concurrency limiter: first come first served, a waiter that gives up leaves it, a release frees exactly one slot, tryEnter never waits.
import { Slots } from '../../src/slots';

describe('Slots', () => {
  test('up to its size at once, then waiters in arrival order', async () => {
    const slots = new Slots(2);
    const first = await slots.acquire(0);
    const second = await slots.acquire(0);
    expect(first && second).toBeTruthy();
    const served: string[] = [];
    const third = slots.acquire(60_000).then((release) => {
      served.push('third');
      return release;
    });
    const fourth = slots.acquire(60_000).then((release) => {
      served.push('fourth');
      return release;
    });
    expect(slots.queued).toBe(2);
    first?.();
    (await third)?.();
    second?.();
    (await fourth)?.();
    expect(served).toEqual(['third', 'fourth']);
    expect(slots.active).toBe(0);
  });

  test('a full pool with no time to wait refuses at once', async () => {
    const slots = new Slots(1);
    await slots.acquire(0);
    expect(await slots.acquire(0)).toBeUndefined();
    expect(slots.queued).toBe(0);
  });

  test('a waiter whose time is up leaves the queue and the next one is served', async () => {
    const slots = new Slots(1);
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
    const slots = new Slots(1);
    const release = await slots.acquire(0);
    release?.();
    release?.();
    expect(slots.active).toBe(0);
    await slots.acquire(0);
    expect(await slots.acquire(0)).toBeUndefined();
  });

  test('tryEnter never waits: a slot when one is free and nobody queues, else undefined', async () => {
    const slots = new Slots(1);
    const first = slots.tryEnter();
    expect(first).toBeDefined();
    expect(slots.tryEnter()).toBeUndefined();
    const waiter = slots.acquire(60_000);
    first?.();
    const served = await waiter;
    // The waiter took the freed slot, so a caller who does not wait is still refused.
    expect(served).toBeDefined();
    expect(slots.tryEnter()).toBeUndefined();
    served?.();
    served?.();
    expect(slots.active).toBe(0);
    expect(slots.tryEnter()).toBeDefined();
  });

  test('wait has no deadline: it queues in turn with the others and is served when a slot frees', async () => {
    jest.useFakeTimers();
    try {
      const slots = new Slots(1);
      const held = await slots.acquire(0);
      const order: string[] = [];
      const waiting = slots.wait().then((release) => (order.push('wait'), release));
      const bounded = slots.acquire(60 * 60_000).then((release) => (order.push('acquire'), release));
      // Far past any timer a deadline could have set: the waiter is still in the queue.
      jest.advanceTimersByTime(10 * 60_000);
      await Promise.resolve();
      expect(order).toEqual([]);
      expect(slots.queued).toBe(2);
      held?.();
      (await waiting)();
      (await bounded)?.();
      expect(order).toEqual(['wait', 'acquire']);
      expect(slots.active).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
