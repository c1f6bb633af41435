#!/usr/bin/env python3
"""Load test of `ocrchat serve` on loopback: N requests from C concurrent clients.

Starts its own server on a fresh data folder and a free 127.0.0.1 port, then runs a fixed,
seeded mix of operations -- small image uploads (recognised within the POST), a few multi-page
PDFs (queued), polls and downloads in every format -- from C client threads with keep-alive
sessions. Beside them one thread asks /healthz twice a second (its latency is measured) and one
samples the server's resident memory (VmRSS) four times a second. A 503 or 429 must carry
Retry-After, which the client honours before trying again. When every operation has run (or
--max-seconds have passed) it waits for every accepted job to finish, checks the data folder,
stops the server with SIGTERM and prints a summary. Bounded in count and in time; it stops by
itself. Exit status 0 only when: no 5xx other than a 503 with Retry-After, no client timeout, no
lost or failed job, no upload left on disk, every health check answered, the RSS under
--max-rss-mib, and a clean exit 0 on SIGTERM.

    python3 Scripts/loadtest.py --ocrchat .build/release/ocrchat --requests 1000 --clients 50
"""

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "Samples")
IMAGES = ["phototest.png", "phototest.jpg", "phototest.gif", "phototest.webp", "phototest.bmp",
          "phototest-rotated-90.png", "phototest.tif", "letter-3pages.tif", "scanned-2pages.pdf"]
BIG_PDF = "report-10pages.pdf"
FORMATS = ["txt", "md", "json", "csv", "docx", "pdf"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(p / 100 * (len(ordered) - 1)))))
    return ordered[index]


