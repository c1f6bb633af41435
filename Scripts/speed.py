#!/usr/bin/env python3
"""`make bench`: ocrchat beside the tesseract command and OCRmyPDF, side by side in one run, on the
same inputs (built from eval-data by bench_inputs.py); prints one table per part and writes them,
with the machine and the versions, to BENCHMARKS.md.

1. Seconds per page: each page image read by `tesseract IMG - -l eng` and by `ocrchat convert
   --jobs 1 -l eng IMG`, alternately; both include process start and model load, as a user pays them.
2. A 22-page scanned PDF and 3. a 50-page born-digital PDF, each read by: the tesseract command with
   OMP_THREAD_LIMIT=1 one page at a time (on pages rendered beforehand at 300 dpi: rendering is not
   counted for it), `ocrchat convert` (cpu and vlm tiers, text; cpu, searchable PDF), the server
   (submit + poll until done, then the text downloaded) and OCRmyPDF --jobs N (searchable PDF,
   `--output-type pdf --optimize 0`, so that it makes the same kind of file as ocrchat; on the
   born-digital PDF with --skip-text, the equivalent of ocrchat's use of the text layer).
   Median wall time of --runs runs, the tools taking turns within each run so that drift of the
   machine hits all alike; ratios of pages/minute against the tesseract command and OCRmyPDF.
4. `--language auto` against the language named: the first page of a job (each page of eval-data's
   TeX Live set alone: German, French, Russian, Chinese) and the later pages of 8-page scans (TIFFs
   rendered from the French, German and Russian manuals), `--jobs 1` so that the pages come one after
   another as the memory of a job sees them; later-page cost = (8-page time − 1-page time) / 7; wall
   and CPU seconds, medians over the pages and the documents. `--only auto` runs this part alone.
5. Peak RSS of `ocrchat convert` on 5-, 50- and 500-page PDFs (the same five pages cycled).
6. Server latency of one-page image requests (submit + poll) at 1, 8 and 32 concurrent clients.

Usage: speed.py --eval-data ../shared/eval-data --ocrchat .build/release/ocrchat [--runs 3] [--quick]
       [--only auto]
"""
import argparse
import concurrent.futures
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import bench_inputs

# The per-page mix: every kind of page in eval-data, a seeded random choice of pages of each
# (PAGE_SEED, PER_KIND pages a kind, 1 with --quick), so that nobody picks favourable pages. A kind is
# a set of dev/ (the scribe set by its file's prefix: chart, deposition, filing, multicol, table; the
# TeX Live set by language), plus the pages of pdfs/'s scans (OCRmyPDF's test files), rendered at
# 300 dpi grey for both readers. Each kind is read in its own language by both.
PAGE_SEED = 22
PER_KIND = 2
SET_LANGUAGES = {"cyrillic-lines-ru": "rus", "openiti-arabic-lines": "ara"}
TEXLIVE_LANGUAGES = {"de": "deu", "fr": "fra", "ru": "rus", "zh": "chi_sim"}
STAGES = ["render", "gray", "orientation", "script", "deskew", "recognise", "reread", "rulings", "layout", "export"]


def page_kinds(data, work, per_kind, seed=PAGE_SEED):
    """{kind: (language, [image paths])}, chosen by a seeded random draw from every kind."""
    import random
    chooser = random.Random(seed)
    kinds = {}
    for folder in sorted((data / "dev").iterdir()):
        images = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".png", ".tif", ".tiff", ".jpg"))
        groups = {}
        for image in images:
            if folder.name == "scribe-ocr-benchmark":
                key, language = f"scribe {image.stem.split('_')[0]}", "eng"
            elif folder.name == "texlive-docs-rendered-multilang":
                prefix = image.stem.split("_")[0]
                key, language = f"texlive {prefix}", TEXLIVE_LANGUAGES[prefix]
            else:
                key, language = folder.name, SET_LANGUAGES.get(folder.name, "eng")
            groups.setdefault(key, (language, []))[1].append(image)
        for key, (language, members) in sorted(groups.items()):
            kinds[key] = (language, sorted(chooser.sample(members, min(per_kind, len(members)))))
    scans = sorted((data / "pdfs").glob("ocrmypdf_*.pdf"))
    pages = [(pdf, number) for pdf in scans for number in range(1, bench_inputs.page_count(pdf) + 1)]
    chosen = []
    for pdf, number in sorted(chooser.sample(pages, min(per_kind * 2, len(pages)))):
        prefix = work / f"scan-{pdf.stem}-{number}"
        subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", "-f", str(number), "-l", str(number),
                        str(pdf), str(prefix)], check=True)
        chosen.append(Path(str(prefix) + ".png"))
    kinds["pdfs scans"] = ("eng", chosen)
    return kinds


