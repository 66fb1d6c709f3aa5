"""Runtime hook: let the bundle's OpenSSL find the system's CA certificates anywhere.

The bundled libssl looks for certificates where the build machine (Debian) keeps
them, /usr/lib/ssl. On Fedora, openSUSE, Arch or Alpine they live elsewhere, and
without them every https feed would be refused as unverified. When the default
place holds nothing and the user set neither SSL_CERT_FILE nor SSL_CERT_DIR,
point SSL_CERT_FILE at the distribution's bundle.
"""

import os
import ssl
from pathlib import Path

CANDIDATES = (
    "/etc/ssl/certs/ca-certificates.crt",  # Debian, Ubuntu, Arch, Gentoo
    "/etc/pki/tls/certs/ca-bundle.crt",  # Fedora, RHEL, CentOS
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  # Fedora, RHEL (newer)
    "/etc/ssl/ca-bundle.pem",  # openSUSE
    "/etc/ssl/cert.pem",  # Alpine, macOS
)


def certificate_file(
    environ: "os._Environ[str] | dict[str, str]",
    default_file: "str | None",
    default_dir: "str | None",
    candidates: "tuple[str, ...]" = CANDIDATES,
) -> "str | None":
    """The CA bundle to use, or None when OpenSSL's own defaults (or the user's) will do."""
    if environ.get("SSL_CERT_FILE") or environ.get("SSL_CERT_DIR"):
        return None
    if default_file and Path(default_file).is_file():
        return None
    if default_dir and Path(default_dir).is_dir() and any(Path(default_dir).iterdir()):
        return None
    return next((path for path in candidates if Path(path).is_file()), None)


_paths = ssl.get_default_verify_paths()
_found = certificate_file(os.environ, _paths.openssl_cafile, _paths.openssl_capath)
if _found:
    os.environ["SSL_CERT_FILE"] = _found
