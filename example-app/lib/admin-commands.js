// The operator commands behind `npm run admin`: unlock, reset-2fa, devices, budgets, allow, with the app's own settings and options.
'use strict';

const { createMfa, memoryStore } = require('express-bandwidth-mfa');
const { readConfig } = require('./config');
const { openAccounts } = require('./db');
const { createStorage } = require('./storage');
const { mfaOptions } = require('./mfa-options');
const { recoveryCodeSecret } = require('./recovery-code-secret');
const { createNotifications } = require('./notifications');

const USAGE = `Usage: npm run admin -- <command> <username>
       npm run admin -- budgets | allow <entry> | disallow <entry>

Commands:
  unlock <username>      End the user's lockout (and a hold after too many failures in a row).
  reset-2fa <username>   Remove the user's phone number, recovery codes, trusted browsers and lockouts;
                         they add a number again at their next sign-in.
  devices <username>     List the user's trusted browsers: id, trusted since, until, user agent.
  budgets                List the send budgets near or over their limit (country, number range, client
                         address, the app-wide ceiling) with sent and verified counts, and the allow-list.
  allow <entry>          Let a country (US), number prefix (+4420) or address/network (203.0.113.0/24)
                         bypass the send budgets, on every instance of the app.
  disallow <entry>       Remove an entry that allow added.

It uses the app's settings (DATABASE_URL, REDIS_URL, REDIS_KEY_PREFIX, MFA_RECOVERY_CODE_SECRET...; see .env.example).
Exit status: 0 done, 1 refused or failed (unknown user or command, storage unreachable), 2 wrong usage.`;

// Operator commands never send or check a code: whatever BANDWIDTH_* says, this process cannot bill a send.
const NO_CODES = {
  sendCode: async () => {
    throw new Error('The admin command sends no codes.');
  },
  verifyCode: async () => {
    throw new Error('The admin command checks no codes.');
  },
};

/** @typedef {{ out(line: string): void, err(line: string): void }} Io  where a command writes its lines */

/**
 * What runCommand hands a command: `user` when it takes a username (an unknown one is refused before), `entry`
 * when it takes an allow-list entry.
 * @typedef {object} CommandContext
 * @property {import('express-bandwidth-mfa').Mfa} mfa
 * @property {import('./db/accounts').User} [user]
 * @property {string} [entry]
 * @property {string} actor  who ran it, for the audit events
 * @property {Io} io
 * @property {boolean} sharedStore  the store is the running app's (REDIS_URL), not this process's memory
 */

/**
 * `run` declares what it reads of the context: `user` for the commands that take a username, `entry` for those that take one.
 * @typedef {{ needsSharedStore: boolean, takes: 'username' | 'entry' | 'nothing', run(context: CommandContext): Promise<void> }} Command
 */

/** @satisfies {Record<string, Command>} */
const COMMANDS = {
  unlock: { needsSharedStore: true, takes: 'username', run: unlock },
  'reset-2fa': { needsSharedStore: false, takes: 'username', run: reset },
  devices: { needsSharedStore: true, takes: 'username', run: devices },
  budgets: { needsSharedStore: true, takes: 'nothing', run: budgets },
  allow: { needsSharedStore: true, takes: 'entry', run: allow },
  disallow: { needsSharedStore: true, takes: 'entry', run: disallow },
};

/** Names the store the running app holds lockouts and trusted browsers in, when this process cannot reach it. */
const MEMORY_ONLY =
  'REDIS_URL is not set: lockouts and trusted browsers live in the memory of the running app, which this command cannot reach.';

/**
 * @param {string} name  as typed after `npm run admin --`
 * @returns {name is keyof typeof COMMANDS}
 */
function isCommand(name) {
  return Object.prototype.hasOwnProperty.call(COMMANDS, name);
}

/** @typedef {CommandContext & { user: import('./db/accounts').User }} UserContext */
/** @typedef {CommandContext & { entry: string }} EntryContext */

/**
 * Ends the lockout; the library forgets the failures that led to it.
 * @param {UserContext} context
 */
async function unlock({ mfa, user, actor, io }) {
  await mfa.unlockUser(user.id, { actor });
  io.out(`Unlocked ${user.username}: lockouts and failed-attempt counts cleared.`);
}

