"""(Re)render the stored PDF handbooks of published versions.

    python manage.py render_pack_pdfs [--trust SLUG] [--missing-only]

Renders here rather than through the task queue, one version at a time in trust order, with
the same code, limits and storage as the task (induction.pdf.storing.produce_version_pdf).
Use it to make PDFs that are still pending (a worker that was down) or failed, or all of them
after a change to the handbook template. Idempotent: rendering is deterministic, so a version
whose stored PDF is current keeps the same file and sha256. Exits non-zero if any render failed.
"""

from django.core.management.base import BaseCommand, CommandError

from induction.models import PackVersion, Trust
from induction.pdf.storing import produce_version_pdf


class Command(BaseCommand):
    help = "Render and store the PDF of every published version (or only the missing ones)."

    def add_arguments(self, parser):
        parser.add_argument("--trust", metavar="SLUG", help="Only this trust's packs.")
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="Only versions without a ready PDF (pending or failed).",
        )

    def handle(self, *args, trust=None, missing_only=False, **options):
        versions = PackVersion.objects.select_related("pack__trust").order_by(
            "pack__trust__slug", "pack_id", "number"
        )
        if trust:
            if not Trust.objects.filter(slug=trust).exists():
                raise CommandError(f'There is no trust with the slug "{trust}".')
            versions = versions.filter(pack__trust__slug=trust)
        if missing_only:
            versions = versions.exclude(pdf_status=PackVersion.PdfStatus.READY)
        # Only ids here: each render loads its own version, as the task does.
        ids = list(versions.values_list("pk", flat=True))
        if not ids:
            self.stdout.write(
                "Every published version already has its PDF."
                if missing_only
                else "No published versions to render."
            )
            return
        failures = 0
        for position, version_id in enumerate(ids, start=1):
            before = PackVersion.objects.values_list("pdf_sha256", flat=True).get(pk=version_id)
            outcome = produce_version_pdf(version_id)
            version = outcome.version
            label = f"[{position}/{len(ids)}] {version.pack.trust.slug} version {version.number}"
            if outcome.ok:
                change = "unchanged" if before == version.pdf_sha256 else "rendered"
                self.stdout.write(f"{label}: {change} ({version.pdf_sha256[:12]})")
                for url in outcome.refused_urls:
                    self.stdout.write(f"  left out (not a file of this site): {url}")
            else:
                failures += 1
                self.stderr.write(f"{label}: failed: {outcome.error}")
        summary = f"{len(ids) - failures} of {len(ids)} PDFs ready."
        if failures:
            raise CommandError(f"{summary} {failures} failed.")
        self.stdout.write(self.style.SUCCESS(summary))
