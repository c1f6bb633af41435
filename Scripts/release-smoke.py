#!/usr/bin/env python3
"""The release binary, end to end, on a few Samples/ pages: what users run (`make build`, `make serve`).

The test suite runs debug builds; a release build can differ (Swift 6.3.1's optimiser once handed
`convert`'s task-group results back with a garbage index, and every release `convert` wrote nothing,
exit 0). This reads pages with `convert` the ways users do (stdout, one file, a folder of several,
JSON of several, a searchable PDF, the vlm tier) and checks that each result holds the page's text.

    release-smoke.py --ocrchat .build/release/ocrchat
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "Samples"


def edit_distance(a, b):
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cer(output, truth):
    output, truth = " ".join(output.split()), " ".join(truth.split())
    return edit_distance(output, truth) / max(len(truth), 1)


def run(binary, *arguments):
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    result = subprocess.run([binary, *arguments], capture_output=True, env=env, timeout=600)
    if result.returncode != 0:
        sys.exit(f"FAIL: ocrchat {' '.join(arguments)} exited {result.returncode}: {result.stderr.decode(errors='replace')}")
    return result.stdout


def check(name, output, truth, most=0.05):
    error = cer(output, truth)
    print(f"{name}: CER {error:.2%}")
    if error > most:
        sys.exit(f"FAIL: {name}: CER {error:.2%} over {most:.0%}; output began {output[:200]!r}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ocrchat", default=".build/release/ocrchat")
    binary = str(Path(parser.parse_args().ocrchat).resolve())
    pages = {name: SAMPLES / f"{name}.png" for name in ("phototest", "language-de")}
    truths = {name: (SAMPLES / f"{name}.txt").read_text(encoding="utf-8") for name in pages}
    check("txt to stdout", run(binary, "convert", str(pages["phototest"])).decode(), truths["phototest"])
    check("vlm tier", run(binary, "convert", "--tier", "vlm", str(pages["phototest"])).decode(), truths["phototest"])
    documents = json.loads(run(binary, "convert", "--format", "json", "--language", "auto", *map(str, pages.values())))
    if not isinstance(documents, list) or len(documents) != len(pages):
        sys.exit(f"FAIL: JSON of {len(pages)} inputs is not an array of {len(pages)}")
    for name, document in zip(pages, documents):
        check(f"json of several: {name}", document["text"], truths[name])
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "out"
        run(binary, "convert", "--format", "md", "--output", f"{folder}/", *map(str, pages.values()))
        for name in pages:
            check(f"folder of several: {name}.md", (folder / f"{name}.md").read_text(encoding="utf-8"), truths[name], most=0.10)
        single = Path(work) / "single" / "one.txt"
        single.parent.mkdir()
        run(binary, "convert", "--output", str(single), str(pages["language-de"]))
        check("one file", single.read_text(encoding="utf-8"), truths["language-de"])
        pdf = Path(work) / "searchable.pdf"
        run(binary, "convert", "--format", "pdf", "--output", str(pdf), str(pages["phototest"]))
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
        check("searchable pdf's text layer", text, truths["phototest"])
        # Several formats from one reading, into a stem and (with two inputs) a folder: each export
        # of every input is written (an optimised build must not lose one of a document's exports).
        stem = Path(work) / "stem" / "scan"
        stem.parent.mkdir()
        run(binary, "convert", "--format", "txt,md,pdf", "--output", str(stem), str(pages["phototest"]))
        check("several formats: txt", stem.with_suffix(".txt").read_text(encoding="utf-8"), truths["phototest"])
        check("several formats: md", stem.with_suffix(".md").read_text(encoding="utf-8"), truths["phototest"], most=0.10)
        text = subprocess.run(["pdftotext", str(stem.with_suffix(".pdf")), "-"], capture_output=True, check=True).stdout.decode()
        check("several formats: pdf", text, truths["phototest"])
        both = Path(work) / "both"
        run(binary, "convert", "--format", "txt,json", "--output", f"{both}/", *map(str, pages.values()))
        for name in pages:
            check(f"several formats and inputs: {name}.txt", (both / f"{name}.txt").read_text(encoding="utf-8"), truths[name])
            check(f"several formats and inputs: {name}.json", json.loads((both / f"{name}.json").read_text(encoding="utf-8"))["text"],
                  truths[name])
    print("release smoke test passed")


if __name__ == "__main__":
    main()
