#!/usr/bin/env python3
"""Builds the inputs of `make bench` from ../shared/eval-data (nothing of eval-data is copied into
the repository: the files are made in a work folder, .build/bench-inputs by default, and reused).

- scanned.pdf: 22 scanned pages, as a user's pile of scans looks: OCRmyPDF's test scans (cardinal's
  four pages at 0/90/180/270°, ccitt, epson, jbig2, linn, masks, skew, rotated_skew, c02-22,
  francais), the 7 scribe-ocr-benchmark pages (tables, forms, columns; made grey and put on
  letter-width pages with img2pdf, losslessly) and 2 TeX Live pages rendered at 300 dpi.
  pages/NN.png beside it: the same pages rendered at 300 dpi grey with pdftoppm, for the tesseract
  command, which reads images only.
- born-digital.pdf: 50 pages with a text layer: pdf.js's tracemonkey (14) and TeX Live's l2kurz (36).
- memory-5.pdf, memory-50.pdf, memory-500.pdf: letter pages at 300 dpi cycling through five pages
  (phototest upright three times, turned 90° and 180° on letter-size white, so orientation detection
  runs too), with the images shared by qpdf: only the page count changes between the three. The
  pages are light so that the 500-page run stays short; each still renders to a full 2550×3300 image.
- phototest.png: the one-page image the server latency test uploads.

Usage: bench_inputs.py [--eval-data ../shared/eval-data] [--work .build/bench-inputs]; prints the folder.
"""
import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image

SCANNED = [("ocrmypdf_cardinal.pdf", None), ("ocrmypdf_ccitt.pdf", None), ("ocrmypdf_epson.pdf", None),
           ("ocrmypdf_jbig2.pdf", None), ("ocrmypdf_linn.pdf", None), ("ocrmypdf_masks.pdf", None),
           ("ocrmypdf_skew.pdf", None), ("ocrmypdf_rotated_skew.pdf", None), ("ocrmypdf_c02-22.pdf", None),
           ("ocrmypdf_francais.pdf", None)]
SCRIBE = ["chart_02", "deposition_02", "filing_03", "multicol_02", "multicol_07", "table_05", "table_09"]
TEXLIVE = ["de_l2kurz_p005", "fr_lshort-fr_p007"]
BORN_DIGITAL = [("pdfjs_tracemonkey.pdf", "1-14"), ("texlive_l2kurz.pdf", "1-36")]
MEMORY_PAGES = [5, 50, 500]
VERSION = "3"  # bump when what is built changes, so that old inputs are rebuilt


def run(*command):
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{result.stderr}")
    return result.stdout


def page_count(pdf: Path) -> int:
    return int(next(l.split()[-1] for l in run("pdfinfo", pdf).splitlines() if l.startswith("Pages:")))


def image_page(source: Path, target: Path, work: Path, width_inches: float = 8.5) -> None:
    """One grey image as one PDF page `width_inches` wide, pixels unchanged (img2pdf is lossless)."""
    image = Image.open(source)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        flat = Image.new("RGBA", image.size, "white")
        flat.alpha_composite(image)
        image = flat
    grey = image.convert("L")
    dpi = round(grey.width / width_inches)
    png = work / (target.stem + ".png")
    grey.save(png, dpi=(dpi, dpi))
    run("img2pdf", "--output", target, png)
    png.unlink()


def build_scanned(data: Path, work: Path) -> Path:
    parts = []
    for name, _ in SCANNED:
        parts += [data / "pdfs" / name, "1-z"]
    for stem in SCRIBE:
        target = work / f"scribe-{stem}.pdf"
        image_page(data / "dev" / "scribe-ocr-benchmark" / f"{stem}.png", target, work)
        parts += [target, "1-z"]
    for stem in TEXLIVE:
        target = work / f"texlive-{stem}.pdf"
        image_page(data / "dev" / "texlive-docs-rendered-multilang" / f"{stem}.png", target, work, width_inches=8.27)
        parts += [target, "1-z"]
    scanned = work / "scanned.pdf"
    run("qpdf", "--empty", "--pages", *parts, "--", scanned)
    pages = work / "pages"
    pages.mkdir()
    for number in range(1, page_count(scanned) + 1):
        run("pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", "-f", number, "-l", number, scanned,
            pages / f"{number:02d}")
    return scanned


def build_born_digital(data: Path, work: Path) -> Path:
    parts = []
    for name, pages in BORN_DIGITAL:
        parts += [data / "pdfs" / name, pages]
    target = work / "born-digital.pdf"
    run("qpdf", "--empty", "--pages", *parts, "--", target)
    return target


def build_memory(data: Path, work: Path) -> None:
    phototest = Image.open(data / "dev" / "tesseract-testing" / "phototest.tif").convert("L")
    # phototest is 200 dpi; at 300 dpi on a letter page it is 1.5 times larger.
    photo = phototest.resize((phototest.width * 3 // 2, phototest.height * 3 // 2), Image.LANCZOS)
    cycle = []
    for number, turn in enumerate([0, 0, 90, 0, 180]):
        page = Image.new("L", (2550, 3300), 255)
        page.paste(photo, (300, 300))
        page = page.rotate(-turn, expand=True) if turn else page
        png = work / f"memory-page-{number}.png"
        page.save(png, dpi=(300, 300))
        pdf = work / f"memory-page-{number}.pdf"
        run("img2pdf", "--output", pdf, png)
        png.unlink()
        cycle.append(pdf)
    for count in MEMORY_PAGES:
        parts = []
        for index in range(count):
            parts += [cycle[index % len(cycle)], "1"]
        run("qpdf", "--empty", "--pages", *parts, "--", work / f"memory-{count}.pdf")
    Image.open(data / "dev" / "tesseract-testing" / "phototest.tif").save(work / "phototest.png", dpi=(200, 200))


def build(data: Path, work: Path) -> Path:
    stamp = work / "VERSION"
    if stamp.exists() and stamp.read_text() == VERSION:
        return work
    if not (data / "pdfs").is_dir():
        sys.exit(f"no eval-data at {data} (set EVAL_DATA=...)")
    for tool in ("qpdf", "img2pdf", "pdftoppm", "pdfinfo"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: run `make bench-setup`")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    build_scanned(data, work)
    build_born_digital(data, work)
    build_memory(data, work)
    stamp.write_text(VERSION)
    return work


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval-data", default="../shared/eval-data")
    parser.add_argument("--work", default=".build/bench-inputs")
    args = parser.parse_args()
    print(build(Path(args.eval_data), Path(args.work)))


if __name__ == "__main__":
    main()
