"""Dependency audit: ask vulnerability databases about every package the portal ships or tests with.

What is checked, and against what:

- Python: every distribution installed in the project's virtualenv (transitive dependencies
  included) and every exact pin (``==``) in pyproject.toml, the runtime list and every extra.
  Each release is looked up in PyPI's JSON API, ``GET <pypi>/pypi/<name>/<version>/json``,
  whose ``vulnerabilities`` list PyPI fills from the OSV / PyPA advisory database: the data
  pip-audit uses by default. The project's own distribution is left out (it is not on PyPI).
- Front end: the vendored NHS.UK frontend (version from its VERSION file, checked against the
  compiled JS), SortableJS (version from its README, checked against the header of
  Sortable.min.js) and axe-core (version from the header of axe.min.js, checked against its
  VERSION file), sent to the npm registry's bulk advisory endpoint, ``POST <registry>/-/npm/v1/
  security/advisories/bulk``, the one ``npm audit`` uses. That endpoint returns every advisory for a
  package; each one's ``vulnerable_versions`` range is tested against the vendored version here,
  as npm does.

A package counts as checked only when its source answered with an advisory list for it. No
answer, an HTTP error or an unreadable body leaves it NOT CHECKED, never clean: pip-audit's
PyPI service, by contrast, reports "No known vulnerabilities found" and exits 0 when every
lookup answers 404, and its OSV service fails with a traceback that exits 1, like a finding.

Exit status (the constants below): 0 every package checked and none has a known vulnerability;
1 at least one known vulnerability (each printed with its advisory id and fixed-in versions);
2 the audit could not run (no virtualenv, a vendored version unreadable or contradicting itself);
3 a source did not answer, so some or all packages were not checked ("... — nothing was checked").
Findings win over unanswered sources: 1 is returned whenever anything was found.

Run as ``make audit`` (or ``.venv/bin/python security/audit.py``); ``--pypi-url`` and
``--npm-registry`` point it at a mirror that serves the same two APIs.
"""

from __future__ import annotations

import argparse
import functools
import http.client
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parent.parent

CLEAN = 0
FOUND = 1
COULD_NOT_RUN = 2
NOT_CHECKED = 3

# Where to ask. Taken from the package tools' own configuration, so that the audit asks the
# sources the machine already uses for installing: pip's default index and npm's registry.
# MDPORTAL_AUDIT_PYPI_URL and MDPORTAL_AUDIT_NPM_REGISTRY (or the options) choose others.


def default_pypi_url() -> str:
    """The index pip installs from by default (its JSON API lives there too)."""
    configured = os.environ.get("MDPORTAL_AUDIT_PYPI_URL")
    if configured:
        return configured.rstrip("/")
    from pip._internal.models.index import PyPI  # pip's own record of its default index

    return PyPI.url.rstrip("/")


