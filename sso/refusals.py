"""Why a single sign-on did not sign someone in, in plain words for the person: a heading,
what happened, and what to do. The pages (templates/sso/refused.html) say nothing more than
these, and never show the provider's own error text.
"""

from __future__ import annotations

import enum


class Refusal(enum.Enum):
    """(heading, what happened, what to do, HTTP status). The texts may name {trust}, {email}
    and {date}."""

    WRONG_TENANT = (
        "You signed in with another organisation's account",
        "{trust} accepts accounts from its own Microsoft Entra ID only, and the account you "
        "signed in with belongs to another organisation.",
        "Sign out of that account at Microsoft, then try again with your {trust} account.",
        403,
    )
    UNVERIFIED_EMAIL = (
        "We could not confirm your e-mail address",
        "Your trust's sign-in service did not confirm the e-mail address of your account. The "
        "portal finds your account by a confirmed e-mail address, never by your name.",
        "Ask your trust's IT service desk to check that your account has a verified e-mail "
        "address, then try again.",
        403,
    )
    EMAIL_NOT_THE_TRUSTS = (
        "Your e-mail address is not one of your trust's",
        "You signed in as {email}, and {trust} signs in only addresses in its own e-mail domains.",
        "Try again with your {trust} account, or ask your trust's IT service desk for help.",
        403,
    )
    NO_ACCOUNT = (
        "You do not have an account for {trust} yet",
        "You signed in as {email}, but no one at {trust} has given that address access to the "
        "portal, and the trust does not make accounts at first sign-in.",
        "Ask your trust's HR team or company secretary to invite you. The invitation comes by "
        "e-mail; then sign in here again.",
        403,
    )
    INVITATION_EXPIRED = (
        "Your invitation has expired",
        "Your invitation to join {trust} worked until {date}.",
        "Ask your trust's HR team or company secretary to send you a new one, then sign in "
        "here again.",
        403,
    )
    INVITATION_REFUSED = (
        "You cannot accept your invitation",
        "{reason}",
        "Ask your trust's HR team or company secretary for help.",
        403,
    )
    ACCOUNT_LINKED_ELSEWHERE = (
        "Your portal account is linked to another account",
        "The portal account for {email} signs in through a different {trust} account from the "
        "one you used.",
        "Sign in with the account you used before, or ask the portal's platform staff to "
        "check the link.",
        403,
    )
    SEVERAL_ACCOUNTS = (
        "More than one portal account has your e-mail address",
        "The portal cannot tell which of them is yours.",
        "Ask the portal's platform staff to sort out the accounts for {email}.",
        403,
    )
    PLATFORM_STAFF = (
        "Platform staff sign in with their password",
        "Accounts of the portal's platform staff cannot sign in through a trust's single sign-on.",
        "Sign in with your username and password instead.",
        403,
    )
    ACCOUNT_SWITCHED_OFF = (
        "Your account has been switched off",
        "The portal account for {email} cannot sign in.",
        "Ask your trust's HR team or company secretary to restore it.",
        403,
    )
    SIGN_IN_EXPIRED = (
        "Your sign-in could not be finished",
        "It took too long, or it was started in another browser or tab.",
        "Start again: it takes a moment if you are still signed in to your trust account.",
        400,
    )
    PROVIDER_ERROR = (
        "Your trust's sign-in service did not sign you in",
        "The service stopped the sign-in or could not be reached, or its answer could not be "
        "checked.",
        "Try again in a few minutes. If it keeps happening, ask your trust's IT service desk "
        "whether the board induction portal is set up for your account.",
        502,
    )
    NOT_AVAILABLE = (
        "Single sign-on is not available for {trust} now",
        "The portal is not set up to sign in {trust}'s accounts at the moment.",
        "Sign in with your username and password, or try again later.",
        503,
    )

    @property
    def heading(self) -> str:
        return self.value[0]

    @property
    def explanation(self) -> str:
        return self.value[1]

    @property
    def advice(self) -> str:
        return self.value[2]

    @property
    def status(self) -> int:
        return self.value[3]


class SignInRefused(Exception):
    """A single sign-on refused: `refusal` says why; `details` fill in its texts."""

    def __init__(self, refusal: Refusal, **details: str):
        super().__init__(refusal.name)
        self.refusal = refusal
        self.details = details

    def words(self, trust_name: str) -> dict[str, str]:
        """The heading, explanation and advice with the details filled in."""
        values = {"trust": trust_name, "email": "", "date": "", "reason": "", **self.details}
        return {
            "heading": self.refusal.heading.format(**values),
            "explanation": self.refusal.explanation.format(**values),
            "advice": self.refusal.advice.format(**values),
        }
