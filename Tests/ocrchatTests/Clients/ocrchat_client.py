#!/usr/bin/env python3
"""A client written the way an ocr.chat user writes one with `requests`: upload, poll, download.

Only BASE_URL differs from a script for the public service. Usage:
    ocrchat_client.py BASE_URL FILE [TOKEN]
Prints the downloaded text; exits non-zero on any failure.
"""
import sys
import time

import requests

BASE_URL = sys.argv[1].rstrip("/")
path = sys.argv[2]
headers = {"Authorization": f"Bearer {sys.argv[3]}"} if len(sys.argv) > 3 else {}

with open(path, "rb") as f:
    r = requests.post(f"{BASE_URL}/api/v1/ocr/", files={"file": f}, data={"tier": "cpu", "language": "en"},
                      headers=headers, timeout=300)
r.raise_for_status()
job = r.json()
uuid = job["uuid"]

deadline = time.time() + 300
while job["status"] not in ("done", "failed"):
    if time.time() > deadline:
        sys.exit("timed out waiting for the job")
    time.sleep(0.5)
    r = requests.get(f"{BASE_URL}/api/v1/ocr/{uuid}/", headers=headers, timeout=30)
    r.raise_for_status()
    job = r.json()

if job["status"] == "failed":
    sys.exit(f"job failed: {job.get('error')}")
assert 0 <= job["mean_confidence"] <= 1, job["mean_confidence"]
assert len(job["pages"]) == job["page_count"]

r = requests.get(f"{BASE_URL}/api/v1/ocr/{uuid}/download/", params={"format": "txt"}, headers=headers, timeout=60)
r.raise_for_status()
assert r.headers["Content-Type"].startswith("text/plain"), r.headers["Content-Type"]
assert "attachment" in r.headers["Content-Disposition"]
print(r.text)
