"""Benchmarks of the site with a large directory, in its documented deployment.

    make bench                                  # PostgreSQL, 100,000 demo entries
    make bench BENCH_ARGS="--database sqlite --entries 5000 --seconds 3"   # a quick look

Serves the site as production does (deploy/nginx.conf in front of gunicorn.conf.py's threaded
workers, the task worker, Redis as the shared cache, PostgreSQL or SQLite) on 127.0.0.1, with
demo entries made by `demo_map` (kept in bench/results between runs), and measures [targets]:
  1. map data requests per second, warm, beside a minimal Django view on the same server
     and middleware [>= 50% of the minimal view]; a conditional request gets 304;
  2. rebuilding the map data after an entry changes [<= 1.0 s], and the slowest first
     request after a change [<= 1.0 s];
  3. the gzipped size of the map data on the wire [<= 1 MB];
  4. in headless Chromium with tiles blocked, time from navigation start to clustered
     markers [<= 2.0 s], and to redraw after zooming in one level [<= 300 ms];
  5. median server time of the list page and of a profile page [<= 25 ms];
  6. the exports: building a snapshot, and warm requests straight to gunicorn (worker time)
     for the unfiltered and filtered GeoJSON and CSV [each well under 1 s];
  7. slow clients: while slow-header and slow-reading connections are open, a normal
     request through nginx [answered at once], and the same straight to gunicorn;
  8. compression: each public output's size and time, uncompressed and gzipped through
     nginx, and whether the app or nginx compressed it;
  9. load: 200 connections for 30 s on the home page, the map page, a profile, a story and
     the case maker, through nginx [0 errors, p99 < 500 ms].
Load comes from `wrk` (Debian's package). nginx and redis-server are Debian's packages too
(`apt-get install nginx redis-server wrk`). Results are printed and written to
bench/results/latest.json.
"""

