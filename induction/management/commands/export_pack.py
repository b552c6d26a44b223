"""`manage.py export_pack <trust-slug> [--version N]`: a pack as JSON on standard output."""

import json

from django.core.management.base import BaseCommand, CommandError

from induction.snapshot import snapshot_draft

from ._pack_lookup import DEFAULT_ROLE, pack_for


class Command(BaseCommand):
    help = (
        "Write a trust's induction pack as JSON to standard output: the draft, or a published "
        "version with --version N. The output can be read back with import_pack."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version picks a pack version, so it replaces Django's own (its release number).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("trust", help="The trust's slug, for example northshire.")
        parser.add_argument("--version", type=int, help="Export published version N.")
        parser.add_argument("--role", default=DEFAULT_ROLE, help="The board role's slug.")

    def handle(self, *args, trust, version, role, **options):
        pack = pack_for(trust, role=role)
        if version is None:
            content = snapshot_draft(pack)
        else:
            frozen = pack.versions.filter(number=version).first()
            if frozen is None:
                numbers = list(pack.versions.order_by("number").values_list("number", flat=True))
                raise CommandError(
                    f"{pack.trust.name} has no version {version} "
                    f"(published versions: {', '.join(map(str, numbers)) or 'none'})."
                )
            content = frozen.content
        self.stdout.write(json.dumps(content, indent=2, ensure_ascii=False))
