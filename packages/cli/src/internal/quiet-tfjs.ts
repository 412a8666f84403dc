let installed = false;

/**
 * Drops tfjs-backend-cpu's one-time "Hi, looks like you are running TensorFlow.js in Node.js … install
 * our node backend" banner from `console.warn`: `nntk doctor` reports which backends work and which is
 * fastest, and the banner's advice does not apply to nntk's wasm backend. Every other warning passes.
 */
export function quietTfjsBanner(): void {
  if (installed) return;
  installed = true;
  const warn = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('install our node backend')) return;
    warn(...args);
  };
}
