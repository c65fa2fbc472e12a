"""A token server on 127.0.0.1 over HTTPS for the Microsoft 365 sign-in (msal's
client-credentials flow): OpenID discovery and the token endpoint, with a certificate
made here and handed to msal as its CA, so msal's real HTTP conversation is tested."""

from __future__ import annotations

import datetime as dt
import http.server
import ipaddress
import json
import ssl
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def make_certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class TokenServer(http.server.BaseHTTPRequestHandler):
    secret = "client-secret-1"
    token = "token-for-the-desk"
    requests: list[dict] = []

    def log_message(self, *args) -> None:
        pass

    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802
        host = f"https://127.0.0.1:{self.server.server_port}"
        tenant = self.path.strip("/").split("/")[0]
        self._json(
            200,
            {
                "token_endpoint": f"{host}/{tenant}/oauth2/v2.0/token",
                "authorization_endpoint": f"{host}/{tenant}/oauth2/v2.0/authorize",
                "issuer": f"{host}/{tenant}/v2.0",
            },
        )

    def do_POST(self) -> None:  # noqa: N802
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        self.requests.append(form)
        if form.get("client_secret", [""])[0] != self.secret:
            self._json(
                401,
                {
                    "error": "invalid_client",
                    "error_description": "AADSTS7000215: Invalid client secret provided.",
                },
            )
            return
        self._json(200, {"access_token": self.token, "token_type": "Bearer", "expires_in": 3599})


@contextmanager
def token_server(folder: Path):
    """Run the token server; yields (authority template, CA file)."""
    cert, key = make_certificate(folder)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), TokenServer)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    TokenServer.requests = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"https://127.0.0.1:{server.server_port}/{{tenant}}", str(cert)
    finally:
        server.shutdown()
