"""The sign-in throttle: django-axes' database handler with three limits instead of one.

Failed sign-ins within the cool-off (AXES_COOLOFF_TIME) are counted three ways, each address
being the one `mdportal.client_address` works out (never an entry a client can forge):

- per account and address (AXES_FAILURE_LIMIT, default 5): someone guessing one account's
  password from one place is stopped for that account there. Trust staff share NAT addresses,
  so this lock leaves everyone else at that address, and the account elsewhere, alone.
- per address across accounts (SIGN_IN_ADDRESS_FAILURE_LIMIT, default 30): one address
  trying a common password against many usernames (password spraying) is stopped for every
  account. The trade-off: a sprayer behind a trust's shared NAT address stops everyone there
  from signing in until the cool-off ends, so the limit sits well above what a board's members
  mistype together.
- per account across addresses (SIGN_IN_ACCOUNT_FAILURE_LIMIT, default 20): many addresses
  guessing one account. Locking the account everywhere would let anyone lock any board member
  out by typing wrong passwords, so past this limit the account is locked only at addresses
  that have themselves failed to sign in to it within the cool-off. The trade-off: an attacker
  with many addresses still gets one guess per fresh address, and the honest person who
  mistypes once while their account is under attack must wait for the cool-off (or reset their
  password); typed correctly, their password always works.

axes asks a handler for one number, `get_failures`, and locks when it reaches
AXES_FAILURE_LIMIT; this handler answers with the account-and-address count, raised to that
limit when one of the wider limits is reached. Only the account-and-address failures are
cleared by a successful sign-in (AXES_LOCKOUT_PARAMETERS), so signing in to an account of one's
own never clears a sprayer's count or the failures against someone else's account.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, Sum

# Which wider limit locked a sign-in, as `request.sign_in_lock` for the lockout page.
ADDRESS_LOCK = "address"
ACCOUNT_LOCK = "account"


class SignInThrottleHandler(AxesDatabaseHandler):
    """axes' database handler, locking per account and address, per address and per account."""

    def get_failures(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        address = request.axes_ip_address
        by_account = Q(username=username)
        by_address = Q(ip_address=address)
        attempts = AccessAttempt.objects.filter(by_account | by_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        counts = attempts.aggregate(
            pair=Sum("failures_since_start", filter=by_account & by_address, default=0),
            address=Sum("failures_since_start", filter=by_address, default=0),
            account=Sum("failures_since_start", filter=by_account, default=0),
        )
        if counts["address"] >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
            lock = ADDRESS_LOCK
        elif counts["pair"] and counts["account"] >= settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT:
            lock = ACCOUNT_LOCK
        else:
            return counts["pair"]
        # The lockout page says which limit was reached.
        request.sign_in_lock = lock
        return max(counts["pair"], get_failure_limit(request, credentials))
