"""`manage.py load_demo`: the two fictional demo trusts, their packs and accounts."""

import os

from django.core.management.base import BaseCommand, CommandError

from induction.demo import DEFAULT_DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo: Northshire Hospitals NHS Foundation Trust (public pack, two published "
        "versions) and Southmoor Community Health NHS Trust (members-only pack, approval "
        "required), with the accounts northshire-hr, northshire-md, northshire-ned, "
        "southmoor-hr and southmoor-cs. Their password is the DEMO_PASSWORD environment "
        f"variable, or '{DEFAULT_DEMO_PASSWORD}' when it is unset. Safe to run again: nothing is "
        "duplicated. Only runs where DJANGO_DEMO_DATA=1 (make run sets it): without it it loads "
        "nothing, so demo accounts with a known password never exist on a live portal."
    )

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        try:
            loaded = load_demo(password=password, log=self.stdout.write)
        except LookupError as missing:
            raise CommandError(str(missing)) from None
        if loaded:
            self.stdout.write(
                self.style.SUCCESS(
                    "Sign in as northshire-hr, northshire-md, northshire-ned, southmoor-hr or "
                    "southmoor-cs with the demo password."
                )
            )
