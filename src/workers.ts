import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * A worker thread running a TypeScript module. Under tsx the main thread's TypeScript loader does
 * not reach workers (`npm start`, the CLI and the test runner load it three different ways), so the
 * worker first registers it, then imports the module.
 */
export function startTypeScriptWorker(module: URL, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); })`;
  return new Worker(boot, { eval: true, workerData, ...(resourceLimits ? { resourceLimits } : {}) });
}