def default_npm_registry() -> str:
    """The registry npm is configured to use, or "" when npm is not installed."""
    configured = os.environ.get("MDPORTAL_AUDIT_NPM_REGISTRY")
    if configured:
        return configured.rstrip("/")
    try:
        answer = subprocess.run(
            ["npm", "config", "get", "registry"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return answer.stdout.strip().rstrip("/") if answer.returncode == 0 else ""

NPM_BULK_ADVISORY_PATH = "/-/npm/v1/security/advisories/bulk"
USER_AGENT = "mdportal-dependency-audit (+security/audit.py)"


class AuditError(Exception):
    """The audit cannot run at all: what it would ask about is unknown or contradicts itself."""


class Unreachable(Exception):
    """A source gave no HTTP answer at all: name not resolved, connection refused, timeout, TLS."""


@dataclass(frozen=True)
class Answer:
    """An HTTP answer, whatever its status."""

    status: int
    body: bytes


@dataclass(frozen=True)
class Package:
    """One release to ask about. ``origin`` says where the audit found it."""

    name: str
    version: str
    origin: str = ""

    def __str__(self):
        return f"{self.name} {self.version}"


@dataclass(frozen=True)
class Finding:
    """A known vulnerability that applies to a package's version."""

    package: Package
    advisory_id: str
    detail: str  # PyPI: the advisory's aliases (CVE ids); npm: its title
    fixed_in: str
    link: str


@dataclass(frozen=True)
class Unchecked:
    """A package its source did not answer for, and why."""

    package: Package
    reason: str


@dataclass
class SourceReport:
    """What one source said about the packages sent to it."""

    kind: str
    source: str
    packages: list[Package]
    findings: list[Finding] = field(default_factory=list)
    unchecked: list[Unchecked] = field(default_factory=list)

    @property
    def nothing_checked(self):
        return bool(self.packages) and len(self.unchecked) == len(self.packages)


Ask = Callable[[str, dict | None], Answer]


# Versions of the vendored front-end packages -----------------------------------------------


@dataclass(frozen=True)
class VendoredPackage:
    """A front-end package copied into the repository: where its version is written, twice."""

    name: str
    version_file: str
    version_pattern: str
    cross_check_file: str
    cross_check_pattern: str


VENDORED_PACKAGES = (
    VendoredPackage(
        name="nhsuk-frontend",
        version_file="static/vendor/nhsuk-frontend/VERSION",
        version_pattern=r"\Anhsuk-frontend (\S+)",
        cross_check_file="static/vendor/nhsuk-frontend/nhsuk-frontend.min.js",
        cross_check_pattern=r'const version="([^"]+)"',
    ),
    VendoredPackage(
        name="sortablejs",
        version_file="static/vendor/sortablejs/README.md",
        version_pattern=r"\A# SortableJS (\S+)",
        cross_check_file="static/vendor/sortablejs/Sortable.min.js",
        cross_check_pattern=r"\A/\*! Sortable (\S+) ",
    ),
    VendoredPackage(
        name="axe-core",
        version_file="tests/browser/vendor/axe.min.js",
        version_pattern=r"\A/\*! axe v(\S+)",
        cross_check_file="tests/browser/vendor/VERSION",
        cross_check_pattern=r"\Aaxe-core (\S+)",
    ),
)


def _version_in(root: Path, relative_path: str, pattern: str) -> str:
    path = root / relative_path
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise AuditError(f"cannot read {relative_path}: {error.strerror}") from error
    match = re.search(pattern, text)
    if not match:
        raise AuditError(f"no version found in {relative_path} (looked for {pattern!r})")
    return match.group(1)


def vendored_version(root: Path, package: VendoredPackage) -> str:
    """The vendored package's version; AuditError if unreadable or if its two records disagree.

    A VERSION note that drifted from the file actually served would make the audit vouch for
    a version nobody ships.
    """
    version = _version_in(root, package.version_file, package.version_pattern)
    cross_check = _version_in(root, package.cross_check_file, package.cross_check_pattern)
    if version != cross_check:
        raise AuditError(
            f"{package.name}: {package.version_file} says {version} but "
            f"{package.cross_check_file} says {cross_check}"
        )
    return version


def front_end_packages(root: Path) -> list[Package]:
    return [
        Package(package.name, vendored_version(root, package), package.version_file)
        for package in VENDORED_PACKAGES
    ]


# Versions of the Python packages ------------------------------------------------------------


def canonical_name(name: str) -> str:
    """The PEP 503 form of a distribution name, so that Django, django and DJANGO are one."""
    return re.sub(r"[-_.]+", "-", name).lower()


_EXACT_PIN = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*==\s*(?P<version>[^\s;,*]+)"
    r"\s*(?:;.*)?$"
)


def project_name(pyproject_text: str) -> str:
    return tomllib.loads(pyproject_text)["project"]["name"]


def pinned_packages(pyproject_text: str) -> list[Package]:
    """Every ``name==version`` in [project] dependencies and optional-dependencies.

    Requirements that are not exact pins name no single release to ask about; whatever they
    resolved to is covered by the installed packages.
    """
    project = tomllib.loads(pyproject_text)["project"]
    requirements = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    pins = []
    for requirement in requirements:
        match = _EXACT_PIN.match(requirement)
        if match:
            pins.append(Package(match["name"], match["version"], "pyproject.toml"))
    return pins


def installed_packages(venv: Path, *, leave_out: Iterable[str] = ()) -> list[Package]:
    """Every distribution in the virtualenv's site-packages, except those named in leave_out."""
    site_packages = sorted(venv.glob("lib/python*/site-packages"))
    if not site_packages:
        raise AuditError(f"no virtualenv at {venv} (make install-test creates it)")
    left_out = {canonical_name(name) for name in leave_out}
    found = {}
    for distribution in importlib.metadata.distributions(path=[str(p) for p in site_packages]):
        name = distribution.metadata["Name"]
        if not name or canonical_name(name) in left_out:
            continue
        found[(canonical_name(name), distribution.version)] = Package(
            name, distribution.version, ".venv"
        )
    return sorted(found.values(), key=lambda package: canonical_name(package.name))


def python_packages(pins: list[Package], installed: list[Package]) -> list[Package]:
    """The union of the pins and the installed releases, one entry per name and version.

    A pin whose version is not the installed one is asked about as well, with origin
    "pyproject.toml" alone, so that the report can say the two differ.
    """
    by_release = {(canonical_name(p.name), p.version): p for p in installed}
    for pin in pins:
        key = (canonical_name(pin.name), pin.version)
        if key in by_release:
            by_release[key] = Package(by_release[key].name, pin.version, "pyproject.toml, .venv")
        else:
            by_release[key] = pin
    return sorted(by_release.values(), key=lambda p: (canonical_name(p.name), p.version))


# Asking the sources ---------------------------------------------------------------------------


def http_request(url: str, payload: dict | None = None, *, timeout: float = 20.0) -> Answer:
    """GET the URL, or POST the payload as JSON; any HTTP status is an Answer.

    Raises Unreachable when no HTTP answer came back at all.
    """
    headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
    data = None
    if payload is not None:
        data = json.dumps(payload).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read())
    except urllib.error.URLError as error:
        raise Unreachable(str(error.reason)) from error
    except (OSError, http.client.HTTPException) as error:
        raise Unreachable(str(error) or type(error).__name__) from error


