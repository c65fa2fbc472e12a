"""The production server under load: `kit serve` answering the call log page to 16
concurrent clients, each logged in as a desk account of its own and asking again as soon
as it has its answer, against a bare Flask route running the call log page's default query
(open calls, queue order, first 50 and the count), served with the same threads and
processes (waitress, or gunicorn for several processes) in a process of its own. The two
are measured one after the other, ROUNDS times, so a busy machine slows both.

Reports requests per second, p50/p99 latency and the kit's resident memory after the run.
Targets: at least 0.8x the bare requests/s, and a p99 within 1.5x of the bare route's.
BENCH_SERVER_SETTINGS="t8,t4,t2,p2t4" chooses the kit's settings (threads, processes);
BENCH_SERVER_ROUNDS=2 the repeats.

    python -m tests.bench.bench_server --bare-serve DATABASE PORT [THREADS PROCESSES]
"""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from kit.db import connect
from tests.bench.common import BENCH_PASSWORD, bench_user, free_port, percentile, report_value

CLIENTS = 16
SECONDS = 15.0  # measured per run, after WARMUP seconds of the same load
WARMUP = 2.0
ROOT = Path(__file__).resolve().parents[2]


class Client:
    """One browser: a kept-alive connection and a session cookie."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed an idle kept-alive connection (gunicorn after 2 s): a
            # browser opens a new one and asks again, and so does this client.
            self.conn.close()
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, data

    def login(self, username: str) -> None:
        status, page = self.request("GET", "/auth/login")
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
            rb'value="([^"]+)"[^>]*name="csrf_token"', page
        )
        assert status == 200 and token, status
        form = {"username": username, "password": BENCH_PASSWORD, "csrf_token": token[1]}
        status, _ = self.request("POST", "/auth/login", urlencode(form))
        assert status == 302, f"login as {username}: {status}"


def _load(clients: list[Client], path: str) -> tuple[float, list[float], int]:
    """Every client asks for `path` again and again; (requests/s, latencies in s, errors)
    over SECONDS, after WARMUP seconds not counted."""
    start = time.perf_counter()
    measure_from, stop_at = start + WARMUP, start + WARMUP + SECONDS
    found: list[list[float]] = [[] for _ in clients]
    errors = [0]

    def work(client: Client, latencies: list[float]) -> None:
        while True:
            begun = time.perf_counter()
            if begun >= stop_at:
                return
            status, _ = client.request("GET", path)
            ended = time.perf_counter()
            if status != 200:
                errors[0] += 1
            if begun >= measure_from:
                latencies.append(ended - begun)

    threads = [
        threading.Thread(target=work, args=(c, f)) for c, f in zip(clients, found, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies = [t for f in found for t in f]
    return len(latencies) / SECONDS, latencies, errors[0]


def _start(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen:
    # The server's log goes to a file: a pipe nobody reads would fill up under load
    # (waitress warns about its task queue) and stall the server.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"server exited: {log.read().decode()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/")
            conn.getresponse().read()
            conn.close()
            return process
        except OSError:
            time.sleep(0.2)
    _stop(process)
    raise RuntimeError("server did not start in 60 s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _measure(label: str, path: str, clients: list[Client]) -> tuple[float, float, float]:
    """(requests/s, p50 ms, p99 ms) for these clients asking for `path`."""
    rate, latencies, errors = _load(clients, path)
    for client in clients:
        client.conn.close()
    p50, p99 = percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000
    note = f", {errors} errors" if errors else ""
    print(
        f"  {label}, {len(clients):2d} clients: {rate:6.1f} requests/s, p50 {p50:6.1f} ms, "
        f"p99 {p99:6.1f} ms ({len(latencies)} requests{note})",
        flush=True,
    )
    return rate, p50, p99


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (gunicorn's workers), in MB."""
    total = 0
    for each in [pid, *_children(pid)]:
        try:
            status = Path(f"/proc/{each}/status").read_text()
        except OSError:
            continue
        total += int(re.search(r"VmRSS:\s+(\d+)", status)[1])
    return total / 1024


def _children(pid: int) -> list[int]:
    found = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(p) for p in found.stdout.split()]


