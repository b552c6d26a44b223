"""`manage.py load_demo`: the two fictional demo trusts, their packs and accounts."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand

from induction.demo import DEFAULT_DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo: Northshire Hospitals NHS Foundation Trust (public pack, two published "
        "versions) and Southmoor Community Health NHS Trust (members-only pack, approval "
        "required), with the accounts northshire-hr, northshire-md, northshire-ned and "
        "southmoor-hr. Their password is the DEMO_PASSWORD environment variable, or "
        f"'{DEFAULT_DEMO_PASSWORD}' when it is unset. Safe to run again: nothing is "
        "duplicated. Only runs with DJANGO_DEBUG=1: with debugging off (production) it loads "
        "nothing, so demo accounts with a known password never exist on a live portal."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            self.stdout.write(
                "Demo data not loaded: DJANGO_DEBUG is off, and demo accounts, whose password "
                "is published, must never exist on a live portal. Set DJANGO_DEBUG=1 to load "
                "the demo on your own machine."
            )
            return
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        load_demo(password=password, log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                "Sign in as northshire-hr, northshire-md, northshire-ned or southmoor-hr "
                "with the demo password."
            )
        )
