"""Signals the induction app sends.

`version_published` is sent once a publication has committed, with `version=` the new
PackVersion (sender: PackVersion). The PDF task hangs off it (induction/pdf/tasks.py), so nothing
slow runs inside the publishing transaction.
"""

import django.dispatch

version_published = django.dispatch.Signal()

# Sent once a change to an approval request has committed (asked for, returned, published or
# withdrawn), with `approval=` the ApprovalRequest as it now stands (sender: ApprovalRequest).
# The notifications app tells the approvers or the person who asked.
approval_request_changed = django.dispatch.Signal()
