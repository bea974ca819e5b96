"""Helpers for load tests and bench/: start gunicorn on a free loopback port, a tiny HTTP client.

Only the standard library (http.client), so the load test needs nothing beyond the app.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(app_spec: str, env: dict, workers: int = 3, log_path: Path | None = None,
             timeout: float = 60.0, preload: bool = True):
    """Run ``gunicorn app_spec`` with ``workers`` sync workers; yields (port, process).

    ``preload`` imports the app once in the master before forking (the app opens no
    database connection while it is created), so the workers are up in about a second.
    """
    port = free_port()
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115
    options = ["--preload"] if preload else []
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--graceful-timeout", "1", *options, app_spec],
        cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped with exit code {process.returncode}")
            try:
                status, _h, _b = request(port, "GET", "/inloggen")
                if status < 500:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer in time")
            time.sleep(0.2)
        yield port, process
    finally:
        # Graceful: a worker still writing an answer finishes it (SIGINT would interrupt the
        # write and leave a traceback in the log); --graceful-timeout 1 keeps this short.
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log_path:
            log.close()


def request(port: int, method: str, path: str, form: dict | None = None, cookie: str | None = None,
            timeout: float = 30.0):
    """One request on a fresh connection: (status, headers, body text)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {}
    body = None
    if cookie:
        headers["Cookie"] = cookie
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def _cookie(headers, current: str | None) -> str | None:
    for value in headers.get_all("Set-Cookie") or []:
        return value.split(";", 1)[0]
    return current


def csrf_token(html: str) -> str:
    match = CSRF_RE.search(html)
    if not match:
        raise AssertionError("no csrf_token in the page")
    return match.group(1) or match.group(2)


def login(port: int, email: str, password: str, prefix: str = "") -> tuple[str, str]:
    """Log in through the form (with CSRF); returns (cookie, csrf token of the referral form)."""
    status, headers, html = request(port, "GET", f"{prefix}/inloggen")
    cookie = _cookie(headers, None)
    status, headers, _ = request(port, "POST", f"{prefix}/inloggen", cookie=cookie, form={
        "email": email, "password": password, "csrf_token": csrf_token(html)})
    if status != 302:
        raise AssertionError(f"login failed: {status}")
    cookie = _cookie(headers, cookie)
    status, headers, html = request(port, "GET", f"{prefix}/verwijzingen/nieuw", cookie=cookie)
    if status != 200:
        raise AssertionError(f"referral form: {status}")
    return _cookie(headers, cookie), csrf_token(html)
