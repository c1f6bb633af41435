#!/usr/bin/env python3
"""The Debian package, installed for real: dpkg -i, the service's command as its unit runs it, a
page uploaded and read back, doctor, then dpkg --purge and nothing left behind.

    deb-test.py ocrchat_0.1.0_amd64.deb

Needs root (dpkg). The server is started the way systemd would start it, from the installed unit:
its ExecStart (plus --port, a free loopback port, so that it never meets another server on 8080),
its User, Environment and WorkingDirectory; systemd itself is not running on a CI machine, so the
unit is checked with `systemd-analyze verify` instead.
"""
import argparse
import json
import os
import pwd
import grp
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "Samples"
UNIT = Path("/lib/systemd/system/ocrchat.service")
failures = []


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message, flush=True)
    if not condition:
        failures.append(message)
    return condition


def run(*command, **options):
    return subprocess.run(command, capture_output=True, text=True, **options)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unit_settings(text):
    """The [Service] keys of a unit file (last one wins, Environment= gathered)."""
    settings, environment = {}, {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        if key == "Environment":
            for pair in shlex.split(value):
                name, _, val = pair.partition("=")
                environment[name] = val
        else:
            settings[key] = value
    return settings, environment


def multipart(path, fields):
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in fields.items():
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
             f"Content-Type: application/octet-stream\r\n\r\n").encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def upload(base, path, **fields):
    body, content_type = multipart(path, fields)
    request = urllib.request.Request(f"{base}/api/v1/ocr/", data=body, headers={"Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=300) as response:
        return response.status, json.load(response)


def installed():
    return run("dpkg-query", "-W", "-f=${Status}", "ocrchat").stdout.strip() == "install ok installed"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("deb")
    args = parser.parse_args()
    deb = Path(args.deb).resolve()
    if os.geteuid() != 0:
        sys.exit("deb-test.py installs a package: run it as root")
    if installed() or run("dpkg-query", "-W", "ocrchat").returncode == 0:
        print("ocrchat is installed from an earlier run: purging it first")
        run("dpkg", "--purge", "ocrchat")

    contents = run("dpkg-deb", "--contents", str(deb)).stdout
    paths = [line.split()[-1].lstrip(".") for line in contents.splitlines() if line.split()]
    files = [p for p in paths if not p.endswith("/")]
    for expected in ["/usr/bin/ocrchat", "/lib/systemd/system/ocrchat.service", "/etc/ocrchat/ocrchat.json",
                     "/usr/share/man/man1/ocrchat.1.gz", "/usr/share/doc/ocrchat/copyright"]:
        check(expected in files, f"the package holds {expected}")
    info = run("dpkg-deb", "--field", str(deb), "Depends").stdout
    for dependency in ["libtesseract5", "liblept5", "libpoppler-cpp0v5", "libqpdf29", "tesseract-ocr-eng", "tesseract-ocr-osd", "qpdf"]:
        check(dependency in info, f"Depends names {dependency}")

    result = run("dpkg", "-i", str(deb))
    if not check(result.returncode == 0, "dpkg -i installs it"):
        print(result.stdout, result.stderr)
        sys.exit(1)
    try:
        account = pwd.getpwnam("ocrchat")
        check(account.pw_uid < 1000 and account.pw_shell.endswith("nologin"), "postinst made the system user ocrchat, no login shell")
        data = os.stat("/var/lib/ocrchat")
        check(data.st_uid == account.pw_uid and (data.st_mode & 0o777) == 0o750, "/var/lib/ocrchat is ocrchat's, mode 750")
        config = os.stat("/etc/ocrchat/ocrchat.json")
        check(config.st_gid == grp.getgrnam("ocrchat").gr_gid and (config.st_mode & 0o777) == 0o640,
              "/etc/ocrchat/ocrchat.json is readable by group ocrchat, not by everyone")
        verify = run("systemd-analyze", "verify", str(UNIT))
        check(verify.returncode == 0 and not verify.stderr.strip(), f"systemd-analyze verify passes on the unit {verify.stderr.strip()}")
        check(os.path.islink("/etc/systemd/system/multi-user.target.wants/ocrchat.service"), "postinst enabled the unit at boot")
        check(run("man", "-w", "ocrchat").returncode == 0 or not Path("/usr/bin/man").exists(), "man finds ocrchat(1)")

        settings, environment = unit_settings(UNIT.read_text())
        check(environment.get("OMP_THREAD_LIMIT") == "1", "the unit sets OMP_THREAD_LIMIT=1")
        check(settings.get("User") == "ocrchat", "the unit runs as ocrchat")
        port = free_port()
        command = shlex.split(settings["ExecStart"]) + ["--port", str(port)]
        check(command[0] == "/usr/bin/ocrchat", "the unit runs the installed binary")
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/var/lib/ocrchat", "LANG": "C.UTF-8", **environment}
        log = open("/tmp/ocrchat-deb-test-server.log", "w")
        # The binary itself as the unit's user (not under runuser, which would take the SIGTERM).
        server = subprocess.Popen(command, env=env, user=settings["User"], group=settings.get("Group", settings["User"]),
                                  extra_groups=[], cwd=settings.get("WorkingDirectory", "/"), stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 60
            healthy = False
            while time.time() < deadline and server.poll() is None and not healthy:
                try:
                    with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                        healthy = response.status == 200
                except OSError:
                    time.sleep(0.2)
            if not check(healthy, f"the installed server answers /healthz on {base}"):
                print(Path("/tmp/ocrchat-deb-test-server.log").read_text())
                sys.exit(1)

            status, job = upload(base, SAMPLES / "phototest.png")
            check(status == 200 and job.get("status") == "done", f"a page uploaded is read within the POST ({status}, {job.get('status')})")
            with urllib.request.urlopen(f"{base}/api/v1/ocr/{job['uuid']}/download/?format=txt", timeout=60) as response:
                text = response.read().decode()
            check("quick brown dog" in text, "its text comes back: " + text.splitlines()[0] if text else "(empty)")
            status, job = upload(base, SAMPLES / "phototest.png", tier="vlm")
            check(status == 200 and "quick brown" in job.get("text", ""), "the vlm tier reads it too")

            doctor = run("runuser", "-u", "ocrchat", "--", "/usr/bin/ocrchat", "doctor", "--config", "/etc/ocrchat/ocrchat.json",
                         "--port", str(port), env=env, cwd="/var/lib/ocrchat")
            print(doctor.stdout, end="")
            check(doctor.returncode == 0, "ocrchat doctor, as the service's user, finds no error")
            check("an ocrchat server already answers" in doctor.stdout, "doctor sees the running server on its port")
            check("/usr/share/ocrchat/vlm" in doctor.stdout if Path("/usr/share/ocrchat/vlm").exists() else True,
                  "the vlm tier loads the packaged models")
            files_made = os.listdir("/var/lib/ocrchat")
            check("ocrchat.sqlite" in files_made, "the database is in /var/lib/ocrchat")
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                code = server.wait(timeout=45)
            except subprocess.TimeoutExpired:
                server.kill()
                code = None
            check(code == 0, f"SIGTERM stops it with exit 0 (got {code})")
    finally:
        purge = run("dpkg", "--purge", "ocrchat")
        check(purge.returncode == 0, f"dpkg --purge removes it {purge.stderr.strip()}")
    left = [p for p in files if os.path.lexists(p)]
    check(not left, f"no file of the package is left: {left}")
    for folder in ["/etc/ocrchat", "/var/lib/ocrchat", "/usr/share/ocrchat", "/usr/lib/ocrchat", "/usr/share/doc/ocrchat"]:
        check(not os.path.lexists(folder), f"{folder} is gone")
    check(run("getent", "passwd", "ocrchat").returncode != 0, "the user ocrchat is gone")
    check(run("getent", "group", "ocrchat").returncode != 0, "the group ocrchat is gone")
    check(run("dpkg-query", "-W", "ocrchat").returncode != 0, "dpkg knows nothing of ocrchat")
    check(not os.path.lexists("/etc/systemd/system/multi-user.target.wants/ocrchat.service"), "the unit is no longer enabled")
    print(f"deb-test: {len(failures)} failed" if failures else "deb-test: all checks passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
