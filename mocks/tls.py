"""A certificate authority made at start, and a server certificate it signs for localhost and 127.0.0.1.

Duo's clients speak only HTTPS; the CA's PEM is handed to them (``duo_certs=``, ``ca_certs=``) so they
trust the mock without trusting anything else.
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from mocks.statedir import private_directory, write_private

VALID_DAYS = 7  # a server certificate, and a CA made for one run
KEPT_CA_VALID_DAYS = 3650  # a CA kept in a state directory, trusted once by the operator's CAS


@dataclass(frozen=True)
class Certificates:
    ca_pem: Path
    cert_pem: Path
    key_pem: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.cert_pem, self.key_pem)
        return context


def make_certificates(directory: Path) -> Certificates:
    """A new CA and server certificate in the directory: ``ca.pem``, ``server.pem``, ``server-key.pem``."""
    ca, ca_key = _make_ca(VALID_DAYS)
    return _write(directory, ca, ca_key, keep_ca_key=False)


def keep_certificates(directory: Path) -> Certificates:
    """The CA kept in the directory (made on first use, with its key in ``ca-key.pem``), and a server
    certificate it signs afresh, so a client told to trust ``ca.pem`` once keeps trusting the mocks."""
    ca_path, ca_key_path = directory / "ca.pem", directory / "ca-key.pem"
    if not ca_path.exists() and not ca_key_path.exists():
        ca, ca_key = _make_ca(KEPT_CA_VALID_DAYS)
        return _write(directory, ca, ca_key, keep_ca_key=True)
    for path in (ca_path, ca_key_path):
        if not path.is_file():
            raise CertificateError(f"{path}: missing (ca.pem and ca-key.pem are kept together)")
    try:
        ca = x509.load_pem_x509_certificate(ca_path.read_bytes())
    except ValueError as error:
        raise CertificateError(f"{ca_path}: not a PEM certificate: {error}") from None
    try:
        key = serialization.load_pem_private_key(ca_key_path.read_bytes(), password=None)
    except (ValueError, TypeError) as error:
        raise CertificateError(f"{ca_key_path}: not an unencrypted PEM private key: {error}") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.public_key() != ca.public_key():
        raise CertificateError(f"{ca_key_path}: not the key of {ca_path}")
    if ca.not_valid_after_utc <= datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1):
        raise CertificateError(
            f"{ca_path}: the CA expires on {ca.not_valid_after_utc:%Y-%m-%d}; delete ca.pem and "
            "ca-key.pem to make a new one, and trust the new ca.pem"
        )
    return _write(directory, ca, key, keep_ca_key=True)


class CertificateError(Exception):
    """A kept CA that cannot be used; the message names the file."""


def _make_ca(valid_days: int) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cas-mfa-mocks test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return ca, ca_key


def _write(
    directory: Path, ca: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey, *, keep_ca_key: bool
) -> Certificates:
    now = datetime.datetime.now(datetime.UTC)
    private_directory(directory)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(min(now + datetime.timedelta(days=VALID_DAYS), ca.not_valid_after_utc))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = Certificates(directory / "ca.pem", directory / "server.pem", directory / "server-key.pem")
    # The certificates are public, but they live in a private directory: 0600 like everything there.
    write_private(paths.ca_pem, ca.public_bytes(serialization.Encoding.PEM))
    write_private(paths.cert_pem, cert.public_bytes(serialization.Encoding.PEM))
    _write_private(paths.key_pem, key)
    if keep_ca_key:
        _write_private(directory / "ca-key.pem", ca_key)
    return paths


def _write_private(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    """A private key, readable by its owner only."""
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    write_private(path, pem)
