"""PDF handbook speed: publish until the PDF is ready, against a bare WeasyPrint process.

    .venv/bin/python benchmarks/pdf.py [--publishes N] [--repeat N] [--sections N]

Sets up Django against a throwaway SQLite database (nothing touches db.sqlite3 or media/),
loads the national data and the demo trusts (`load_demo`; without it, a pack made from the
national baseline), and measures two packs: the Northshire demo pack, and the Southmoor pack
grown to about 100 pages with free-text sections of prose and tables.

1. **Publish until the PDF is ready** (the target): wall-clock time of `pack.publish()` through
   the real publish path (a draft edit, then the publishing transaction, then the PDF task on
   commit with the immediate task backend, which renders and stores the file), until the
   version's PDF is `ready`. A first publication is reported on its own (in this process it
   also starts the warm PDF worker); each of the `--publishes` after it is followed by a **bare
   WeasyPrint process** on the version it made: a fresh `python` that imports WeasyPrint and
   renders the same handbook HTML with the same PDF options and the same URL fetcher, and
   nothing else (no Django, no limits, no publish, no storage), timed whole and for its render
   alone (WeasyPrint's work once imported). Taking them in turns lets other work on the
   machine weigh on both alike; the ratios are the medians of each publication over the bare
   process after it. Target: publishing costs at most 1.5x the bare process per page (the same
   HTML, so the same pages).
2. **The handbook's style** (CPU time in this process, best of `--repeat`): the handbook
   (template, print CSS, cover, contents, running header and footer, bookmarks, PDF/UA tags)
   against the same body HTML with WeasyPrint's default style and no tags. Target: at most 1.5x
   per page.

Results go in benchmarks/README.md.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

import throwaway  # noqa: E402 - benchmarks/ is the script's folder

WORKDIR = throwaway.set_up()
# load_demo only runs where demo data is allowed (its accounts have a published password); the
# database is a throwaway one, so that is safe here.
os.environ["DJANGO_DEMO_DATA"] = "1"
# Render slots of the benchmark's own: another process's render on this machine must not hold
# up (or be held up by) the benchmark's.
os.environ["DJANGO_PDF_RENDER_SLOTS_DIR"] = str(WORKDIR / "slots")
# The publications' e-mail to the trusts' members would only fill the output.
os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from induction.models import InductionPack, Membership, PackVersion, Section  # noqa: E402
from induction.pdf.handbook import handbook_html  # noqa: E402
from induction.pdf.rendering import fetcher_config, render_html_to_pdf  # noqa: E402
from induction.pdf.url_fetcher import LocalOnlyFetcher  # noqa: E402
from induction.pdf.worker import PDF_OPTIONS, render_pdf  # noqa: E402

PROSE = (
    "The Medical Director leads the medical workforce, advises the board on clinical matters "
    "and holds the statutory role of Responsible Officer. In this trust the post works "
    "closely with the Director of Nursing on quality and safety, and chairs the clinical "
    "governance group that reports to the quality committee each month."
)

# A bare WeasyPrint process: WeasyPrint and the URL fetcher (which imports nothing else), the
# job on standard input, the time of the render alone on standard output.
BARE_PROCESS = """
import json, sys, time
from weasyprint import HTML
from induction.pdf.url_fetcher import FetcherConfig, LocalOnlyFetcher
job = json.load(sys.stdin)
started = time.perf_counter()
fetcher = LocalOnlyFetcher(FetcherConfig.from_dict(job["fetcher"]))
document = HTML(string=job["html"], base_url=fetcher.config.site_url, url_fetcher=fetcher)
rendered = document.render(**job["options"])
rendered.write_pdf(**job["options"])
print(json.dumps({"seconds": time.perf_counter() - started, "pages": len(rendered.pages)}))
"""


def set_up_packs(sections: int) -> tuple[InductionPack, InductionPack, object]:
    """The Northshire demo pack, and the Southmoor pack grown by `sections` free-text sections
    (about two pages each), both publishable by one user without a second person."""
    call_command("migrate", verbosity=0)
    call_command("loaddata", "roles", verbosity=0)
    call_command("load_demo", verbosity=0)
    user = get_user_model().objects.create_user("bench", first_name="Bench", last_name="Mark")
    packs = []
    for slug in ("northshire", "southmoor"):
        pack = InductionPack.objects.select_related("trust").get(trust__slug=slug)
        for role in (Membership.Role.EDITOR, Membership.Role.APPROVER):
            Membership.objects.create(user=user, trust=pack.trust, role=role)
        # The four-eyes rule would need a second person for every publication.
        InductionPack.objects.filter(pk=pack.pk).update(requires_approval=False)
        pack.refresh_from_db()
        packs.append(pack)
    big = packs[1]
    table = "\n".join(
        ["| Meeting | When | Who chairs |", "|---|---|---|"]
        + [f"| Committee {row} | Month {row} | Non-executive director {row} |"
           for row in range(1, 16)]
    )
    last = big.sections.order_by("-order").values_list("order", flat=True).first() or 0
    Section.objects.bulk_create(
        Section(
            pack=big, kind=Section.Kind.MARKDOWN, order=last + index,
            title=f"Synthetic section {index}",
            body="\n\n".join(
                [f"## Part {index}.{part}\n\n" + "\n\n".join([PROSE] * 4) for part in (1, 2, 3)]
                + [table]
            ),
        )
        for index in range(1, sections + 1)
    )
    return packs[0], big, user


def publish_until_ready(pack: InductionPack, user, edit: int) -> tuple[float, PackVersion]:
    """Change the draft, then time one publication until its PDF is stored."""
    section = pack.sections.filter(kind=Section.Kind.MARKDOWN).order_by("order").first()
    title = section.title.split(" (benchmark ")[0]
    Section.objects.filter(pk=section.pk).update(title=f"{title} (benchmark {edit})")
    started = time.perf_counter()
    version = pack.publish(user=user, change_summary=f"Benchmark publication {edit}")
    version.refresh_from_db()
    elapsed = time.perf_counter() - started
    if version.pdf_status != PackVersion.PdfStatus.READY:
        raise SystemExit(f"The PDF of {version} is {version.pdf_status}: {version.pdf_error}")
    return elapsed, version


def bare_process(version: PackVersion) -> tuple[float, float, int]:
    """One bare WeasyPrint process on the version's handbook: (whole process, render alone,
    pages), wall-clock seconds."""
    job = json.dumps({
        "html": handbook_html(version),
        "fetcher": fetcher_config().to_dict(),
        "options": PDF_OPTIONS,
    }).encode()
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, "-c", BARE_PROCESS], input=job,
                               capture_output=True, cwd=settings.BASE_DIR, check=True)
    whole = time.perf_counter() - started
    reported = json.loads(completed.stdout)
    return whole, reported["seconds"], reported["pages"]


def best_of(repeat: int, function, clock=time.process_time):
    """The shortest of `repeat` runs. CPU time by default: the machine may be busy with other
    work, and CPU time of this process is what the comparison is about."""
    best, result = None, None
    for _ in range(repeat):
        started = clock()
        result = function()
        elapsed = clock() - started
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def bare_html(version: PackVersion) -> str:
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>bare</title>'
        f"</head><body>{version.rendered_html}</body></html>"
    )


def bare_render(html: str, fetcher):
    from weasyprint import HTML

    document = HTML(string=html, base_url=fetcher.config.site_url, url_fetcher=fetcher).render()
    return document.write_pdf(), len(document.pages)


def measure_publishing(label, pack, user, publishes) -> dict:
    """A first publication, then `publishes` pairs of a publication and a bare process on the
    version it made: taken in turns, so that other work on the machine weighs on both alike."""
    first, _ = publish_until_ready(pack, user, 0)
    pairs = []
    for edit in range(1, publishes + 1):
        seconds, version = publish_until_ready(pack, user, edit)
        pairs.append((seconds, *bare_process(version)))
    publish_times = [pair[0] for pair in pairs]
    return {
        "label": label, "pages": pairs[0][3], "first": first, "best": min(publish_times),
        "median": statistics.median(publish_times),
        "bare_process": min(pair[1] for pair in pairs),
        "bare_render": min(pair[2] for pair in pairs),
        "paired_process": statistics.median(pair[0] / pair[1] for pair in pairs),
        "paired_render": statistics.median(pair[0] / pair[2] for pair in pairs),
        "version": version,
    }


def measure_style(label: str, version: PackVersion, repeat: int) -> dict:
    fetcher = LocalOnlyFetcher(fetcher_config())
    handbook = handbook_html(version)
    handbook_seconds, (_, handbook_pages) = best_of(
        repeat, lambda: render_pdf(handbook, fetcher, max_pages=10_000, pdf_identifier=b"bench")
    )
    bare_seconds, (_, bare_pages) = best_of(repeat, lambda: bare_render(bare_html(version),
                                                                        fetcher))
    return {
        "label": label,
        "handbook": (handbook_pages, handbook_seconds),
        "bare": (bare_pages, bare_seconds),
    }


ONE_PAGE = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>One page</title>'
    "</head><body><h1>One page</h1><p>What a render costs besides laying out pages.</p></body>"
    "</html>"
)


def measure_fixed_cost(repeat: int) -> tuple[float, float]:
    """A one-page document through the task's render path (limits, render slot, the process
    that renders, reading the PDF back) and by WeasyPrint in this process: best wall-clock
    seconds of `repeat`, after one of each to warm up."""
    fetcher = LocalOnlyFetcher(fetcher_config())
    path = best_of(repeat + 1, lambda: render_html_to_pdf(ONE_PAGE, identifier="one page"),
                   time.perf_counter)[0]
    in_process = best_of(repeat + 1, lambda: render_pdf(ONE_PAGE, fetcher, max_pages=1,
                                                        pdf_identifier=b"one page"),
                         time.perf_counter)[0]
    return path, in_process


def report_publishing(results: list[dict]) -> None:
    print()
    print("Publish until the PDF is ready (wall clock) against a bare WeasyPrint process")
    print(f"{'pack':<20}{'pages':>6}{'first':>8}{'best':>8}{'median':>8}{'bare':>8}"
          f"{'render':>8}{'vs bare':>9}{'vs render':>11}")
    for result in results:
        pages = result["pages"]
        print(f"{result['label']:<20}{pages:>6}{result['first']:>8.2f}{result['best']:>8.2f}"
              f"{result['median']:>8.2f}{result['bare_process']:>8.2f}"
              f"{result['bare_render']:>8.2f}{result['paired_process']:>8.2f}x"
              f"{result['paired_render']:>10.2f}x")
        print(f"{'':<20}{'ms/page':>6}{'':>8}{result['best'] * 1000 / pages:>8.1f}"
              f"{result['median'] * 1000 / pages:>8.1f}"
              f"{result['bare_process'] * 1000 / pages:>8.1f}"
              f"{result['bare_render'] * 1000 / pages:>8.1f}"
              f"  ({'within' if result['paired_process'] <= 1.5 else 'OVER'} the 1.5x target)")
    print("Seconds. first: the first publication in this process; best, median: of the "
          "publications after it;\nbare: a whole bare WeasyPrint process; render: its render "
          "alone (best of as many);\nvs bare, vs render: the median, over the publications, "
          "of each one's time over the bare process\nrun just after it (the same HTML, so "
          "the same ratio per page).")


def report_style(results: list[dict]) -> None:
    print()
    print("The handbook's style against WeasyPrint's default style (CPU time, this process)")
    print(f"{'pack':<20}{'render':<22}{'pages':>6}{'seconds':>10}{'ms/page':>10}")
    for result in results:
        for key, name in (("handbook", "handbook (in process)"), ("bare", "bare WeasyPrint")):
            pages, seconds = result[key]
            print(f"{result['label']:<20}{name:<22}{pages:>6}{seconds:>10.2f}"
                  f"{seconds * 1000 / pages:>10.1f}")
        handbook_pages, handbook_seconds = result["handbook"]
        bare_pages, bare_seconds = result["bare"]
        ratio = (handbook_seconds / handbook_pages) / (bare_seconds / bare_pages)
        verdict = "within" if ratio <= 1.5 else "OVER"
        print(f"{result['label']:<20}{'handbook / bare':<22}{'':>6}{'':>10}{ratio:>9.2f}x"
              f"  ({verdict} the 1.5x target)")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs of each in-process render for the style (best is kept)")
    parser.add_argument("--publishes", type=int, default=5,
                        help="publications per pack after the first, each followed by a bare "
                        "process")
    parser.add_argument("--sections", type=int, default=34,
                        help="free-text sections added to make the ~100-page pack")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, scratch {WORKDIR}")
    demo, big, user = set_up_packs(args.sections)
    publishing = [
        measure_publishing("demo (Northshire)", demo, user, args.publishes),
        measure_publishing("~100 pages", big, user, args.publishes),
    ]
    report_publishing(publishing)
    path, in_process = measure_fixed_cost(args.repeat)
    print(f"\nA one-page document: {path * 1000:.0f} ms through the task's render path, "
          f"{in_process * 1000:.0f} ms by WeasyPrint in this process (best of {args.repeat}).")
    report_style([measure_style(result["label"], result["version"], args.repeat)
                  for result in publishing])
    shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