import argparse
import glob
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
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
LOAD_PAGES = {
    "minimal_view": "/bench/minimal/",  # the reference: as little as a Django view can do
    "home": "/",
    "map": "/map/",
    "profile": None,  # a public entry's page, chosen once the database is ready
    "story": None,  # a published story's page
    "case_maker": "/case-maker/",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped at start (exit {process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not start")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


class Postgres:
    """A PostgreSQL server whose cluster is kept in bench/results between runs, since making
    100,000 demo entries takes a minute or two. .ci/postgres makes the cluster the first time."""

    def __init__(self, directory: Path):
        self.directory = directory
        if not (directory / "data").exists():
            self.url = self._ci("start")
            return
        self.stop()  # in case a run that was interrupted left it running
        port = free_port()
        self._as_server_user(
            self._bindir() + "/pg_ctl", "-D", str(directory / "data"), "-l",
            str(directory / "server.log"), "-w", "-t", "60", "start", "-o",
            f"-c listen_addresses=127.0.0.1 -p {port} -k {directory} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off",
        )  # fmt: skip
        self.url = f"postgres://postgres@127.0.0.1:{port}/relmap"

    def stop(self) -> None:
        self._ci("stop")

    def _ci(self, command: str) -> str:
        return subprocess.run(
            [str(ROOT / ".ci" / "postgres"), command, str(self.directory)],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip

    @staticmethod
    def _bindir() -> str:
        return sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]

    @staticmethod
    def _as_server_user(*command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True)


def bench_env(database_url: str, cache_url: str) -> dict[str, str]:
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
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "TASKS_BACKEND": "database",
        "DJANGO_TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESS_LOG": "",
    }


def manage(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def shell(code: str, env: dict[str, str]) -> str:
    return manage("shell", "-c", code, env=env).strip().splitlines()[-1]


def prepare_database(entries: int, env: dict[str, str]) -> None:
    manage("migrate", "--no-input", env=env)
    manage("createcachetable", env=env)
    manage("load_content", env=env)
    count = shell(
        "from directory.models import Entry; print(Entry.objects.public().count())", env=env
    )
    if int(count) != entries:
        print(f"Generating {entries:,} demo entries (once; kept in bench/results)...")
        started = time.perf_counter()
        manage("demo_map", "--count", str(entries), "--seed", "1", "--clear", env=env)
        print(f"  done in {time.perf_counter() - started:.1f} s")
    manage("collectstatic", "--no-input", env=env)


class Server:
    """gunicorn with gunicorn.conf.py serving the site plus one minimal view (bench/wsgi.py),
    the task worker, and nginx with deploy/nginx.conf in front, each on a free port."""

    def __init__(self, env: dict[str, str], workers: int):
        self.app_port, self.port = free_port(), free_port()
        app_env = env | {
            "GUNICORN_BIND": f"127.0.0.1:{self.app_port}",
            "WEB_CONCURRENCY": str(workers),
        }
        self.app = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "--config", "gunicorn.conf.py", "bench.wsgi"],
            cwd=ROOT, env=app_env,
        )  # fmt: skip
        self.worker = subprocess.Popen(
            [PYTHON, "manage.py", "run_worker", "--no-reload", "--interval", "0.5"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        self.nginx = subprocess.Popen(
            ["nginx", "-p", str(RESULTS / "nginx"), "-c", str(self._nginx_config())]
        )
        wait_for_port(self.app_port, self.app, "gunicorn")
        wait_for_port(self.port, self.nginx, "nginx")

    def _nginx_config(self) -> Path:
        directory = RESULTS / "nginx"
        (directory / "temp").mkdir(parents=True, exist_ok=True)
        # nginx's workers run as an unprivileged user when started by root.
        (directory / "temp").chmod(0o777)
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        site = site.replace("server web:8000;", f"server 127.0.0.1:{self.app_port};")
        site = site.replace("listen 80;", f"listen 127.0.0.1:{self.port} backlog=4096;")
        temp = directory / "temp"
        config = directory / "nginx.conf"
        config.write_text(
            f"daemon off;\nworker_processes auto;\npid {directory}/nginx.pid;\n"
            f"error_log {directory}/error.log warn;\n"
            "events { worker_connections 4096; }\n"
            "http {\n  access_log off;\n"
            f"  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
            f"  fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n"
            f"  scgi_temp_path {temp}/scgi;\n{site}\n}}\n"
        )
        return config

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(
        self, path: str, headers: dict | None = None, *, direct: bool = False, timeout: float = 30
    ) -> tuple[int, dict, bytes, float]:
        """A GET through nginx, or straight to gunicorn (direct): status, headers, body, time."""
        port = self.app_port if direct else self.port
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        started = time.perf_counter()
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        connection.close()
        return response.status, dict(response.getheaders()), body, elapsed

    def stop(self) -> None:
        for process in [self.nginx, self.worker, self.app]:
            stop(process)


def wrk(server: Server, path: str, *, seconds: float, connections: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds:.0f}s", "--latency", "--timeout", "10s",
         "-H", "Accept-Encoding: gzip", server.url(path)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "requests_per_second": round(float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])),
        "p50_ms": _wrk_ms(re.search(r"50%\s+([\d.]+\w+)", output)[1]),
        "p99_ms": _wrk_ms(re.search(r"99%\s+([\d.]+\w+)", output)[1]),
        "errors": (int(non_2xx[1]) if non_2xx else 0)
        + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
    }


def _wrk_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return round(float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit], 1)


def median_ms(server: Server, paths: list[str], **options) -> float:
    timings = []
    for path in paths:
        status, _headers, _body, elapsed = server.get(path, **options)
        assert status == 200, (path, status)
        timings.append(elapsed * 1000)
    return round(statistics.median(timings), 1)


def touch_an_entry(env: dict[str, str]) -> None:
    shell("from directory.models import Entry; e = Entry.objects.public().first(); e.save()", env)


def timed(code: str, env: dict[str, str]) -> float:
    """Seconds that `code` takes in a fresh Django shell."""
    return float(
        shell(f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)", env)
    )


@contextmanager
def in_process_django(*, entries: int, database: str):
    """Django set up in this process on the benchmarks' database (kept in bench/results, with
    `entries` demo entries), for benchmarks that call the site's code directly; yields the
    environment, so that a Server of the same site can be started too."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    postgres = Postgres(RESULTS / f"postgres-{entries}") if database == "postgres" else None
    try:
        database_url = postgres.url if postgres else f"sqlite:///{RESULTS}/bench-{entries}.sqlite3"
        env = bench_env(database_url, "locmem://")
        prepare_database(entries, env)
        os.environ.update(env)
        import django

        django.setup()
        yield env
    finally:
        if postgres:
            postgres.stop()


@contextmanager
def chromium_page(server: Server):
    """A headless Chromium page that reaches only `server` (map tiles are blocked), or None
    when Chromium is not installed."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not chromium:
        yield None
        return
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
        try:
            yield page
        finally:
            browser.close()


def browser_timings(server: Server) -> dict[str, float]:
    with chromium_page(server) as page:
        if page is None:
            return {}
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
    return {
        "markers_visible_ms": round(markers_ms),
        "zoom_redraw_ms": [round(ms, 1) for ms in zoom_ms],
    }


