"""Reads a CSV file the way a spreadsheet import would, with Python's csv module, and prints JSON.

Usage: read_csv.py FILE
Prints {"bom": bool, "rows": [[cell, ...], ...], "canonical": bool, "ends_with_crlf": bool}.
"canonical" is true when Python's own RFC 4180 writer (minimal quoting, CRLF) gives the same text
back from the parsed rows, which catches stray LF record ends and needless or missing quotes.
"""
import csv
import io
import json
import sys

raw = open(sys.argv[1], "rb").read()
bom = raw.startswith(b"\xef\xbb\xbf")
text = raw.decode("utf-8-sig")
rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))

rewritten = io.StringIO(newline="")
csv.writer(rewritten, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)

json.dump({"bom": bom, "rows": rows, "canonical": rewritten.getvalue() == text,
           "ends_with_crlf": text.endswith("\r\n")}, sys.stdout, ensure_ascii=False)
