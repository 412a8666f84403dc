/** Where progress lines go: `isTTY` for a live redraw, `write` for text. */
export interface TextStream {
  isTTY?: boolean;
  write(text: string): boolean;
}

/**
 * `process.stderr` in Node; in a browser (no `process`) a stream that sends each complete line to
 * `console.log` (never a TTY, so progress bars print plain lines).
 */
export function defaultStream(): TextStream {
  const stderr = (globalThis as { process?: { stderr?: TextStream } }).process?.stderr;
  if (stderr) return stderr;
  let pending = '';
  return {
    isTTY: false,
    write(text: string): boolean {
      const lines = (pending + text).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) console.log(line);
      return true;
    },
  };
}
