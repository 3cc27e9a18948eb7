#!/usr/bin/env python3
"""PyTorch eager's side of `./kafka-train bench compute`: the same work, variants and rounds, for a ratio.

ResNet-50 (torchvision, 10 classes), cross-entropy, Adam lr 1e-3; each step takes a uint8 NHWC gray batch,
converts and normalizes it like the trainer's InputTransform, then zero_grad / forward / backward / step and
keeps loss and top-1/top-5 hits on the device; a round reads them all at its end, as the Java bench and the
trainer do, so a GPU never waits for the host mid-round. BENCH_DEVICE=cuda runs it on the GPU: batches copied
from pinned host memory with non_blocking=True, autocast on "cuda", cudnn.benchmark on, as the trainer does there.
Variants are written as in the Java bench: precision[+cl][+loop] (loop: Adam(foreach=False), PyTorch's
single-tensor default on the CPU; otherwise Adam(fused=True)).

Outside the project's build (it never needs Python). Usage, with torch and torchvision installed
(env: BENCH_DEVICE=cpu|cuda, default cpu):
  python3 tools/pytorch_compute_bench.py [steps=20] [batch=32] [rounds=6] [size=28] [variants=fp32+loop,fp32,bf16,fp32+cl,bf16+cl]
  python3 tools/pytorch_compute_bench.py --phases [steps=20] [batch=32] [size=28] [variant=fp32]
The second times each phase of a step (input, forward, loss, backward, adam), as StepPhasesBench does in Java.
With BENCH_RESULTS set, the first also appends its medians there as the Java benchmarks do (bench "pytorch", the
Java bench's figure names), so that `./kafka-train report` can set the two side by side.
"""
import json
import os
import statistics
import sys
import time

import types

import torch

try:
    import torchvision
except RuntimeError:
    # a torchvision wheel built for another torch lacks its C++ ops (nms, ...); the models need none of them
    sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")
    for name in [m for m in sys.modules if m.startswith("torchvision")]:
        if name != "torchvision._meta_registrations":
            del sys.modules[name]
    import torchvision


def options(variant):
    parts = variant.lower().split("+")
    return parts[0], "cl" in parts, "loop" in parts


class Variant:
    def __init__(self, name, batches, device, classes=10):
        self.name = name
        self.device = device
        precision, self.channels_last, loop = options(name)
        self.bf16 = precision == "bf16"
        torch.manual_seed(42)
        self.model = torchvision.models.resnet50(num_classes=classes).to(device)
        if self.channels_last:
            self.model = self.model.to(memory_format=torch.channels_last)
        self.model.train()
        kwargs = {"foreach": False} if loop else {"fused": True}
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3, **kwargs)
        self.batches = batches
        self.mean = torch.tensor([0.485, 0.456, 0.406], device=device).view(1, 3, 1, 1)
        self.std = torch.tensor([0.229, 0.224, 0.225], device=device).view(1, 3, 1, 1)

    def step(self, pixels, labels):
        pixels = pixels.to(self.device, non_blocking=True)
        labels = labels.to(self.device, non_blocking=True)
        x = pixels.float().permute(0, 3, 1, 2).div(255.0).expand(-1, 3, -1, -1)
        x = x.sub(self.mean).div(self.std).contiguous()
        if self.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.bf16):
            logits = self.model(x)
        logits = logits.float()
        loss = torch.nn.functional.cross_entropy(logits, labels)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        pred = logits.detach().topk(5, 1, True, True)[1].t()
        correct = pred.eq(labels.view(1, -1).expand_as(pred))
        return torch.stack([loss.detach().double(), correct[:1].sum().double(), correct[:5].sum().double()])

    def rate(self, steps):
        t0 = time.perf_counter()
        stats = [self.step(*self.batches[i % len(self.batches)]) for i in range(steps)]
        torch.stack(stats).cpu()  # the one read, which waits for the device's last step
        return steps * self.batches[0][0].shape[0] / (time.perf_counter() - t0)


