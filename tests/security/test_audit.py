"""The dependency audit (security/audit.py): what it asks about, how it reads the answers, and
which exit status it gives. A finding fails; a source that did not answer is "not checked",
never a pass.

Answers are replayed from tests/security/fixtures/ (see the README there): the failures this
machine really got, and advisory-carrying answers from the services' documentation and test
suites. The end-to-end tests serve them from a server on 127.0.0.1; nothing leaves the machine.
"""

import io
import json
import shutil
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from security import audit

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture(name):
    return (FIXTURES / name).read_bytes()


def recorded_here(url_part):
    """The answer this machine got from the URL containing url_part."""
    answers = json.loads(fixture("answers_from_this_machine.json"))["answers"]
    (answer,) = [answer for answer in answers if url_part in answer["url"]]
    return answer


def replay(answers):
    """An `ask` that answers from a mapping of URL fragment → Answer (or exception)."""
    asked = []

    def ask(url, payload):
        asked.append((url, payload))
        for fragment, answer in answers.items():
            if fragment in url:
                if isinstance(answer, Exception):
                    raise answer
                return answer
        raise AssertionError(f"unexpected request for {url}")

    ask.asked = asked
    return ask


DJANGO_302 = audit.Package("Django", "3.0.2", ".venv")
DJANGO_5 = audit.Package("Django", "5.2.19", ".venv")
NH3 = audit.Package("nh3", "0.3.8", ".venv")
PYPI = "https://pypi.example"
NPM = "https://npm.example"


# What the audit asks about -------------------------------------------------------------------


def test_nhsuk_frontend_version_comes_from_its_version_file_and_matches_the_compiled_js():
    (package,) = [p for p in audit.VENDORED_PACKAGES if p.name == "nhsuk-frontend"]
    version = audit.vendored_version(ROOT, package)
    assert version.startswith("10.")
    first_line = (ROOT / package.version_file).read_text().splitlines()[0]
    assert first_line.startswith(f"nhsuk-frontend {version} ")
    assert f'const version="{version}"' in (ROOT / package.cross_check_file).read_text()


def test_axe_core_version_comes_from_the_header_of_axe_min_js():
    (package,) = [p for p in audit.VENDORED_PACKAGES if p.name == "axe-core"]
    version = audit.vendored_version(ROOT, package)
    assert (ROOT / "tests/browser/vendor/axe.min.js").read_text()[:40].startswith(
        f"/*! axe v{version}\n"
    )
    assert (ROOT / "tests/browser/vendor/VERSION").read_text().startswith(f"axe-core {version}\n")


def test_sortablejs_version_comes_from_its_readme_and_matches_the_minified_header():
    (package,) = [p for p in audit.VENDORED_PACKAGES if p.name == "sortablejs"]
    version = audit.vendored_version(ROOT, package)
    assert (ROOT / "static/vendor/sortablejs/Sortable.min.js").read_text().startswith(
        f"/*! Sortable {version} - MIT"
    )


def test_the_front_end_packages_asked_about_are_the_vendored_ones():
    packages = audit.front_end_packages(ROOT)
    assert [package.name for package in packages] == ["nhsuk-frontend", "sortablejs", "axe-core"]


def copy_vendored_files(tmp_path):
    for package in audit.VENDORED_PACKAGES:
        for relative in (package.version_file, package.cross_check_file):
            (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / relative, tmp_path / relative)
    return tmp_path


def test_a_version_file_that_contradicts_the_vendored_file_stops_the_audit(tmp_path):
    root = copy_vendored_files(tmp_path)
    version_file = root / "static/vendor/nhsuk-frontend/VERSION"
    version_file.write_text(version_file.read_text().replace("10.", "9.", 1))
    with pytest.raises(audit.AuditError, match=r"VERSION says 9\..* but .*min\.js says 10\."):
        audit.front_end_packages(root)


def test_a_vendored_file_without_a_version_stops_the_audit(tmp_path):
    root = copy_vendored_files(tmp_path)
    (root / "tests/browser/vendor/axe.min.js").write_text("/* no header */")
    with pytest.raises(audit.AuditError, match="no version found in tests/browser/vendor/axe"):
        audit.front_end_packages(root)


