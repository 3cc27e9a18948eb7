#!/usr/bin/env python3
"""Writes the PyTorch reference numbers that trainer-engine's ResNet50ReferenceTest checks the Java engine against.

Every tensor of torchvision's resnet50(num_classes=10) is filled by a formula (no random numbers), so the Java test
can build the same model without shipping 100 MB of weights. The checks are chosen to be well-conditioned, so that
they hold on every x86-64 CPU (oneDNN and ATen pick AVX2 or AVX-512 kernels, which sum in other orders):

- eval-mode logits (batch norm uses its running statistics: no division by a batch variance);
- train-mode logits, the loss, and gradients of one backward pass at a batch and image size where the smallest
  batch-norm layer (layer4, 1/32 of the input side) still normalizes over N*H*W >= 128 values;
- an Adam trajectory at a learning rate small enough that the loss moves smoothly: Adam's first steps move every
  parameter by about lr * sign(grad), whatever the gradient's size, so at lr 1e-3 three steps take this
  network from loss 2.5 to 0.1 and the loss at step 2 depends on rounding; at lr 1e-7 each step lowers the loss
  by about 0.04 while AVX2 and AVX-512 kernels differ by 1.5e-5;
- Adam and StepLR arithmetic alone, on a small problem where every number is well-conditioned, over many steps,
  with weight decay, so the optimizer itself is held to float32 precision.

Run it once per instruction set to see that the numbers agree (the JSON records which capability made it):
    python3 tools/make_reference.py OUT.json
    DNNL_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 python3 tools/make_reference.py OUT-avx2.json
Needs torch 2.13 (CPU) and torchvision 0.28; the project's build never runs it.
"""
import argparse
import json
import math
import sys
import types

import numpy as np
import torch

# torchvision wheels built for CUDA import CUDA-only registrations; a CPU torch does not need them.
sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))
import torchvision  # noqa: E402

EVAL_SHAPE = (2, 3, 64, 64)


MASK = (1 << 64) - 1


