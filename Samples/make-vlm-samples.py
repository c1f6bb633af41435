#!/usr/bin/env python3
"""Pages for the vlm tier's tests, derived from phototest.tif (Apache-2.0, Tesseract's test page).

phototest-bordered.png   a faded copy of the page as a scanner with its lid open sees it: turned 2.5 degrees, a
                         near-black band with a ragged edge along the left and top edges and a
                         dark strip at the bottom.
phototest-smudged.png    the page with its first paragraph smudged (ink spread, blurred, faded, speckled), so
                         that the rest reads confidently and that paragraph does not.

Usage: python3 Samples/make-vlm-samples.py (writes next to this script; needs Pillow and numpy).
"""
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

HERE = Path(__file__).parent


def main():
    photo = Image.open(HERE / "phototest.tif").convert("L")
    pixels = np.asarray(photo, dtype=np.float32)
    height, width = pixels.shape
    rng = np.random.default_rng(7)

    # The page a little crooked on a wider sheet (as fed into a scanner), the lid's shadow black
    # around it with a ragged edge, scanner noise and light specks in it, close to the text.
    margin = 40
    sheet = np.full((height + 2 * margin, width + 2 * margin), 255, dtype=np.float32)
    # A faded copy: gray text on light paper, which a threshold taken over the whole sheet (black
    # border included) puts on the paper's side.
    sheet[margin:margin + height, margin:margin + width] = 150 + pixels * 0.4
    sheet = np.asarray(Image.fromarray(sheet.astype(np.uint8)).rotate(2.5, resample=Image.BILINEAR, fillcolor=255),
                       dtype=np.float32)
    dark = rng.normal(22, 10, sheet.shape)
    dark[rng.random(sheet.shape) < 0.03] = 200
    rows = sheet.shape[0]
    for y in range(rows):
        left = 70 + int(8 * np.sin(y / 9.0)) + int(rng.integers(0, 6))
        sheet[y, :left] = dark[y, :left]
    sheet[:52, :] = dark[:52, :]
    sheet[-40:, :] = dark[-40:, :]
    # The first paragraph smudged (the ink spread and blurred, faded, speckled); the rest untouched.
    top, bottom = 0, int(height * 0.40)
    part = Image.fromarray(pixels[top:bottom].astype(np.uint8)).filter(ImageFilter.MinFilter(5)).filter(ImageFilter.GaussianBlur(0.8))
    smudged = np.asarray(part, dtype=np.float32) * 0.6 + 255 * (1 - 0.6)
    smudged += rng.normal(0, 20, smudged.shape)
    out = pixels.copy()
    out[top:bottom] = smudged
    Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)).save(HERE / "phototest-smudged.png")


if __name__ == "__main__":
    main()
