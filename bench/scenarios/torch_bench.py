"""PyTorch CPU on the MLP, CNN and DeepFCNet scenarios with the same sizes: 2 torch threads, OpenBLAS 1 thread.

The system label names the BLAS the process loaded (OpenBLAS, or a warning when it is the reference one)."""
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(int(os.environ.get("BENCH_TORCH_THREADS", "2")))
torch.manual_seed(0)
scenario, samples, data_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
images = np.frombuffer(gzip.open(os.path.join(data_dir, "fashion-mnist/train-images-idx3-ubyte.gz")).read()[16:], dtype=np.uint8)
labels = np.frombuffer(gzip.open(os.path.join(data_dir, "fashion-mnist/train-labels-idx1-ubyte.gz")).read()[8:], dtype=np.uint8)
x = torch.tensor(images[: samples * 784].reshape(samples, 1, 28, 28), dtype=torch.float32) / 255
y = torch.tensor(labels[:samples], dtype=torch.int64)


class ReZeroBlock(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.branch = nn.Sequential(nn.Linear(width, width), nn.ReLU(), nn.Linear(width, width))
        self.alpha = nn.Parameter(torch.zeros(()))

    def forward(self, h):
        return h + self.alpha * self.branch(h)


if scenario == "deepfcnet":
    x, y = torch.randn(samples, 48), torch.randn(samples, 48)
    model = nn.Sequential(nn.Linear(48, 96), *[ReZeroBlock(96) for _ in range(16)], nn.Linear(96, 48))
    batch = 64
elif scenario == "mlp":
    model, batch = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)), 128
else:
    model = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))
    batch = 64
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss() if scenario == "deepfcnet" else nn.CrossEntropyLoss()


def epoch():
    order = torch.randperm(samples)
    for start in range(0, samples, batch):
        idx = order[start:start + batch]
        optimizer.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        optimizer.step()


epoch()
rates = []
cpu_rates = []
for _ in range(3):
    started, cpu = time.perf_counter(), time.process_time()
    epoch()
    rates.append(samples / (time.perf_counter() - started))
    cpu_rates.append(samples / (time.process_time() - cpu))


def blas_library():
    """The BLAS this process loaded: Debian's torch links libblas.so.3, which the alternatives system points
    at OpenBLAS only when libopenblas0-pthread is installed; the reference BLAS is several times slower."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower()}
    if any("openblas" in path for path in paths):
        return "OpenBLAS"
    return "reference BLAS, not OpenBLAS: apt-get install libopenblas0-pthread"


threads = torch.get_num_threads()
print("RESULT " + json.dumps({"scenario": scenario, "system": f"PyTorch {torch.__version__} CPU ({blas_library()})", "backend": f"cpu ({threads} thread{'s' if threads > 1 else ''})",
                              "samplesPerSecond": sorted(rates)[1], "samplesPerCpuSecond": sorted(cpu_rates)[1]}))
