#!/usr/bin/env python3
"""Reads a server's /metrics with prometheus_client's own text parser, as a Prometheus scraper
would, and prints every sample as JSON: {"families": {name: type}, "samples": [[name, labels, value]]}.

    metrics_scrape.py BASE_URL [TOKEN]

Exits 2 with the HTTP status on stderr when the page is refused, 3 when it does not parse.
"""
import json
import sys
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

base = sys.argv[1]
request = urllib.request.Request(f"{base}/metrics")
if len(sys.argv) > 2:
    request.add_header("Authorization", f"Bearer {sys.argv[2]}")
try:
    with urllib.request.urlopen(request, timeout=30) as response:
        content_type = response.headers.get("Content-Type", "")
        text = response.read().decode()
except urllib.error.HTTPError as error:
    print(error.code, file=sys.stderr)
    sys.exit(2)
try:
    families = list(text_string_to_metric_families(text))
except Exception as error:  # the parser's own complaint, whatever its type
    print(f"not Prometheus text: {error}", file=sys.stderr)
    sys.exit(3)
print(json.dumps({
    "content_type": content_type,
    "families": {family.name: family.type for family in families},
    "samples": [[sample.name, sample.labels, sample.value] for family in families for sample in family.samples],
}))
