#!/usr/bin/env python3
"""Degraded copies of clean pages of eval-data/dev, as extra accuracy sets.

Real scans and phone photos are rarely as clean as the dev sets: this makes, from a few clean
pages (phototest and the German and French TeX Live pages), one set per kind of damage, each page
keeping its ground truth. Deterministic (fixed seeds), so figures can be compared between runs.

    degraded-blur      Gaussian blur (an out-of-focus photo, a soft scan)
    degraded-noise     Gaussian noise and salt-and-pepper specks on a gray paper tone
    degraded-lowres    100 and 150 dpi (a fax, a low-resolution scan), dpi tag kept
    degraded-shadow    uneven lighting: a dark gradient and a shadow over part of the page
    degraded-jpeg      heavy JPEG artefacts (quality 12)
    degraded-skew      turned 2 to 4 degrees, as a page fed crooked into a scanner
    heldout-poor       the real-world scribe pages (none of the pages above) made poor all at once: 45% of
                       their size, blurred, salt-and-pepper specks, JPEG quality 35. Kept out of every
                       choice the recognisers make: a check on pages nobody tuned for.
    heldout-typeset    other pages of eval-data's typeset PDFs (TeX Live manuals in German and French, a
                       pdflatex paper, a Google Docs letter; none of the dev pages), rendered at 300 dpi by
                       pdftoppm and each damaged one of the ways above in turn; truth from pdftotext.
                       Also kept out of every choice: the degraded sets above are five pages only.

The pages stay outside the repository (eval-data is evaluation-only): they are written under
--out, by default .build/degraded.

Usage: degrade.py --eval-data ../shared/eval-data [--out .build/degraded]
"""
import argparse
import io
import random
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

SOURCES = [
    ("tesseract-testing", "phototest.tif"),
    ("texlive-docs-rendered-multilang", "de_l2kurz_p005.png"),
    ("texlive-docs-rendered-multilang", "de_l2kurz_p027.png"),
    ("texlive-docs-rendered-multilang", "fr_lshort-fr_p007.png"),
    ("texlive-docs-rendered-multilang", "fr_lshort-fr_p090.png"),
]


def gray(image):
    return image.convert("L")


def dpi_of(image):
    dpi = image.info.get("dpi", (300, 300))[0]
    return int(round(dpi)) if dpi and dpi > 10 else 300


def blur(image, dpi, rng):
    # About 0.5 pt of blur: letters run together but stay legible to a person.
    return gray(image).filter(ImageFilter.GaussianBlur(radius=1.6 * dpi / 300)), dpi


def noise(image, dpi, rng):
    pixels = np.asarray(gray(image), dtype=np.float32) * 0.85 + 20  # gray paper, gray ink
    pixels += rng.normal(0, 38, pixels.shape)
    specks = rng.random(pixels.shape)
    pixels[specks < 0.004] = 0
    pixels[specks > 0.996] = 255
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)), dpi


def lowres(image, dpi, rng, target=None):
    target = target or 100
    scale = target / dpi
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return gray(image).resize(size, Image.BILINEAR), target


def shadow(image, dpi, rng):
    pixels = np.asarray(gray(image), dtype=np.float32)
    height, width = pixels.shape
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    # Light falls from the top left; the bottom right is in a soft shadow (a hand or a phone).
    light = 1.0 - 0.45 * (x / width + y / height) / 2
    cx, cy, radius = width * 0.75, height * 0.8, 0.45 * max(width, height)
    distance = np.sqrt((x - cx) ** 2 + (y - cy) ** 2) / radius
    light *= 1.0 - 0.4 * np.clip(1.2 - distance, 0, 1)
    return Image.fromarray(np.clip(pixels * light, 0, 255).astype(np.uint8)), dpi


def jpeg(image, dpi, rng):
    buffer = io.BytesIO()
    gray(image).save(buffer, format="JPEG", quality=12)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("L"), dpi


def skew(image, dpi, rng):
    angle = rng.choice([-1, 1]) * rng.uniform(2, 4)
    return gray(image).rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255), dpi


def poor(image, dpi, rng):
    small = gray(image).resize((max(1, round(image.width * 0.45)), max(1, round(image.height * 0.45))), Image.BILINEAR)
    pixels = np.asarray(small.filter(ImageFilter.GaussianBlur(radius=0.8)), dtype=np.float32)
    specks = rng.random(pixels.shape)
    pixels[specks < 0.01] = 0
    pixels[specks > 0.99] = 255
    buffer = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8)).save(buffer, format="JPEG", quality=35)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("L"), max(1, round(dpi * 0.45))


HELDOUT_SETS = {"poor": (poor, "scribe-ocr-benchmark")}