def _load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def run(instance: Path) -> None:
    """Each setting of the kit (threads, processes) against the bare route with the same
    threads and processes, 16 clients, alternated, ROUNDS times. BENCH_SERVER_SETTINGS
    ("t8,t4,p2t4") chooses the kit's settings."""
    db = connect(str(instance / "kit.sqlite3"))
    names = [f"benchdesk{n:02d}" for n in range(1, CLIENTS + 1)]
    for name in names:
        bench_user(db, name, {"desk"})
    db.conn.close()
    env = {**os.environ, "KIT_INSTANCE": str(instance)}
    chosen = os.environ.get("BENCH_SERVER_SETTINGS", "t8,t4,t2,p2t4").split(",")
    rounds = int(os.environ.get("BENCH_SERVER_ROUNDS", "2"))
    clients_n = CLIENTS
    for setting in chosen:
        processes, threads = _parse_setting(setting)
        kit_port, bare_port = free_port(), free_port()
        kit = [str(Path(sys.executable).with_name("kit")), "serve", "--host", "127.0.0.1"]
        kit += ["--port", str(kit_port), "--threads", str(threads)]
        kit += ["--processes", str(processes)]
        bare = [sys.executable, "-m", "tests.bench.bench_server", "--bare-serve"]
        bare += [str(instance / "kit.sqlite3"), str(bare_port), str(threads), str(processes)]
        servers = []
        try:
            servers.append(_start(kit, env, kit_port))
            servers.append(_start(bare, env, bare_port))
            label = f"{processes} process(es) x {threads} threads"
            print(f"  -- {label}, load average {_load_average()}", flush=True)
            for _ in range(rounds):
                clients = [Client(kit_port) for _ in range(clients_n)]
                for client, name in zip(clients, names, strict=False):
                    client.login(name)
                app = _measure(f"kit serve /calls/ ({label})", "/calls/", clients)
                base = _measure(
                    f"bare /calls ({label})",
                    "/calls",
                    [Client(bare_port) for _ in range(clients_n)],
                )
                _report(clients_n, app, base)
            print(
                f"  kit serve resident memory after the run: {_rss_mb(servers[0].pid):.0f} MB"
                f" ({label}); load average {_load_average()}",
                flush=True,
            )
        finally:
            for server in servers:
                _stop(server)


def _parse_setting(text: str) -> tuple[int, int]:
    """ "t8" = one process of 8 threads; "p2t4" = two processes of 4 threads."""
    found = re.fullmatch(r"(?:p(\d+))?t(\d+)", text.strip())
    if not found:
        raise SystemExit(f"BENCH_SERVER_SETTINGS: {text!r} is not like t8 or p2t4")
    return int(found[1] or 1), int(found[2])


def _report(n: int, app: tuple[float, float, float], bare: tuple[float, float, float]) -> None:
    (rate, p50, p99), (b_rate, b_p50, b_p99) = app, bare
    report_value(
        f"call log, {n} clients: requests/s",
        rate,
        b_rate,
        "/s",
        "target >= 0.8x: " + ("met" if rate >= 0.8 * b_rate else "MISSED"),
    )
    report_value(f"call log, {n} clients: p50", p50, b_p50, "ms")
    report_value(
        f"call log, {n} clients: p99",
        p99,
        b_p99,
        "ms",
        "target <= 1.5x: " + ("met" if p99 <= 1.5 * b_p99 else "MISSED"),
    )


def bare_app(database: str):
    """The baseline: the call log page's default query (open calls in queue order, the
    first 50 and the count) as JSON, with no session, templates or security headers."""
    from flask import Flask

    from kit.calls import log_store

    bare = Flask("bare")

    @bare.get("/")
    def index():
        return "ok"

    @bare.get("/calls")
    def calls():
        db = connect(database)
        rows, total = log_store.search_calls(
            db, log_store.CallFilter(status="open"), sort="queue", page_size=50
        )
        db.conn.close()
        return json.dumps({"total": total, "rows": rows}, default=str)

    return bare


if __name__ == "__main__":
    if sys.argv[1:2] != ["--bare-serve"]:
        raise SystemExit(__doc__)
    database, port, threads, processes = sys.argv[2], int(sys.argv[3]), 8, 1
    if len(sys.argv) > 4:
        threads, processes = int(sys.argv[4]), int(sys.argv[5])
    if processes > 1:
        from gunicorn.app.base import BaseApplication

        class Bare(BaseApplication):
            def load_config(self):
                for key, value in {
                    "bind": f"127.0.0.1:{port}",
                    "workers": processes,
                    "threads": threads,
                    "worker_class": "gthread" if threads > 1 else "sync",
                    "accesslog": None,
                }.items():
                    self.cfg.set(key, value)

            def load(self):
                return bare_app(database)

        Bare().run()
    else:
        from waitress import serve

        serve(bare_app(database), host="127.0.0.1", port=port, threads=threads)
