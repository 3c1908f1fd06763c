"""Users and their attributes: ``cas.authn.accept.users``, JSON attribute repositories, stub attributes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cas_mfa_ref.config.files import ATTRIBUTES_LIMIT, exists, resource_path
from cas_mfa_ref.config.jsonfile import read_json
from cas_mfa_ref.config.properties import CasProperties, split_name
from cas_mfa_ref.errors import Origin, ProfileError, shown

Attributes = dict[str, list[Any]]


# AbstractAuthenticationHandler: a handler without a configured name is known by its class's simple name.
ACCEPT_USERS_HANDLER = "AcceptUsersAuthenticationHandler"


def load_accept_users(props: CasProperties) -> dict[str, str]:
    """``casuser::Mellon,jdoe::secret``: username to password (``AcceptUsersAuthenticationHandler``)."""
    if not props.boolean("cas.authn.accept.enabled", True):
        return {}
    entry = props.entry("cas.authn.accept.users")
    if entry is None:
        return {}
    users: dict[str, str] = {}
    for item in props.text_of(entry).split(","):
        item = item.strip()
        if not item:
            continue
        name, sep, password = item.partition("::")
        if not sep or not name.strip():
            raise ProfileError(entry.origin, f"'{item}' is not of the form username::password")
        users[name.strip()] = password
    return users


def load_attribute_repositories(props: CasProperties, root: Path) -> dict[str, Attributes]:
    """JSON repositories in index order; a later one replaces an earlier one's attribute of the same name."""
    people: dict[str, Attributes] = {}
    for index in props.indexes("cas.authn.attribute-repository.json"):
        entry = props.entry(f"cas.authn.attribute-repository.json[{index}].location")
        if entry is None:
            continue
        path = resource_path(props.text_of(entry), root, entry.origin)
        if not exists(path, entry.origin):
            raise ProfileError(entry.origin, f"{path}: file not found")
        for user, attributes in _read_repository(path).items():
            people.setdefault(user, {}).update(attributes)
    return people


def load_stub_attributes(props: CasProperties) -> Attributes:
    """``cas.authn.attribute-repository.stub.attributes.NAME=v1,v2``: the same values for every principal."""
    prefix = "cas.authn.attribute-repository.stub.attributes"
    depth = len(split_name(prefix))
    attributes: Attributes = {}
    for entry in props.under(prefix):
        name = ".".join(entry.tail(depth))
        attributes[name] = [_typed(v.strip()) for v in props.text_of(entry).split(",") if v.strip()]
    return attributes


def _read_repository(path: Path) -> dict[str, Attributes]:
    data = read_json(path, ATTRIBUTES_LIMIT, "a JSON attribute repository")
    origin = Origin(path)
    if not isinstance(data, dict):
        raise ProfileError(origin, 'must be a JSON object of users: {"casuser": {"name": ["value"]}}')
    people: dict[str, Attributes] = {}
    for user, attributes in data.items():
        where = origin.at_field(user)
        if not isinstance(attributes, dict):
            raise ProfileError(where, "must be an object of attribute names to lists of values")
        people[user] = {}
        for name, values in attributes.items():
            values = values if isinstance(values, list) else [values]
            for value in values:
                if value is None or isinstance(value, dict | list):
                    raise ProfileError(
                        where.at_field(name), f"has a value CAS cannot release: {shown(repr(value))}"
                    )
            people[user][name] = list(values)
    return people


def _typed(value: str) -> Any:
    lowered = value.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    return value
