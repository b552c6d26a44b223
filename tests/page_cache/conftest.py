"""The induction fixtures (national data, a trust, its pack and people) for the page cache."""

from tests.induction.conftest import (  # noqa: F401
    edited,
    editor,
    editor_approver,
    make_user,
    national,
    pack,
    published,
    reader,
    trust,
)
