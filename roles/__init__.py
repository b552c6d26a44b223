"""The national role model and its public explainer (see roles/apps.py)."""