# GNU time (Debian package `time`) for each reader's own peak RSS; without it, wait4's.
TIME = shutil.which("time", path="/usr/bin") or None
ENV = dict(os.environ, OMP_THREAD_LIMIT="1")
CORES = os.cpu_count() or 1


def log(message):
    print(message, file=sys.stderr, flush=True)


class Child:
    """Runs one command, returning wall seconds, CPU seconds and peak RSS (MiB) from wait4."""

    @staticmethod
    def run(command, env=ENV, timings=None):
        """`timings`, a list: the stage seconds the command printed (OCRCHAT_TIMINGS=1) are appended."""
        if timings is not None:
            env = dict(env, OCRCHAT_TIMINGS="1")
        # Peak RSS through GNU time, which forks before it runs the command: a child this process
        # starts directly inherits its high-water mark at exec (Linux keeps the larger of the two),
        # so every reader would report at least what this script itself holds.
        rss_file = tempfile.NamedTemporaryFile(prefix="speed-rss-", delete=False) if TIME else None
        wrapped = ([TIME, "-f", "%M", "-o", rss_file.name] if rss_file else []) + [str(c) for c in command]
        start = time.perf_counter()
        process = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        stderr_chunks = []
        reader = threading.Thread(target=lambda: stderr_chunks.append(process.stderr.read()))
        reader.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        reader.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            message = b"".join(stderr_chunks).decode(errors="replace")[-2000:]
            sys.exit(f"{' '.join(map(str, command))} failed ({process.returncode}): {message}")
        if timings is not None:
            import json
            for line in b"".join(stderr_chunks).decode(errors="replace").splitlines():
                if line.startswith('{"timings"'):
                    timings.append(json.loads(line)["timings"])
        peak = usage.ru_maxrss
        if rss_file:
            with open(rss_file.name) as reported:
                peak = int(reported.read().split()[-1])
            os.unlink(rss_file.name)
        return wall, usage.ru_utime + usage.ru_stime, peak / 1024