def map_data_measures(server: Server, env: dict[str, str], options) -> dict:
    gzip = {"Accept-Encoding": "gzip"}
    status, headers, body, _ = server.get("/map/data.json", gzip)  # warm the cache
    not_modified, *_ = server.get("/map/data.json", gzip | {"If-None-Match": headers["ETag"]})
    minimal = wrk(server, "/bench/minimal/", seconds=options.seconds, connections=8)
    map_data = wrk(server, "/map/data.json", seconds=options.seconds, connections=8)

    touch_an_entry(env)
    time.sleep(1.1)  # past the once-a-second version check
    first_after_change = max(server.get("/map/data.json", gzip)[3] for _ in range(options.workers))
    rebuild = timed(
        "from directory.mapdata import index, versions, wire; from directory.models import Entry;"
        "wire.build(index.group_points(Entry.objects.public()), stamp=versions.directory_stamp())",
        env,
    )
    return {
        "map_data_rps": map_data["requests_per_second"],
        "minimal_view_rps": minimal["requests_per_second"],
        "map_data_share_of_minimal": round(
            map_data["requests_per_second"] / minimal["requests_per_second"], 2
        ),
        "conditional_request_status": not_modified,
        "rebuild_seconds": round(rebuild, 3),
        "first_request_after_change_seconds": round(first_after_change, 3),
        "map_data_gzipped_bytes": len(body),
    }


def page_measures(server: Server) -> dict:
    return {
        "list_page_median_ms": median_ms(
            server, ["/map/"] * 10 + [f"/map/?page={n}" for n in range(2, 42)]
        ),
        "filtered_list_median_ms": median_ms(
            server, ["/map/?kind=organisation&near=Frome&radius=25"] * 30
        ),
        "profile_median_ms": median_ms(server, [f"/entries/{slug}/" for slug in server.slugs]),
    }


def export_measures(server: Server, env: dict[str, str]) -> dict:
    build = timed(
        "from directory import exports; from directory.models import Entry;"
        "from relmap.pagecache import Stamp;"
        "exports.build(Entry.objects.public(), stamp=Stamp(0, 0.0))",
        env,
    )
    # The task worker builds the snapshot for the current version; wait for it.
    status, deadline = 503, time.monotonic() + 120
    while status == 503 and time.monotonic() < deadline:
        status, *_ = server.get("/entries.csv", {"Accept-Encoding": "gzip"})
        time.sleep(0.5)
    gzip = {"Accept-Encoding": "gzip"}
    filtered_all = "?kind=practitioner"  # about three in five entries
    filtered_few = "?near=Frome&radius=10"
    measures = {"export_build_seconds": round(build, 2)}
    for name, path, headers in [
        ("geojson_unfiltered", "/entries.geojson", gzip),
        ("csv_unfiltered", "/entries.csv", gzip),
        ("geojson_unfiltered_uncompressed", "/entries.geojson", {}),
        ("geojson_filtered_most", "/entries.geojson" + filtered_all, {}),
        ("csv_filtered_most", "/entries.csv" + filtered_all, {}),
        ("geojson_filtered_few", "/entries.geojson" + filtered_few, {}),
    ]:
        server.get(path, headers, direct=True)  # the first, which unzips the snapshot once
        measures[f"export_{name}_ms"] = median_ms(server, [path] * 5, headers=headers, direct=True)
    _status, headers, body, _ = server.get("/entries.geojson", gzip)
    measures["export_geojson_gzipped_bytes"] = len(body)
    return measures


def compression_measures(server: Server) -> dict:
    """For each public output: its size uncompressed and gzipped on the wire through nginx,
    the median time of each, and who compressed it (the app's pregzipped copy, or nginx on
    the fly). Each is fetched once first, so that caches and snapshots are warm."""
    paths = [
        "/map/data.json", "/entries.geojson", "/entries.csv",
        "/entries.geojson?kind=practitioner", "/entries.csv?kind=practitioner",
        "/murmurations.json", "/openreferral/organizations", "/stories.geojson",
        "/feeds/entries/", "/", "/map/", server.profile_path, "/case-maker/",
    ]  # fmt: skip
    gzip = {"Accept-Encoding": "gzip"}
    measures = {}
    for path in paths:
        server.get(path, gzip)
        _status, headers, identity, _ = server.get(path)
        _status, direct_headers, *_ = server.get(path, gzip, direct=True)
        _status, headers, gzipped, _ = server.get(path, gzip)
        if direct_headers.get("Content-Encoding") == "gzip":
            compressed_by = "app"
        else:
            compressed_by = "nginx" if headers.get("Content-Encoding") == "gzip" else "none"
        measures[path] = {
            "identity_bytes": len(identity),
            "gzip_bytes": len(gzipped),
            "identity_ms": median_ms(server, [path] * 5),
            "gzip_ms": median_ms(server, [path] * 5, headers=gzip),
            "compressed_by": compressed_by,
        }
    return {"compression": measures}


