"""The documented production start works: `kvarter serve` with production settings.

Collects the static files with the production (manifest) storage (tests/production_settings.py:
kvarter.settings.prod without the slow gzip/Brotli copies), starts gunicorn on a free
loopback port and fetches the health check, the start page and one of its static files.
Bounded by timeouts; the server only ever binds 127.0.0.1.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.production

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
START_TIMEOUT = 180  # collectstatic + gunicorn boot, on a slow shared machine
REQUEST_TIMEOUT = 10


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _production_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KVARTER_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.production_settings",
        PYTHONPATH=os.pathsep.join([str(REPO / "src"), str(REPO)]),
        SECRET_KEY="production-smoke-test-" + "s3cr3t-" * 6,
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"sqlite:///{data_dir / 'kvarter.sqlite3'}",
        KVARTER_DATA_DIR=str(data_dir),
        KVARTER_STATIC_ROOT=str(data_dir / "static"),
        KVARTER_WORKERS="1",
    )
    return env


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    # The documented reverse proxy terminates TLS and says so in X-Forwarded-Proto.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _wait_until_serving(server: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"kvarter serve stopped ({server.returncode}):\n{log.read_text()}")
        try:
            _get(base + "/health/")
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"kvarter serve did not answer in {START_TIMEOUT} s:\n{log.read_text()}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)


def test_serve__production_settings__health_page_and_static_files_answer(tmp_path):
    env = _production_env(tmp_path)
    migrate = subprocess.run(
        [sys.executable, "-m", "kvarter.cli", "migrate", "--noinput", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr

    port = _free_loopback_port()
    base = f"http://{HOST}:{port}"
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "kvarter.cli", "serve", "--bind", f"{HOST}:{port}"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_serving(server, base, log)

        status, _, body = _get(base + "/health/")
        assert status == 200, body
        assert b'"ok"' in body

        status, _, body = _get(base + "/")
        assert status == 200, body
        page = body.decode()
        # The manifest storage names every static file with its content hash.
        static_paths = re.findall(r'(?:src|href)="(/static/[^"]+\.[0-9a-f]{12}\.(?:js|css))"', page)
        assert static_paths, page

        status, headers, body = _get(base + static_paths[0])
        assert status == 200
        assert body
        assert "max-age" in headers.get("Cache-Control", "")
    finally:
        _stop(server)
    assert server.returncode is not None
