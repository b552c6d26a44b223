"""Mutation testing of the rule modules: does a test fail when a rule breaks?

`make mutate` runs this. For each hand-picked mutant in `mutation/mutants.py` (a one-line
change a real bug could make) it runs the mutant's group of tests against a copy of the code
with that one change, and counts the mutant as killed only when a test fails (or the run
times out, which is reported separately). It prints each group's score and every survivor,
and a full run writes `mutation/RESULTS.md` with the commit it measured.

Why not mutmut: its coverage-based test selection cannot see code that runs in the PDF
worker's child process, so it would call the URL fetcher's mutants untested.

The working tree is never changed. The tracked files, plus untracked files that git does not
ignore, are copied once into a temporary directory; each mutant is applied there, its tests
run from there with this virtualenv (`python -m pytest`, so the copy's packages come first
on the path, not the editable install), and the file is restored before the next mutant.

Usage:
    .venv/bin/python mutation/run.py                 # every group; writes RESULTS.md
    .venv/bin/python mutation/run.py --group importing
    .venv/bin/python mutation/run.py --only importing-07 --only fetcher-03
    .venv/bin/python mutation/run.py --list          # the catalogue, without running it

A run with `--group` or `--only` prints its results but leaves RESULTS.md alone, so the file
always describes one whole run. The exit status is 1 when a group scores under 90%, and 2
when the catalogue no longer matches the code or the unmutated tests fail.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from mutants import EQUIVALENT, GROUPS, Group, Mutant  # noqa: E402

RESULTS = ROOT / "mutation" / "RESULTS.md"
# Each group must kill at least this share of its mutants, or the run exits with status 1.
MINIMUM_SCORE = 90.0
# A mutant whose tests run this many times longer than the unmutated code's (plus a margin
# for a slow machine) is stopped and counted as killed: an endless loop is a failure too.
TIMEOUT_FACTOR = 3
TIMEOUT_MARGIN_SECONDS = 30


class CatalogueError(Exception):
    """The catalogue does not match the code: fix mutants.py before measuring anything."""


@dataclass
class Outcome:
    mutant: Mutant
    identifier: str
    line: int
    killed: bool
    timed_out: bool = False
    seconds: float = 0.0
    killed_by: str = ""  # the first failing test, as pytest names it


# --- the catalogue, checked against the code ------------------------------------------------


def locate(root: Path, file: str, original: str) -> int:
    """The line number of `original` in `file`, which must hold it exactly once."""
    path = root / file
    if not path.is_file():
        raise CatalogueError(f"{file}: no such file")
    text = path.read_text(encoding="utf-8")
    count = text.count(original)
    if count != 1:
        raise CatalogueError(
            f"{file}: {original!r} occurs {count} times; a mutant's original text must occur "
            "exactly once (make it longer, or update the catalogue to the code)"
        )
    return text[: text.index(original)].count("\n") + 1


def check_catalogue(root: Path) -> None:
    """Fail loudly, naming every problem, if any mutant or equivalent is stale, duplicated or
    not valid Python, or a group names a test file that is not there."""
    problems = []
    seen = set()
    entries = [(group.name, m) for group in GROUPS for m in group.mutants]
    entries += [(equivalent.group, equivalent) for equivalent in EQUIVALENT]
    names = {group.name for group in GROUPS}
    for group_name, entry in entries:
        key = (entry.file, entry.original, entry.replacement)
        if group_name not in names:
            problems.append(f"{entry.file}: unknown group {group_name!r}")
        elif entry.original == entry.replacement:
            problems.append(f"{entry.file}: {entry.original!r} is replaced by itself")
        elif key in seen:
            problems.append(f"{entry.file}: {entry.original!r} is listed twice")
        else:
            seen.add(key)
            try:
                locate(root, entry.file, entry.original)
            except CatalogueError as error:
                problems.append(str(error))
                continue
            text = (root / entry.file).read_text(encoding="utf-8")
            try:
                compile(text.replace(entry.original, entry.replacement), entry.file, "exec")
            except SyntaxError as error:
                # A mutant that does not parse is killed by any import: it measures nothing.
                problems.append(f"{entry.file}: {entry.original!r} mutates to {error}")
    for group in GROUPS:
        for test_path in group.tests:
            if not (root / test_path.split("::")[0]).exists():
                problems.append(f"group {group.name}: no test file {test_path}")
    if problems:
        raise CatalogueError("the catalogue does not match the code:\n  " + "\n  ".join(problems))


def identifiers(group: Group) -> list[str]:
    return [f"{group.name}-{index:02d}" for index in range(1, len(group.mutants) + 1)]


# --- the copy of the checkout -----------------------------------------------------------------


def project_files() -> list[str]:
    """Tracked files and untracked ones git does not ignore, as they are in the working tree."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return sorted({name for name in listed.split("\0") if name})


