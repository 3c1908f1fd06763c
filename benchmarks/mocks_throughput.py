"""How fast the mock providers answer, as ratios measured in one run.

1. Mock Duo health checks per second, against a bare HTTPS server on the same stack (the standard
   library's threading HTTP server with the same TLS certificate, answering a fixed JSON body): the
   ratio shows what the mock's own work (routing, faults, JWT verification, journal) costs. Goal >= 0.5.
2. Mock RADIUS Access-Requests per second, against FreeRADIUS (Debian's ``freeradius``) on loopback
   under the same ``radclient`` load. Goal >= 0.25.

Usage: ``python benchmarks/mocks_throughput.py [--seconds S] [--threads N] [--rounds R] [--requests K]``.
Everything listens on 127.0.0.1; every phase is bounded in time.
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import socket
import ssl
import statistics
import subprocess
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt

from mocks.duo import DuoMock
from mocks.radius import RadiusMock
from mocks.tls import Certificates, make_certificates

BODY = b'{"stat": "OK", "response": {"timestamp": 0}}'


def bare_https_server(certificates: Certificates) -> ThreadingHTTPServer:
    context = certificates.server_context()

    class Handler(BaseHTTPRequestHandler):
        def setup(self) -> None:
            self.request = context.wrap_socket(self.request, server_side=True)
            super().setup()

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    return server


def post_load(port: int, body: bytes, context: ssl.SSLContext, seconds: float, threads: int) -> float:
    """Requests per second: ``threads`` clients posting for ``seconds``, one TLS connection each request."""
    done = [0] * threads
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        while time.monotonic() < deadline:
            connection = http.client.HTTPSConnection("localhost", port, context=context, timeout=10)
            connection.request(
                "POST", "/oauth/v1/health_check", body, {"Content-Type": "application/x-www-form-urlencoded"}
            )
            answer = connection.getresponse()
            answer.read()
            connection.close()
            if answer.status == 200:
                done[index] += 1

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    start = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=seconds + 30)
    return sum(done) / (time.monotonic() - start)


def duo_ratio(seconds: float, threads: int, rounds: int) -> list[float]:
    with tempfile.TemporaryDirectory() as scratch:
        certificates = make_certificates(Path(scratch))
        duo = DuoMock(certificates.server_context(), str(certificates.ca_pem))
        duo.start()
        bare = bare_https_server(certificates)
        client_context = ssl.create_default_context(cafile=str(certificates.ca_pem))
        ikey, skey = duo.state.integration_key, duo.state.secret_key
        url = f"https://{duo.api_host}/oauth/v1/health_check"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assertion = jwt.encode(
                {"iss": ikey, "sub": ikey, "aud": url, "exp": int(time.time()) + 3600, "jti": "benchmark"},
                skey,
                algorithm="HS512",
            )
        body = f"client_id={ikey}&client_assertion={assertion}".encode()
        ratios = []
        try:
            for _ in range(rounds):
                mock_rps = post_load(duo.server.port, body, client_context, seconds, threads)
                bare_rps = post_load(bare.server_address[1], body, client_context, seconds, threads)
                print(
                    f"  duo: mock {mock_rps:7.1f}/s  bare {bare_rps:7.1f}/s  ratio {mock_rps / bare_rps:.2f}"
                )
                ratios.append(mock_rps / bare_rps)
        finally:
            duo.stop()
            bare.shutdown()
            bare.server_close()
        return ratios


FREERADIUS_CONF = """\
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
logdir = {d}
raddbdir = {d}
radacctdir = {d}
name = freeradius
confdir = {d}
modconfdir = {d}
run_dir = {d}
db_dir = {d}
libdir = /usr/lib/freeradius
dictdir = /usr/share/freeradius
pidfile = {d}/radiusd.pid
max_request_time = 30
cleanup_delay = 5
max_requests = 65536
hostname_lookups = no
log {{
  destination = null
}}
security {{
  allow_core_dumps = no
}}
thread pool {{
  start_servers = 4
  max_servers = 32
  min_spare_servers = 3
  max_spare_servers = 10
}}
client localhost {{
  ipaddr = 127.0.0.1
  secret = {secret}
}}
modules {{
  pap {{
  }}
  files {{
    filename = {d}/users
  }}
}}
server default {{
  listen {{
    type = auth
    ipaddr = 127.0.0.1
    port = {port}
  }}
  authorize {{
    files
    pap
  }}
  authenticate {{
    Auth-Type PAP {{
      pap
    }}
  }}
}}
"""


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def radclient_load(port: int, secret: str, requests: int, parallel: int, directory: Path) -> float:
    """Access-Requests per second under radclient sending ``requests`` with ``parallel`` in flight."""
    packets = directory / "requests"
    packets.write_text('User-Name = "bench", User-Password = "s3cret"\n')
    start = time.monotonic()
    done = subprocess.run(
        [
            "radclient",
            "-q",
            "-c",
            str(requests),
            "-p",
            str(parallel),
            "-r",
            "2",
            "-t",
            "2",
            "-f",
            str(packets),
            f"127.0.0.1:{port}",
            "auth",
            secret,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    elapsed = time.monotonic() - start
    if done.returncode != 0:
        raise RuntimeError(f"radclient failed against port {port}: {done.stdout} {done.stderr}")
    return requests / elapsed


def radius_ratio(requests: int, parallel: int, rounds: int) -> list[float] | str:
    if not shutil.which("radclient") or not shutil.which("freeradius"):
        return "skipped: needs Debian's freeradius and freeradius-utils (radclient)"
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        mock = RadiusMock()
        mock.start()
        mock.set_user("bench", "s3cret")
        secret = mock.describe()["shared_secret"]
        port = free_udp_port()
        (directory / "radiusd.conf").write_text(FREERADIUS_CONF.format(d=directory, secret=secret, port=port))
        (directory / "users").write_text('bench Cleartext-Password := "s3cret"\n')
        (directory / "dictionary").write_text("")
        server = subprocess.Popen(
            ["freeradius", "-f", "-d", str(directory)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        ratios: list[float] = []
        try:
            _wait_for(lambda: radclient_load(port, secret, 1, 1, directory))
            for _ in range(rounds):
                mock_rps = radclient_load(mock.describe()["port"], secret, requests, parallel, directory)
                free_rps = radclient_load(port, secret, requests, parallel, directory)
                print(
                    f"  radius: mock {mock_rps:7.1f}/s  freeradius {free_rps:7.1f}/s  "
                    f"ratio {mock_rps / free_rps:.2f}"
                )
                ratios.append(mock_rps / free_rps)
        finally:
            server.terminate()
            server.wait(timeout=10)
            mock.stop()
        return ratios


def _wait_for(attempt: Callable[[], object], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            attempt()
            return
        except RuntimeError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each Duo load phase")
    parser.add_argument("--threads", type=int, default=8, help="concurrent Duo clients")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=3000, help="Access-Requests per RADIUS phase")
    args = parser.parse_args()
    print("Duo health checks per second (mock / bare HTTPS server, same stack):")
    duo = duo_ratio(args.seconds, args.threads, args.rounds)
    print(
        f"ratio mock Duo / bare server: median {statistics.median(duo):.2f} "
        f"(min {min(duo):.2f}, max {max(duo):.2f}; goal >= 0.5)"
    )
    print("RADIUS Access-Requests per second (mock / FreeRADIUS, same radclient load):")
    radius = radius_ratio(args.requests, 32, args.rounds)
    if isinstance(radius, str):
        print(radius)
    else:
        print(
            f"ratio mock RADIUS / FreeRADIUS: median {statistics.median(radius):.2f} "
            f"(min {min(radius):.2f}, max {max(radius):.2f}; goal >= 0.25)"
        )


if __name__ == "__main__":
    main()
