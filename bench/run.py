"""Benchmarks for the map with a large directory (issue targets in brackets).

    make bench                      # 100,000 demo entries (the issue's size)
    make bench BENCH_ARGS="--entries 5000 --seconds 3"   # a quick look

Builds a SQLite database under bench/results/ with `demo_map` (kept between runs), serves
the site with gunicorn and production-like settings on 127.0.0.1, and measures:
  1. map data requests per second, warm, beside a minimal Django view on the same server
     and middleware [>= 50% of the minimal view]; a conditional request gets 304;
  2. rebuilding the map data after an entry changes [<= 1.0 s], and the slowest first
     request after a change [<= 1.0 s];
  3. the gzipped size of the map data on the wire [<= 1 MB];
  4. in headless Chromium with tiles blocked, time from navigation start to clustered
     markers [<= 2.0 s], and to redraw after zooming in one level [<= 300 ms];
  5. median server time of the list page and of a profile page [<= 25 ms].
Load comes from `wrk` (Debian's package) when installed, else from Python threads.
Results are printed and written to bench/results/latest.json.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(database: Path) -> dict[str, str]:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "relmap.settings",
        "DJANGO_DEBUG": "",
        "DJANGO_SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "http://127.0.0.1",
        "SITE_OPERATOR_NAME": "Benchmark",
        "SITE_OPERATOR_ADDRESS": "Nowhere",
        "SITE_CONTACT_EMAIL": "bench@localhost",
        "DATA_HOSTING_LOCATION": "this machine",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{database}",
        "TASKS_BACKEND": "immediate",
        "LOG_LEVEL": "WARNING",
    }


def manage(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def prepare_database(entries: int, env: dict[str, str]) -> None:
    manage("migrate", "--no-input", env=env)
    count = (
        manage(
            "shell",
            "-c",
            "from directory.models import Entry; print(Entry.objects.public().count())",
            env=env,
        )
        .strip()
        .splitlines()[-1]
    )
    if int(count) != entries:
        print(f"Generating {entries:,} demo entries (once; kept in bench/results)...")
        started = time.perf_counter()
        manage("demo_map", "--count", str(entries), "--seed", "1", "--clear", env=env)
        print(f"  done in {time.perf_counter() - started:.1f} s")
    manage("collectstatic", "--no-input", env=env)


class Server:
    """gunicorn with the site plus one minimal view (bench/wsgi.py), on a free port."""

    def __init__(self, env: dict[str, str], workers: int):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                PYTHON, "-m", "gunicorn", "bench.wsgi", "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(workers), "--log-level", "warning",
            ],
            cwd=ROOT,
            env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self.get("/bench/minimal/")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str, headers: dict | None = None) -> tuple[int, dict, bytes, float]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        started = time.perf_counter()
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        connection.close()
        return response.status, dict(response.getheaders()), body, elapsed

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def requests_per_second(server: Server, path: str, seconds: float) -> float:
    headers = {"Accept-Encoding": "gzip"}
    if shutil.which("wrk"):
        output = subprocess.run(
            ["wrk", "-t2", "-c8", f"-d{seconds:.0f}s", "-H", "Accept-Encoding: gzip",
             server.url(path)],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        if non_2xx:
            raise RuntimeError(f"{path}: {non_2xx.group(1)} failed responses")
        return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    done, stop_at = [], time.monotonic() + seconds

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        count = 0
        while time.monotonic() < stop_at:
            connection.request("GET", path, headers=headers)
            connection.getresponse().read()
            count += 1
        done.append(count)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def median_ms(server: Server, paths: list[str]) -> float:
    timings = []
    for path in paths:
        status, _headers, _body, elapsed = server.get(path)
        assert status == 200, (path, status)
        timings.append(elapsed * 1000)
    return statistics.median(timings)


def touch_an_entry(env: dict[str, str]) -> None:
    manage(
        "shell", "-c",
        "from directory.models import Entry; e = Entry.objects.public().first(); e.save()",
        env=env,
    )  # fmt: skip


def rebuild_seconds(env: dict[str, str]) -> float:
    code = (
        "import time; from directory import mapdata; from directory.models import Entry;"
        "t = time.perf_counter(); mapdata.build(Entry.objects.public(), version='bench');"
        "print(time.perf_counter() - t)"
    )
    return float(manage("shell", "-c", code, env=env).strip().splitlines()[-1])


def browser_timings(server: Server) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not chromium:
        return {}
    args = ["--disable-gpu", "--disable-background-networking"]
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    own = f"127.0.0.1:{server.port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route(
            "**/*", lambda route: route.continue_() if own in route.request.url else route.abort()
        )
        page.goto(server.url("/map/"), wait_until="commit")
        page.wait_for_selector(".map-cluster", timeout=20_000)
        markers_ms = page.evaluate("performance.now()")
        page.wait_for_load_state("networkidle")
        # Zoom in one level at a time from the whole-country view: time to the redraw.
        zoom_ms = [
            page.evaluate(
                """() => new Promise(resolve => {
                    const map = window.relmap.directoryMap;
                    const before = document.documentElement.dataset.mapRenders;
                    const started = performance.now();
                    const check = () => document.documentElement.dataset.mapRenders !== before
                        ? resolve(performance.now() - started) : requestAnimationFrame(check);
                    map.setZoom(map.getZoom() + 1, {animate: false});
                    check();
                })"""
            )
            for _ in range(3)
        ]
        browser.close()
    return {
        "markers_visible_ms": round(markers_ms),
        "zoom_redraw_ms": [round(ms, 1) for ms in zoom_ms],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()

    RESULTS.mkdir(parents=True, exist_ok=True)
    env = bench_env(RESULTS / f"bench-{options.entries}.sqlite3")
    prepare_database(options.entries, env)
    server = Server(env, options.workers)
    try:
        results = run(server, env, options)
    finally:
        server.stop()
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


def run(server: Server, env: dict[str, str], options) -> dict:
    gzip = {"Accept-Encoding": "gzip"}
    status, headers, body, _ = server.get("/map/data.json", gzip)  # warm the cache
    not_modified, *_ = server.get("/map/data.json", gzip | {"If-None-Match": headers["ETag"]})
    minimal_rps = requests_per_second(server, "/bench/minimal/", options.seconds)
    map_data_rps = requests_per_second(server, "/map/data.json", options.seconds)

    touch_an_entry(env)
    time.sleep(1.1)  # past the once-a-second version check
    first_after_change = max(server.get("/map/data.json", gzip)[3] for _ in range(options.workers))

    slugs = json.loads(
        manage(
            "shell", "-c",
            "import json; from directory.models import Entry;"
            "print(json.dumps(list(Entry.objects.public().order_by('?')"
            ".values_list('slug', flat=True)[:50])))",
            env=env,
        ).strip().splitlines()[-1]
    )  # fmt: skip
    return {
        "entries": options.entries,
        "map_data_rps": round(map_data_rps),
        "minimal_view_rps": round(minimal_rps),
        "map_data_share_of_minimal": round(map_data_rps / minimal_rps, 2),
        "conditional_request_status": not_modified,
        "rebuild_seconds": round(rebuild_seconds(env), 3),
        "first_request_after_change_seconds": round(first_after_change, 3),
        "map_data_gzipped_bytes": len(body),
        "list_page_median_ms": round(
            median_ms(server, ["/map/"] * 10 + [f"/map/?page={n}" for n in range(2, 42)]), 1
        ),
        "filtered_list_median_ms": round(
            median_ms(server, ["/map/?kind=organisation&near=Frome&radius=25"] * 30), 1
        ),
        "profile_median_ms": round(median_ms(server, [f"/entries/{s}/" for s in slugs]), 1),
        **browser_timings(server),
    }


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
