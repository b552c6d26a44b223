"""Requests per second and latency of the portal's pages under gunicorn with production
settings, against a hello-world Django view under the same gunicorn, in one run.

    .venv/bin/python benchmarks/http_load.py [--duration 10] [--connections 50] [--workers 2]
                                             [--plain]

Sets up a throwaway SQLite database with the demo data (as `make run` does), collects the
static files, starts gunicorn for the portal (`DJANGO_DEBUG=0`, HTTPS settings on, one trusted
reverse proxy in front: each request carries the `X-Forwarded-Proto` and `X-Forwarded-For`
headers nginx would add) and for benchmarks/hello_world.py, then drives each page with wrk
(Debian package `wrk`) and prints requests/s, p50 and p99 per page, and how many times slower
than hello-world each page is. Members-only pages are read with a real session, signed in
through the sign-in form. Every request says it accepts gzip, as browsers do (`--plain`
leaves that out). Nothing outside the scratch folder is touched.
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import throwaway  # noqa: E402

ROOT = throwaway.ROOT
PYTHON = sys.executable
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "induction-demo-2026")
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.10"}
# What every browser says it accepts (`--plain` leaves it out, as a bare HTTP client would).
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br"}

# A reader of Southmoor's members-only pack: the demo has only its editors, who must prove a
# second factor after their password, which a load generator cannot do.
READER = "southmoor-ned"
ADD_READER = f"""
from django.contrib.auth import get_user_model
from induction.models import Membership, Trust
user = get_user_model().objects.create_user({READER!r}, password={DEMO_PASSWORD!r})
Membership.objects.create(user=user, trust=Trust.objects.get(slug="southmoor"), role="reader")
"""


# (page kind, path, demo user to sign in as or None for anonymous)
PAGES = [
    ("home", "/", None),
    ("role explainer", "/roles/medical-director/", None),
    ("explainer: working with others", "/roles/medical-director/working-with-others/", None),
    ("sources", "/roles/sources/", None),
    ("glossary", "/roles/glossary/", None),
    ("trust list", "/trusts/", None),
    ("public pack, first page", "/trusts/northshire/induction/", None),
    ("public pack, a section", "/trusts/northshire/induction/section-3/", None),
    ("public pack, whole pack", "/trusts/northshire/induction/whole-pack/", None),
    ("public pack PDF (stored file)", "/trusts/northshire/induction/latest.pdf", None),
    ("members-only pack, signed in", "/trusts/southmoor/induction/", READER),
    ("role explainer, signed in", "/roles/medical-director/", READER),
    (
        "public pack, whole pack, signed in",
        "/trusts/northshire/induction/whole-pack/",
        READER,
    ),
    ("home, signed in", "/", READER),
]


@dataclass
class Result:
    kind: str
    path: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def portal_environment(workdir: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "benchmark-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_BEHIND_PROXY": "1",
        "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_LOG_LEVEL": "WARNING",
        # Production's shared cache, which the page cache needs; a database number of its own.
        "DJANGO_REDIS_URL": os.environ.get("BENCHMARK_REDIS_URL", "redis://127.0.0.1:6379/15"),
        "PYTHONPATH": str(ROOT),
    }


def set_up_portal(environment: dict) -> None:
    """Migrate, load the reference and demo data, collect static files: as `make run`."""
    manage = [PYTHON, str(ROOT / "manage.py")]
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["loaddata", "roles", "-v0"],
        ["load_demo"],
        ["shell", "-c", ADD_READER],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run(
            manage + command,
            cwd=ROOT,
            env={**environment, "DJANGO_DEMO_DATA": "1"},
            check=True,
            stdout=subprocess.DEVNULL,
        )


def start_gunicorn(app: str, port: int, workers: int, environment: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn for {app} stopped while starting") from None
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"gunicorn for {app} did not start within 30 seconds")


def sign_in(port: int, username: str) -> str:
    """A session cookie header for `username`, got through the real sign-in form."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/accounts/login/", headers=PROXY_HEADERS)
    response = connection.getresponse()
    page = response.read().decode()
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode(
        {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    )
    origin = f"https://127.0.0.1:{port}"
    connection.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            **PROXY_HEADERS,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken'].value}",
            "Origin": origin,
            "Referer": f"{origin}/accounts/login/",
        },
    )
    response = connection.getresponse()
    response.read()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    if response.status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"Could not sign in as {username} (answer {response.status}).")
    return f"sessionid={cookies['sessionid'].value}"


def check_answers(port: int, path: str, headers: dict) -> None:
    """Refuse to time an error page: every page must answer 200 before it is measured."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}, not 200: not measured.")


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(url: str, headers: dict, duration: int, connections: int) -> tuple:
    command = ["wrk", "--latency", "-t2", f"-c{connections}", f"-d{duration}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rate, p50, p99, int(errors.group(1)) if errors else 0


def report(results: list[Result], args) -> str:
    hello = results[0]
    lines = [
        f"gunicorn {args.workers} sync workers, wrk 2 threads, {args.connections} connections, "
        f"{'no Accept-Encoding' if args.plain else 'Accept-Encoding: gzip'}, "
        f"{args.duration} s a page; {os.cpu_count()} CPUs",
        "",
        "| page | requests/s | vs hello-world | p50 | p99 | non-2xx |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        ratio = hello.requests_per_second / result.requests_per_second
        lines.append(
            f"| {result.kind} (`{result.path}`) | {result.requests_per_second:,.0f} | "
            f"{ratio:.1f}x | {result.p50_ms:.1f} ms | {result.p99_ms:.1f} ms | "
            f"{result.non_2xx} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--plain", action="store_true", help="no Accept-Encoding header (browsers send one)"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("Needs wrk, the HTTP load generator: apt-get install wrk")

    workdir = throwaway.set_up()
    environment = portal_environment(workdir)
    servers = []
    try:
        print("Setting up the demo data…", file=sys.stderr)
        set_up_portal(environment)
        hello_port, portal_port = free_port(), free_port()
        servers.append(
            start_gunicorn(
                "benchmarks.hello_world:application", hello_port, args.workers, environment
            )
        )
        servers.append(start_gunicorn("mdportal.wsgi", portal_port, args.workers, environment))
        sessions = {user: sign_in(portal_port, user) for _, _, user in PAGES if user}

        browser = {} if args.plain else BROWSER_HEADERS
        results = []
        rate, p50, p99, errors = run_wrk(
            f"http://127.0.0.1:{hello_port}/", browser, args.duration, args.connections
        )
        results.append(Result("hello-world view", "/", rate, p50, p99, errors))
        for kind, path, user in PAGES:
            headers = {**PROXY_HEADERS, **browser}
            if user:
                headers["Cookie"] = sessions[user]
            check_answers(portal_port, path, headers)
            print(f"Measuring {path}…", file=sys.stderr)
            url = f"http://127.0.0.1:{portal_port}{path}"
            rate, p50, p99, errors = run_wrk(url, headers, args.duration, args.connections)
            results.append(Result(kind, path, rate, p50, p99, errors))
        print(report(results, args))
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
