// What an unexpected error may say in a log: its kind and where, never its message (which can hold store arguments).
'use strict';

const CODE = /^[A-Za-z0-9_.-]{1,40}$/;

/**
 * "TypeError on POST /signup", "ReplyError (ERR) on GET /admin". A Redis error's message repeats the command's
 * arguments (session ids, session contents, CSRF tokens), and other errors may quote user input: both stay out.
 * @param {unknown} error
 * @param {import('express').Request} req
 */
function describeError(error, req) {
  const { name: kind, code: errorCode } = /** @type {{ name?: unknown, code?: unknown }} */ (Object(error));
  const name = typeof kind === 'string' && CODE.test(kind) ? kind : 'Error';
  const code = typeof errorCode === 'string' && CODE.test(errorCode) ? ` (${errorCode})` : '';
  return `${name}${code} on ${req.method} ${routeOf(req)}`;
}

/**
 * The route pattern when one matched, else the path cut to its safe characters: paths are typed by anyone.
 * @param {import('express').Request} req
 */
function routeOf(req) {
  if (req.route?.path && typeof req.route.path === 'string') return `${req.baseUrl ?? ''}${req.route.path}`;
  return String(req.path ?? '')
    .replace(/[^\w/.-]/g, '?')
    .slice(0, 100);
}

/**
 * Source locations only (file:line), so a bug can still be found without the message.
 * @param {unknown} error
 */
function stackFrames(error, count = 3) {
  const stack = /** @type {{ stack?: unknown }} */ (Object(error)).stack;
  if (typeof stack !== 'string') return '';
  const frames = stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, count)
    .map((line) => line.trim());
  return frames.length > 0 ? ` ${frames.join(' | ')}` : '';
}

module.exports = { describeError, stackFrames };