def _status_text(status: int) -> str:
    try:
        return f"HTTP {status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def pypi_vulnerabilities(body: bytes) -> list[dict]:
    """The ``vulnerabilities`` list of a PyPI release answer; ValueError if it has none."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError("the answer is not JSON") from error
    vulnerabilities = document.get("vulnerabilities") if isinstance(document, dict) else None
    if not isinstance(vulnerabilities, list):
        raise ValueError("the answer has no vulnerabilities list")
    return vulnerabilities


def pypi_release_url(pypi_url: str, package: Package) -> str:
    name = urllib.parse.quote(package.name, safe="")
    version = urllib.parse.quote(package.version, safe="")
    return f"{pypi_url.rstrip('/')}/pypi/{name}/{version}/json"


def audit_python(packages: list[Package], *, ask: Ask, pypi_url: str) -> SourceReport:
    """Ask PyPI about each release. The first request with no answer at all stops the asking:
    a source that is not there would otherwise cost one timeout per package.
    """
    report = SourceReport(
        kind="Python packages",
        source=f"PyPI's JSON API, {pypi_url.rstrip('/')}/pypi/<name>/<version>/json",
        packages=packages,
    )
    for position, package in enumerate(packages):
        try:
            answer = ask(pypi_release_url(pypi_url, package), None)
        except Unreachable as error:
            reason = f"no answer: {error}"
            report.unchecked.extend(Unchecked(p, reason) for p in packages[position:])
            break
        if answer.status != 200:
            report.unchecked.append(Unchecked(package, _status_text(answer.status)))
            continue
        try:
            vulnerabilities = pypi_vulnerabilities(answer.body)
        except ValueError as error:
            report.unchecked.append(Unchecked(package, str(error)))
            continue
        for vulnerability in vulnerabilities:
            if vulnerability.get("withdrawn"):
                continue
            fixed_in = vulnerability.get("fixed_in") or []
            report.findings.append(
                Finding(
                    package=package,
                    advisory_id=str(vulnerability.get("id", "?")),
                    detail=", ".join(vulnerability.get("aliases") or ()),
                    fixed_in=", ".join(fixed_in) if fixed_in else "no fixed release",
                    link=str(vulnerability.get("link") or ""),
                )
            )
    return report


_SEMVER = re.compile(
    r"v?(?P<major>\d+)\.(?P<minor>\d+)\.(?P<patch>\d+)"
    r"(?:-(?P<prerelease>[0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?"
)
_COMPARATOR = r"(?:<=|>=|<|>|=)?\s*v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?"
_COMPARATOR_SET = re.compile(rf"\s*(?:{_COMPARATOR}\s*)+")
_ONE_COMPARATOR = re.compile(rf"(?P<operator><=|>=|<|>|=)?\s*(?P<version>{_SEMVER.pattern})")


def semver_key(version: str) -> tuple:
    """A sort key in semantic-version precedence: a release sorts after its pre-releases,
    numeric pre-release identifiers before alphanumeric ones."""
    match = _SEMVER.fullmatch(version.strip())
    if not match:
        raise ValueError(f"not a semantic version: {version!r}")
    core = (int(match["major"]), int(match["minor"]), int(match["patch"]))
    if match["prerelease"] is None:
        return (*core, 1, ())
    identifiers = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in match["prerelease"].split(".")
    )
    return (*core, 0, identifiers)


def npm_range_includes(range_text: str, version: str) -> bool:
    """Whether an npm advisory's ``vulnerable_versions`` range includes the version.

    Reads the forms advisories use: comparator sets (``>=4.0.0 <4.17.21``) joined by ``||``,
    and ``*``. Raises ValueError for anything else (hyphen ranges, partial versions, tildes),
    so that the caller can count the advisory as applying rather than guess.
    """
    key = semver_key(version)
    for alternative in range_text.split("||"):
        alternative = alternative.strip()
        if alternative in {"", "*", "x"}:
            return True
        if not _COMPARATOR_SET.fullmatch(alternative):
            raise ValueError(f"range not understood: {range_text!r}")
        if all(
            _compare(key, match["operator"] or "=", semver_key(match["version"]))
            for match in _ONE_COMPARATOR.finditer(alternative)
        ):
            return True
    return False


def _compare(key: tuple, operator: str, bound: tuple) -> bool:
    return {
        "<": key < bound,
        "<=": key <= bound,
        ">": key > bound,
        ">=": key >= bound,
        "=": key == bound,
    }[operator]


def npm_advisories(body: bytes) -> dict:
    """The bulk endpoint's answer: package name → list of advisories; ValueError if not."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError("the answer is not JSON") from error
    if not isinstance(document, dict) or not all(
        isinstance(advisories, list) for advisories in document.values()
    ):
        raise ValueError("the answer is not a map of package names to advisory lists")
    return document


