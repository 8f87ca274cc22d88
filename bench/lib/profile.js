// A V8 CPU profile, summed by self time: which functions and which packages a piece of work spends its CPU in.
const inspector = require('node:inspector');
const path = require('node:path');

/**
 * A V8 CPU profile of `work` (what `prepare` returns), summed by self time: the costliest functions and what share
 * each package takes, so the report says where a send and a verify spend their CPU.
 * @param {() => Promise<() => Promise<void>>} prepare
 */
async function profiled(prepare) {
  const work = await prepare();
  const inspect = new inspector.Session();
  inspect.connect();
  /** @type {(method: string, params?: object) => Promise<any>} */
  const post = (method, params) =>
    new Promise((resolve, reject) => inspect.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  await work();
  const { profile } = await post('Profiler.stop');
  inspect.disconnect();
  return summarizeProfile(profile);
}

/**
 * Self time by function and by owner (a package under node_modules, the library's dist/, Node itself, the garbage collector).
 * @param {{ nodes: { id: number, callFrame: { functionName: string, url: string, lineNumber: number } }[], samples: number[], timeDeltas: number[] }} profile
 * @returns {import('./types').ProfileSummary}
 */
function summarizeProfile(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  /** @type {Map<string, number>} */
  const functions = new Map();
  /** @type {Map<string, number>} */
  const owners = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const micros = profile.timeDeltas[i] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)') return;
    total += micros;
    const owner = ownerOf(node.callFrame.url, node.callFrame.functionName);
    const name = `${node.callFrame.functionName || '(anonymous)'} ${owner}${where(node.callFrame)}`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
    owners.set(owner, (owners.get(owner) ?? 0) + micros);
  });
  /** @param {Map<string, number>} map @param {number} count */
  const top = (map, count) =>
    [...map.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, count)
      .map(([name, micros]) => ({ name, share: micros / total }));
  return { totalMicros: total, functions: top(functions, 15), owners: top(owners, 10) };
}

/**
 * @param {string} url
 * @param {string} functionName
 */
function ownerOf(url, functionName) {
  if (!url) return functionName === '(garbage collector)' ? 'V8 (GC)' : 'V8 / native';
  if (url.startsWith('node:')) return 'Node';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    const [scope = '', name = ''] = rest;
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  if (url.includes('/dist/')) return 'express-bandwidth-mfa';
  if (url.includes('/bench/')) return 'bench harness';
  return path.basename(url);
}

/** @param {{ url: string, lineNumber: number }} frame */
function where(frame) {
  if (!frame.url) return '';
  const file = frame.url.includes('/dist/') ? frame.url.slice(frame.url.indexOf('/dist/') + 1) : path.basename(frame.url);
  return ` (${file}:${frame.lineNumber + 1})`;
}

module.exports = { profiled };
