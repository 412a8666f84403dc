// A fast sweep runner for the queue and pruning tests: no tensors, a deterministic curve per config
// (`loss = (x - 0.3)^2 + 1/epoch` plus seed jitter), one metrics.jsonl line per epoch. It writes its pid
// to <runDir>/pid, reports each epoch to the sweep (and returns when pruned), and waits for <config.goDir>/go (when `config.waitForGo`) before each epoch after the first, so a test can act mid-trial.
import { existsSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function waitForFile(path) {
  return new Promise((done) => {
    if (existsSync(path)) return done();
    const w = watch(join(path, '..'), () => {
      if (existsSync(path)) {
        w.close();
        done();
      }
    });
    if (existsSync(path)) {
      w.close();
      done();
    }
  });
}

export default async function run(config, { runDir, reportEpoch }) {
  writeFileSync(join(runDir, 'pid'), String(process.pid));
  if (config.fail) throw new Error('this configuration fails on purpose');
  const lines = [];
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    if (config.waitForGo && epoch > 1) await waitForFile(join(config.goDir, 'go'));
    const x = config.x ?? 0;
    const val_loss = (x - 0.3) ** 2 + 1 / epoch + 0.001 * (config.seed ?? 0);
    lines.push(JSON.stringify({ epoch: epoch - 1, val_loss }));
    writeFileSync(join(runDir, 'metrics.jsonl'), `${lines.join('\n')}\n`);
    if (await reportEpoch({ epoch: epoch - 1, val_loss })) return;
    if (config.spinMs) {
      const end = Date.now() + config.spinMs;
      while (Date.now() < end) readFileSync(join(runDir, 'pid'));
    }
  }
}