def test_pins_are_read_from_the_dependencies_and_every_extra():
    pins = audit.pinned_packages((ROOT / "pyproject.toml").read_text())
    by_name = {audit.canonical_name(pin.name): pin.version for pin in pins}
    assert "django" in by_name
    assert "pytest" in by_name  # from the test extra
    assert "psycopg" in by_name  # written psycopg[binary]==…


def test_only_exact_pins_name_a_release_to_ask_about():
    pyproject = """
[project]
name = "example"
dependencies = ["Django==5.2.19", "psycopg[binary] == 3.3.9 ; python_version >= '3.11'",
                "redis>=8", "nh3==0.3.*"]
[project.optional-dependencies]
test = ["pytest==9.2.0"]
"""
    assert [(pin.name, pin.version) for pin in audit.pinned_packages(pyproject)] == [
        ("Django", "5.2.19"),
        ("psycopg", "3.3.9"),
        ("pytest", "9.2.0"),
    ]


def fake_virtualenv(tmp_path, *distributions):
    site_packages = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    for name, version in distributions:
        dist_info = site_packages / f"{name.replace('-', '_')}-{version}.dist-info"
        dist_info.mkdir(parents=True)
        (dist_info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        )
    return tmp_path / "venv"


def test_every_installed_distribution_is_asked_about_except_the_project_itself(tmp_path):
    venv = fake_virtualenv(
        tmp_path, ("Django", "5.2.19"), ("sqlparse", "0.6.1"), ("mdportal", "0.1.0")
    )
    installed = audit.installed_packages(venv, leave_out=["mdportal"])
    assert [(p.name, p.version) for p in installed] == [("Django", "5.2.19"), ("sqlparse", "0.6.1")]


def test_the_project_virtualenv_is_read_for_its_transitive_dependencies():
    project = audit.project_name((ROOT / "pyproject.toml").read_text())
    installed = {
        audit.canonical_name(p.name)
        for p in audit.installed_packages(ROOT / ".venv", leave_out=[project])
    }
    assert {"django", "asgiref", "sqlparse"} <= installed  # asgiref and sqlparse: Django's
    assert project not in installed


def test_no_virtualenv_stops_the_audit(tmp_path):
    with pytest.raises(audit.AuditError, match="no virtualenv"):
        audit.installed_packages(tmp_path / "missing")


def test_a_pin_that_differs_from_the_installed_release_is_asked_about_too():
    pins = [audit.Package("Django", "5.2.19", "pyproject.toml")]
    installed = [audit.Package("django", "5.2.18", ".venv"), NH3]
    packages = audit.python_packages(pins, installed)
    assert [(p.name, p.version, p.origin) for p in packages] == [
        ("django", "5.2.18", ".venv"),
        ("Django", "5.2.19", "pyproject.toml"),
        ("nh3", "0.3.8", ".venv"),
    ]


def test_a_pin_that_is_installed_is_asked_about_once():
    pins = [audit.Package("Django", "5.2.19", "pyproject.toml")]
    (package,) = audit.python_packages(pins, [DJANGO_5])
    assert package.origin == "pyproject.toml, .venv"


# Reading PyPI's answers ------------------------------------------------------------------------


def pypi_report(*packages, answers):
    return audit.audit_python(list(packages), ask=replay(answers), pypi_url=PYPI)


def test_a_pypi_advisory_is_a_finding_with_its_id_aliases_and_fixed_versions():
    ask = replay({"/Django/3.0.2/": audit.Answer(200, fixture("pypi_release_django_3.0.2.json"))})
    report = audit.audit_python([DJANGO_302], ask=ask, pypi_url=PYPI)
    assert report.findings == [
        audit.Finding(
            package=DJANGO_302,
            advisory_id="PYSEC-2021-9",
            detail="CVE-2021-3281",
            fixed_in="2.2.18, 3.0.12, 3.1.6",
            link="https://osv.dev/vulnerability/PYSEC-2021-9",
        )
    ]
    assert report.unchecked == []
    assert ask.asked == [("https://pypi.example/pypi/Django/3.0.2/json", None)]


def test_a_withdrawn_pypi_advisory_is_not_a_finding():
    body = fixture("pypi_release_withdrawn_vulnerability.json")
    report = pypi_report(NH3, answers={"/nh3/": audit.Answer(200, body)})
    assert report.findings == [] and report.unchecked == []


