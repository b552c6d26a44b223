"""Trusts, their induction packs, publishing and the PDF handbooks (see induction/apps.py)."""
