#!/usr/bin/env python3
"""Makes blank-page.pdf: three image pages from phototest.png (Tesseract's test page, Apache-2.0).

1. a white page of the same size (a blank verso: nothing to read, and not to be read);
2. phototest.png itself;
3. phototest.png washed out to light gray (its darkest ink at 191): faint, but not blank.
"""
from pathlib import Path
from PIL import Image

here = Path(__file__).resolve().parent
page = Image.open(here / "phototest.png").convert("L")
blank = Image.new("L", page.size, 255)
faint = page.point(lambda v: 255 - (255 - v) // 4)
blank.save(here / "blank-page.pdf", save_all=True, append_images=[page, faint], resolution=300)