def slow_client_measures(server: Server, workers: int) -> dict:
    """More slow connections than gunicorn has threads, then one normal request: through
    nginx, then with as many slow connections straight to gunicorn."""
    count = workers * 4 + 4  # gunicorn.conf.py runs 4 threads a worker
    slow = []
    try:
        for index in range(count):
            connection = socket.create_connection(("127.0.0.1", server.port))
            if index % 2:
                # Slow reading: asks for the whole CSV, uncompressed, then reads nothing.
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                connection.sendall(b"GET /entries.csv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            else:
                # Slow headers: a request line, and the rest never comes.
                connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            slow.append(connection)
        time.sleep(2)
        through_nginx = server.get("/", timeout=30)
        # Each worker accepts its own share: three times its threads make sure of every one.
        for _ in range(count * 3):
            connection = socket.create_connection(("127.0.0.1", server.app_port))
            connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            slow.append(connection)
        time.sleep(2)
        try:
            direct = f"{server.get('/', direct=True, timeout=10)[3] * 1000:.1f} ms"
        except TimeoutError:
            direct = "no answer within 10 s"
    finally:
        for connection in slow:
            connection.close()
    return {
        "slow_connections": count,
        "normal_request_through_nginx_ms": round(through_nginx[3] * 1000, 1),
        "normal_request_through_nginx_status": through_nginx[0],
        "normal_request_straight_to_gunicorn": direct,
    }


def load_measures(server: Server, options) -> dict:
    results = {}
    for name, path in LOAD_PAGES.items():
        path = path or getattr(server, f"{name}_path")
        server.get(path)  # warm
        results[name] = wrk(
            server, path, seconds=options.load_seconds, connections=options.connections
        )
    return results


MEASURES = {
    "map_data": map_data_measures,
    "pages": lambda server, env, options: page_measures(server),
    "browser": lambda server, env, options: browser_timings(server),
    "exports": lambda server, env, options: export_measures(server, env),
    "compression": lambda server, env, options: compression_measures(server),
    "slow_clients": lambda server, env, options: {
        "slow_clients": slow_client_measures(server, options.workers)
    },
    "load": lambda server, env, options: {"load": load_measures(server, options)},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--seconds", type=float, default=10, help="each throughput measure")
    parser.add_argument("--load-seconds", type=float, default=30, help="each page under load")
    parser.add_argument("--connections", type=int, default=200, help="for the load test")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn processes")
    parser.add_argument(
        "--only", default=",".join(MEASURES), help=f"some of: {', '.join(MEASURES)}"
    )
    options = parser.parse_args()
    for tool in ["wrk", "nginx", "redis-server"]:
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed: apt-get install {tool}")

    RESULTS.mkdir(parents=True, exist_ok=True)
    postgres = None
    if options.database == "postgres":
        postgres = Postgres(RESULTS / f"postgres-{options.entries}")
    redis_port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    server = None
    try:
        database_url = (
            postgres.url if postgres else f"sqlite:///{RESULTS}/bench-{options.entries}.sqlite3"
        )
        env = bench_env(database_url, f"redis://127.0.0.1:{redis_port}/0")
        prepare_database(options.entries, env)
        server = Server(env, options.workers)
        server.slugs = json.loads(
            shell(
                "import json; from directory.models import Entry;"
                "print(json.dumps(list(Entry.objects.public().order_by('?')"
                ".values_list('slug', flat=True)[:50])))",
                env,
            )
        )
        server.profile_path = f"/entries/{server.slugs[0]}/"
        server.story_path = shell(
            "from stories.models import Story;"
            "print(Story.objects.published().located().first().get_absolute_url())",
            env,
        )
        results = {
            "entries": options.entries,
            "database": options.database,
            "workers": options.workers,
        }
        for name in options.only.split(","):
            results.update(MEASURES[name](server, env, options))
    finally:
        if server:
            server.stop()
        stop(redis)
        if postgres:
            postgres.stop()
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