def copy_checkout(destination: Path) -> None:
    for name in project_files():
        source = ROOT / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree but not yet in the index
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)


def test_environment(copy: Path) -> dict[str, str]:
    environment = dict(os.environ)
    # No bytecode: a mutant of the same length written within the same second as the file it
    # replaced would otherwise be served from a stale .pyc.
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    # The PDF worker is a child process started with cwd=BASE_DIR (the copy); this makes sure
    # any other child imports the copy's modules as well.
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(copy), *filter(None, [environment.get("PYTHONPATH")])]
    )
    return environment


def check_imports_come_from(copy: Path) -> None:
    """Refuse to measure if the copy's packages would lose to the editable install."""
    found = subprocess.run(
        [sys.executable, "-c", "import induction; print(induction.__file__)"],
        cwd=copy,
        env=test_environment(copy),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not Path(found).resolve().is_relative_to(copy.resolve()):
        raise CatalogueError(f"the tests would import {found}, not the copy in {copy}")


# pytest's exit statuses: 0 all passed, 1 a test failed, 2 collection failed (an import error,
# say) or the run was interrupted. Anything else (internal or usage errors, no tests) says
# nothing about the code under test, so the harness stops rather than guess.
FAILED = {1, 2}
SUMMARY_LINE = re.compile(r"^(?:FAILED|ERROR) (\S+\.py(?:::.*?)?)(?: - .*)?$", re.MULTILINE)


def run_tests(copy: Path, tests: tuple[str, ...], timeout: float | None) -> tuple[bool, bool, str]:
    """(passed, timed_out, the first failing test) for one run of `tests` in the copy."""
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-rfE", "-p", "no:cacheprovider"]
    process = subprocess.Popen(
        [*command, *tests],
        cwd=copy,
        env=test_environment(copy),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # so a timeout stops pytest's own children too
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return False, True, ""
    except BaseException:
        # Interrupted (Ctrl-C, or SIGTERM, see main): the child is in a session of its own
        # and would not hear of it.
        os.killpg(process.pid, signal.SIGKILL)
        raise
    if process.returncode != 0 and process.returncode not in FAILED:
        raise CatalogueError(
            f"pytest exited with status {process.returncode}: run it by hand to see why"
        )
    # pytest's short summary ("-rfE"): "FAILED tests/…py::name - reason"; captured log lines
    # also start with "ERROR", but never with "ERROR tests/".
    failures = SUMMARY_LINE.findall(output)
    return process.returncode == 0, False, (failures[0] if failures else "")


# --- measuring --------------------------------------------------------------------------------


def measure_group(copy: Path, group: Group, only: set[str] | None) -> list[Outcome]:
    chosen = [
        (identifier, mutant)
        for identifier, mutant in zip(identifiers(group), group.mutants, strict=True)
        if only is None or identifier in only
    ]
    if not chosen:
        return []
    started = time.monotonic()
    passed, _, _ = run_tests(copy, group.tests, timeout=None)
    baseline = time.monotonic() - started
    if not passed:
        raise CatalogueError(
            f"group {group.name}: its tests fail on the unmutated code, so no mutant can be "
            f"measured (run: pytest {' '.join(group.tests)})"
        )
    timeout = baseline * TIMEOUT_FACTOR + TIMEOUT_MARGIN_SECONDS
    print(f"\n== {group.name}: {group.title}")
    print(f"   {len(chosen)} mutants; tests take {baseline:.0f} s unmutated")
    outcomes = []
    for identifier, mutant in chosen:
        path = copy / mutant.file
        original_text = path.read_text(encoding="utf-8")
        line = locate(copy, mutant.file, mutant.original)
        path.write_text(original_text.replace(mutant.original, mutant.replacement), "utf-8")
        started = time.monotonic()
        try:
            passed, timed_out, killed_by = run_tests(copy, group.tests, timeout)
        finally:
            path.write_text(original_text, encoding="utf-8")
        seconds = time.monotonic() - started
        outcome = Outcome(mutant, identifier, line, not passed, timed_out, seconds, killed_by)
        outcomes.append(outcome)
        verdict = "timed out (killed)" if timed_out else "killed" if not passed else "SURVIVED"
        print(f"   {identifier} {verdict:<18} {mutant.file}:{line}  {seconds:.0f} s  {killed_by}")
    return outcomes


def score(outcomes: list[Outcome]) -> tuple[int, int, float]:
    killed = sum(outcome.killed for outcome in outcomes)
    total = len(outcomes)
    return killed, total, (100.0 * killed / total if total else 100.0)


def describe(outcome: Outcome) -> str:
    mutant = outcome.mutant
    return (
        f"{outcome.identifier} {mutant.file}:{outcome.line}: "
        f"`{mutant.original.strip()}` → `{mutant.replacement.strip()}` ({mutant.note})"
    )


def report(results: dict[str, list[Outcome]]) -> None:
    print("\n== Scores (equivalent mutants not counted)")
    for name, outcomes in results.items():
        killed, total, percent = score(outcomes)
        timeouts = sum(outcome.timed_out for outcome in outcomes)
        extra = f", {timeouts} by timeout" if timeouts else ""
        print(f"   {name:<14} {killed:>3}/{total:<3} {percent:5.1f}%{extra}")
    survivors = [o for outcomes in results.values() for o in outcomes if not o.killed]
    print(f"\n== Survivors: {len(survivors)}")
    for outcome in survivors:
        print("   " + describe(outcome))


def git(*arguments: str) -> str:
    return subprocess.run(
        ["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def checkout_state() -> tuple[str, list[str]]:
    """The commit measured, and the files in which the working tree (which is what is copied)
    differed from it. This file's own changes are left out: the results do not measure it."""
    results = f":!{RESULTS.relative_to(ROOT)}"
    changed = git("diff", "--name-only", "HEAD", "--", ".", results).splitlines()
    changed += git("ls-files", "--others", "--exclude-standard", "--", ".", results).splitlines()
    return git("rev-parse", "HEAD"), sorted(changed)


def write_results(
    results: dict[str, list[Outcome]],
    seconds: float,
    commit: str,
    changed: list[str],
    equivalent_lines: list[int],
) -> None:
    state = (
        f" plus uncommitted changes (measured too) in {', '.join(f'`{n}`' for n in changed)}"
        if changed
        else " (the working tree had no uncommitted changes)"
    )
    lines = [
        "# Mutation testing results",
        "",
        "Written by `make mutate` (`mutation/run.py`); the mutants are listed in "
        "`mutation/mutants.py`.",
        "",
        f"- Commit: `{commit}`{state}",
        f"- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Time taken: {seconds / 60:.0f} minutes",
        "",
        "| group | tests run | killed | mutants | score | killed by timeout |",
        "|---|---|---|---|---|---|",
    ]
    by_name = {group.name: group for group in GROUPS}
    for name, outcomes in results.items():
        killed, total, percent = score(outcomes)
        timeouts = sum(outcome.timed_out for outcome in outcomes)
        tests = ", ".join(f"`{path}`" for path in by_name[name].tests)
        lines.append(f"| {name} | {tests} | {killed} | {total} | {percent:.0f}% | {timeouts} |")
    survivors = [o for outcomes in results.values() for o in outcomes if not o.killed]
    lines += ["", f"## Survivors ({len(survivors)})", ""]
    lines += [f"- {describe(outcome)}" for outcome in survivors] or ["None."]
    timeouts = [o for outcomes in results.values() for o in outcomes if o.timed_out]
    if timeouts:
        lines += ["", "## Killed by timeout", ""]
        lines += [f"- {describe(outcome)}" for outcome in timeouts]
    lines += ["", "## What killed each mutant", ""]
    lines += ["| mutant | file:line | note | killed by |", "|---|---|---|---|"]
    for outcomes in results.values():
        for o in outcomes:
            verdict = "timeout" if o.timed_out else f"`{o.killed_by}`" if o.killed else "SURVIVED"
            lines.append(
                f"| {o.identifier} | {o.mutant.file}:{o.line} | {o.mutant.note} | {verdict} |"
            )
    lines += ["", f"## Equivalent mutants, not counted ({len(EQUIVALENT)})", ""]
    for equivalent, line in zip(EQUIVALENT, equivalent_lines, strict=True):
        lines.append(
            f"- {equivalent.group}: {equivalent.file}:{line}: `{equivalent.original.strip()}` → "
            f"`{equivalent.replacement.strip()}`. {equivalent.reason}"
        )
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nWrote {RESULTS.relative_to(ROOT)}")


def list_catalogue() -> None:
    for group in GROUPS:
        print(f"== {group.name}: {group.title} ({len(group.mutants)} mutants)")
        print(f"   tests: {' '.join(group.tests)}")
        for identifier, mutant in zip(identifiers(group), group.mutants, strict=True):
            line = locate(ROOT, mutant.file, mutant.original)
            print(f"   {identifier} {mutant.file}:{line}: {mutant.note}")
    print(f"== equivalent, not run ({len(EQUIVALENT)})")
    for equivalent in EQUIVALENT:
        print(f"   {equivalent.group} {equivalent.file}: {equivalent.reason}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--group", action="append", choices=[g.name for g in GROUPS])
    parser.add_argument("--only", action="append", metavar="ID", help="e.g. importing-07")
    parser.add_argument("--list", action="store_true", help="print the catalogue and stop")
    arguments = parser.parse_args(argv)
    # `kill` (SIGTERM) stops the run like Ctrl-C: the running pytest and the copy go too.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        check_catalogue(ROOT)
        if arguments.list:
            list_catalogue()
            return 0
        only = set(arguments.only) if arguments.only else None
        known = {i for group in GROUPS for i in identifiers(group)}
        if only and only - known:
            raise CatalogueError(f"no such mutant: {', '.join(sorted(only - known))}")
        groups = [g for g in GROUPS if not arguments.group or g.name in arguments.group]
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="mdportal-mutation-") as directory:
            copy = Path(directory)
            commit, changed = checkout_state()
            copy_checkout(copy)
            check_catalogue(copy)
            check_imports_come_from(copy)
            equivalent_lines = [locate(copy, e.file, e.original) for e in EQUIVALENT]
            results = {}
            for group in groups:
                outcomes = measure_group(copy, group, only)
                if outcomes:
                    results[group.name] = outcomes
        report(results)
        seconds = time.monotonic() - started
        print(f"\nTook {seconds / 60:.1f} minutes")
        if not arguments.group and not only:
            write_results(results, seconds, commit, changed, equivalent_lines)
    except CatalogueError as error:
        print(f"mutation/run.py: {error}", file=sys.stderr)
        return 2
    below = [name for name, outcomes in results.items() if score(outcomes)[2] < MINIMUM_SCORE]
    if below and not only:
        print(f"Below {MINIMUM_SCORE:.0f}%: {', '.join(below)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
