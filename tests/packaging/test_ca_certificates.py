"""The bundle's runtime hook finds the system's CA certificates on any distribution."""

import importlib.util
from pathlib import Path

HOOK = Path(__file__).parents[2] / "packaging" / "pyinstaller" / "rthooks" / "ca_certificates.py"
spec = importlib.util.spec_from_file_location("ca_certificates", HOOK)
assert spec is not None and spec.loader is not None
hook = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hook)


def test_fedora_bundle_is_used_when_the_debian_place_is_missing(tmp_path):
    fedora = tmp_path / "ca-bundle.crt"
    fedora.write_text("-----BEGIN CERTIFICATE-----\n")
    missing = str(tmp_path / "usr-lib-ssl" / "cert.pem")
    found = hook.certificate_file({}, missing, str(tmp_path / "none"), ("/nope", str(fedora)))
    assert found == str(fedora)


def test_openssls_own_place_and_the_users_choice_are_left_alone(tmp_path):
    cafile = tmp_path / "cert.pem"
    cafile.write_text("x")
    other = tmp_path / "other.pem"
    other.write_text("x")
    assert hook.certificate_file({}, str(cafile), None, (str(other),)) is None
    folder = tmp_path / "certs"
    folder.mkdir()
    (folder / "a.0").write_text("x")
    assert hook.certificate_file({}, None, str(folder), (str(other),)) is None
    assert hook.certificate_file({"SSL_CERT_FILE": "mine.pem"}, None, None, (str(other),)) is None


def test_nothing_found_changes_nothing(tmp_path):
    assert hook.certificate_file({}, None, None, (str(tmp_path / "absent.pem"),)) is None