# heldout-typeset: (PDF in eval-data/pdfs, its language prefix, pages); the dev set's pages
# (l2kurz 5 and 27, lshort-fr 7 and 90) are not among them.
TYPESET_PAGES = [
    ("texlive_l2kurz.pdf", "de_l2kurz", [10, 16, 22, 35, 44]),
    ("texlive_lshort-fr.pdf", "fr_lshort-fr", [20, 45, 61, 120, 152]),
    ("pysamples_pdflatex-4-pages.pdf", "en_pdflatex", [1, 2, 3, 4]),
    ("pysamples_google-doc-document.pdf", "en_google-doc", [1]),
]
TYPESET_DAMAGE = ["blur", "jpeg", "lowres", "noise", "shadow", "skew"]


def make_typeset(eval_data, folder):
    """heldout-typeset: pages rendered from the PDFs with Poppler's tools, one damage each."""
    import subprocess
    import tempfile
    folder.mkdir(parents=True, exist_ok=True)
    made, number = 0, 0
    for pdf_name, prefix, pages in TYPESET_PAGES:
        pdf = Path(eval_data) / "pdfs" / pdf_name
        for page in pages:
            kind = TYPESET_DAMAGE[number % len(TYPESET_DAMAGE)]
            number += 1
            target = folder / f"{prefix}_p{page:03d}_{kind}.png"
            if not pdf.exists() or (target.exists() and target.with_suffix(".txt").exists()):
                continue
            truth = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8", str(pdf), "-"],
                                   capture_output=True, check=True).stdout.decode("utf-8")
            if len(truth.split()) < 20:
                continue
            with tempfile.TemporaryDirectory() as work:
                subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", "-f", str(page), "-l", str(page), "-singlefile",
                                str(pdf), f"{work}/page"], check=True)
                image = Image.open(f"{work}/page.png")
                image.load()
            rng = np.random.default_rng(9000 + number)
            if kind == "lowres":
                degraded, new_dpi = lowres(image, 300, rng, target=100 if number % 2 == 0 else 150)
            elif kind == "skew":
                degraded, new_dpi = skew(image, 300, random.Random(number))
            else:
                degraded, new_dpi = KINDS[kind](image, 300, rng)
            degraded.save(target, dpi=(new_dpi, new_dpi))
            target.with_suffix(".txt").write_text(truth, encoding="utf-8")
            made += 1
    return made

KINDS = {"blur": blur, "noise": noise, "lowres": lowres, "shadow": shadow, "jpeg": jpeg, "skew": skew}


def make(eval_data, out):
    dev = Path(eval_data) / "dev"
    made = 0
    for kind, damage in KINDS.items():
        folder = Path(out) / f"degraded-{kind}"
        folder.mkdir(parents=True, exist_ok=True)
        for number, (set_name, file_name) in enumerate(SOURCES):
            source = dev / set_name / file_name
            if not source.exists():
                print(f"missing {source}", file=sys.stderr)
                continue
            stem = Path(file_name).stem
            target = folder / f"{stem}.png"
            truth = (dev / set_name / file_name).with_suffix(".txt")
            if target.exists() and target.with_suffix(".txt").exists():
                continue
            rng = np.random.default_rng(1000 * number + len(kind))
            image = Image.open(source)
            image.load()
            dpi = dpi_of(image)
            if kind == "lowres":
                degraded, new_dpi = lowres(image, dpi, rng, target=100 if number % 2 == 0 else 150)
            elif kind == "skew":
                degraded, new_dpi = skew(image, dpi, random.Random(number))
            else:
                degraded, new_dpi = damage(image, dpi, rng)
            degraded.save(target, dpi=(new_dpi, new_dpi))
            target.with_suffix(".txt").write_text(truth.read_text(encoding="utf-8"), encoding="utf-8")
            made += 1
    for kind, (damage, set_name) in HELDOUT_SETS.items():
        folder = Path(out) / f"heldout-{kind}"
        folder.mkdir(parents=True, exist_ok=True)
        sources = sorted((dev / set_name).glob("*.png")) if (dev / set_name).is_dir() else []
        for number, source in enumerate(sources):
            target = folder / source.name
            if target.exists() and target.with_suffix(".txt").exists():
                continue
            image = Image.open(source)
            image.load()
            degraded, new_dpi = damage(image, dpi_of(image), np.random.default_rng(7000 + number))
            degraded.save(target, dpi=(new_dpi, new_dpi))
            target.with_suffix(".txt").write_text(source.with_suffix(".txt").read_text(encoding="utf-8"), encoding="utf-8")
            made += 1
    made += make_typeset(eval_data, Path(out) / "heldout-typeset")
    return made


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval-data", default="../shared/eval-data")
    parser.add_argument("--out", default=".build/degraded")
    args = parser.parse_args()
    print(f"{make(args.eval_data, args.out)} degraded pages written under {args.out}")


if __name__ == "__main__":
    main()