def test_an_empty_advisory_list_counts_as_checked_and_clean():
    body = fixture("pypi_project_django_answered_here.json")
    report = pypi_report(DJANGO_5, answers={"/Django/": audit.Answer(200, body)})
    assert report.findings == [] and report.unchecked == []
    assert audit.exit_status([report]) == audit.CLEAN


def test_pypis_404_here_leaves_every_package_unchecked_never_clean():
    recorded = recorded_here("pypi.example/pypi/Django/5.2.19/json")
    answer = audit.Answer(recorded["status"], recorded["body"].encode())
    report = pypi_report(DJANGO_5, NH3, answers={"/pypi/": answer})
    assert [(u.package, u.reason) for u in report.unchecked] == [
        (DJANGO_5, "HTTP 404 Not Found"),
        (NH3, "HTTP 404 Not Found"),
    ]
    assert report.nothing_checked
    assert audit.exit_status([report]) == audit.NOT_CHECKED


@pytest.mark.parametrize(
    "body",
    [b"<html>Service unavailable</html>", b'{"info": {}}', b'{"vulnerabilities": null}', b"[]"],
)
def test_an_answer_without_an_advisory_list_is_not_a_pass(body):
    report = pypi_report(NH3, answers={"/nh3/": audit.Answer(200, body)})
    assert len(report.unchecked) == 1
    assert audit.exit_status([report]) == audit.NOT_CHECKED


def test_no_answer_from_pypi_stops_the_asking_and_leaves_every_package_unchecked():
    ask = replay({"/pypi/": audit.Unreachable("[Errno -2] Name or service not known")})
    report = audit.audit_python([DJANGO_5, NH3], ask=ask, pypi_url=PYPI)
    assert len(ask.asked) == 1
    assert [u.package for u in report.unchecked] == [DJANGO_5, NH3]
    assert report.unchecked[0].reason == "no answer: [Errno -2] Name or service not known"


def test_one_release_pypi_does_not_know_leaves_only_that_one_unchecked():
    clean = audit.Answer(200, fixture("pypi_project_django_answered_here.json"))
    ask = replay({"/Django/": clean, "/nh3/": audit.Answer(404, b'{"message": "Not Found"}')})
    report = audit.audit_python([DJANGO_5, NH3], ask=ask, pypi_url=PYPI)
    assert [u.package for u in report.unchecked] == [NH3]
    assert not report.nothing_checked


# Reading the npm registry's answers -------------------------------------------------------------


def npm_report(*packages, answer):
    return audit.audit_front_end(
        list(packages), ask=replay({audit.NPM_BULK_ADVISORY_PATH: answer}), npm_registry=NPM
    )


def test_the_bulk_request_names_each_vendored_package_and_its_version():
    ask = replay({audit.NPM_BULK_ADVISORY_PATH: audit.Answer(200, b"{}")})
    audit.audit_front_end(audit.front_end_packages(ROOT), ask=ask, npm_registry=NPM)
    ((url, payload),) = ask.asked
    assert url == "https://npm.example/-/npm/v1/security/advisories/bulk"
    assert set(payload) == {"nhsuk-frontend", "sortablejs", "axe-core"}
    assert all(len(versions) == 1 for versions in payload.values())


def test_an_npm_advisory_is_a_finding_only_when_its_range_includes_the_version():
    lodash = audit.Package("lodash", "4.17.11", "vendored")
    report = npm_report(lodash, answer=audit.Answer(200, fixture("npm_bulk_advisories.json")))
    assert [(f.advisory_id, f.fixed_in) for f in report.findings] == [
        ("1065", "any version outside <4.17.12")  # 782 is <4.17.11: fixed in this version
    ]
    assert report.findings[0].link == "https://registry.example/advisories/1065"


def test_an_npm_advisory_in_todays_form_is_read_with_its_github_link():
    axios = audit.Package("axios", "1.7.3", "vendored")
    report = npm_report(axios, answer=audit.Answer(200, fixture("npm_bulk_advisories.json")))
    (finding,) = report.findings
    assert finding.advisory_id == "1098583"
    assert finding.detail == "Server-Side Request Forgery in axios"
    assert finding.link == "https://github.com/advisories/GHSA-8hc4-vh64-cxmj"


