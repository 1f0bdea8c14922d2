/**
 * The first code each of tfjs-backend-wasm's pthread workers runs in Node.
 *
 * tfjs gives its Emscripten runtime the worker script as a `blob:` URL and the
 * main script as a Blob (tfjs#3830: it only works in browsers). Node's Worker
 * cannot start from a blob URL and the worker's `importScripts` reads files,
 * so the parent hands over the worker Blob itself (`workerData.script`); this
 * bootstrap evaluates it, reads the main-script Blob of the "load" message
 * before delivering it (messages stay in order: reading a Blob is async) and
 * lets `importScripts` evaluate that text.
 * The factory's source also names the bundle's own module aliases
 * (`require$$0` …), which are defined here.
 *
 * Kept as plain JavaScript in a string: it runs with `eval: true`, outside any bundle.
 */
export const PTHREAD_BOOTSTRAP = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const MAIN_SCRIPT = 'gan-studio:wasm-main-script';
let mainScript = '';
let listener = null;
const early = [];
let inOrder = Promise.resolve();
const addListener = parentPort.on.bind(parentPort);
addListener('message', (data) => {
  inOrder = inOrder.then(async () => {
    if (data && data.cmd === 'load' && data.urlOrBlob && typeof data.urlOrBlob !== 'string') {
      mainScript = await data.urlOrBlob.text();
      data.urlOrBlob = MAIN_SCRIPT;
    }
    if (listener) listener(data);
    else early.push(data);
  });
});
parentPort.on = (event, fn) => {
  if (event !== 'message') return addListener(event, fn);
  listener = fn;
  early.splice(0).forEach(fn);
  return parentPort;
};
workerData.script.text().then((code) => {
  Object.assign(globalThis, {
    require, __filename, __dirname, commonjsGlobal: globalThis, _scriptDir: undefined,
    require$$0: require('node:fs'), require$$1: require('node:path'),
    require$$3: require('node:perf_hooks'), require$$4: require('node:os'),
  });
  (0, eval)(code);
  const importFile = globalThis.importScripts;
  globalThis.importScripts = (file) => (file === MAIN_SCRIPT ? (0, eval)(mainScript) : importFile(file));
});
`;
