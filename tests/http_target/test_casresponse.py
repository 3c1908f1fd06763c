"""Ticket validation answers, read as JSON (format=JSON) and as XML, as CAS writes them."""

from __future__ import annotations

import pytest

from steps.targets.casresponse import MALFORMED, read_json, read_validation, read_xml

JSON_SUCCESS = """{
  "serviceResponse" : {
    "authenticationSuccess" : {
      "user" : "casuser",
      "attributes" : {
        "authnContextClass" : [ "mfa-yubikey" ],
        "bypassMultifactorAuthentication" : [ false ],
        "mail" : "casuser@example.org",
        "memberOf" : [ "staff", "faculty" ]
      }
    }
  }
}"""
JSON_FAILURE = """{"serviceResponse": {"authenticationFailure": {"code": "INVALID_TICKET",
  "description": "Ticket 'ST-1' not recognized"}}}"""
XML_SUCCESS = """<cas:serviceResponse xmlns:cas='http://www.yale.edu/tp/cas'>
    <cas:authenticationSuccess>
        <cas:user>casuser</cas:user>
        <cas:attributes>
            <cas:authnContextClass>mfa-yubikey</cas:authnContextClass>
            <cas:bypassMultifactorAuthentication>false</cas:bypassMultifactorAuthentication>
            <cas:memberOf>staff</cas:memberOf>
            <cas:memberOf>faculty</cas:memberOf>
        </cas:attributes>
    </cas:authenticationSuccess>
</cas:serviceResponse>"""
XML_FAILURE = """<cas:serviceResponse xmlns:cas='http://www.yale.edu/tp/cas'>
    <cas:authenticationFailure code="INVALID_SERVICE">
        Ticket 'ST-1' does not match supplied service.
    </cas:authenticationFailure>
</cas:serviceResponse>"""
EXPECTED = {
    "authnContextClass": ["mfa-yubikey"],
    "bypassMultifactorAuthentication": [False],
    "memberOf": ["staff", "faculty"],
}


def test_json_success() -> None:
    seen = read_json(JSON_SUCCESS)
    assert (seen.success, seen.user) == (True, "casuser")
    assert dict(seen.attributes) == {**EXPECTED, "mail": ["casuser@example.org"]}


def test_json_failure() -> None:
    seen = read_json(JSON_FAILURE)
    assert (seen.success, seen.code) == (False, "INVALID_TICKET")


def test_xml_success_reads_repeated_elements_as_one_list_and_booleans_as_booleans() -> None:
    seen = read_xml(XML_SUCCESS)
    assert (seen.success, seen.user) == (True, "casuser")
    assert dict(seen.attributes) == EXPECTED


def test_xml_failure() -> None:
    seen = read_xml(XML_FAILURE)
    assert (seen.success, seen.code) == (False, "INVALID_SERVICE")


@pytest.mark.parametrize(
    ("text", "content_type", "code"),
    [
        (JSON_FAILURE, "application/json;charset=UTF-8", "INVALID_TICKET"),
        (XML_FAILURE, "application/xml", "INVALID_SERVICE"),
        (XML_FAILURE, "text/html", "INVALID_SERVICE"),  # format=JSON ignored by the server: XML is read
        ("  " + JSON_FAILURE, "text/plain", "INVALID_TICKET"),
    ],
)
def test_the_reader_follows_what_the_server_sent(text: str, content_type: str, code: str) -> None:
    assert read_validation(text, content_type).code == code


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        "[]",
        '{"serviceResponse": {}}',
        "<html><body>Error 500</body></html>",
        "<cas:serviceResponse xmlns:cas='http://www.yale.edu/tp/cas'/>",
        "<oops",
    ],
)
def test_a_malformed_answer_is_a_failed_validation_not_a_crash(text: str) -> None:
    seen = read_validation(text)
    assert (seen.success, seen.code) == (False, MALFORMED)