class Recorder:
    """Every HTTP exchange: kind, status (or 'timeout'/'error'), seconds."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []
        self.problems = []

    def add(self, kind, status, seconds):
        with self.lock:
            self.rows.append((kind, status, seconds))

    def problem(self, text):
        with self.lock:
            if len(self.problems) < 50:
                self.problems.append(text)


class LoadTest:
    def __init__(self, args):
        self.args = args
        self.base = None
        self.recorder = Recorder()
        self.accepted = []  # uuids the server answered 200 to
        self.accepted_lock = threading.Lock()
        self.stop = threading.Event()
        self.rss_samples = []
        self.health = []  # (seconds or None)
        self.local = threading.local()
        self.files = {name: open(os.path.join(SAMPLES, name), "rb").read() for name in IMAGES + [BIG_PDF]}

    # --- server -------------------------------------------------------------------------

    def start_server(self):
        self.data = tempfile.mkdtemp(prefix="ocrchat-loadtest-")
        if self.args.config:
            with open(os.path.join(self.data, "ocrchat.json"), "w") as f:
                f.write(self.args.config)
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        self.log = open(os.path.join(self.data, "server.log"), "wb")
        self.server = subprocess.Popen([self.args.ocrchat, "serve", "--data", self.data, "--port", str(port)],
                                       stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.server.poll() is not None:
                break
            time.sleep(0.1)
        raise SystemExit("the server did not start; see " + os.path.join(self.data, "server.log"))

    def stop_server(self):
        started = time.time()
        self.server.send_signal(signal.SIGTERM)
        try:
            code = self.server.wait(timeout=self.args.shutdown_seconds)
        except subprocess.TimeoutExpired:
            self.server.kill()
            code = None
        self.log.close()
        return code, time.time() - started

    # --- samplers -----------------------------------------------------------------------

    def sample_rss(self):
        path = f"/proc/{self.server.pid}/status"
        while not self.stop.is_set():
            try:
                with open(path) as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            self.rss_samples.append(int(line.split()[1]) / 1024)
            except OSError:
                pass
            time.sleep(0.25)

    def probe_health(self):
        session = requests.Session()
        while not self.stop.is_set():
            started = time.time()
            try:
                ok = session.get(self.base + "/healthz", timeout=self.args.health_timeout).status_code == 200
                self.health.append(time.time() - started if ok else None)
            except requests.RequestException:
                self.health.append(None)
            time.sleep(0.5)

    # --- clients ------------------------------------------------------------------------

    def session(self):
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session

    def request(self, kind, method, path, **kwargs):
        """One logical request; a 503/429 is retried after its Retry-After (each try is recorded)."""
        for attempt in range(self.args.retries + 1):
            started = time.time()
            try:
                response = self.session().request(method, self.base + path, timeout=self.args.timeout, **kwargs)
            except requests.Timeout:
                self.recorder.add(kind, "timeout", time.time() - started)
                self.recorder.problem(f"{kind} {path}: client timeout after {self.args.timeout}s")
                return None
            except requests.RequestException as error:
                self.recorder.add(kind, "error", time.time() - started)
                self.recorder.problem(f"{kind} {path}: {error}")
                return None
            self.recorder.add(kind, response.status_code, time.time() - started)
            if response.status_code in (429, 503):
                retry_after = response.headers.get("Retry-After")
                if retry_after is None:
                    self.recorder.problem(f"{kind}: {response.status_code} without Retry-After")
                    return response
                if attempt < self.args.retries:
                    time.sleep(min(float(retry_after), 30))
                    continue
            return response
        return None

    def upload(self, name, kind):
        files = {"file": (name, self.files[name])}
        response = self.request(kind, "POST", "/api/v1/ocr/", files=files)
        if response is None:
            return
        if response.status_code == 200:
            job = response.json()
            with self.accepted_lock:
                self.accepted.append(job["uuid"])
            if kind == "upload-image" and job.get("status") != "done":
                self.recorder.problem(f"{name}: inline job answered {job.get('status')}: {job.get('error')}")
        elif response.status_code not in (429, 503):
            self.recorder.problem(f"{name}: {response.status_code} {response.text[:200]}")

    def pick(self, rng):
        with self.accepted_lock:
            return rng.choice(self.accepted) if self.accepted else None

    def operation(self, index, op):
        if self.stop.is_set() or time.time() > self.deadline:
            return "skipped"
        rng = random.Random(self.args.seed * 100003 + index)
        if op == "image":
            self.upload(rng.choice(IMAGES), "upload-image")
        elif op == "pdf":
            self.upload(BIG_PDF, "upload-pdf")
        elif op == "poll":
            uuid = self.pick(rng)
            response = self.request("poll", "GET", f"/api/v1/ocr/{uuid}/") if uuid else None
            if response is not None and response.status_code != 200:
                self.recorder.problem(f"poll {uuid}: {response.status_code}")
        elif op == "download":
            uuid = self.pick(rng)
            fmt = rng.choice(FORMATS)
            response = self.request("download", "GET", f"/api/v1/ocr/{uuid}/download/?format={fmt}") if uuid else None
            # 409: asked before the job is done, which a client may do.
            if response is not None and response.status_code not in (200, 409):
                self.recorder.problem(f"download {fmt} {uuid}: {response.status_code} {response.text[:200]}")
        return "ran"

    def plan(self):
        rng = random.Random(self.args.seed)
        n = self.args.requests
        pdfs = min(self.args.pdfs, n)
        images = max(1, int(n * 0.35))
        polls = int(n * 0.35)
        downloads = max(0, n - pdfs - images - polls)
        head = ["image"] * min(images, self.args.clients)  # something to poll from the start
        rest = ["image"] * (images - len(head)) + ["pdf"] * pdfs + ["poll"] * polls + ["download"] * downloads
        rng.shuffle(rest)
        return head + rest

    # --- the run ------------------------------------------------------------------------

    def run(self):
        self.start_server()
        threads = [threading.Thread(target=self.sample_rss, daemon=True), threading.Thread(target=self.probe_health, daemon=True)]
        for thread in threads:
            thread.start()
        time.sleep(1)
        baseline_rss = max(self.rss_samples) if self.rss_samples else float("nan")
        plan = self.plan()
        started = time.time()
        self.deadline = started + self.args.max_seconds
        with ThreadPoolExecutor(max_workers=self.args.clients) as pool:
            outcomes = list(pool.map(lambda pair: self.operation(*pair), enumerate(plan)))
        load_seconds = time.time() - started

        # No lost job: every accepted uuid must reach done.
        finals = {}
        session = requests.Session()
        drain_deadline = time.time() + self.args.max_seconds
        pending = list(self.accepted)
        while pending and time.time() < drain_deadline:
            still = []
            for uuid in pending:
                try:
                    status = session.get(f"{self.base}/api/v1/ocr/{uuid}/", timeout=30).json().get("status")
                except (requests.RequestException, ValueError):
                    status = None
                if status in ("done", "failed"):
                    finals[uuid] = status
                else:
                    still.append(uuid)
            pending = still
            if pending:
                time.sleep(1)
        drain_seconds = time.time() - started - load_seconds
        leftover_uploads = os.listdir(os.path.join(self.data, "uploads"))
        self.stop.set()
        for thread in threads:
            thread.join(timeout=5)
        exit_code, shutdown_seconds = self.stop_server()
        return self.summary(plan, outcomes, finals, pending, leftover_uploads, baseline_rss, load_seconds,
                            drain_seconds, exit_code, shutdown_seconds)

    def summary(self, plan, outcomes, finals, lost, leftover_uploads, baseline_rss, load_seconds, drain_seconds,
                exit_code, shutdown_seconds):
        rows = self.recorder.rows
        statuses = {}
        for _, status, _ in rows:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
        kinds = {}
        for kind, status, seconds in rows:
            kinds.setdefault(kind, []).append(seconds)
        health_ok = [h for h in self.health if h is not None]
        result = {
            "operations_planned": len(plan),
            "operations_run": outcomes.count("ran"),
            "clients": self.args.clients,
            "http_requests": len(rows),
            "status_counts": dict(sorted(statuses.items())),
            "latency_seconds": {kind: {"count": len(v), "p50": percentile(v, 50), "p95": percentile(v, 95),
                                       "p99": percentile(v, 99), "max": max(v)} for kind, v in sorted(kinds.items())},
            "all_latency_seconds": {"p50": percentile([r[2] for r in rows], 50), "p95": percentile([r[2] for r in rows], 95),
                                    "p99": percentile([r[2] for r in rows], 99)},
            "jobs_accepted": len(self.accepted),
            "jobs_done": sum(1 for s in finals.values() if s == "done"),
            "jobs_failed": sum(1 for s in finals.values() if s == "failed"),
            "jobs_lost": len(lost),
            "uploads_left_on_disk": len(leftover_uploads),
            "health_checks": len(self.health),
            "health_failures": len(self.health) - len(health_ok),
            "health_latency_p50": percentile(health_ok, 50),
            "health_latency_p99": percentile(health_ok, 99),
            "health_latency_max": max(health_ok) if health_ok else float("nan"),
            "rss_mib_baseline": baseline_rss,
            "rss_mib_peak": max(self.rss_samples) if self.rss_samples else float("nan"),
            "rss_mib_end": self.rss_samples[-1] if self.rss_samples else float("nan"),
            "load_seconds": load_seconds,
            "drain_seconds": drain_seconds,
            "sigterm_exit_code": exit_code,
            "sigterm_seconds": shutdown_seconds,
            "problems": self.recorder.problems,
        }
        failures = []
        five_hundreds = sum(n for s, n in statuses.items() if s.isdigit() and int(s) >= 500 and s != "503")
        if five_hundreds:
            failures.append(f"{five_hundreds} responses 5xx")
        if statuses.get("timeout") or statuses.get("error"):
            failures.append(f"{statuses.get('timeout', 0)} client timeouts, {statuses.get('error', 0)} connection errors")
        if any("without Retry-After" in p for p in self.recorder.problems):
            failures.append("a 503/429 without Retry-After")
        if result["operations_run"] < len(plan):
            failures.append(f"only {result['operations_run']} of {len(plan)} operations ran within {self.args.max_seconds}s")
        if lost or result["jobs_failed"]:
            failures.append(f"{len(lost)} jobs lost, {result['jobs_failed']} failed")
        if leftover_uploads:
            failures.append(f"{len(leftover_uploads)} uploads left in the data folder")
        if result["health_failures"]:
            failures.append(f"{result['health_failures']} health checks unanswered")
        if result["rss_mib_peak"] > self.args.max_rss_mib:
            failures.append(f"peak RSS {result['rss_mib_peak']:.0f} MiB over {self.args.max_rss_mib} MiB")
        if exit_code != 0:
            failures.append(f"SIGTERM exit code {exit_code}")
        other_problems = [p for p in self.recorder.problems if "without Retry-After" not in p]
        if other_problems:
            failures.append(f"{len(other_problems)} unexpected answers (see problems)")
        result["failures"] = failures
        return result


def markdown(result):
    lines = [
        f"| figure | value |",
        f"|---|---|",
        f"| operations (run / planned) | {result['operations_run']} / {result['operations_planned']} at {result['clients']} clients |",
        f"| HTTP requests (with retries after Retry-After) | {result['http_requests']} |",
        f"| status counts | {', '.join(f'{k}: {v}' for k, v in result['status_counts'].items())} |",
        f"| latency, all requests p50 / p95 / p99 | {result['all_latency_seconds']['p50']:.3f} / {result['all_latency_seconds']['p95']:.3f} / {result['all_latency_seconds']['p99']:.3f} s |",
    ]
    for kind, figures in result["latency_seconds"].items():
        lines.append(f"| latency, {kind} ({figures['count']}) p50 / p95 / p99 / max | {figures['p50']:.3f} / {figures['p95']:.3f} / {figures['p99']:.3f} / {figures['max']:.3f} s |")
    lines += [
        f"| jobs accepted / done / failed / lost | {result['jobs_accepted']} / {result['jobs_done']} / {result['jobs_failed']} / {result['jobs_lost']} |",
        f"| uploads left on disk | {result['uploads_left_on_disk']} |",
        f"| health checks (unanswered) | {result['health_checks']} ({result['health_failures']}) |",
        f"| health latency p50 / p99 / max | {result['health_latency_p50']*1000:.1f} / {result['health_latency_p99']*1000:.1f} / {result['health_latency_max']*1000:.1f} ms |",
        f"| server RSS baseline / peak / end | {result['rss_mib_baseline']:.0f} / {result['rss_mib_peak']:.0f} / {result['rss_mib_end']:.0f} MiB |",
        f"| load phase / drain of queued jobs | {result['load_seconds']:.1f} s / {result['drain_seconds']:.1f} s |",
        f"| SIGTERM: exit code, seconds | {result['sigterm_exit_code']}, {result['sigterm_seconds']:.1f} s |",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ocrchat", default=os.path.join(ROOT, ".build/release/ocrchat"))
    parser.add_argument("--requests", type=int, default=1000, help="operations to run (default 1000)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--pdfs", type=int, default=10, help="10-page PDFs among the uploads (default 10)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=300, help="client timeout per request, s (a timeout fails the run)")
    parser.add_argument("--retries", type=int, default=5, help="tries after a 503/429 with Retry-After")
    parser.add_argument("--max-seconds", type=float, default=1200, help="bound on the load phase, and on the drain")
    parser.add_argument("--health-timeout", type=float, default=10)
    parser.add_argument("--shutdown-seconds", type=float, default=60)
    parser.add_argument("--max-rss-mib", type=float, default=2048)
    parser.add_argument("--config", help="JSON written to the data folder's ocrchat.json")
    parser.add_argument("--json", help="write the figures as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the data folder (and its server.log)")
    args = parser.parse_args()

    test = LoadTest(args)
    result = test.run()
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    print(markdown(result))
    for problem in result["problems"][:20]:
        print("problem:", problem, file=sys.stderr)
    for failure in result["failures"]:
        print("FAIL:", failure, file=sys.stderr)
    if not args.keep:
        shutil.rmtree(test.data, ignore_errors=True)
    else:
        print("data folder:", test.data, file=sys.stderr)
    sys.exit(1 if result["failures"] else 0)


if __name__ == "__main__":
    main()
