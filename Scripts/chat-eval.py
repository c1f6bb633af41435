#!/usr/bin/env python3
"""How well the chat answers questions about real documents (`make chat-eval`).

Starts the release binary's server on a free loopback port with a throw-away data folder and a
token made by `ocrchat token create`, uploads each document of Scripts/chat-eval-questions.json
once (cpu tier, English), asks every question through `POST /api/v1/chat/{uuid}/` in a fresh
conversation, and reports, for the tuning questions and the held-out ones apart:

- exact match: the value the answer puts up front ("$463.02 (p. 1). The document says: …"),
  normalised (case, spaces, dashes, quotes, surrounding punctuation), equals an accepted answer;
  for a question the document does not answer, the answer says it could not find it;
- in answer: an accepted answer appears anywhere in the reply (a quoted sentence counts), the lenient
  figure beside it;
- citation: the first page cited is a page the answer is on (answerable questions only).

The held-out third (the second, fifth, eighth… question of each document, fixed when the questions
were written) is never looked at while the answerer is tuned; report it apart, do not tune on it.
Writes CHAT-EVAL.md (and --json). Needs only what `make setup` installs (requests).
"""
import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
NOT_FOUND = "I could not find this in the document."
VALUE_ANSWER = re.compile(r"^(?P<value>.+?) \(p\. \d+\)\. The document says: ", re.S)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def normalise(text):
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" .,;:\"'“”«»")


def value_of(content):
    """The value an answer puts up front, or None for a quote-only answer or a refusal."""
    match = VALUE_ANSWER.match(content)
    return match.group("value") if match else None


class Server:
    def __init__(self, binary, keep):
        self.binary = binary
        self.keep = keep
        self.data = tempfile.mkdtemp(prefix="ocrchat-chat-eval-")
        self.env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def __enter__(self):
        created = subprocess.run([self.binary, "token", "create", "--name", "chat-eval", "--data", self.data],
                                 capture_output=True, text=True, env=self.env, check=True)
        self.token = created.stdout.strip()
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.log = open(os.path.join(self.data, "server.log"), "wb")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--data", self.data, "--port", str(port), "--metering", "off"],
            stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise SystemExit("chat-eval: the server did not start; see " + os.path.join(self.data, "server.log"))

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        if not self.keep:
            subprocess.run(["rm", "-rf", self.data])

    @property
    def headers(self):
        return {"Authorization": f"Bearer {self.token}"}

    def upload(self, path, timeout):
        with open(path, "rb") as f:
            response = requests.post(self.base + "/api/v1/ocr/", headers=self.headers,
                                     files={"file": (path.name, f)}, data={"tier": "cpu", "language": "eng"},
                                     timeout=timeout)
        response.raise_for_status()
        job = response.json()
        deadline = time.time() + timeout
        while job.get("status") not in ("done", "failed"):
            if time.time() > deadline:
                raise SystemExit(f"chat-eval: {path.name} not done after {timeout} s")
            time.sleep(1)
            job = requests.get(f"{self.base}/api/v1/ocr/{job['uuid']}/", headers=self.headers, timeout=30).json()
        if job["status"] != "done":
            raise SystemExit(f"chat-eval: {path.name} failed: {job.get('error')}")
        return job["uuid"]

    def ask(self, uuid, question):
        response = requests.post(f"{self.base}/api/v1/chat/{uuid}/", headers=self.headers,
                                 json={"message": question}, timeout=60)
        response.raise_for_status()
        return response.json()


def judge(question, reply):
    content = reply["message"]["content"]
    pages = [c["page"] for c in reply["message"]["citations"]]
    accepted = [normalise(a) for a in question["answers"]]
    value = value_of(content)
    if not accepted:
        declined = not reply["found"] and content == NOT_FOUND
        return {"exact": declined, "in_answer": declined, "cited": None, "value": value, "pages": pages}
    wanted_pages = question["page"] if isinstance(question["page"], list) else [question["page"]]
    exact = value is not None and normalise(value) in accepted
    in_answer = reply["found"] and any(a in normalise(content) for a in accepted)
    cited = bool(pages) and pages[0] in wanted_pages
    return {"exact": exact, "in_answer": in_answer, "cited": cited, "value": value, "pages": pages}


