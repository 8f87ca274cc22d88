// The operator command: `npm run admin -- <unlock|reset-2fa|devices> <username>`, with the app's settings.
'use strict';

const { runAdmin } = require('./lib/admin-commands');

runAdmin(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then(
  (status) => {
    process.exitCode = status;
  },
  (error) => {
    process.stderr.write(`admin: ${error instanceof Error ? error.name : 'error'}\n`);
    process.exitCode = 1;
  },
);
