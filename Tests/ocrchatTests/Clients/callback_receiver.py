#!/usr/bin/env python3
"""A completion-callback receiver as an office would write one, for the live tests.

Usage: callback_receiver.py PORT_FILE LOG_FILE SECRET [ANSWERS]

Listens on a free loopback port (written to PORT_FILE), and for each POST appends one JSON line
to LOG_FILE: the path, the headers, the body, and whether its X-OCRChat-Signature is the
HMAC-SHA256 of the body under SECRET (checked with hmac.compare_digest, as a receiver should).
ANSWERS is a comma-separated list of what to answer each call in turn (a status such as 500 or
204, or "redirect:URL" for a 302 to URL, or "hang" to answer nothing for 60 s); the last is
repeated. Default: 200.
"""
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file, log_file, secret = sys.argv[1], sys.argv[2], sys.argv[3].encode()
answers = (sys.argv[4] if len(sys.argv) > 4 else "200").split(",")
lock = threading.Lock()
calls = []


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
        given = self.headers.get("X-OCRChat-Signature", "")
        with lock:
            calls.append(1)
            answer = answers[min(len(calls), len(answers)) - 1]
            with open(log_file, "a", encoding="utf-8") as log:
                log.write(json.dumps({
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body.decode("utf-8"),
                    "verified": hmac.compare_digest(expected, given),
                }) + "\n")
        if answer == "hang":
            time.sleep(60)
            return
        if answer.startswith("redirect:"):
            self.send_response(302)
            self.send_header("Location", answer[len("redirect:"):])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(int(answer))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


# A test that died without stopping it: gone after ten minutes anyway.
threading.Timer(600, lambda: os._exit(0)).start()
server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
server.daemon_threads = True
with open(port_file + ".tmp", "w") as handle:
    handle.write(str(server.server_address[1]))
os.replace(port_file + ".tmp", port_file)
server.serve_forever()
