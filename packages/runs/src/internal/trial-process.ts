import { type ChildProcess, spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { type Logs, readMetrics } from '@nntk/trainer';
import { type DecisionMessage, type EpochMessage, TRIAL_GATE_ENV } from './trial-gate-protocol';

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
  /** The run directory, watched for `metrics.jsonl` (commands that do not report over IPC). */
  dir: string;
  signal?: AbortSignal;
  /**
   * Called once per new epoch, in order, with the logs so far; resolve true to stop (prune) the trial.
   * A Node trial reports each epoch over IPC and waits for this answer before it trains the next one;
   * another command's epochs are followed in `metrics.jsonl` and a stop reaches it as SIGINT. A
   * rejection kills the trial at once and comes back as `error`.
   */
  onEpoch?: (logs: Logs[]) => Promise<boolean> | boolean;
}

export interface TrialProcessResult {
  code: number;
  /** Set when `onEpoch` asked to stop: the number of epochs at that moment. */
  prunedAt?: number;
  stderr: string;
  /** What `onEpoch` threw (the trial was killed). */
  error?: unknown;
}

function isEpochMessage(m: unknown): m is EpochMessage {
  const v = m as EpochMessage;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.nntk === 'epoch' &&
    Number.isInteger(v.epochs) &&
    v.epochs >= 1 &&
    typeof v.logs === 'object' &&
    v.logs !== null
  );
}

/** argv with the parent watch preloaded when the command is this Node binary. */
function withParentWatch(args: string[]): string[] {
  return args[0] === process.execPath ? [args[0], WATCH_PARENT_FLAG, ...args.slice(1)] : args;
}

/**
 * Runs one trial in its own process (never in this one: a CPU-bound trial would block the event loop
 * and, in a queue worker, lose the job's lock). The child ends when this process dies; SIGINT on abort
 * (the trial saves a checkpoint). A Node child gets an IPC channel: it reports each epoch and waits for
 * the pruning decision (deterministic stops); other commands' epoch lines are followed as they write them.
 */
export async function runTrialProcess(
  args: string[],
  options: TrialProcessOptions,
): Promise<TrialProcessResult> {
  installExitHook();
  const gated = args[0] === process.execPath && options.onEpoch !== undefined;
  let reported = gated ? await readEpochLogs(options.dir) : [];
  return new Promise((done) => {
    const argv = withParentWatch(args);
    const child = spawn(argv[0], argv.slice(1), {
      stdio: gated ? ['pipe', 'ignore', 'pipe', 'ipc'] : ['pipe', 'ignore', 'pipe'],
      cwd: process.cwd(),
      env: gated ? { ...process.env, [TRIAL_GATE_ENV]: '1' } : process.env,
    });
    live.add(child);
    let stderr = '';
    let seen = 0;
    let prunedAt: number | undefined;
    let error: unknown;
    let busy = Promise.resolve();
    const fail = (e: unknown) => {
      error ??= e;
      child.kill('SIGKILL');
    };
    const follow = () => {
      busy = busy
        .then(async () => {
          if (prunedAt !== undefined || error !== undefined || !options.onEpoch) return;
          const logs = await readEpochLogs(options.dir);
          while (seen < logs.length && prunedAt === undefined) {
            seen += 1;
            if (await options.onEpoch(logs.slice(0, seen))) {
              prunedAt = seen;
              child.kill('SIGINT');
            }
          }
        })
        .catch(fail);
      return busy;
    };
    const onMessage = (m: unknown) => {
      if (!isEpochMessage(m)) return;
      busy = busy
        .then(async () => {
          if (error !== undefined || !options.onEpoch) return;
          if (prunedAt !== undefined) {
            // It was told to stop and went on: stop it the hard way.
            child.kill('SIGINT');
            return;
          }
          if (reported.length < m.epochs - 1) reported = await readEpochLogs(options.dir);
          reported = [...reported.slice(0, m.epochs - 1), m.logs];
          const prune = await options.onEpoch(reported);
          if (prune) prunedAt = m.epochs;
          const answer: DecisionMessage = { nntk: 'decision', epochs: m.epochs, prune };
          if (child.connected) child.send(answer, () => {});
        })
        .catch(fail);
    };
    if (gated) child.on('message', onMessage);
    const watcher = options.onEpoch && !gated ? safeWatch(options.dir, follow) : undefined;
    // fs events can be missed on network file systems: look again every second as well.
    const poll = options.onEpoch && !gated ? setInterval(follow, 1000) : undefined;
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
      if (gated) await busy;
      else await follow();
      done({ code, prunedAt, stderr, ...(error === undefined ? {} : { error }) });
    };
    child.on('error', (e) => {
      stderr += String(e);
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
