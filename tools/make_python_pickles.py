#!/usr/bin/env python3
"""Writes the small torch.save files that trainer-engine's PythonSavedFilesTest reads: what Python's own pickler
emits (None inside tuples, lists and dicts, 1- and 3-tuples, a tensor), so the Java reader is tested on files it did
not write itself. usage: python3 tools/make_python_pickles.py trainer-engine/src/test/resources/python-saved
"""
import sys

import torch

out = sys.argv[1]
torch.save({"tuple_with_none": (None, 1), "list_with_none": [None, 2], "dict_with_none": {"k": None}, "none": None,
            "one_tuple": (None,), "triple": (None, None, 3), "tensor": torch.tensor([1.5, -2.0]),
            "nested": {"l": [(None, "x")]}}, f"{out}/nones.pt")
print(f"wrote {out}/nones.pt with torch {torch.__version__}")
