"""Signals the induction app sends.

`version_published` is sent once a publication has committed, with `version=` the new
PackVersion (sender: PackVersion). The PDF task hangs off it (induction/pdf/tasks.py), so nothing
slow runs inside the publishing transaction.
"""

import django.dispatch

version_published = django.dispatch.Signal()
