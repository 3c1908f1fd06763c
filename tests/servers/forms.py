"""Pages as the hand-written pinning tests read them: forms (tags and inputs, nothing guessed) and the
redirect that carries a service ticket.

The suite's own driver (steps.targets.forms) is what is under test elsewhere; these tests pin the servers'
pages with a plain parser so that a driver bug cannot hide a server change, or the other way round.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import requests

Form = tuple[dict[str, str | None], list[dict[str, str | None]]]


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "form":
            self.forms.append((dict(attrs), []))
        elif tag == "input" and self.forms:
            self.forms[-1][1].append(dict(attrs))


def forms(html: str) -> list[Form]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_with(
    html: str, *names: str, method: str | None = None
) -> tuple[dict[str, str | None], dict[str, str]]:
    """The form that has inputs named ``names`` (and the method, when given), with the values a browser
    would submit: every named input but unticked checkboxes and submit buttons."""
    for attrs, inputs in forms(html):
        if method is not None and (attrs.get("method") or "get").lower() != method:
            continue
        if set(names) <= {i.get("name") for i in inputs}:
            values = {
                str(i["name"]): i.get("value") or ""
                for i in inputs
                if i.get("name") and (i.get("type") or "text") not in ("checkbox", "submit")
            }
            return attrs, values
    raise AssertionError(f"no form with {', '.join(names)} in the page: {html[:300]!r}")


def ticket_of(response: requests.Response, service: str) -> str:
    """The service ticket of a redirect to ``service`` (the test fails on anything else)."""
    assert response.status_code == 302, (response.status_code, response.text[:300])
    location = response.headers["Location"]
    assert location.startswith(service + "?ticket="), location
    return parse_qs(urlsplit(location).query)["ticket"][0]
