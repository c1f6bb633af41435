#!/usr/bin/env python3
"""Compares a page rendered from the searchable PDF with the image it was made from.

Usage: render_diff.py ORIGINAL RENDERED
Prints JSON: both sizes; the mean absolute difference of their gray levels (0-255), after scaling
the original down (box filter) to the rendering's size when that is smaller; and, since a renderer smooths
edges, the share of pixels that differ once both are cut to black and white, beside the share of
dark pixels in the original (what a blank page would score).
"""
import json
import sys

from PIL import Image, ImageChops, ImageStat

original = Image.open(sys.argv[1]).convert("L")
rendered = Image.open(sys.argv[2]).convert("L")
sizes = {"original": list(original.size), "rendered": list(rendered.size)}
if rendered.size != original.size:
    original = original.resize(rendered.size, Image.BOX)
difference = ImageStat.Stat(ImageChops.difference(original, rendered)).mean[0]
blank = ImageStat.Stat(ImageChops.difference(original, Image.new("L", original.size, 255))).mean[0]


def black_and_white(image):
    return image.point(lambda value: 255 if value >= 128 else 0)


pixels = rendered.size[0] * rendered.size[1]
differing = ImageChops.difference(black_and_white(original), black_and_white(rendered)).histogram()[255]
dark = black_and_white(original).histogram()[0]
print(json.dumps({"sizes": sizes, "mean_absolute_difference": difference, "blank_difference": blank,
                  "differing_share": differing / pixels, "dark_share": dark / pixels}))
