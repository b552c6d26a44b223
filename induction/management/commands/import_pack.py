"""`manage.py import_pack <trust-slug> FILE`: replace a pack's draft from JSON, all or nothing."""

import json
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from induction.importing import ImportInvalid, import_draft

from ._pack_lookup import DEFAULT_ROLE, pack_for


class Command(BaseCommand):
    help = (
        "Replace a trust's draft induction pack with the content of a JSON file in the "
        "export_pack format ('-' reads standard input). The file is checked first; if "
        "anything is wrong nothing changes and every problem is listed. A section given as "
        'just {"title": ..., "body": "<markdown>"} is a free Markdown section.'
    )

    def add_arguments(self, parser):
        parser.add_argument("trust", help="The trust's slug, for example northshire.")
        parser.add_argument("file", help="The JSON file to import, or - for standard input.")
        parser.add_argument(
            "--user",
            help="Username of the editor doing the import, recorded as the draft's last editor "
            "(so under the approval rule another approver must publish it). Required when the "
            "pack needs approval by a second person; otherwise, without it the import is "
            "recorded as the platform's.",
        )
        parser.add_argument("--role", default=DEFAULT_ROLE, help="The board role's slug.")

    def handle(self, *args, trust, file, user, role, **options):
        pack = pack_for(trust, role=role)
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user, is_active=True).first()
            if importer is None:
                raise CommandError(f"There is no active user {user!r}.")
        data = self._read(file)
        name = "standard input" if file == "-" else file
        try:
            import_draft(pack, data, user=importer)
        except PermissionDenied as refusal:
            hint = " Name who is importing with --user USERNAME." if importer is None else ""
            raise CommandError(f"Nothing was imported: {refusal}{hint}") from None
        except ImportInvalid as invalid:
            problems = "\n".join(f"  - {message}" for message in invalid.messages)
            raise CommandError(
                f"Nothing was imported: {name} has {len(invalid.messages)} "
                f"problem{'s' if len(invalid.messages) != 1 else ''}:\n{problems}"
            ) from None
        count = pack.sections.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {count} section{'s' if count != 1 else ''} into the draft of "
                f"{pack.trust.name}. Publish it with publish_pack when it is ready."
            )
        )

    def _read(self, file):
        try:
            if file == "-":
                return json.load(sys.stdin)
            with open(file, encoding="utf-8-sig") as handle:  # tolerate a BOM from Windows editors
                return json.load(handle)
        except FileNotFoundError:
            raise CommandError(f"There is no file {file!r}.") from None
        except IsADirectoryError:
            raise CommandError(f"{file} is a folder, not a file.") from None
        except PermissionError:
            raise CommandError(f"{file} cannot be read: permission denied.") from None
        except RecursionError:
            raise CommandError(
                f"{file} nests lists or objects far more deeply than a pack file can."
            ) from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not UTF-8 text.") from None
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{file} is not valid JSON: {error.msg} at line {error.lineno}, "
                f"column {error.colno}."
            ) from None
        except ValueError:
            # json reads numbers with Python's int(), which refuses more than 4,300 digits.
            raise CommandError(
                f"{file} has a number far longer than any in a pack file (over 4,300 digits)."
            ) from None
