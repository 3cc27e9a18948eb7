"""Writes the reference for ImageTransformTest: torchvision's Resize(size) + CenterCrop(size) on PIL images
(bilinear), and PIL's convert("RGB") / convert("L"), on seeded pseudo-random inputs.

Run: python3 tools/make_resize_reference.py   (needs Pillow; the build never runs it)
"""
import json
import math
import random
from pathlib import Path

from PIL import Image

OUT = Path(__file__).resolve().parent.parent / "contracts/src/test/resources/resize"

# name, input height, width, channels, target size, target channels
CASES = [
    ("gray28-to-224-rgb", 28, 28, 1, 224, 3),
    ("rgb150x200-to-224", 150, 200, 3, 224, 3),
    ("rgb53x37-to-24-gray", 53, 37, 3, 24, 1),
    ("rgb150x200-to-64", 150, 200, 3, 64, 3),
    ("gray7x5-to-32", 7, 5, 1, 32, 1),
]


def resize_and_crop(img, size):
    """torchvision.transforms.Resize(size) then CenterCrop(size), as they compute it for a PIL image."""
    w, h = img.size
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = size, int(size * long / short)
    new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
    if (new_w, new_h) != (w, h):
        img = img.resize((new_w, new_h), Image.BILINEAR)
    top = int(round((new_h - size) / 2.0))
    left = int(round((new_w - size) / 2.0))
    return img.crop((left, top, left + size, top + size))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2026)
    index = []
    for name, h, w, c, size, channels in CASES:
        # smooth gradients plus noise: both the interpolation and the rounding get exercised
        data = bytearray()
        for y in range(h):
            for x in range(w):
                for k in range(c):
                    v = 127 + 100 * math.sin(0.3 * x + 0.2 * y + k) + rng.randint(-20, 20)
                    data.append(max(0, min(255, int(v))))
        img = Image.frombytes("L" if c == 1 else "RGB", (w, h), bytes(data))
        out = resize_and_crop(img, size)
        if channels != c:
            out = out.convert("RGB" if channels == 3 else "L")
        (OUT / f"{name}.in").write_bytes(bytes(data))
        (OUT / f"{name}.out").write_bytes(out.tobytes())
        index.append({"name": name, "height": h, "width": w, "channels": c, "size": size, "outChannels": channels})
    (OUT / "cases.json").write_text(json.dumps(index, indent=1) + "\n")


if __name__ == "__main__":
    main()
