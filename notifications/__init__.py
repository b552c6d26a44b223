"""E-mail notifications about a trust's induction, and each member's choice of which they get."""
