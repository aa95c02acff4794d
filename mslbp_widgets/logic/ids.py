"""The id format shared by every data file: kebab-case ids (dates are checked by the JSON Schemas).

`fullmatch` matters: with `re.match(r"^…$")` a value with a trailing newline ("spasticity\\n") would pass.
"""

from __future__ import annotations

import re

KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def is_kebab(value: object) -> bool:
    """True for a kebab-case id such as `lhermitte-shock-on-neck-flexion`."""
    return isinstance(value, str) and KEBAB.fullmatch(value) is not None