def audit_front_end(packages: list[Package], *, ask: Ask, npm_registry: str) -> SourceReport:
    """Ask the npm registry about the vendored packages in one request."""
    url = f"{npm_registry.rstrip('/')}{NPM_BULK_ADVISORY_PATH}"
    report = SourceReport(
        kind="front-end packages",
        source=f"the npm registry's bulk advisory endpoint, POST {url}",
        packages=packages,
    )
    if not packages:
        return report
    try:
        answer = ask(url, {package.name: [package.version] for package in packages})
    except Unreachable as error:
        reason = f"no answer: {error}"
        report.unchecked.extend(Unchecked(package, reason) for package in packages)
        return report
    if answer.status != 200:
        reason = _status_text(answer.status)
        report.unchecked.extend(Unchecked(package, reason) for package in packages)
        return report
    try:
        advisories_by_name = npm_advisories(answer.body)
    except ValueError as error:
        report.unchecked.extend(Unchecked(package, str(error)) for package in packages)
        return report
    # A package with no advisories at all is absent from the answer: that is checked and clean.
    for package in packages:
        for advisory in advisories_by_name.get(package.name, []):
            range_text = str(advisory.get("vulnerable_versions", "*"))
            try:
                applies = npm_range_includes(range_text, package.version)
                fixed_in = f"any version outside {range_text}"
            except ValueError:
                applies = True
                fixed_in = f"range {range_text!r} not understood, so counted as applying"
            if applies:
                report.findings.append(
                    Finding(
                        package=package,
                        advisory_id=str(advisory.get("id", "?")),
                        detail=str(advisory.get("title") or ""),
                        fixed_in=fixed_in,
                        link=str(advisory.get("url") or ""),
                    )
                )
    return report


# The decision and the report -----------------------------------------------------------------


