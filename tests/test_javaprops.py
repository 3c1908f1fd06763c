from __future__ import annotations

from pathlib import Path

import pytest

from cas_mfa_ref.config.javaprops import parse_properties, read_properties
from cas_mfa_ref.errors import ProfileError

PATH = Path("cas.properties")


def parse(text: str) -> list[tuple[str, str, int]]:
    return [(p.key, p.value, p.line) for p in parse_properties(text, PATH)]


def test_separators_comments_and_blank_lines() -> None:
    text = "# comment\n! also a comment\n\na=1\nb : 2\nc 3\n  d=  4 \n"
    assert parse(text) == [("a", "1", 4), ("b", "2", 5), ("c", "3", 6), ("d", "4 ", 7)]


def test_continuation_lines_keep_the_first_line_number_and_drop_leading_space() -> None:
    text = "x=1\nusers=casuser::Mellon,\\\n      jdoe::secret\ny=2\n"
    assert parse(text) == [("x", "1", 1), ("users", "casuser::Mellon,jdoe::secret", 2), ("y", "2", 4)]


def test_an_even_number_of_backslashes_does_not_continue() -> None:
    assert parse("path=C:\\\\\nnext=1\n") == [("path", "C:\\", 1), ("next", "1", 2)]


def test_escapes_in_keys_and_values() -> None:
    text = "a\\=b=c\\td\nkey\\ with\\ space=\\u00e9t\\u00e9\n"
    assert parse(text) == [("a=b", "c\td", 1), ("key with space", "été", 2)]


def test_a_malformed_unicode_escape_names_the_line() -> None:
    with pytest.raises(ProfileError) as error:
        parse("a=1\nb=\\u12G4\n")
    assert str(error.value).startswith("cas.properties:2: b: malformed \\u escape")


def test_crlf_line_endings() -> None:
    assert parse("a=1\r\nb=2\r\n") == [("a", "1", 1), ("b", "2", 2)]


def test_undecodable_bytes_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cas.properties"
    path.write_bytes(b"a=1\nb=\xff\xfe\n")
    with pytest.raises(ProfileError, match=r"cas.properties:2: is not valid UTF-8"):
        read_properties(path)
