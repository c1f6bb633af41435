#!/usr/bin/env python3
"""What the layout step does to the text in reading order, page by page: before (OCRCHAT_LAYOUT=off,
the recogniser's own order) and after, on the real pages of eval-data/dev/scribe-ocr-benchmark and on
the generated pages of Samples/ (whose tables are also scored cell by cell).

CER: edit distance / truth length after NFC and folding of whitespace. Word error: share of truth
words missing from the output as a multiset (order-free), so that a change in it means the layout
lost or changed words rather than moved them.

Usage: layout-eval.py --eval-data ../shared/eval-data --ocrchat .build/release/ocrchat [--out LAYOUT.md]
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

# The same measures as make accuracy (the scribe and generated pages are English).
from accuracy import edit_distance, language_for, normalise as normalise_in, word_error as word_error_in

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "Samples"


def normalise(text):
    return normalise_in(text, "eng")


def cer(output, truth):
    output, truth = normalise(output), normalise(truth)
    return edit_distance(output, truth) / max(len(truth), 1)


def word_error(output, truth):
    return word_error_in(output, truth, "eng")


def convert(binary, images, workdir, layout, tool=None, language="eng"):
    out = Path(workdir) / f"{'after' if layout else 'before'}-{tool or 'plain'}-{language}-{len(images)}-{images[0].parent.name}"
    command = [binary, "convert", "--format", "json", "--language", language, "--output", str(out) + "/"]
    if tool:
        command += ["--tool", tool]
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    if not layout:
        env["OCRCHAT_LAYOUT"] = "off"
    result = subprocess.run(command + [str(i) for i in images], capture_output=True, env=env)
    if result.returncode != 0:
        print(result.stderr.decode(errors="replace"), file=sys.stderr)
    documents = {}
    for image in images:
        path = out / (image.stem + ".json")
        documents[image] = json.loads(path.read_text()) if path.exists() else {"text": "", "pages": []}
    return documents


def cell_accuracy(document, drawn):
    """Best cell accuracy of any detected table against each drawn table, averaged over drawn tables."""
    tables = [block["table"] for page in document["pages"] for block in page["blocks"] if block.get("table")]
    scores = []
    for rows in (t["rows"] for t in drawn):
        best = 0.0
        for table in tables:
            grid = [["" for _ in range(table["columns"])] for _ in range(table["rows"])]
            for cell in table["cells"]:
                grid[cell["row"]][cell["column"]] = cell["text"]
            right = sum(1 for r, row in enumerate(rows) for c, cell in enumerate(row)
                        if r < len(grid) and c < len(grid[r]) and normalise(grid[r][c]) == normalise(cell))
            best = max(best, right / sum(len(row) for row in rows))
        scores.append(best)
    return sum(scores) / len(scores) if scores else None


def other_pages(binary, eval_data, degraded, workdir):
    """The pages of eval-data's other sets of whole pages (and their degraded copies) whose text layout
    changes: CER before and after, each page whose text it changes, and how many it makes worse."""
    import degrade
    degrade.make(eval_data, degraded)
    folders = [Path(eval_data) / "dev" / name for name in OTHER_SETS] + sorted(Path(degraded).glob("degraded-*"))
    lines = ["## Other pages: eval-data's other sets of whole pages, and degraded copies of clean pages", "",
             "Each page in the language of its set (accuracy.py's rule); only pages whose text layout changes are",
             "listed, then every set's total.", "",
             "| set | page | CER before | CER after |", "|---|---|---|---|"]
    totals = []
    for folder in folders:
        images = sorted(p for p in folder.glob("*") if p.suffix.lower() in {".png", ".tif", ".jpg"} and p.with_suffix(".txt").exists())
        if not images:
            continue
        by_language = collections.defaultdict(list)
        for image in images:
            by_language[language_for(folder.name, image)].append(image)
        sums = collections.Counter()
        for language, group in sorted(by_language.items()):
            before = convert(binary, group, workdir, layout=False, language=language)
            after = convert(binary, group, workdir, layout=True, language=language)
            for image in group:
                truth = normalise_in(image.with_suffix(".txt").read_text(encoding="utf-8"), language)
                b = edit_distance(normalise_in(before[image]["text"], language), truth)
                a = edit_distance(normalise_in(after[image]["text"], language), truth)
                sums["before"] += b
                sums["after"] += a
                sums["length"] += len(truth)
                sums["worse"] += a > b
                sums["better"] += a < b
                if a != b:
                    lines.append(f"| {folder.name} | {image.stem} | {b / max(len(truth), 1):.2%} | {a / max(len(truth), 1):.2%} |")
                    print(lines[-1], flush=True)
        totals.append(f"| {folder.name} | {len(images)} | {sums['before'] / sums['length']:.2%} | {sums['after'] / sums['length']:.2%} "
                      f"| {sums['better']} | {sums['worse']} |")
    return lines + ["", "| set | pages | CER before | CER after | pages better | pages worse |", "|---|---|---|---|---|---|"] + totals + [""]


OTHER_SETS = ["tesseract-testing", "tesseract-testing-rotated", "texlive-docs-rendered-multilang"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval-data", default="../shared/eval-data")
    parser.add_argument("--ocrchat", default=".build/release/ocrchat")
    parser.add_argument("--out", default="LAYOUT.md")
    parser.add_argument("--degraded", default=".build/degraded", help="where accuracy.py's degraded sets are made (once)")
    parser.add_argument("--only-other", action="store_true", help="only the other sets (a quick check, printed)")
    args = parser.parse_args()
    scribe = Path(args.eval_data) / "dev" / "scribe-ocr-benchmark"
    real = sorted(p for p in scribe.glob("*.png") if p.with_suffix(".txt").exists()) if scribe.is_dir() else []
    generated = sorted(SAMPLES.glob("layout-*.png"))
    lines = ["# Layout: the text in reading order before and after", "",
             "Made by `make layout-eval` (Scripts/layout-eval.py). Before = `OCRCHAT_LAYOUT=off` (the recogniser's",
             "own blocks and order); after = the layout step. CER in reading order; word error is order-free.", ""]
    with tempfile.TemporaryDirectory() as workdir:
        if args.only_other:
            print("\n".join(other_pages(args.ocrchat, args.eval_data, args.degraded, workdir)))
            return
        for title, images, truth_of in [
            ("Real pages: eval-data/dev/scribe-ocr-benchmark", real, lambda i: i.with_suffix(".txt").read_text()),
            ("Generated pages: Samples/layout-*.png", generated, None),
        ]:
            if not images:
                lines += [f"## {title}", "", "(not found)", ""]
                continue
            before = convert(args.ocrchat, images, workdir, layout=False)
            after = convert(args.ocrchat, images, workdir, layout=True)
            tables = convert(args.ocrchat, images, workdir, layout=True, tool="extract-tables")
            lines += [f"## {title}", "", "| page | CER before | CER after | word error before | word error after |"
                      + (" cell accuracy | cell accuracy (extract-tables) |" if truth_of is None else ""),
                      "|---|---|---|---|---|" + ("---|---|" if truth_of is None else "")]
            sums = collections.Counter()
            for image in images:
                if truth_of:
                    truth = truth_of(image)
                    drawn = None
                else:
                    drawn = json.loads(image.with_suffix(".json").read_text())
                    parts = []
                    for piece in drawn["order"]:
                        parts.append(piece)
                        if drawn["tables"] and len(parts) == 2:  # the table stands after the intro paragraph
                            parts += [" ".join(row) for row in drawn["tables"][0]["rows"]]
                    truth = " ".join(parts)
                b, a = before[image]["text"], after[image]["text"]
                row = [image.stem, cer(b, truth), cer(a, truth), word_error(normalise(b), normalise(truth)),
                       word_error(normalise(a), normalise(truth))]
                truth_length = len(normalise(truth))
                sums["before"] += row[1] * truth_length
                sums["after"] += row[2] * truth_length
                sums["length"] += truth_length
                cells = ""
                if drawn is not None:
                    plain, preset = cell_accuracy(after[image], drawn["tables"]), cell_accuracy(tables[image], drawn["tables"])
                    cells = " " + " | ".join("–" if v is None else f"{v:.0%}" for v in (plain, preset)) + " |"
                lines.append(f"| {row[0]} | {row[1]:.2%} | {row[2]:.2%} | {row[3]:.2%} | {row[4]:.2%} |{cells}")
                print(lines[-1], flush=True)
            lines.append(f"| **all** | {sums['before'] / sums['length']:.2%} | {sums['after'] / sums['length']:.2%} | | |"
                         + (" | |" if truth_of is None else ""))
            lines.append("")
        lines += other_pages(args.ocrchat, args.eval_data, args.degraded, workdir)
    # A "## Notes" section written by hand under the tables (what a figure means) is kept.
    out = Path(args.out)
    previous = out.read_text() if out.exists() else ""
    notes = previous[previous.index("\n## Notes") + 1:] if "\n## Notes" in previous else ""
    out.write_text("\n".join(lines) + "\n" + notes)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