def test_a_package_absent_from_the_npm_answer_is_checked_and_clean():
    packages = audit.front_end_packages(ROOT)
    report = npm_report(*packages, answer=audit.Answer(200, fixture("npm_bulk_advisories.json")))
    assert report.findings == [] and report.unchecked == []


def test_an_advisory_range_the_audit_cannot_read_counts_as_applying():
    body = json.dumps({"axe-core": [{"id": 1, "url": "u", "vulnerable_versions": "4.0 - 5"}]})
    axe = audit.Package("axe-core", "4.14.1", "vendored")
    (finding,) = npm_report(axe, answer=audit.Answer(200, body.encode())).findings
    assert "not understood" in finding.fixed_in


def test_the_npm_405_here_leaves_the_front_end_unchecked():
    recorded = recorded_here("advisories/bulk")
    answer = audit.Answer(recorded["status"], recorded["body"].encode())
    report = npm_report(*audit.front_end_packages(ROOT), answer=answer)
    assert {u.reason for u in report.unchecked} == {"HTTP 405 Method Not Allowed"}
    assert report.nothing_checked


@pytest.mark.parametrize(
    "range_text, version, included",
    [
        ("<=4.0.13 || >=4.1.0 <4.1.2", "4.0.13", True),
        ("<=4.0.13 || >=4.1.0 <4.1.2", "4.1.0", True),
        ("<=4.0.13 || >=4.1.0 <4.1.2", "4.0.14", False),
        ("<=4.0.13 || >=4.1.0 <4.1.2", "4.1.2", False),
        (">= 1.3.2 <= 1.7.3", "1.7.3", True),
        (">=1.3.2 <=1.7.3", "1.7.4", False),
        ("<4.17.12", "4.17.12-beta.1", True),  # a pre-release comes before its release
        ("<4.17.12", "4.17.12", False),
        ("=10.6.1", "10.6.1", True),
        ("10.6.0", "10.6.1", False),
        (">10.6.0", "10.10.0", True),  # numeric, not string, order
        ("*", "4.14.1", True),
    ],
)
def test_npm_ranges_are_read_as_npm_reads_them(range_text, version, included):
    assert audit.npm_range_includes(range_text, version) is included


@pytest.mark.parametrize("range_text", ["4.0 - 5", "~4.1.0", "^4.0.0", "<4.1", "latest"])
def test_an_npm_range_in_another_form_is_refused_rather_than_guessed(range_text):
    with pytest.raises(ValueError):
        audit.npm_range_includes(range_text, "4.14.1")


def test_semantic_version_precedence_orders_pre_releases_by_their_identifiers():
    ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta.2",
               "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1"]
    assert sorted(ordered, key=audit.semver_key) == ordered


# The decision and the report ---------------------------------------------------------------------


def report_with(*, findings=(), unchecked=(), packages=(NH3,)):
    report = audit.SourceReport(kind="Python packages", source="PyPI", packages=list(packages))
    report.findings.extend(findings)
    report.unchecked.extend(unchecked)
    return report


FINDING = audit.Finding(DJANGO_302, "PYSEC-2021-9", "CVE-2021-3281", "3.0.12", "link")


def test_a_finding_fails_even_when_another_source_did_not_answer():
    reports = [
        report_with(findings=[FINDING], packages=[DJANGO_302]),
        report_with(unchecked=[audit.Unchecked(NH3, "HTTP 405")]),
    ]
    assert audit.exit_status(reports) == audit.FOUND == 1


def test_an_unanswered_source_is_not_checked_with_its_own_exit_status():
    reports = [report_with(), report_with(unchecked=[audit.Unchecked(NH3, "no answer")])]
    assert audit.exit_status(reports) == audit.NOT_CHECKED == 3


def test_only_every_package_checked_and_nothing_found_is_clean():
    assert audit.exit_status([report_with(), report_with()]) == audit.CLEAN == 0


def test_the_report_prints_each_finding_with_its_id_and_fixed_in_versions():
    out = io.StringIO()
    status = audit.write_report([report_with(findings=[FINDING], packages=[DJANGO_302])], out)
    assert status == audit.FOUND
    expected = "VULNERABLE Django 3.0.2: PYSEC-2021-9 (CVE-2021-3281); fixed in: 3.0.12; link"
    assert expected in out.getvalue()
    assert "Result: FAILED, 1 known vulnerabilities" in out.getvalue()