class Server:
    """`ocrchat serve` on a free loopback port with its own data folder and metering off."""

    def __init__(self, ocrchat, data):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.refusals = 0  # 429/503 answers (queue full) that were waited out
        self.process = subprocess.Popen(
            # The latency table's clients all come from loopback: one address, so its limit on
            # uploads at once (8) would turn them away; it measures the server, not that limit.
            [ocrchat, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--data", str(data), "--metering", "off",
             "--max-uploads-per-address", "0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
        import requests
        self.session = requests
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if requests.get(self.base + "/health", timeout=2).status_code < 500:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        sys.exit("the server did not start within 120 s")

    def convert(self, path, poll=0.05):
        """Submit + poll until done, then the text: what a client does. Returns seconds."""
        requests = self.session
        start = time.perf_counter()
        while True:
            with open(path, "rb") as file:
                response = requests.post(self.base + "/api/v1/ocr/", files={"file": (Path(path).name, file)},
                                         data={"language": "eng"}, timeout=3600)
            if response.status_code not in (429, 503):
                break
            # The queue is full: wait as told, as a client does; the wait counts in the latency.
            self.refusals += 1
            time.sleep(float(response.headers.get("Retry-After", "1")))
        if response.status_code >= 300:
            raise RuntimeError(f"POST {response.status_code}: {response.text[:300]}")
        job = response.json()
        while job["status"] not in ("done", "failed"):
            time.sleep(poll)
            job = requests.get(f"{self.base}/api/v1/ocr/{job['uuid']}/", timeout=60).json()
        if job["status"] != "done":
            raise RuntimeError(f"job failed: {job.get('error')}")
        return time.perf_counter() - start

    def peak_rss(self):
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def versions(ocrchat):
    lines = subprocess.run([ocrchat, "version"], capture_output=True, text=True, env=ENV).stdout.strip().splitlines()
    found = [line for line in lines if not line.startswith("model folders")]
    ocrmypdf = subprocess.run(["ocrmypdf", "--version"], capture_output=True, text=True).stdout.strip()
    found.append(f"ocrmypdf {ocrmypdf}")
    return found


def cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown cpu"


def per_page(data, ocrchat, runs, quick, work, before=None):
    """Per kind of page: medians of each page's runs, the kind's ratio the sum of its pages' medians.
    `before`: another ocrchat binary (e.g. main's) read in turn with the others, for a before/after."""
    kinds = page_kinds(data, work, 1 if quick else PER_KIND)
    lines = ["## Seconds per page, by kind of page (one thread each; includes process start and model load)", "",
             f"Pages drawn at random (seed {PAGE_SEED}, {1 if quick else PER_KIND} a kind, twice that from pdfs/'s scans) "
             "from every kind in eval-data; each kind read in its language by both. Where ocrchat's time went: "
             "thread-seconds per stage from `OCRCHAT_TIMINGS=1`, summed over the kind's pages (medians of the runs); "
             "*start* is the rest of the wall time (process start, model load, writing the output).", "",
             "| kind | pages | tesseract s | ocrchat s | ocrchat / tesseract | " + " | ".join(STAGES) + " | start |"
             + (" before s | before / tesseract |" if before else ""),
             "|---|---|---:|---:|---:|" + "---:|" * (len(STAGES) + 1) + ("---:|---:|" if before else "")]
    before_ratios = {}
    ratios = {}
    for kind, (language, images) in kinds.items():
        theirs_total = ours_total = before_total = 0.0
        stages = {stage: 0.0 for stage in STAGES}
        for image in images:
            ours, theirs, timings, earlier = [], [], [], []
            for _ in range(runs):
                theirs.append(Child.run(["tesseract", image, "-", "-l", language])[0])
                ours.append(Child.run([ocrchat, "convert", "--jobs", "1", "--language", language, image], timings=timings)[0])
                if before:
                    earlier.append(Child.run([before, "convert", "--jobs", "1", "--language", language, image])[0])
            if before:
                before_total += statistics.median(earlier)
            theirs_total += statistics.median(theirs)
            ours_total += statistics.median(ours)
            for stage in STAGES:
                stages[stage] += statistics.median(t.get(stage, 0.0) for t in timings) if timings else 0.0
        ratios[kind] = ours_total / theirs_total
        start = ours_total - sum(stages.values())
        names = ", ".join(p.name for p in images)
        lines.append(f"| {kind} ({language}) | {names} | {theirs_total:.2f} | {ours_total:.2f} | {ratios[kind]:.2f} | "
                     + " | ".join(f"{stages[stage]:.2f}" for stage in STAGES) + f" | {start:.2f} |"
                     + (f" {before_total:.2f} | {before_total / theirs_total:.2f} |" if before else ""))
        if before:
            before_ratios[kind] = before_total / theirs_total
        log(lines[-1])
    worst = max(ratios, key=ratios.get)
    lines.append(f"| **median of {len(ratios)} kinds** | | | | **{statistics.median(ratios.values()):.2f}** | "
                 + " | " * len(STAGES) + " |")
    lines.append(f"| **worst: {worst}** | | | | **{ratios[worst]:.2f}** | " + " | " * len(STAGES) + " |")
    if before:
        lines += ["", f"Before (`{before}`): median {statistics.median(before_ratios.values()):.2f}, worst "
                      f"{max(before_ratios.values()):.2f} ({max(before_ratios, key=before_ratios.get)})."]
    return lines, ratios


AUTO_PAGES = "dev/texlive-docs-rendered-multilang"  # every page: de, fr, ru, zh (language from the name)
AUTO_LANGUAGES = {"de": "deu", "fr": "fra", "ru": "rus", "zh": "chi_sim"}
AUTO_DOCUMENTS = [("pdfs/texlive_lshort-fr.pdf", 20, "fra"), ("pdfs/texlive_l2kurz.pdf", 10, "deu"),
                  ("pdfs/texlive_mpman-ru.pdf", 10, "rus")]  # 8 pages of each from that page on


def auto_language(data, ocrchat, runs, work):
    """Seconds of --language auto and of the language named, first page and later pages.

    Wall seconds as a user waits for them, and CPU seconds (user + system), which other work on a
    shared machine disturbs far less; the targets are judged on the medians of the CPU ratios."""
    lines = ["## `--language auto` against the language named (one thread, process start and model load included)", "",
             "Wall and CPU seconds, the median of the runs; auto and named take turns on the same input. "
             "A first page is a one-page job; a later page is a document's 8-page job less its first page, per page.", "",
             "| input | named s (cpu) | auto s (cpu) | auto / named, wall | auto / named, cpu |",
             "|---|---:|---:|---:|---:|"]

    def compare(named_command, auto_command):
        named, auto = [], []
        for _ in range(runs):
            named.append(Child.run(named_command)[:2])
            auto.append(Child.run(auto_command)[:2])
        n = [statistics.median(t[i] for t in named) for i in (0, 1)]
        a = [statistics.median(t[i] for t in auto) for i in (0, 1)]
        return n, a

    first_wall, first_cpu = [], []
    for image in sorted((data / AUTO_PAGES).glob("*.png")):
        language = AUTO_LANGUAGES[image.name.split("_")[0]]
        n, a = compare([ocrchat, "convert", "--jobs", "1", "--language", language, image],
                       [ocrchat, "convert", "--jobs", "1", "--language", "auto", image])
        first_wall.append(a[0] / n[0])
        first_cpu.append(a[1] / n[1])
        lines.append(f"| first page: {image.name} ({language}) | {n[0]:.2f} ({n[1]:.2f}) | {a[0]:.2f} ({a[1]:.2f}) | "
                     f"{first_wall[-1]:.2f} | {first_cpu[-1]:.2f} |")
        log(lines[-1])
    from PIL import Image
    later_wall, later_cpu = [], []
    for pdf, start, language in AUTO_DOCUMENTS:
        rendered = []
        for number in range(start, start + 8):
            prefix = work / f"auto-{number}"
            subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", "-f", str(number), "-l", str(number),
                            str(data / pdf), str(prefix)], check=True)
            rendered.append(Image.open(str(prefix) + ".png"))
        one, eight = work / "auto-1page.tif", work / "auto-8pages.tif"
        rendered[0].save(one, compression="tiff_deflate", dpi=(300, 300))
        rendered[0].save(eight, compression="tiff_deflate", dpi=(300, 300), save_all=True, append_images=rendered[1:])
        n1, a1 = compare([ocrchat, "convert", "--jobs", "1", "--language", language, one],
                         [ocrchat, "convert", "--jobs", "1", "--language", "auto", one])
        n8, a8 = compare([ocrchat, "convert", "--jobs", "1", "--language", language, eight],
                         [ocrchat, "convert", "--jobs", "1", "--language", "auto", eight])
        n = [(n8[i] - n1[i]) / 7 for i in (0, 1)]
        a = [(a8[i] - a1[i]) / 7 for i in (0, 1)]
        later_wall.append(a[0] / n[0])
        later_cpu.append(a[1] / n[1])
        lines.append(f"| later pages: {Path(pdf).name} pages {start + 1}–{start + 7} ({language}), per page | "
                     f"{n[0]:.2f} ({n[1]:.2f}) | {a[0]:.2f} ({a[1]:.2f}) | {later_wall[-1]:.2f} | {later_cpu[-1]:.2f} |")
        log(lines[-1])
    lines.append(f"| **first page, median of {len(first_cpu)}** | | | **{statistics.median(first_wall):.2f}** | "
                 f"**{statistics.median(first_cpu):.2f}** |")
    lines.append(f"| **later pages, median of {len(later_cpu)} documents** | | | **{statistics.median(later_wall):.2f}** | "
                 f"**{statistics.median(later_cpu):.2f}** |")
    log("\n".join(lines[-2:]))
    return lines, statistics.median(first_cpu), statistics.median(later_cpu)


