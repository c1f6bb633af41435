#!/usr/bin/env python3
"""Character error rate per set of eval-data/dev: ocrchat's cpu and vlm tiers beside the tesseract command.

Besides the dev sets, degraded copies of clean pages (Scripts/degrade.py: blur, noise, 100-150 dpi,
shadows, JPEG artefacts, skew) are measured as extra sets, made once under --degraded.

Both read the same images with the same installed models and the same language (the set's own;
ocrchat is also run with --language auto). Text is compared after Unicode NFC and folding of
whitespace (removed entirely for Chinese, as eval-data's README asks). Two figures per set:
CER in reading order (edit distance / truth length, summed over the set) and an order-free word
error (share of truth words missing from the output as a multiset), since tables and columns make
reading order dominate the first.

Usage: accuracy.py --eval-data ../shared/eval-data --ocrchat .build/release/ocrchat [--out ACCURACY.md]
                   [--degraded .build/degraded] [--sets name,name]
"""
import argparse
import collections
import concurrent.futures
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

IMAGE_SUFFIXES = {".png", ".tif", ".tiff", ".jpg", ".jpeg"}
SET_LANGUAGE = {"cyrillic-lines-ru": "rus", "openiti-arabic-lines": "ara"}
PREFIX_LANGUAGE = {"de": "deu", "fr": "fra", "ru": "rus", "zh": "chi_sim", "en": "eng"}


def language_for(set_name, image):
    if set_name in SET_LANGUAGE:
        return SET_LANGUAGE[set_name]
    prefix = image.name.split("_", 1)[0]
    if set_name.startswith(("texlive", "degraded", "heldout")) and prefix in PREFIX_LANGUAGE:
        return PREFIX_LANGUAGE[prefix]
    return "eng"


def normalise(text, language):
    text = unicodedata.normalize("NFC", text)
    if language.startswith("chi"):
        return "".join(text.split())
    return " ".join(text.split())


def edit_distance(a, b):
    try:
        from rapidfuzz.distance import Levenshtein
        return Levenshtein.distance(a, b)
    except ImportError:
        pass
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def word_error(output, truth, language):
    if language.startswith("chi"):
        out_words, truth_words = collections.Counter(output), collections.Counter(truth)
    else:
        out_words, truth_words = collections.Counter(output.split()), collections.Counter(truth.split())
    total = sum(truth_words.values())
    found = sum((out_words & truth_words).values())
    return (total - found) / total if total else 0.0


def run_tesseract(image, language):
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    result = subprocess.run(["tesseract", str(image), "-", "-l", language], capture_output=True, env=env)
    return result.stdout.decode("utf-8", "replace")