def uniform(k, n):
    """n numbers in [0, 1) from SplitMix64 over the counter (k << 32) + j, j = 0..n-1: integer arithmetic mod 2^64,
    so Java's long arithmetic gives the same bits; the top 53 bits become a double exactly."""
    z = (np.uint64(k) << np.uint64(32)) + np.arange(n, dtype=np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53


def fill_formula_weights(model):
    """k: index in state_dict order (buffers counted); u: uniform(k, numel) in [0, 1); computed in float64.
    Weights are uniform in +-1/sqrt(fan_in) (the bound of PyTorch's default conv/linear init), so activations
    keep their scale through the 50 layers and no batch-norm channel is near-constant."""
    with torch.no_grad():
        for k, (name, t) in enumerate(model.state_dict().items()):
            if name.endswith("num_batches_tracked"):
                t.zero_()
                continue
            u = uniform(k, t.numel())
            if name.endswith("running_var"):
                v = 0.5 + u
            elif name.endswith("running_mean"):
                v = 0.2 * (u - 0.5)
            elif t.dim() == 1 and name.endswith("weight"):  # batch-norm gamma
                v = 0.8 + 0.4 * u
            elif t.dim() == 1:  # batch-norm beta, fc bias
                v = 0.2 * (u - 0.5)
            else:
                fan_in = t[0].numel()
                v = (2 * u - 1) / math.sqrt(fan_in)
            t.copy_(torch.from_numpy(v).reshape(t.shape).to(t.dtype))


INPUT_K = 1000


def formula_input(shape):
    """Uniform in [-1, 1): uniform(INPUT_K, numel) over the flattened NCHW index."""
    return torch.from_numpy(2 * uniform(INPUT_K, math.prod(shape)) - 1).reshape(shape).to(torch.float32)


def targets(n, classes):
    return torch.tensor([(3 + 7 * i) % classes for i in range(n)], dtype=torch.int64)


def fresh_model():
    model = torchvision.models.resnet50(num_classes=10)
    fill_formula_weights(model)
    return model


def values(t):
    """The tensor's float32 values, flattened, as exact decimals."""
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def small_adam_problem(steps, lr, weight_decay):
    """W[4,3], b[3]; loss = sum((x W + b - y)^2) over fixed x, y; Adam with weight decay; parameters after each step."""
    j = torch.arange(12, dtype=torch.float64)
    w = (0.5 * torch.sin(0.7 * j + 0.3)).reshape(4, 3).float().requires_grad_()
    b = (0.1 * torch.cos(torch.arange(3, dtype=torch.float64))).float().requires_grad_()
    x = torch.sin(0.9 * torch.arange(20, dtype=torch.float64) + 0.1).reshape(5, 4).float()
    y = torch.cos(1.1 * torch.arange(15, dtype=torch.float64)).reshape(5, 3).float()
    opt = torch.optim.Adam([w, b], lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=weight_decay)
    trajectory = []
    for _ in range(steps):
        opt.zero_grad()
        loss = ((x @ w + b - y) ** 2).sum()
        loss.backward()
        opt.step()
        trajectory.append({"loss": loss.item(), "w": values(w), "b": values(b)})
    return trajectory


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--adam-lr", type=float, default=1e-7)
    parser.add_argument("--adam-steps", type=int, default=4)
    parser.add_argument("--adam-eps", type=float, default=1e-8)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    train_shape = (args.batch, 3, args.size, args.size)
    # Batch-norm gammas are left out: their gradient is a sum over N*H*W products that cancel, and it moves by
    # 3e-3 (relative) between instruction sets; convolution and fc gradients move by 2e-4 at most.
    watched = ["conv1.weight", "layer1.0.conv1.weight", "layer2.0.conv2.weight", "layer3.5.conv3.weight",
               "layer4.2.conv3.weight", "fc.weight", "fc.bias"]

    model = fresh_model()
    model.eval()
    with torch.no_grad():
        eval_logits = model(formula_input(EVAL_SHAPE))

    model.train()
    x = formula_input(train_shape)
    y = targets(args.batch, 10)
    logits = model(x)
    loss = torch.nn.functional.cross_entropy(logits, y)
    loss.backward()
    params = dict(model.named_parameters())
    grad_norms = {name: params[name].grad.double().norm().item() for name in watched}
    fc_bias_grad = values(params["fc.bias"].grad)

    model = fresh_model()
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=args.adam_lr, eps=args.adam_eps)
    losses = []
    for _ in range(args.adam_steps):
        opt.zero_grad()
        step_loss = torch.nn.functional.cross_entropy(model(x), y)
        step_loss.backward()
        opt.step()
        losses.append(step_loss.item())

    scheduler_opt = torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=1e-3)
    scheduler = torch.optim.lr_scheduler.StepLR(scheduler_opt, step_size=20, gamma=0.1)
    lrs = []
    for _ in range(45):
        lrs.append(scheduler.get_last_lr()[0])
        scheduler_opt.step()
        scheduler.step()

    out = {
        "about": "torchvision resnet50(num_classes=10), every state_dict tensor filled by formula; made by tools/make_reference.py",
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "threads": args.threads,
        "weights": "uniform(k, n): SplitMix64 over (k << 32) + j, top 53 bits / 2^53; k = index in state_dict order; conv/fc weights (2u - 1) / sqrt(fan_in), bn gamma 0.8 + 0.4u, bn beta and fc bias 0.2 (u - 0.5), running_mean 0.2 (u - 0.5), running_var 0.5 + u (tools/make_reference.py)",
        "input": "2 * uniform(1000, numel) - 1 over the flattened NCHW index, float64 then float32",
        "targets": "(3 + 7 i) mod 10 for sample i",
        "eval": {"shape": list(EVAL_SHAPE), "logits": values(eval_logits)},
        "train_mode": {"shape": list(train_shape), "logits": values(logits), "loss": loss.item(),
                       "fc_bias_grad": fc_bias_grad,
                       "grad_norms": grad_norms},
        "adam": {"lr": args.adam_lr, "eps": args.adam_eps, "steps": args.adam_steps, "losses": losses},
        "adam_small": {"lr": 0.05, "weight_decay": 0.01, "trajectory": small_adam_problem(40, 0.05, 0.01)},
        "steplr_step20_gamma0.1_lr_by_epoch_0_to_44": lrs,
    }
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {args.out} ({out['cpu_capability']}, train-mode batch {args.batch} at {args.size} px)")


if __name__ == "__main__":
    main()
