/**
 * Resolves on the next turn of the event loop (a macrotask), so signal handlers, timers and I/O
 * callbacks run; `await` on a resolved promise alone never lets them in.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}
