// The child side of the bench's IPC (bench/lib/processes.js forks the children): messages to the bench, its requests answered.

/**
 * Sends `message` to the bench process that forked this one.
 * @param {import('./types').IpcAnswer | import('./types').ReadyMessage} message
 */
function toBench(message) {
  if (!process.send) throw new Error('no IPC channel: this process is one the bench forks (bench/lib/processes.js)');
  process.send(message);
}

/**
 * Answers each request of the bench with the operation it names, run on its argument: the result, or the
 * message of what the operation threw.
 * @param {{ [name: string]: import('./types').Operation }} operations
 */
function answerRequests(operations) {
  process.on('message', async (message) => {
    const request = /** @type {import('./types').IpcRequest} */ (message);
    try {
      const result = await /** @type {(arg: unknown) => unknown} */ (operations[request.op])(request.arg);
      toBench({ id: request.id, result });
    } catch (error) {
      toBench({ id: request.id, error: String(error && /** @type {Error} */ (error).message) });
    }
  });
}

module.exports = { toBench, answerRequests };
