// Counts the commands one Redis connection sends while some work runs, split by whose keys they touch: a count, never a time.
import type Redis from 'ioredis';

export interface RoundTrips {
  /** Commands whose first key is express-session's (`<prefix>sess:`). */
  session: number;
  /** Commands whose first key is the library store's (`<prefix>mfa:`). */
  store: number;
  /** Every command the connection sent meanwhile, by name, for the failure message. */
  commands: string[];
}

/**
 * Runs `work` and counts what `client` sent to Redis meanwhile, through MONITOR on a connection of its own. A PING
 * with a marker before and after the work bounds the count exactly, however late MONITOR delivers: no waiting on a clock.
 */
export async function countRoundTrips(client: Redis, prefix: string, work: () => Promise<unknown>): Promise<RoundTrips> {
  const port = client.stream.localPort;
  const marker = `round-trips-${Math.random().toString(36).slice(2)}`;
  const monitor = await client.monitor();
  const seen: string[][] = [];
  let counting = false;
  let ended: () => void = () => undefined;
  const end = new Promise<void>((resolve) => (ended = resolve));
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (!source.endsWith(`:${port}`)) return;
    if (String(args[0]).toLowerCase() === 'ping' && args[1] === `${marker}-start`) counting = true;
    else if (String(args[0]).toLowerCase() === 'ping' && args[1] === `${marker}-end`) ended();
    else if (counting) seen.push(args.map(String));
  });
  try {
    await client.ping(`${marker}-start`);
    await work();
    await client.ping(`${marker}-end`);
    await end;
  } finally {
    monitor.disconnect();
  }
  const firstKey = (args: string[]) => (/^eval(sha)?$/i.test(args[0] ?? '') ? args[3] : args[1]) ?? '';
  return {
    session: seen.filter((args) => firstKey(args).startsWith(`${prefix}sess:`)).length,
    store: seen.filter((args) => firstKey(args).startsWith(`${prefix}mfa:`)).length,
    commands: seen.map((args) => args[0]?.toLowerCase() ?? ''),
  };
}