def run_ocrchat(binary, images, language, workdir, tier="cpu"):
    """One ocrchat process for a group of images (its pool reads them in parallel); json per image."""
    out = Path(workdir) / f"ocrchat-{language}-{len(images)}-{time.monotonic_ns()}"
    command = [binary, "convert", "--format", "json", "--tier", tier, "--language", language, "--output", str(out) + "/"]
    result = subprocess.run(command + [str(i) for i in images], capture_output=True)
    texts = {}
    for image in images:
        path = out / (image.stem + ".json")
        texts[image] = json.loads(path.read_text())["text"] if path.exists() else ""
    if result.returncode != 0:
        print(result.stderr.decode(errors="replace"), file=sys.stderr)
    return texts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval-data", default="../shared/eval-data")
    parser.add_argument("--ocrchat", default=".build/release/ocrchat")
    parser.add_argument("--out", default="ACCURACY.md")
    parser.add_argument("--degraded", default=".build/degraded", help="where the degraded sets are made (once)")
    parser.add_argument("--sets", help="only these sets, comma-separated")
    args = parser.parse_args()
    dev = Path(args.eval_data) / "dev"
    if not dev.is_dir():
        sys.exit(f"no evaluation data at {dev}")
    sys.path.insert(0, str(Path(__file__).parent))
    import degrade
    degrade.make(args.eval_data, args.degraded)

    sets = {}
    folders = [p for p in dev.iterdir() if p.is_dir()] + [p for p in Path(args.degraded).iterdir() if p.is_dir()]
    wanted = set(args.sets.split(",")) if args.sets else None
    for folder in sorted(folders, key=lambda p: p.name):
        if wanted and folder.name not in wanted:
            continue
        images = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.with_suffix(".txt").exists())
        if images:
            sets[folder.name] = images

    rows = []
    with tempfile.TemporaryDirectory() as workdir, concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        for name, images in sets.items():
            by_language = collections.defaultdict(list)
            for image in images:
                by_language[language_for(name, image)].append(image)
            ours, vlm, auto = {}, {}, {}
            seconds = collections.defaultdict(float)
            for language, group in by_language.items():
                started = time.monotonic()
                ours.update(run_ocrchat(args.ocrchat, group, language, workdir))
                seconds["cpu"] += time.monotonic() - started
                started = time.monotonic()
                vlm.update(run_ocrchat(args.ocrchat, group, language, workdir, tier="vlm"))
                seconds["vlm"] += time.monotonic() - started
            auto.update(run_ocrchat(args.ocrchat, images, "auto", workdir))
            theirs = dict(zip(images, pool.map(lambda i: run_tesseract(i, language_for(name, i)), images)))
            # The whole set, then (for a set of several languages) each language apart, since auto
            # must be as good as the language named for each of them.
            groups = [(name, images, seconds)]
            if len(by_language) > 1:
                groups += [(f"{name} ({language})", group, None) for language, group in sorted(by_language.items())]
            for row_name, group, group_seconds in groups:
                totals = collections.defaultdict(float)
                for image in group:
                    language = language_for(name, image)
                    truth = normalise(image.with_suffix(".txt").read_text(encoding="utf-8"), language)
                    totals["chars"] += len(truth)
                    for key, texts in (("ours", ours), ("vlm", vlm), ("auto", auto), ("tess", theirs)):
                        output = normalise(texts.get(image, ""), language)
                        totals[key] += edit_distance(output, truth)
                        totals[key + "_words"] += word_error(output, truth, language)
                count = len(group)
                rows.append((row_name, count, ", ".join(sorted({language_for(name, i) for i in group})),
                             totals["tess"] / totals["chars"], totals["ours"] / totals["chars"], totals["vlm"] / totals["chars"],
                             totals["auto"] / totals["chars"],
                             totals["tess_words"] / count, totals["ours_words"] / count, totals["vlm_words"] / count,
                             group_seconds["cpu"] / count if group_seconds else None,
                             group_seconds["vlm"] / count if group_seconds else None))
            whole = rows[-len(groups)]
            print(f"{name}: done; CER tesseract {whole[3]:.2%}, cpu {whole[4]:.2%}, vlm {whole[5]:.2%}, "
                  f"auto {whole[6]:.2%}; s/page cpu {whole[10]:.1f}, vlm {whole[11]:.1f}", file=sys.stderr, flush=True)

    versions = subprocess.run([args.ocrchat, "version"], capture_output=True, text=True).stdout.strip().splitlines()
    lines = [
        "# Accuracy: ocrchat's cpu and vlm tiers beside the tesseract command",
        "",
        f"`make accuracy` on {platform.node()} ({os.cpu_count()} cores), {time.strftime('%Y-%m-%d')}; "
        + ", ".join(v for v in versions if not v.startswith("model folders")) + ".",
        "Same images, same installed models, same language for all; `auto` is ocrchat's cpu tier with `--language auto`.",
        "`degraded-*` sets are clean pages damaged by Scripts/degrade.py (blur, noise, 100-150 dpi, shadow, JPEG, skew).",
        "s/page: wall-clock seconds per page of one ocrchat process per set (both cores; the machine was shared).",
        "CER: edit distance over truth length in reading order (lower is better). Word error: share of",
        "truth words missing from the output, order ignored.",
        "",
        "auto vs named: CER of cpu auto over CER cpu (the language named), relative; the goal is at most +5%.",
        "",
        "| set | pages | language | CER tesseract | CER cpu | CER vlm | CER cpu auto | auto vs named | word err tesseract | word err cpu | word err vlm | s/page cpu | s/page vlm |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, count, languages, tess, ours, vlm, auto, tess_w, ours_w, vlm_w, cpu_s, vlm_s in rows:
        relative = f"{auto / ours - 1:+.1%}" if ours > 0 else ("+0.0%" if auto == 0 else "n/a")
        speed = f"{cpu_s:.1f} | {vlm_s:.1f}" if cpu_s is not None else " | "
        lines.append(f"| {name} | {count} | {languages} | {tess:.2%} | {ours:.2%} | {vlm:.2%} | {auto:.2%} | {relative} "
                     f"| {tess_w:.2%} | {ours_w:.2%} | {vlm_w:.2%} | {speed} |")
    report = "\n".join(lines) + "\n"
    print(report)
    Path(args.out).write_text(report)


if __name__ == "__main__":
    main()
