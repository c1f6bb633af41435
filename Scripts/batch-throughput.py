#!/usr/bin/env python3
"""Throughput of `ocrchat batch` on a folder of 50 one-page scans, beside `ocrchat convert` run
file by file (one process a file, as a shell loop does it) and `ocrchat convert` given every file at once.

The scans are eval-data pages (uw3 text lines and scribe full pages, cycled) copied into a temporary
folder. Each way is timed on the same folder, median of --runs runs, outputs written to a fresh folder
each time. Process start and model loading are included, since a user pays them.

Usage: batch-throughput.py [--ocrchat .build/release/ocrchat] [--eval-data ../shared/eval-data] [--files 50] [--runs 2]
"""
import argparse
import itertools
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_folder(eval_data: Path, count: int, folder: Path) -> None:
    sets = [sorted((eval_data / "dev" / name).glob("*.png")) for name in ("uw3-lines-en", "scribe-ocr-benchmark")]
    if not all(sets):
        sys.exit(f"no pages under {eval_data}/dev (uw3-lines-en, scribe-ocr-benchmark)")
    # Alternate the two sets (a line, a page, a line, …), each cycling through its own pages.
    cycles = [itertools.cycle(pages) for pages in sets]
    folder.mkdir(parents=True)
    for number in range(count):
        source = next(cycles[number % len(cycles)])
        shutil.copy(source, folder / f"scan-{number + 1:03d}.png")


def timed(command: list[str]) -> float:
    started = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ocrchat", type=Path, default=ROOT / ".build/release/ocrchat")
    parser.add_argument("--eval-data", type=Path, default=ROOT.parent / "shared/eval-data")
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    binary = str(args.ocrchat.resolve())

    with tempfile.TemporaryDirectory(prefix="ocrchat-throughput-") as temporary:
        work = Path(temporary)
        inputs = work / "in"
        build_folder(args.eval_data, args.files, inputs)
        files = sorted(inputs.iterdir())

        def batch(run: int) -> float:
            return timed([binary, "batch", str(inputs), str(work / f"batch-{run}"), "--format", "txt"])

        def one_by_one(run: int) -> float:
            out = work / f"single-{run}"
            out.mkdir()
            started = time.monotonic()
            for file in files:
                subprocess.run([binary, "convert", str(file), "-o", str(out / f"{file.name}.txt")], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return time.monotonic() - started

        def all_at_once(run: int) -> float:
            return timed([binary, "convert", "-o", str(work / f"multi-{run}") + "/"] + [str(f) for f in files])

        ways = [("ocrchat convert, file by file", one_by_one), ("ocrchat convert, all files in one call", all_at_once),
                ("ocrchat batch", batch)]
        results = {}
        for run in range(args.runs):  # interleaved, so a busy moment on the machine hits every way alike
            for name, way in ways:
                results.setdefault(name, []).append(way(run))

        baseline = statistics.median(results[ways[0][0]])
        print(f"{len(files)} one-page scans (uw3 lines and scribe pages, cycled), median of {args.runs} runs\n")
        print(f"| {'way':<40} | seconds | pages/min | vs file by file |")
        print(f"|{'-' * 42}|--------:|----------:|----------------:|")
        for name, _ in ways:
            seconds = statistics.median(results[name])
            print(f"| {name:<40} | {seconds:7.1f} | {len(files) / seconds * 60:9.0f} | {baseline / seconds:14.2f}× |")


if __name__ == "__main__":
    main()