def phases(argv):
    steps = int(argv[0]) if len(argv) > 0 else 20
    batch = int(argv[1]) if len(argv) > 1 else 32
    size = int(argv[2]) if len(argv) > 2 else 28
    name = argv[3] if len(argv) > 3 else "fp32"
    g = torch.Generator().manual_seed(1)
    pixels = torch.randint(0, 256, (batch, size, size, 1), dtype=torch.uint8, generator=g)
    labels = torch.randint(0, 10, (batch,), generator=g)
    v = Variant(name, [(pixels, labels)], torch.device("cpu"))
    names = ["input", "forward", "loss", "backward", "adam"]
    times = {n: [] for n in names}
    for s in range(-3, steps):
        t0 = time.perf_counter()
        x = pixels.float().permute(0, 3, 1, 2).div(255.0).expand(-1, 3, -1, -1).sub(v.mean).div(v.std).contiguous()
        if v.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        t1 = time.perf_counter()
        logits = v.model(x)
        t2 = time.perf_counter()
        loss = torch.nn.functional.cross_entropy(logits, labels)
        t3 = time.perf_counter()
        v.optimizer.zero_grad()
        loss.backward()
        t4 = time.perf_counter()
        v.optimizer.step()
        t5 = time.perf_counter()
        if s >= 0:
            for n, a, b in zip(names, (t0, t1, t2, t3, t4), (t1, t2, t3, t4, t5)):
                times[n].append((b - a) * 1e3)
    print(f"PyTorch {torch.__version__} eager, ResNet-50, batch {batch}, {size}x{size}, {name}, "
          f"{torch.get_num_threads()} threads: median ms per phase over {steps} steps")
    total = 0
    for n in names:
        m = statistics.median(times[n])
        total += m
        print(f"{n:<9} {m:8.1f} ms")
    print(f"{'step':<9} {total:8.1f} ms ({batch / (total / 1e3):.1f} img/s)")


def main(argv):
    if argv and argv[0] == "--phases":
        phases(argv[1:])
        return
    steps = int(argv[0]) if len(argv) > 0 else 20
    batch = int(argv[1]) if len(argv) > 1 else 32
    rounds = int(argv[2]) if len(argv) > 2 else 6
    size = int(argv[3]) if len(argv) > 3 else 28
    names = (argv[4] if len(argv) > 4 else "fp32+loop,fp32,bf16,fp32+cl,bf16+cl").split(",")
    device = torch.device(os.environ.get("BENCH_DEVICE", "cpu"))
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
    g = torch.Generator().manual_seed(1)
    batches = [(torch.randint(0, 256, (batch, size, size, 1), dtype=torch.uint8, generator=g),
                torch.randint(0, 10, (batch,), generator=g)) for _ in range(8)]
    if device.type == "cuda":
        batches = [(p.pin_memory(), y.pin_memory()) for p, y in batches]
    variants = [Variant(n, batches, device) for n in names]
    for v in variants:  # warm-up, as the Java bench
        for i in range(3):
            v.step(*batches[i])
    print(f"PyTorch {torch.__version__} eager, ResNet-50, 10 classes, batch {batch}, {size}x{size}, "
          f"{torch.get_num_threads()} threads, {device}; {rounds} rounds of {steps} steps per variant")
    rates = {n: [] for n in names}
    ratios = {n: [] for n in names}
    for r in range(rounds):
        line = f"round {r + 1}/{rounds} "
        for v in variants:
            rates[v.name].append(v.rate(steps))
            ratios[v.name].append(rates[v.name][-1] / rates[names[0]][-1])
            line += f" {v.name} {rates[v.name][-1]:.1f}"
        print(line + " img/s", flush=True)
    print(f"\n{'variant':<12} {'img/s':>10} {'x ' + names[0]:>12}")
    for n in names:
        print(f"{n:<12} {statistics.median(rates[n]):10.1f} {statistics.median(ratios[n]):12.3f}")
    if os.environ.get("BENCH_RESULTS"):
        with open(os.environ["BENCH_RESULTS"], "a", encoding="utf-8") as out:
            for n in names:
                figure = {"bench": "pytorch", "name": f"{size} px, batch {batch}, {n}",
                          "value": statistics.median(rates[n]), "unit": "img/s", "runs": rates[n],
                          "target": None, "points": []}
                out.write(json.dumps(figure) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
