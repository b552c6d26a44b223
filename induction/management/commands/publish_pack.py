"""`manage.py publish_pack <trust-slug> --user USERNAME [--summary TEXT]`."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from induction.publishing import PublishError

from ._pack_lookup import DEFAULT_ROLE, pack_for


class Command(BaseCommand):
    help = (
        "Publish a trust's draft induction pack as a new version, as the given user and under "
        "the same rules as the portal (the user must be allowed to publish; with the approval "
        "rule, an approver who has not edited the draft since the last version). A draft "
        "the same as the newest version is not published again."
    )

    def add_arguments(self, parser):
        parser.add_argument("trust", help="The trust's slug, for example northshire.")
        parser.add_argument("--user", required=True, help="Username of the person publishing.")
        parser.add_argument("--summary", default="", help="What changed in this version.")
        parser.add_argument("--role", default=DEFAULT_ROLE, help="The board role's slug.")

    def handle(self, *args, trust, user, summary, role, **options):
        pack = pack_for(trust, role=role)
        publisher = get_user_model().objects.filter(username=user, is_active=True).first()
        if publisher is None:
            raise CommandError(f"There is no active user {user!r}.")
        try:
            version = pack.publish(user=publisher, change_summary=summary)
        except PublishError as refusal:
            raise CommandError(f"{pack.trust.name}'s pack was not published: {refusal}") from None
        self.stdout.write(
            self.style.SUCCESS(f"Published version {version.number} of {pack} ({pack.trust}).")
        )