def test_the_report_says_nothing_was_checked_when_no_source_answered():
    out = io.StringIO()
    reports = [
        report_with(unchecked=[audit.Unchecked(NH3, "HTTP 404 Not Found")]),
        report_with(unchecked=[audit.Unchecked(NH3, "no answer: timed out")]),
    ]
    assert audit.write_report(reports, out) == audit.NOT_CHECKED
    text = out.getvalue()
    assert "Result: NOT CHECKED (exit 3). This is not a pass." in text
    assert "could not reach PyPI (HTTP 404 Not Found) — nothing was checked" in text
    assert "known vulnerabilities: 0" not in text
    assert "none known vulnerable" not in text


# End to end, through HTTP on 127.0.0.1 ---------------------------------------------------------


class ReplayHandler(BaseHTTPRequestHandler):
    """Answers PyPI per-release GETs and the npm bulk POST from the server's `answers`."""

    def do_GET(self):
        self.respond(self.server.answers["pypi"](self.path))

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.respond(self.server.answers["npm"])

    def respond(self, answer):
        status, headers, body = answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *arguments):
        pass


@pytest.fixture
def replay_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), ReplayHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def run_audit(server, venv):
    url = f"http://127.0.0.1:{server.server_address[1]}"
    out = io.StringIO()
    status = audit.main(
        ["--venv", str(venv), "--pypi-url", url, "--npm-registry", url, "--timeout", "5"], out=out
    )
    return status, out.getvalue()


def test_end_to_end_with_the_answers_this_machine_gets_nothing_is_checked(replay_server, tmp_path):
    pypi, npm = recorded_here("pypi.example"), recorded_here("advisories/bulk")
    replay_server.answers = {
        "pypi": lambda path: (pypi["status"], {}, pypi["body"].encode()),
        "npm": (npm["status"], {"Allow": npm["headers"]["allow"]}, npm["body"].encode()),
    }
    status, output = run_audit(replay_server, fake_virtualenv(tmp_path, ("Django", "5.2.19")))
    assert status == audit.NOT_CHECKED
    assert "— nothing was checked for Python packages." in output
    assert "(HTTP 405 Method Not Allowed) — nothing was checked for front-end packages." in output


def test_end_to_end_a_known_vulnerability_fails_the_audit(replay_server, tmp_path):
    vulnerable = fixture("pypi_release_django_3.0.2.json")
    clean = fixture("pypi_project_django_answered_here.json")
    replay_server.answers = {
        "pypi": lambda path: (200, {}, vulnerable if path == "/pypi/Django/3.0.2/json" else clean),
        "npm": (200, {}, b"{}"),
    }
    status, output = run_audit(replay_server, fake_virtualenv(tmp_path, ("Django", "3.0.2")))
    assert status == audit.FOUND
    assert "VULNERABLE Django 3.0.2: PYSEC-2021-9" in output


def test_end_to_end_every_package_answered_clean_passes(replay_server, tmp_path):
    clean = fixture("pypi_project_django_answered_here.json")
    replay_server.answers = {"pypi": lambda path: (200, {}, clean), "npm": (200, {}, b"{}")}
    status, output = run_audit(replay_server, fake_virtualenv(tmp_path, ("Django", "5.2.19")))
    assert status == audit.CLEAN
    assert "Result: every package checked, none known vulnerable (exit 0)." in output


def test_a_closed_port_is_no_answer_at_all():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(audit.Unreachable):
        audit.http_request(f"http://127.0.0.1:{port}/pypi/x/1/json", timeout=5)


def test_a_broken_vendored_version_is_its_own_exit_status(monkeypatch, tmp_path):
    root = copy_vendored_files(tmp_path)
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / "tests/browser/vendor/VERSION").write_text("axe-core 0.0.1\n")
    monkeypatch.setattr(audit, "ROOT", root)
    out = io.StringIO()
    status = audit.main(["--venv", str(fake_virtualenv(tmp_path, ("Django", "5.2.19")))], out=out)
    assert status == audit.COULD_NOT_RUN
    assert "The audit could not run: axe-core:" in out.getvalue()
