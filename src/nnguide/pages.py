"""What the guide's executed pages share: a block that must raise, shown with its message.

The chapters import this (``from nnguide.pages import shows_error``); the gallery scripts
do not, because each of them must run with torch, NumPy, Matplotlib and scikit-learn
alone, so they keep their own few lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["shows_error"]


@contextmanager
def shows_error(kind: type[BaseException], match: str) -> Iterator[dict[str, str]]:
    """Run the block, require it to raise ``kind`` with a message matching ``match``, print it.

    ``with shows_error(...) as caught:`` keeps the message in ``caught["message"]``. An
    exception of another type passes through unchanged.

    Raises:
        AssertionError: the block raised nothing, or ``kind`` with a message that does
            not match ``match`` (the message is quoted).

    Examples:

        >>> with shows_error(ZeroDivisionError, "by zero") as caught:
        ...     1 / 0
        ZeroDivisionError: division by zero
        >>> caught["message"]
        'division by zero'
        >>> with shows_error(KeyError, "x"):
        ...     pass
        Traceback (most recent call last):
          ...
        AssertionError: expected KeyError matching 'x'; the block raised nothing
    """
    caught: dict[str, str] = {}
    try:
        yield caught
    except kind as error:
        if not re.search(match, str(error)):
            raise AssertionError(
                f"expected {kind.__name__} matching {match!r}; it said {str(error)!r}"
            ) from error
        caught["message"] = str(error)
        print(f"{type(error).__name__}: {error}")
    else:
        raise AssertionError(
            f"expected {kind.__name__} matching {match!r}; the block raised nothing"
        )
