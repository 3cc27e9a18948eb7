#!/usr/bin/env python3
"""Writes the small torch.save files that trainer-engine's PythonSavedFilesTest reads, so that the Java reader is
tested on files it did not write itself: what Python's own pickler emits (None inside tuples, lists and dicts, 1- and
3-tuples), tensors that are views (transposed, strided, expanded, offset), and torchvision's resnet50 state dict.
usage: python3 tools/make_python_pickles.py trainer-engine/src/test/resources/python-saved
(torch 2.13.0+cpu and torchvision 0.28.0 from the machine's package index; see ../shared/DESIGN.md)
"""
import sys

import torch

out = sys.argv[1]
torch.save({"tuple_with_none": (None, 1), "list_with_none": [None, 2], "dict_with_none": {"k": None}, "none": None,
            "one_tuple": (None,), "triple": (None, None, 3), "tensor": torch.tensor([1.5, -2.0]),
            "nested": {"l": [(None, "x")]}}, f"{out}/nones.pt")
print(f"wrote {out}/nones.pt with torch {torch.__version__}")

# Tensors that are not one contiguous slice of their storage, as Python saves them: transposed, strided, expanded.
base = torch.arange(12, dtype=torch.float32)
torch.save({"transposed": base.reshape(3, 4).t(), "every_other": base[1:9:2], "expanded": torch.tensor([7.0]).expand(2, 3),
            "offset": base[5:8]}, f"{out}/strided.pt")
print(f"wrote {out}/strided.pt")

# torchvision's own resnet50 state dict as the ImageNet weights file has it (1000 classes): its real keys, order,
# shapes and dtypes, each tensor a stride-0 view of one value (value(i) for the i-th entry), so that the file is a few
# kilobytes instead of 100 MB. PythonSavedFilesTest checks every entry; the fine-tuning tests start runs from it.
import types  # noqa: E402

sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")
import collections  # noqa: E402

import torchvision  # noqa: E402

state = torchvision.models.resnet50().state_dict()
small = collections.OrderedDict()
for i, (name, t) in enumerate(state.items()):
    if t.dtype == torch.int64:
        small[name] = torch.tensor(i, dtype=torch.int64)  # num_batches_tracked: a 0-dim tensor
    else:
        small[name] = torch.tensor([((i % 97) - 48) / 64.0], dtype=t.dtype).expand(t.shape)
torch.save(small, f"{out}/resnet50-torchvision-1000.pt")
print(f"wrote {out}/resnet50-torchvision-1000.pt with torchvision {torchvision.__version__}: {len(small)} tensors")
