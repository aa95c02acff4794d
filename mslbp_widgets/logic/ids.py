"""Identifier and date formats shared by every data file: kebab-case ids and YYYY-MM-DD dates.

`fullmatch` matters: with `re.match(r"^…$")` a value with a trailing newline ("spasticity\\n") would pass.
"""

from __future__ import annotations

import re

KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def is_kebab(value: object) -> bool:
    """True for a kebab-case id such as `lhermitte-shock-on-neck-flexion`."""
    return isinstance(value, str) and KEBAB.fullmatch(value) is not None


def is_date(value: object) -> bool:
    """True for a YYYY-MM-DD date written as text."""
    return isinstance(value, str) and DATE.fullmatch(value) is not None
