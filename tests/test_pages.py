"""The pages' shows_error: passes only the error it was told to expect, and prints it."""

from __future__ import annotations

import pytest

from nnguide.pages import shows_error


def test_prints_the_error_and_keeps_its_message(capsys: pytest.CaptureFixture[str]) -> None:
    with shows_error(ValueError, r"bad \d") as caught:
        raise ValueError("bad 7")
    assert capsys.readouterr().out == "ValueError: bad 7\n"
    assert caught == {"message": "bad 7"}


def test_a_block_that_raises_nothing_fails() -> None:
    with (
        pytest.raises(
            AssertionError, match=r"expected ValueError matching 'bad'; the block raised nothing"
        ),
        shows_error(ValueError, "bad"),
    ):
        pass


def test_another_message_fails_and_quotes_it() -> None:
    with (
        pytest.raises(AssertionError, match=r"matching 'bad'; it said 'good'"),
        shows_error(ValueError, "bad"),
    ):
        raise ValueError("good")


def test_another_kind_passes_through() -> None:
    with pytest.raises(KeyError), shows_error(ValueError, "bad"):
        raise KeyError("bad")
