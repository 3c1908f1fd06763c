"""200 concurrent logins against the reference CAS server (``cas-mfa-ref serve``) on loopback.

Starts the server on a profile with one user and one application without MFA, then runs, in one
process, the same logins first from one client and then from ``--clients`` clients at once (each a
thread with its own keep-alive connection, spoken with http.client so that the client's own cost stays
small beside the server's on a small machine): the login form (``GET /cas/login``), the credentials
(``POST``), and the redirect with a service ticket. Prints, for one client, for a burst of
``--clients`` new connections logging in once, and for those clients logging in ``--logins`` times each on
their keep-alive connections: logins per second, p50 and p99 of one login, errors by kind, and the ratios
to the single client's figures, all measured in the same run.
Goal (issue "Hardened"): no error, p99 under 500 ms. Usage:
``python benchmarks/concurrent_logins.py [--clients 200] [--logins 5]``.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

SERVICE = "https://app.example.org/"
EXECUTION = re.compile(r'name="execution" value="([^"]+)"')
PROFILE = {
    "cas.properties": "cas.authn.accept.users=casuser::Mellon\n",
    "services/App-1.json": json.dumps(
        {
            "@class": "org.apereo.cas.services.CasRegisteredService",
            "serviceId": "^https://app\\.example\\.org.*",
            "name": "App",
            "id": 1,
        }
    ),
}


def start(profile: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "cas_mfa_ref.cli", "serve", "--profile", str(profile), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # the ready line, printed once the server listens
    if not line:
        process.kill()
        raise SystemExit("the server did not start")
    return process, json.loads(line)["cas_url"]


class Browser:
    """One client: a keep-alive connection to the server, and the cookies CAS sets (none kept between
    logins: each login is a fresh one, not SSO)."""

    def __init__(self, cas_url: str) -> None:
        parts = urlsplit(cas_url)
        self.path = parts.path
        self.connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)

    def exchange(self, method: str, path: str, body: str | None = None) -> tuple[int, str, str]:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        self.connection.request(method, path, body=body, headers=headers)
        answer = self.connection.getresponse()
        text = answer.read().decode("utf-8", "replace")
        return answer.status, answer.getheader("Location") or "", text

    def login(self) -> str | None:
        """None on success, else the kind of error."""
        query = f"{self.path}/login?{urlencode({'service': SERVICE})}"
        try:
            status, _, page = self.exchange("GET", query)
            found = EXECUTION.search(page)
            if status != 200 or found is None:
                return f"form HTTP {status}"
            form = {
                "username": "casuser",
                "password": "Mellon",
                "execution": found.group(1),
                "_eventId": "submit",
            }
            status, location, _ = self.exchange("POST", query, urlencode(form))
            if status != 302 or "ticket=ST-" not in location:
                return f"credentials HTTP {status}"
            return None
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()  # http.client reconnects on the next request
            return type(error).__name__


def run(cas_url: str, clients: int, logins: int) -> dict[str, object]:
    latencies: list[float] = []
    errors: collections.Counter[str] = collections.Counter()
    lock = threading.Lock()
    go = threading.Barrier(clients + 1)

    def client() -> None:
        browser = Browser(cas_url)
        go.wait()
        for _ in range(logins):
            began = time.perf_counter()
            error = browser.login()
            spent = time.perf_counter() - began
            with lock:
                latencies.append(spent)
                if error:
                    errors[error] += 1
        browser.connection.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    go.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join(timeout=300)
    elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    return {
        "logins": len(ordered),
        "per_second": len(ordered) / elapsed,
        "p50": statistics.median(ordered),
        "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
        "errors": dict(errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--logins", type=int, default=5, help="logins per client")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        profile = Path(scratch)
        for name, text in PROFILE.items():
            (profile / name).parent.mkdir(parents=True, exist_ok=True)
            (profile / name).write_text(text, encoding="utf-8")
        process, cas_url = start(profile)
        try:
            runs = {
                "1 client": run(cas_url, 1, args.clients * args.logins // 10 or 1),
                # a burst of new connections, one login each: the listen queue and the accept loop
                f"{args.clients} at once": run(cas_url, args.clients, 1),
                # then every client logs in again and again on its keep-alive connection
                f"{args.clients} x {args.logins}": run(cas_url, args.clients, args.logins),
            }
        finally:
            process.terminate()
            process.wait(timeout=10)
    single = runs["1 client"]
    for label, figures in runs.items():
        p99_ratio = float(figures["p99"]) / float(single["p99"])  # type: ignore[arg-type]
        rate_ratio = float(figures["per_second"]) / float(single["per_second"])  # type: ignore[arg-type]
        print(
            f"{label:>12}: {figures['logins']} logins, {figures['per_second']:.0f} logins/s, "
            f"p50 {float(figures['p50']) * 1000:.0f} ms, p99 {float(figures['p99']) * 1000:.0f} ms "  # type: ignore[arg-type]
            f"(x{p99_ratio:.0f} the single client's), throughput x{rate_ratio:.1f}, "
            f"errors {figures['errors'] or 'none'}"
        )


if __name__ == "__main__":
    main()
