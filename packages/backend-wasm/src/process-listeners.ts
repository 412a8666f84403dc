/**
 * Runs `start` (a backend's initialisation) and removes the `uncaughtException` and
 * `unhandledRejection` listeners it added to `process`.
 *
 * tfjs-backend-wasm's Emscripten glue installs listeners that rethrow every uncaught error and
 * unhandled rejection from inside its own minified script, so Node reports the error at that throw
 * site: it prints the 54 KB minified source line of `tfjs-backend-wasm-threaded-simd.js` before the
 * message (an NntkError raised later, say for a missing data file, ends up below it). tfjs means to
 * remove them again but its filter is inverted. Without them Node's default report stands: the error's
 * own message and stack, exit code 1.
 */
export async function withoutAddedProcessListeners<T>(start: () => Promise<T>): Promise<T> {
  const isNode = typeof process !== 'undefined' && typeof process.listeners === 'function';
  if (!isNode) return start();
  const uncaught = new Set(process.listeners('uncaughtException'));
  const unhandled = new Set(process.listeners('unhandledRejection'));
  try {
    return await start();
  } finally {
    for (const listener of process.listeners('uncaughtException')) {
      if (!uncaught.has(listener)) process.removeListener('uncaughtException', listener);
    }
    for (const listener of process.listeners('unhandledRejection')) {
      if (!unhandled.has(listener)) process.removeListener('unhandledRejection', listener);
    }
  }
}