def document_rows(title, pdf, images, ocrchat, server, runs, work, born_digital, tesseract_runs):
    """One table: every reader of the same PDF, median wall time of `runs` runs taken in turns."""
    pages = bench_inputs.page_count(pdf)
    out = work / "out"
    out.mkdir(exist_ok=True)
    readers = {
        f"tesseract CLI, OMP_THREAD_LIMIT=1, page after page (txt)": None,
        f"ocrchat convert, cpu, --jobs {CORES} (txt)":
            [ocrchat, "convert", "-l", "eng", "--jobs", CORES, pdf, "-o", out / "cpu.txt"],
        f"ocrchat convert, vlm, --jobs {CORES} (txt)":
            [ocrchat, "convert", "-l", "eng", "--tier", "vlm", "--jobs", CORES, pdf, "-o", out / "vlm.txt"],
        f"ocrchat convert, cpu, --format pdf (searchable PDF)":
            [ocrchat, "convert", "-l", "eng", "--jobs", CORES, "--format", "pdf", pdf, "-o", out / "cpu.pdf"],
        "ocrchat server, submit + poll (cpu)": "server",
        f"OCRmyPDF --jobs {CORES} (searchable PDF)":
            ["ocrmypdf", "--jobs", CORES, "-l", "eng", "--output-type", "pdf", "--optimize", "0", "--quiet",
             *(["--skip-text"] if born_digital else []), pdf, out / "ocrmypdf.pdf"],
    }
    times = {label: [] for label in readers}
    cpu = {label: [] for label in readers}
    for run in range(runs):
        for label, command in readers.items():
            if command is None:
                if run >= tesseract_runs:
                    continue
                wall = spent = 0.0
                for image in images:
                    w, c, _ = Child.run(["tesseract", image, "-", "-l", "eng"])
                    wall, spent = wall + w, spent + c
                times[label].append(wall)
                cpu[label].append(spent)
            elif command == "server":
                times[label].append(server.convert(pdf))
            else:
                w, c, _ = Child.run(command)
                times[label].append(w)
                cpu[label].append(c)
            log(f"  {title} run {run + 1}: {label}: {times[label][-1]:.1f} s")
    rate = {label: pages * 60 / statistics.median(values) for label, values in times.items() if values}
    tesseract_label, ocrmypdf_label = list(readers)[0], list(readers)[-1]
    lines = [f"| reader | wall s | s/page | pages/min | CPU/wall | × tesseract | × OCRmyPDF |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for label, values in times.items():
        if not values:
            continue
        wall = statistics.median(values)
        load = f"{statistics.median(cpu[label]) / wall:.2f}" if cpu[label] else "–"
        lines.append(f"| {label} | {wall:.2f} | {wall / pages:.3f} | {rate[label]:.1f} | {load} | "
                     f"{rate[label] / rate[tesseract_label]:.2f} | {rate[label] / rate[ocrmypdf_label]:.2f} |")
        log(lines[-1])
    return lines, rate


def memory(inputs, ocrchat, quick, work):
    lines = ["| pages | ocrchat convert (txt) peak RSS MiB | wall s | ocrchat --format pdf peak RSS MiB | vlm tier peak RSS MiB |",
             "|---:|---:|---:|---:|---:|"]
    peaks = {}
    for count in bench_inputs.MEMORY_PAGES:
        if quick and count > 50:
            continue
        pdf = inputs / f"memory-{count}.pdf"
        wall, _, rss = Child.run([ocrchat, "convert", "-l", "eng", pdf, "-o", work / "memory.txt"])
        _, _, pdf_rss = Child.run([ocrchat, "convert", "-l", "eng", "--format", "pdf", pdf, "-o", work / "memory.pdf"])
        vlm = "–"
        if count <= 50:
            _, _, vlm_rss = Child.run([ocrchat, "convert", "-l", "eng", "--tier", "vlm", pdf, "-o", work / "memory-vlm.txt"])
            vlm = f"{vlm_rss:.0f}"
        peaks[count] = rss
        lines.append(f"| {count} | {rss:.0f} | {wall:.1f} | {pdf_rss:.0f} | {vlm} |")
        log(lines[-1])
    _, _, tesseract_rss = Child.run(["tesseract", inputs / "pages" / "02.png", "-", "-l", "eng"])
    lines += ["", f"For scale: the tesseract command alone peaks at {tesseract_rss:.0f} MiB on one scanned page "
                  f"(ocrchat runs {CORES} recognisers at once, each with its own models)."]
    return lines, peaks


def latency(server, image, quick):
    lines = ["| concurrent clients | requests | p50 s | p95 s | max s | requests/s |", "|---:|---:|---:|---:|---:|---:|"]
    results = {}
    for clients in (1, 8, 32):
        per_client = (2 if quick else 5) if clients == 1 else (1 if quick else 2)
        if clients == 1:
            server.convert(image)  # the first request loads the models
        total = clients * per_client
        seconds = []
        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(clients) as pool:
            for result in pool.map(lambda _: server.convert(image, poll=0.02), range(total)):
                seconds.append(result)
        elapsed = time.perf_counter() - start
        seconds.sort()
        p50 = statistics.median(seconds)
        p95 = seconds[min(len(seconds) - 1, int(round(0.95 * (len(seconds) - 1))))]
        results[clients] = (p50, p95)
        lines.append(f"| {clients} | {total} | {p50:.2f} | {p95:.2f} | {seconds[-1]:.2f} | {total / elapsed:.1f} |")
        log(lines[-1])
    return lines, results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval-data", default="../shared/eval-data")
    parser.add_argument("--ocrchat", default=".build/release/ocrchat")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one run, fewer pages and requests, no 500-page PDF")
    parser.add_argument("--inputs", default=".build/bench-inputs")
    parser.add_argument("--out", help="where the report goes (BENCHMARKS.md; BENCHMARKS-auto.md with --only auto)")
    parser.add_argument("--only", choices=["auto", "pages"],
                        help="run one part alone: auto = --language auto against named, pages = seconds per page by kind")
    parser.add_argument("--before", help="another ocrchat binary (main's) read beside it in the per-page part")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    data = Path(args.eval_data)
    ocrchat = str(Path(args.ocrchat).resolve())
    before = str(Path(args.before).resolve()) if args.before else None
    if args.only == "pages":
        with tempfile.TemporaryDirectory() as temporary:
            lines, ratios = per_page(data, ocrchat, runs, args.quick, Path(temporary), before)
        text = "\n".join([f"# Seconds per page by kind", "", f"`speed.py --only pages` on {platform.node()}: "
                          f"{cpu_model()}, {CORES} cores; {time.strftime('%Y-%m-%d %H:%M %Z')}; load average "
                          f"{os.getloadavg()[0]:.1f}; median of {runs} run(s).", ""] + lines) + "\n"
        print(text)
        Path(args.out or "BENCHMARKS-pages.md").write_text(text)
        return
    if args.only == "auto":
        with tempfile.TemporaryDirectory() as temporary:
            lines, first, later = auto_language(data, ocrchat, runs, Path(temporary))
        text = "\n".join([f"# `--language auto` against the language named", "",
                          f"`speed.py --only auto` on {platform.node()}: {cpu_model()}, {CORES} cores; "
                          f"{time.strftime('%Y-%m-%d %H:%M %Z')}; load average {os.getloadavg()[0]:.1f}; "
                          f"median of {runs} run(s).", ""] + lines + [
            "", f"First page {first:.2f}× the language named (target 1.3×), later pages {later:.2f}× (target 1.05×), "
                "medians of the CPU ratios."]) + "\n"
        print(text)
        Path(args.out or "BENCHMARKS-auto.md").write_text(text)
        return
    for tool in ("tesseract", "ocrmypdf"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: run `make bench-setup`")
    started = time.time()
    log("building the inputs (once) ...")
    inputs = bench_inputs.build(data, Path(args.inputs))
    images = sorted((inputs / "pages").glob("*.png"))
    load = os.getloadavg()
    report = ["# Speed and memory: ocrchat beside the tesseract command and OCRmyPDF", "",
              f"`make bench{' BENCH_QUICK=1' if args.quick else ''}` on {platform.node()}: {cpu_model()}, "
              f"{CORES} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') >> 30} GiB, "
              f"{platform.system()} {platform.release()}; {time.strftime('%Y-%m-%d %H:%M %Z')}; "
              f"load average at the start {load[0]:.1f}; " + ", ".join(versions(ocrchat)) + f"; median of {runs} run(s).",
              "", "Every row of a table ran in the same run on the same input, the readers taking turns.", ""]
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        log("seconds per page ...")
        lines, page_ratios = per_page(data, ocrchat, runs, args.quick, work, before)
        report += lines
        log("auto against the language named ...")
        lines, auto_first, auto_later = auto_language(data, ocrchat, runs, work)
        report += [""] + lines
        server = Server(ocrchat, work / "server-data")
        try:
            log("scanned PDF ...")
            scanned = inputs / "scanned.pdf"
            pages = bench_inputs.page_count(scanned)
            lines, scanned_rate = document_rows("scanned", scanned, images, ocrchat, server, runs, work, False, runs)
            report += ["", f"## A {pages}-page scanned PDF (eval-data scans: OCRmyPDF's, scribe-ocr-benchmark, TeX Live pages)", "",
                       "The tesseract command reads the pages rendered beforehand at 300 dpi grey (rendering not counted); "
                       "ocrchat renders them itself.", ""] + lines
            log("born-digital PDF ...")
            born = inputs / "born-digital.pdf"
            born_pages = bench_inputs.page_count(born)
            with tempfile.TemporaryDirectory() as rendered:
                born_images = []
                for number in range(1, (5 if args.quick else born_pages) + 1):
                    prefix = Path(rendered) / f"{number:02d}"
                    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", "-f", str(number), "-l",
                                    str(number), str(born), str(prefix)], check=True)
                    born_images.append(Path(str(prefix) + ".png"))
                lines, born_rate = document_rows("born-digital", born, born_images, ocrchat, server, runs, work, True, 1)
            tesseract_note = ("the tesseract command OCRs every page (it cannot read a text layer), once"
                              + (", on the first 5 pages only (quick mode)" if args.quick else ""))
            report += ["", f"## A {born_pages}-page born-digital PDF (pdf.js tracemonkey + TeX Live l2kurz)", "",
                       f"ocrchat takes these pages from their text layer; OCRmyPDF runs with --skip-text; {tesseract_note}.",
                       ""] + lines
            log("server latency ...")
            lines, lat = latency(server, inputs / "phototest.png", args.quick)
            report += ["", "## Server latency: one-page image (phototest, 640×480), submit + poll until done", "",
                       "The request is recognised within the POST (5 pages or fewer); the time is the client's, over loopback."
                       f" For scale, the per-page table above: phototest with the tesseract command (process start included).",
                       ""] + lines
            report += ["", f"Server peak RSS over the whole run: {server.peak_rss():.0f} MiB; "
                           f"{server.refusals} submission(s) answered 429/503 (queue full) and retried after Retry-After."]
        finally:
            server.stop()
        log("memory ...")
        lines, peaks = memory(inputs, ocrchat, args.quick, work)
        report += ["", "## Peak RSS against page count (letter pages at 300 dpi, five pages cycled, one turned 90° and one 180°)", ""] + lines
    cpu_label = f"ocrchat convert, cpu, --jobs {CORES} (txt)"
    pdf_label = "ocrchat convert, cpu, --format pdf (searchable PDF)"
    ocrmypdf_label = f"OCRmyPDF --jobs {CORES} (searchable PDF)"
    tesseract_label = "tesseract CLI, OMP_THREAD_LIMIT=1, page after page (txt)"
    born_cpu = born_rate[cpu_label] / 60
    summary = [
        "", "## Targets", "",
        "| target | measured | met |", "|---|---:|:---:|",
        f"| scanned PDF, cpu: ≥ 1.8× the tesseract command's pages/minute | {scanned_rate[cpu_label] / scanned_rate[tesseract_label]:.2f}× | "
        f"{'yes' if scanned_rate[cpu_label] / scanned_rate[tesseract_label] >= 1.8 else 'no'} |",
        f"| scanned PDF, searchable PDF: ahead of OCRmyPDF --jobs {CORES} | {scanned_rate[pdf_label] / scanned_rate[ocrmypdf_label]:.2f}× | "
        f"{'yes' if scanned_rate[pdf_label] > scanned_rate[ocrmypdf_label] else 'no'} |",
        f"| per page: at most 1.05× tesseract alone on every kind (worst kind) | {max(page_ratios.values()):.2f} | "
        f"{'yes' if max(page_ratios.values()) <= 1.05 else 'no'} |",
        f"| born-digital: ≥ 50 pages/s (incl. process start) | {born_cpu:.0f} pages/s | {'yes' if born_cpu >= 50 else 'no'} |",
        f"| auto, first page: at most 1.3× the language named (CPU, median of the pages) | {auto_first:.2f}× | {'yes' if auto_first <= 1.3 else 'no'} |",
        f"| auto, later pages: at most 1.05× the language named (CPU, median of the documents) | {auto_later:.2f}× | {'yes' if auto_later <= 1.05 else 'no'} |",
    ]
    if 500 in peaks:
        summary.append(f"| 500-page PDF: peak RSS < 400 MB | {peaks[500] * 1.048576:.0f} MB ({peaks[500] / peaks[5]:.2f}× the 5-page peak) | "
                       f"{'yes' if peaks[500] * 1.048576 < 400 else 'no'} |")
    report += summary
    report += ["", f"The whole run took {(time.time() - started) / 60:.1f} minutes; load average at the end "
                   f"{os.getloadavg()[0]:.1f} (anything well above {CORES} means other work shared the cores and every figure is noisy)."]
    text = "\n".join(report) + "\n"
    print(text)
    Path(args.out or "BENCHMARKS.md").write_text(text)


if __name__ == "__main__":
    main()
