#!/usr/bin/env python3
"""Speed of the cpu tier beside `OMP_THREAD_LIMIT=1 tesseract`, measured side by side in one run.

1. Seconds per page: each page image is read by `tesseract IMG -` and by `ocrchat convert --jobs 1
   IMG`, alternately, several times; the medians are compared (both include process start and
   model load, as a user running either command pays them).
2. A 10-page scanned PDF (pages of eval-data's scanned PDFs, joined with pdfunite): ocrchat with
   --jobs 1 and with one job a core, against tesseract reading the same pages rendered at 300 dpi
   one at a time. Wall time and CPU time, so that the use of every core shows.

Usage: speed.py --eval-data ../shared/eval-data --ocrchat .build/release/ocrchat [--runs 3] [--out BENCHMARKS.md]
"""
import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGES = [
    "dev/tesseract-testing/phototest.tif",
    "dev/scribe-ocr-benchmark/deposition_02.png",
    "dev/scribe-ocr-benchmark/filing_03.png",
    "dev/scribe-ocr-benchmark/multicol_07.png",
    "dev/scribe-ocr-benchmark/table_09.png",
    "dev/texlive-docs-rendered-multilang/de_l2kurz_p005.png",
]
SCANNED_PDFS = ["ocrmypdf_cardinal.pdf", "ocrmypdf_multipage.pdf", "ocrmypdf_c02-22.pdf", "ocrmypdf_linn.pdf",
                "ocrmypdf_ccitt.pdf", "ocrmypdf_jbig2.pdf", "ocrmypdf_epson.pdf", "ocrmypdf_masks.pdf",
                "ocrmypdf_francais.pdf", "ocrmypdf_skew.pdf"]
ENV_ONE_THREAD = dict(os.environ, OMP_THREAD_LIMIT="1")


def timed(command, env=ENV_ONE_THREAD):
    """Wall seconds and CPU seconds (user + system) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: {result.stderr.decode(errors='replace')}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval-data", default="../shared/eval-data")
    parser.add_argument("--ocrchat", default=".build/release/ocrchat")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default="BENCHMARKS.md")
    args = parser.parse_args()
    data = Path(args.eval_data)
    cores = os.cpu_count() or 1
    lines = ["# Speed: ocrchat cpu tier beside the tesseract command", ""]
    versions = subprocess.run([args.ocrchat, "version"], capture_output=True, text=True).stdout.strip().splitlines()
    lines.append(f"`make bench` on {platform.node()} ({cores} cores, {platform.machine()}), {time.strftime('%Y-%m-%d %H:%M')}; "
                 + ", ".join(v for v in versions if not v.startswith("model folders")) + f"; median of {args.runs} runs.")
    lines += ["", "## Seconds per page (one thread each; includes process start and model load)", "",
              "| page | tesseract s | ocrchat s | ratio |", "|---|---:|---:|---:|"]
    ratios = []
    for page in PAGES:
        image = str(data / page)
        ours, theirs = [], []
        for _ in range(args.runs):  # alternate, so that drift of the machine hits both alike
            theirs.append(timed(["tesseract", image, "-", "-l", "eng"])[0])
            ours.append(timed([args.ocrchat, "convert", "--jobs", "1", "--language", "eng", image])[0])
        t, o = statistics.median(theirs), statistics.median(ours)
        ratios.append(o / t)
        lines.append(f"| {Path(page).name} | {t:.2f} | {o:.2f} | {o / t:.2f} |")
        print(lines[-1], file=sys.stderr)
    lines.append(f"| **median ratio** | | | **{statistics.median(ratios):.2f}** |")

    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        pages = []
        for name in SCANNED_PDFS:
            source = data / "pdfs" / name
            count = int(next(l.split()[-1] for l in subprocess.run(["pdfinfo", str(source)], capture_output=True, text=True).stdout.splitlines() if l.startswith("Pages:")))
            for number in range(1, count + 1):
                if len(pages) < 10:
                    target = work / f"page-{len(pages):02d}.pdf"
                    subprocess.run(["pdfseparate", "-f", str(number), "-l", str(number), str(source), str(target)], check=True, capture_output=True)
                    pages.append(target)
        document = work / "scanned-10.pdf"
        subprocess.run(["pdfunite", *map(str, pages), str(document)], check=True, capture_output=True)
        images = []
        for index in range(len(pages)):
            prefix = work / f"render-{index:02d}"
            subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", "-f", str(index + 1), "-l", str(index + 1),
                            str(document), str(prefix)], check=True, capture_output=True)
            images.append(str(prefix) + ".png")
        results = {"tesseract, 1 thread, page after page": [], "ocrchat --jobs 1": [], f"ocrchat --jobs {cores}": []}
        for _ in range(args.runs):
            wall = cpu = 0.0
            for image in images:
                w, c = timed(["tesseract", image, "-", "-l", "eng"])
                wall, cpu = wall + w, cpu + c
            results["tesseract, 1 thread, page after page"].append((wall, cpu))
            results["ocrchat --jobs 1"].append(timed([args.ocrchat, "convert", "--jobs", "1", "-l", "eng", str(document)]))
            results[f"ocrchat --jobs {cores}"].append(timed([args.ocrchat, "convert", "--jobs", str(cores), "-l", "eng", str(document)]))
        lines += ["", f"## A {len(pages)}-page scanned PDF (pages of eval-data/pdfs scans, 300 dpi)", "",
                  "| reader | wall s | CPU s | pages/min | CPU/wall |", "|---|---:|---:|---:|---:|"]
        base = None
        for label, runs in results.items():
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            base = base or wall
            lines.append(f"| {label} | {wall:.1f} | {cpu:.1f} | {len(pages) * 60 / wall:.1f} | {cpu / wall:.2f} |")
            print(lines[-1], file=sys.stderr)
        one = statistics.median(r[0] for r in results["ocrchat --jobs 1"])
        many = statistics.median(r[0] for r in results[f"ocrchat --jobs {cores}"])
        lines.append("")
        lines.append(f"Speed-up of --jobs {cores} over --jobs 1: **{one / many:.2f}×** (ideal {cores}×).")
    report = "\n".join(lines) + "\n"
    print(report)
    Path(args.out).write_text(report)


if __name__ == "__main__":
    main()