def share(results, key):
    judged = [r[key] for r in results if r[key] is not None]
    return (sum(judged), len(judged))


def percent(pair):
    hits, total = pair
    return f"{hits}/{total} ({100 * hits / total:.0f}%)" if total else "–"


def report(rows, documents_seconds):
    lines = ["# Chat evaluation (`make chat-eval`)", "",
             "Questions with their answers over the real documents of eval-data "
             "(Scripts/chat-eval-questions.json), asked through `POST /api/v1/chat/{uuid}/` of the release "
             "binary, cpu tier, extractive answerer. The held-out third is not used for tuning.", "",
             "| split | questions | exact match | in answer | page cited |", "|---|---|---|---|---|"]
    for split in ("tuning", "held-out"):
        part = [r for r in rows if r["split"] == split]
        lines.append(f"| {split} | {len(part)} | {percent(share(part, 'exact'))} | "
                     f"{percent(share(part, 'in_answer'))} | {percent(share(part, 'cited'))} |")
    lines += ["", "By kind (both splits):", "", "| kind | questions | exact match | page cited |", "|---|---|---|---|"]
    kinds = defaultdict(list)
    for r in rows:
        kinds[r["kind"]].append(r)
    for kind in sorted(kinds):
        lines.append(f"| {kind} | {len(kinds[kind])} | {percent(share(kinds[kind], 'exact'))} | "
                     f"{percent(share(kinds[kind], 'cited'))} |")
    lines += ["", f"Recognising the {len(documents_seconds)} documents took {sum(documents_seconds.values()):.0f} s.",
              "", "| # | split | document | question | accepted | answer's value | pages | exact | cited |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        accepted = " / ".join(r["answers"]) or "(not in the document)"
        value = r["value"] if r["value"] is not None else ("(declined)" if not r["found"] else "(quote)")
        cell = lambda text: str(text).replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {r['id']} | {r['split']} | {Path(r['document']).name} | {cell(r['question'])} | "
                     f"{cell(accepted)} | {cell(value)} | {','.join(map(str, r['pages']))} | "
                     f"{'✓' if r['exact'] else '✗'} | {'–' if r['cited'] is None else '✓' if r['cited'] else '✗'} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ocrchat", default=".build/release/ocrchat")
    parser.add_argument("--eval-data", default="../shared/eval-data")
    parser.add_argument("--questions", default=str(HERE / "chat-eval-questions.json"))
    parser.add_argument("--out", default="CHAT-EVAL.md")
    parser.add_argument("--json", help="also write every answer as JSON here")
    parser.add_argument("--only", choices=["tuning", "held-out"], help="ask only this split's questions")
    parser.add_argument("--timeout", type=int, default=900, help="seconds one document may take to recognise")
    parser.add_argument("--keep", action="store_true", help="keep the data folder (and its server.log)")
    args = parser.parse_args()

    questions = json.loads(Path(args.questions).read_text())
    if args.only:
        questions = [q for q in questions if q["split"] == args.only]
    eval_data = Path(args.eval_data)
    missing = sorted({q["document"] for q in questions if not (eval_data / q["document"]).exists()})
    if missing:
        raise SystemExit(f"chat-eval: not in {eval_data}: {', '.join(missing)}")
    rows, jobs, seconds = [], {}, {}
    with Server(args.ocrchat, args.keep) as server:
        for question in questions:
            document = question["document"]
            if document not in jobs:
                started = time.time()
                jobs[document] = server.upload(eval_data / document, args.timeout)
                seconds[document] = time.time() - started
                print(f"{document}: recognised in {seconds[document]:.1f} s", file=sys.stderr)
            reply = server.ask(jobs[document], question["question"])
            verdict = judge(question, reply)
            rows.append({**question, **verdict, "found": reply["found"], "content": reply["message"]["content"]})
            mark = "✓" if verdict["exact"] else "✗"
            print(f"{mark} [{question['split']}] {question['question']} → {reply['message']['content'][:100]}",
                  file=sys.stderr)
    text = report(rows, seconds)
    Path(args.out).write_text(text)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    print(text.split("\n\nBy kind")[0])
    print(f"(written to {args.out})")


if __name__ == "__main__":
    main()
