import { type ChildProcess, spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { type Logs, readMetrics } from '@nntk/trainer';

/**
 * Preloaded into every Node trial process: the parent holds the write end of the child's stdin, so
 * when the parent dies by any means (SIGKILL included) the pipe closes and the trial ends at once
 * instead of training on as an orphan. `unref` lets the trial exit normally when it is done.
 */
const WATCH_PARENT =
  "process.stdin.on('end',()=>process.kill(process.pid,'SIGKILL'));process.stdin.on('error',()=>process.kill(process.pid,'SIGKILL'));process.stdin.resume();process.stdin.unref();";
const WATCH_PARENT_FLAG = `--import=data:text/javascript,${encodeURIComponent(WATCH_PARENT)}`;

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills the trial processes still running when this process exits (a second line of defence). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** The epoch logs a trial wrote to `<runDir>/metrics.jsonl` so far (empty when none yet). */
export async function readEpochLogs(runDir: string): Promise<Logs[]> {
  return readMetrics(runDir, { torn: 'stop' }).catch(() => []);
}

export interface TrialProcessOptions {
  /** The run directory, watched for `metrics.jsonl`. */
  dir: string;
  signal?: AbortSignal;
  /** Called once per new epoch line, in order; resolve true to stop (prune) the trial. */
  onEpoch?: (logs: Logs[]) => Promise<boolean> | boolean;
}

export interface TrialProcessResult {
  code: number;
  /** Set when `onEpoch` asked to stop: the number of epochs at that moment. */
  prunedAt?: number;
  stderr: string;
}

/** argv with the parent watch preloaded when the command is this Node binary. */
function withParentWatch(args: string[]): string[] {
  return args[0] === process.execPath ? [args[0], WATCH_PARENT_FLAG, ...args.slice(1)] : args;
}

/**
 * Runs one trial in its own process (never in this one: a CPU-bound trial would block the event loop
 * and, in a queue worker, lose the job's lock). The child ends when this process dies; SIGINT on abort
 * (the trial saves a checkpoint); epoch lines are followed as the trial writes them.
 */
export function runTrialProcess(args: string[], options: TrialProcessOptions): Promise<TrialProcessResult> {
  installExitHook();
  return new Promise((done) => {
    const argv = withParentWatch(args);
    const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'ignore', 'pipe'], cwd: process.cwd() });
    live.add(child);
    let stderr = '';
    let seen = 0;
    let prunedAt: number | undefined;
    let busy = Promise.resolve();
    const check = () => {
      busy = busy.then(async () => {
        if (prunedAt !== undefined || !options.onEpoch) return;
        const logs = await readEpochLogs(options.dir);
        while (seen < logs.length && prunedAt === undefined) {
          seen += 1;
          if (await options.onEpoch(logs.slice(0, seen))) {
            prunedAt = seen;
            child.kill('SIGINT');
          }
        }
      });
      return busy;
    };
    const watcher = options.onEpoch ? safeWatch(options.dir, check) : undefined;
    // fs events can be missed on network file systems: look again every second as well.
    const poll = options.onEpoch ? setInterval(check, 1000) : undefined;
    const interrupt = () => child.kill('SIGINT');
    options.signal?.addEventListener('abort', interrupt, { once: true });
    child.stdin?.on('error', () => {});
    child.stderr?.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    let finished = false;
    const finish = async (code: number) => {
      if (finished) return;
      finished = true;
      live.delete(child);
      watcher?.close();
      if (poll) clearInterval(poll);
      options.signal?.removeEventListener('abort', interrupt);
      await check();
      done({ code, prunedAt, stderr });
    };
    child.on('error', (error) => {
      stderr += String(error);
      void finish(127);
    });
    child.on('exit', (code, sig) => {
      void finish(code ?? (sig === 'SIGINT' ? 130 : 1));
    });
  });
}

function safeWatch(dir: string, onChange: () => void): { close(): void } | undefined {
  try {
    return watch(dir, (_event, name) => {
      if (!name || name.startsWith('metrics.jsonl')) onChange();
    });
  } catch {
    return undefined;
  }
}
