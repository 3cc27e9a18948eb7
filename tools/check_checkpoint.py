#!/usr/bin/env python3
"""Opens a kafka-train checkpoint with PyTorch's own torch.load and loads it into torchvision's resnet50 and
torch.optim.Adam / StepLR, the way the tutorial resumes. Optional: the project's build never needs Python.

usage: python3 tools/check_checkpoint.py CHECKPOINT.tar [NUM_CLASSES]
"""
import sys
import types

import torch

# torchvision wheels built for CUDA import CUDA-only registrations; a CPU torch does not need them.
sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))
import torchvision  # noqa: E402

path = sys.argv[1]
ckpt = torch.load(path, weights_only=True)
print("entries:", sorted(ckpt.keys()))
num_classes = int(sys.argv[2]) if len(sys.argv) > 2 else ckpt["model"]["fc.bias"].shape[0]
model = torchvision.models.resnet50(num_classes=num_classes)
model.load_state_dict(ckpt["model"], strict=True)
print("model: load_state_dict(strict=True) ok,", sum(p.numel() for p in model.parameters()), "parameters")
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
optimizer.load_state_dict(ckpt["optimizer"])
state = optimizer.state_dict()["state"]
print("optimizer: Adam.load_state_dict ok, state for", len(state), "parameters, step", float(next(iter(state.values()))["step"]) if state else 0)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=20, gamma=0.1)
scheduler.load_state_dict(ckpt["lr_scheduler"])
print("lr_scheduler: StepLR.load_state_dict ok, last_epoch", scheduler.last_epoch, "lr", scheduler.get_last_lr())
for key in sorted(set(ckpt) - {"model", "optimizer", "lr_scheduler"}):
    print(f"{key}: {ckpt[key]}")
model.eval()
with torch.no_grad():
    out = model(torch.zeros(1, 3, 32, 32))
print("forward ok, logits shape", tuple(out.shape))