/**
 * Store state through the library, then the number and the recovery codes through the app's hooks.
 * @param {UserContext} context
 */
async function reset({ mfa, user, actor, io, sharedStore }) {
  await mfa.resetSecondFactor(user.id, { actor });
  io.out(
    `Reset the second factor of ${user.username}: phone number, recovery codes, trusted browsers and lockouts removed; they add a number at their next sign-in.`,
  );
  if (sharedStore)
    io.out(
      `Sessions of ${user.username} signed in before now stay signed in but cannot add a number: they are asked to sign in again first.`,
    );
  else
    io.err(
      `Warning: ${MEMORY_ONLY} The running app keeps this user's lockouts and trusted browsers until it restarts, and sessions signed in before now may still add a number.`,
    );
}

/**
 * One line per trusted browser, tab-separated, oldest first.
 * @param {UserContext} context
 */
async function devices({ mfa, user, io }) {
  const list = (await mfa.listTrustedDevices(user.id)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  if (list.length === 0) {
    io.out(`${user.username} has no trusted browsers.`);
    return;
  }
  io.out(`${user.username} has ${list.length} trusted ${list.length === 1 ? 'browser' : 'browsers'}:`);
  io.out(['id', 'trusted since', 'until', 'user agent'].join('\t'));
  for (const device of list) {
    io.out([device.deviceId, iso(device.createdAt), iso(device.expiresAt), oneLine(device.userAgent ?? '(unknown)')].join('\t'));
  }
}

/**
 * One line per bucket near or over budget, tab-separated, those refusing first; then the allow-list.
 * @param {CommandContext} context
 */
async function budgets({ mfa, io }) {
  const list = await mfa.listSendBudgets();
  if (list.length === 0) io.out('No send budget is near its limit.');
  else {
    io.out(['bucket', 'sent', 'verified', 'limit', 'state', 'resets in'].join('\t'));
    for (const b of list)
      io.out([b.bucket, b.sent, b.verified, b.limit, b.over ? 'refusing' : 'near', `${b.resetsInSeconds} s`].join('\t'));
  }
  const allowed = await mfa.listSendBudgetAllowList();
  io.out(
    allowed.length === 0
      ? 'Allow-list: empty.'
      : `Allow-list: ${allowed.map((a) => (a.source === 'options' ? `${a.entry} (options)` : a.entry)).join(', ')}`,
  );
}

/** @param {EntryContext} context */
async function allow({ mfa, entry, actor, io }) {
  const canonical = await mfa.allowSendBudget(entry, { actor });
  io.out(
    `Allowed ${canonical}: sends to or from it bypass the send budgets (not the app-wide ceiling, not the cap per number) on every instance.`,
  );
}

/** @param {EntryContext} context */
async function disallow({ mfa, entry, io }) {
  const removed = await mfa.disallowSendBudget(entry);
  io.out(
    removed
      ? `Removed ${entry} from the allow-list.`
      : `${entry} was not on the allow-list (entries from the app's options change only with them).`,
  );
}

const iso = (/** @type {Date} */ date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
// A User-Agent is whatever the browser sent: no tabs or control characters in a line meant to be split on tabs.
const oneLine = (/** @type {string} */ text) =>
  Array.from(text, (char) => (char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f ? ' ' : char)).join('');

/**
 * @param {string[]} args  what followed `npm run admin --`
 * @param {Record<string, string | undefined>} env
 * @param {Io} io
 * @returns {Promise<0 | 1 | 2>} the exit status
 */
async function runAdmin(args, env, io) {
  const [command, argument, ...rest] = args;
  if (command === undefined) {
    io.err(USAGE);
    return 2;
  }
  if (args.length === 1 && ['help', '--help', '-h'].includes(command)) {
    io.out(USAGE);
    return 0;
  }
  if (!isCommand(command)) {
    io.err(`Unknown command ${JSON.stringify(command)}.\n\n${USAGE}`);
    return 1;
  }
  const { takes } = COMMANDS[command];
  if (takes === 'nothing' ? argument !== undefined : argument === undefined || argument === '' || rest.length > 0) {
    io.err(`${command} takes ${takes === 'nothing' ? 'no argument' : `exactly one ${takes}`}.\n\n${USAGE}`);
    return 2;
  }
  let config;
  try {
    config = readConfig(env);
  } catch (error) {
    // The app's own refusals of a setting: they say what to change and never quote a secret.
    io.err(`${command}: ${/** @type {Error} */ (error).message}`);
    return 1;
  }
  try {
    return await runCommand(COMMANDS[command], argument, config, env, io);
  } catch (error) {
    // The library's refusal of an allow-list entry says what an entry may be, and quotes nothing secret.
    if (error instanceof TypeError && /allow-list entry/.test(error.message)) {
      io.err(`${command}: ${error.message.replace(/^express-bandwidth-mfa: /, '')}`);
      return 1;
    }
    // The message of a database or Redis error may quote arguments or settings; its kind is enough to act on.
    io.err(`${command} failed (${describe(error)}). Check that the database (DATABASE_URL) and Redis (REDIS_URL) are reachable.`);
    return 1;
  }
}

/**
 * @param {Command} command
 * @param {string | undefined} argument  the username or the entry; undefined for a command that takes nothing
 * @param {import('./config').Config} config
 * @param {Record<string, string | undefined>} env
 * @param {Io} io
 * @returns {Promise<0 | 1>}
 */
async function runCommand(command, argument, config, env, io) {
  if (command.needsSharedStore && !config.redisUrl) {
    io.err(`${MEMORY_ONLY} Restarting the app clears them; run the app with REDIS_URL for this command to work.`);
    return 1;
  }
  // Migrations and warnings are for the operator's eyes, not for a script reading stdout.
  const logger = { log: io.err, warn: io.err, error: io.err };
  /** @type {{ close(): Promise<void> }[]} */
  const opened = [];
  try {
    const accounts = await openAccounts(config.databaseUrl, { logger });
    opened.push(accounts);
    const user = command.takes === 'username' ? await accounts.findByUsername(argument) : undefined;
    if (command.takes === 'username' && !user) {
      io.err(`No user named ${JSON.stringify(argument)} in ${accounts.where}. Usernames are case-sensitive.`);
      return 1;
    }
    let store;
    if (config.redisUrl) {
      const storage = await createStorage(config, logger);
      opened.push(storage);
      store = storage.mfaStore;
    } else {
      store = memoryStore({ logger });
    }
    // A reset is told to the user (history, and e-mail with SMTP_URL) before this process exits.
    const notices = createNotifications({ accounts, mail: config.mail, sandbox: false, logger, warnWithoutMail: false });
    opened.push({ close: async () => notices.close() });
    const mfa = createMfa(
      mfaOptions({
        config,
        accounts,
        bandwidth: NO_CODES,
        store,
        recoveryCodeSecret: recoveryCodeSecret(config, logger),
        logger,
        notify: notices.notify,
      }),
    );
    await command.run({
      mfa,
      user,
      entry: command.takes === 'entry' ? argument : undefined,
      actor: actorOf(env),
      io,
      sharedStore: Boolean(config.redisUrl),
    });
    await notices.settled();
    return 0;
  } finally {
    for (const resource of opened.reverse()) await resource.close().catch(() => undefined);
  }
}

/**
 * Who ran it, for the audit event: the operating-system user when known.
 * @param {Record<string, string | undefined>} env
 */
function actorOf(env) {
  const who = env.SUDO_USER || env.USER || env.LOGNAME;
  return typeof who === 'string' && /^[\w.@-]{1,64}$/.test(who) ? `admin-cli:${who}` : 'admin-cli';
}

/** @param {unknown} thrown */
function describe(thrown) {
  const error = /** @type {{ name?: unknown, code?: unknown } | null | undefined} */ (thrown);
  const name = typeof error?.name === 'string' && /^\w{1,40}$/.test(error.name) ? error.name : 'Error';
  const code = typeof error?.code === 'string' && /^[\w.-]{1,40}$/.test(error.code) ? ` ${error.code}` : '';
  return `${name}${code}`;
}

module.exports = { runAdmin };
