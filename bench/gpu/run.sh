#!/usr/bin/env bash
# The GPU check, for a machine with an NVIDIA GPU (never run in CI): installs what it needs, prints the
# adapter, runs nntk's webgpu suites on the hardware adapter (Vulkan through Dawn), then the bench's MLP
# and CNN on webgpu against wasm at batch 128 and 512, and writes bench/results/gpu-<date>.json.
# Data: Fashion-MNIST under NNTK_DATA_DIR (fashion-mnist/*.gz) or ../shared/data beside the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
# Dawn needs the Vulkan loader; NVIDIA's driver brings its Vulkan ICD.
if ! ldconfig -p | grep -q libvulkan.so.1; then
  sudo=''; [ "$(id -u)" -eq 0 ] || sudo='sudo'
  $sudo apt-get update -qq && $sudo apt-get install -y -qq libvulkan1 >/dev/null
fi
corepack enable pnpm
pnpm install --frozen-lockfile
pnpm exec turbo run build --filter=@nntk/bench... --output-logs=errors-only
export NNTK_WEBGPU_BACKEND=vulkan CI=true
node bench/gpu/adapter.mjs
(cd packages/core && pnpm exec vitest run src/backends/webgpu)
(cd packages/layers && pnpm exec vitest run src/parity-webgpu.test.ts)
(cd packages/optim && pnpm exec vitest run src/parity.test.ts -t webgpu)
(cd packages/trainer && pnpm exec vitest run src/webgpu-training.test.ts)
node bench/gpu/throughput.mjs