def exit_status(reports: list[SourceReport]) -> int:
    """FOUND if anything was found; else NOT_CHECKED if any package went unanswered; else CLEAN."""
    if any(report.findings for report in reports):
        return FOUND
    if any(report.unchecked for report in reports):
        return NOT_CHECKED
    return CLEAN


def _unchecked_by_reason(report: SourceReport) -> dict[str, list[Package]]:
    grouped: dict[str, list[Package]] = {}
    for unchecked in report.unchecked:
        grouped.setdefault(unchecked.reason, []).append(unchecked.package)
    return grouped


def _write_source(report: SourceReport, out: TextIO) -> None:
    heading = report.kind[0].upper() + report.kind[1:]
    print(f"== {heading}, asked {report.source}", file=out)
    print("   " + ", ".join(str(package) for package in report.packages), file=out)
    for package in report.packages:
        if package.origin == "pyproject.toml":
            print(f"   pinned in pyproject.toml, not installed in .venv: {package}", file=out)
    for finding in report.findings:
        detail = f" ({finding.detail})" if finding.detail else ""
        print(
            f"   VULNERABLE {finding.package}: {finding.advisory_id}{detail}; "
            f"fixed in: {finding.fixed_in}; {finding.link}",
            file=out,
        )
    for reason, packages in _unchecked_by_reason(report).items():
        which = (
            "all of them"
            if len(packages) == len(report.packages)
            else ", ".join(str(package) for package in packages)
        )
        print(f"   NOT CHECKED ({reason}): {which}", file=out)
    checked = len(report.packages) - len(report.unchecked)
    summary = f"   checked {checked} of {len(report.packages)}"
    if checked:
        summary += f", known vulnerabilities: {len(report.findings)}"
    print(summary, file=out)


def write_report(reports: list[SourceReport], out: TextIO) -> int:
    """Print every finding and every package left unchecked, then the result; return its
    exit status. The result line never reads as a pass unless every package was checked."""
    for report in reports:
        _write_source(report, out)
    status = exit_status(reports)
    if status == FOUND:
        found = sum(len(report.findings) for report in reports)
        print(f"Result: FAILED, {found} known vulnerabilities (exit {FOUND}).", file=out)
    elif status == NOT_CHECKED:
        print(f"Result: NOT CHECKED (exit {NOT_CHECKED}). This is not a pass.", file=out)
    else:
        print(f"Result: every package checked, none known vulnerable (exit {CLEAN}).", file=out)
    for report in reports:
        if report.nothing_checked:
            reasons = "; ".join(_unchecked_by_reason(report))
            print(
                f"  could not reach {report.source} ({reasons}) — nothing was checked "
                f"for {report.kind}.",
                file=out,
            )
        elif report.unchecked:
            print(
                f"  {len(report.unchecked)} of {len(report.packages)} {report.kind} were not "
                f"checked ({report.source}).",
                file=out,
            )
    return status


def main(argv: list[str] | None = None, *, ask: Ask | None = None, out: TextIO = sys.stdout):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--venv", type=Path, default=ROOT / ".venv", help="the virtualenv to audit"
    )
    parser.add_argument(
        "--pypi-url", help="serves PyPI's JSON API (default: pip's default index)"
    )
    parser.add_argument(
        "--npm-registry", help="serves the npm bulk advisory endpoint (default: npm's registry)"
    )
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per request")
    arguments = parser.parse_args(argv)
    arguments.pypi_url = arguments.pypi_url or default_pypi_url()
    arguments.npm_registry = arguments.npm_registry or default_npm_registry()
    ask = ask or functools.partial(http_request, timeout=arguments.timeout)

    try:
        pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
        installed = installed_packages(arguments.venv, leave_out=[project_name(pyproject)])
        python = python_packages(pinned_packages(pyproject), installed)
        front_end = front_end_packages(ROOT)
    except AuditError as error:
        print(f"The audit could not run: {error} (exit {COULD_NOT_RUN}).", file=out)
        return COULD_NOT_RUN

    reports = [
        audit_python(python, ask=ask, pypi_url=arguments.pypi_url),
        audit_front_end(front_end, ask=ask, npm_registry=arguments.npm_registry),
    ]
    return write_report(reports, out)


if __name__ == "__main__":
    sys.exit(main())
