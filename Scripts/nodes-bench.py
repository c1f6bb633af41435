#!/usr/bin/env python3
"""`make bench-nodes`: what PostgreSQL costs and what a second node brings, on this machine (issue 20).

On a throw-away PostgreSQL 15 cluster (initdb and postgres as the postgres user when run as root,
a free loopback port, removed afterwards), side by side in one run:

1. Pages a minute with one `ocrchat serve --database` node, then with two on the same machine (the
   cores are shared, so two nodes should be no slower), on the same queued work: JOBS copies of a
   10-page scanned PDF uploaded at once (queued: more than 5 pages), spread over the nodes.
2. One-page jobs (read within the upload) one after another: the median seconds of an upload on
   SQLite and on PostgreSQL, and the difference: what the shared database adds to each small job.

Usage: nodes-bench.py --ocrchat .build/release/ocrchat [--jobs 6] [--small 15] [--out BENCHMARKS-nodes.md]
"""
import argparse
import concurrent.futures
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path("/usr/lib/postgresql/15/bin")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="ocrchat-nodes-bench-"))
        self.port = free_port()
        self.owner = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        if os.getuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        subprocess.run(self.owner + [BIN / "initdb", "-D", self.folder / "data", "-U", "ocrchat", "--auth=trust",
                                     "-E", "UTF8", "--locale=C", "--no-sync"], check=True, capture_output=True)
        subprocess.run(self.owner + [BIN / "pg_ctl", "-D", self.folder / "data", "-l", self.folder / "server.log", "-w",
                                     "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1", "start"],
                       check=True, capture_output=True)

    def database(self, name):
        subprocess.run([BIN / "psql", "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", "ocrchat", "-d", "postgres",
                        "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
        return f"postgres://ocrchat@127.0.0.1:{self.port}/{name}?sslmode=disable"

    def close(self):
        subprocess.run(self.owner + [BIN / "pg_ctl", "-D", self.folder / "data", "-m", "immediate", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


class Node:
    def __init__(self, ocrchat, name, database=None):
        self.folder = Path(tempfile.mkdtemp(prefix=f"ocrchat-node-{name}-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        arguments = [ocrchat, "serve", "--data", self.folder, "--port", str(self.port), "--metering", "off", "--node", name]
        if database:
            arguments += ["--database", database]
        self.log = open(self.folder / "server.log", "wb")
        self.process = subprocess.Popen(arguments, stdout=self.log, stderr=self.log,
                                        env=dict(os.environ, OMP_THREAD_LIMIT="1"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"node {name} did not start: {(self.folder / 'server.log').read_text()[-2000:]}")

    def upload(self, path):
        result = subprocess.run(["curl", "-s", "-F", f"file=@{path}", self.url + "/api/v1/ocr/"],
                                capture_output=True, check=True)
        return json.loads(result.stdout)

    def job(self, uuid):
        with urllib.request.urlopen(f"{self.url}/api/v1/ocr/{uuid}/", timeout=30) as answer:
            return json.load(answer)

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def throughput(nodes, document, jobs):
    """Pages a minute for `jobs` copies of `document` uploaded at once over `nodes`, until all are done."""
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        created = list(pool.map(lambda i: nodes[i % len(nodes)].upload(document), range(jobs)))
    pending = {job["uuid"]: job["page_count"] for job in created}
    done_pages = 0
    while pending:
        time.sleep(0.5)
        for uuid in list(pending):
            job = nodes[0].job(uuid)  # any node answers any poll
            if job["status"] in ("done", "failed"):
                if job["status"] != "done":
                    raise SystemExit(f"job {uuid} failed: {job.get('error')}")
                done_pages += pending.pop(uuid)
    seconds = time.monotonic() - started
    return done_pages / seconds * 60, seconds, done_pages


def small_jobs(node, image, count):
    times = []
    for _ in range(count):
        started = time.monotonic()
        job = node.upload(image)
        if job.get("status") != "done":
            raise SystemExit(f"a one-page job did not finish within its upload: {job}")
        times.append(time.monotonic() - started)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ocrchat", default=str(ROOT / ".build/release/ocrchat"))
    parser.add_argument("--jobs", type=int, default=6, help="10-page PDFs queued per throughput run")
    parser.add_argument("--small", type=int, default=15, help="one-page uploads per store")
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS-nodes.md"))
    args = parser.parse_args()
    document = ROOT / "Samples/report-10pages.pdf"
    image = ROOT / "Samples/phototest.png"
    cluster = Cluster()
    rows = []
    try:
        # 1. One node, then two, on the same queued work (alternated twice; the medians are reported).
        one, two = [], []
        for run in range(2):
            database = cluster.database(f"one_{run}")
            nodes = [Node(args.ocrchat, "a", database)]
            one.append(throughput(nodes, document, args.jobs))
            for node in nodes:
                node.close()
            database = cluster.database(f"two_{run}")
            nodes = [Node(args.ocrchat, "a", database), Node(args.ocrchat, "b", database)]
            two.append(throughput(nodes, document, args.jobs))
            for node in nodes:
                node.close()
        one_rate = statistics.median(r[0] for r in one)
        two_rate = statistics.median(r[0] for r in two)
        rows.append(("one node, PostgreSQL", f"{one_rate:.1f}", ", ".join(f"{r[1]:.1f}" for r in one)))
        rows.append(("two nodes on this machine, one PostgreSQL", f"{two_rate:.1f}", ", ".join(f"{r[1]:.1f}" for r in two)))

        # 2. One-page jobs on SQLite and on PostgreSQL, the two nodes taking turns.
        sqlite = Node(args.ocrchat, "sqlite")
        shared = Node(args.ocrchat, "postgres", cluster.database("small"))
        small_jobs(sqlite, image, 2)  # warm both (models loaded, pools started)
        small_jobs(shared, image, 2)
        sqlite_times, shared_times = [], []
        for _ in range(3):
            sqlite_times.append(small_jobs(sqlite, image, max(1, args.small // 3)))
            shared_times.append(small_jobs(shared, image, max(1, args.small // 3)))
        sqlite.close()
        shared.close()
        sqlite_median, shared_median = statistics.median(sqlite_times), statistics.median(shared_times)
    finally:
        cluster.close()

    load = open("/proc/loadavg").read().split()[0]
    lines = [
        "# Several nodes: what PostgreSQL costs and what a second node brings (`make bench-nodes`)",
        "",
        f"{platform.node()}: {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average at the end {load}; binary {args.ocrchat}.",
        "",
        f"Throughput: {args.jobs} copies of Samples/report-10pages.pdf (10 scanned pages) uploaded at once and",
        "queued (more than 5 pages), spread over the nodes; pages a minute until the last is done, median of",
        "two runs (one node and two taking turns). The nodes share this machine's two cores.",
        "",
        "| setting | pages/min | seconds of each run |",
        "|---|---:|---|",
    ] + [f"| {name} | {rate} | {runs} |" for name, rate, runs in rows] + [
        "",
        f"Two nodes against one: {two_rate / one_rate:.2f}× the pages a minute.",
        "",
        f"One-page uploads (Samples/phototest.png, read within the upload), {args.small} a store in turns of",
        f"{max(1, args.small // 3)}: median seconds an upload, SQLite {sqlite_median:.3f} s, PostgreSQL {shared_median:.3f} s: "
        f"PostgreSQL adds {(shared_median - sqlite_median) * 1000:.0f} ms a job ({shared_median / sqlite_median:.2f}×).",
    ]
    Path(args.out).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
