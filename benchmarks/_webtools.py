"""Helpers shared by the web benchmarks (load_autosave.py, bench_web.py, campaign.py):
start a real gunicorn on 127.0.0.1 on a free port, run wrk, describe the machine,
percentiles, CPU time of processes.

Not a benchmark itself (`make bench` runs bench_*.py and load_autosave.py, and
campaign.py when CAMPAIGN is set).
"""

from __future__ import annotations

import os
import platform
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
USER_AGENT = "readiness-audit-bench/1"  # fixed: Flask-Login's "strong" session protection


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Gunicorn:
    """`gunicorn <app>` bound to 127.0.0.1:<free port>; stopped on exit (SIGTERM to
    the pid we started, SIGKILL after 15 s)."""

    def __init__(
        self,
        app: str,
        *,
        env: Mapping[str, str] | None = None,
        workers: int = 4,
        worker_class: str = "sync",
        threads: int = 1,
        ready_path: str = "/health",
        timeout: int = 60,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = app
        self.env = {**os.environ, **(env or {})}
        self.workers, self.worker_class, self.threads = workers, worker_class, threads
        self.ready_path = ready_path
        self.timeout = timeout
        self.log = Path(tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1])
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def describe(self) -> str:
        threads = f" x {self.threads} threads" if self.worker_class == "gthread" else ""
        return (
            f"gunicorn {version('gunicorn')}, {self.workers} {self.worker_class} workers{threads}"
        )

    def __enter__(self) -> Gunicorn:
        command = [
            str(BIN / "gunicorn"),
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            "--worker-class", self.worker_class,
            "--threads", str(self.threads),
            "--timeout", str(self.timeout),
            "--backlog", "2048",
            "--pythonpath", str(BENCH_DIR),
            "--log-level", "warning",
            self.app,
        ]  # fmt: skip
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own fixed command
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as reply:  # noqa: S310
                    if reply.status < 500:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError("gunicorn did not start within 60 s")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if exc and exc[0] is None:  # keep the log when something went wrong
            self.log.unlink(missing_ok=True)

    def worker_cpu_seconds(self) -> float:
        """CPU time (user + system) the worker processes have used so far (Linux /proc):
        the cost of the requests themselves, steadier than wall-clock rates on a shared
        machine."""
        assert self.process is not None
        pid = self.process.pid
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            try:
                fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / tick

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def process_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) one process has used so far (Linux /proc); 0 when it is
    gone. For processes other than gunicorn's workers (e.g. report workers)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of `values` (need not be sorted); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


# --------------------------------------------------------------------------- wrk

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


@dataclass
class WrkResult:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    raw: str


def wrk(
    url: str,
    *,
    connections: int = 8,
    duration: int = 10,
    threads: int = 2,
    headers: Mapping[str, str] | None = None,
    script: str | None = None,
) -> WrkResult:
    # --timeout 30s: a slow answer is a latency, not a socket error (wrk's default is 2 s).
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s",
               "--latency"]  # fmt: skip
    for name, value in {"User-Agent": USER_AGENT, **(headers or {})}.items():
        command += ["-H", f"{name}: {value}"]
    script_file = None
    if script is not None:
        handle, name = tempfile.mkstemp(suffix=".lua")
        with os.fdopen(handle, "w") as out:
            out.write(script)
        script_file = Path(name)
        command += ["-s", str(script_file)]
    command.append(url)
    try:
        out = subprocess.run(  # noqa: S603 - fixed command
            command, capture_output=True, text=True, check=True, timeout=duration + 30
        ).stdout
    finally:
        if script_file is not None:
            script_file.unlink()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non_2xx_match = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_match = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    socket_errors = sum(int(n) for n in socket_match.groups()) if socket_match else 0
    return WrkResult(
        rps, p50, p99, total, int(non_2xx_match.group(1)) if non_2xx_match else 0,
        socket_errors, out,
    )  # fmt: skip


# --------------------------------------------------------------------------- machine


def machine_lines(extra: Sequence[str] = ()) -> list[str]:
    cpu = platform.processor() or "?"
    memory = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    try:
        wrk_version = subprocess.run(  # noqa: S603 - fixed command
            ["wrk", "-v"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.split()[1]
    except (OSError, IndexError, subprocess.SubprocessError):
        wrk_version = "not installed"
    libs = ", ".join(
        f"{name} {version(name)}"
        for name in ("Flask", "Werkzeug", "Jinja2", "SQLAlchemy", "Flask-SQLAlchemy", "gunicorn")
    )
    return [
        f"- CPU: {cpu}; nproc {os.cpu_count()}; RAM {memory}",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}; {libs}",
        f"- SQLite {sqlite3.sqlite_version}; wrk {wrk_version}",
        *extra,
    ]
