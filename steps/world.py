"""The state one scenario builds up: the deployment, the target, who logs in, what was seen."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from faker import Faker

from steps.deployment import Deployment
from steps.roles import ROLE_PATTERN, Cast, cast_from
from steps.targets.base import LoginObservation, Target, ValidationObservation

DEFAULT_PASSWORD = "Mellon"


@dataclass
class World:
    target: Target
    fake: Faker
    deployment: Deployment = field(default_factory=Deployment)
    deployed: bool = False
    user: str = "casuser"
    service: str | None = None
    login: LoginObservation | None = None
    last_token: str | None = None  # the token the user typed last
    validation: ValidationObservation | None = None
    request_params: dict[str, list[str]] = field(default_factory=dict)  # sent with every login
    script: str | None = None  # the file stem of the Groovy script a step wrote last
    cast: Cast | None = None  # who plays the roles of a portable scenario

    def roles(self) -> Cast:
        """The scenario's cast, from the target's deployment map or the scenario's own profile."""
        if self.cast is None:
            self.cast = cast_from(self.target.deployment_map(), self.deployment)
        return self.cast

    def service_url(self, text: str) -> str:
        """A service as a step names it: a URL, or a role the Background cast (``the MFA application``)."""
        if not re.fullmatch(ROLE_PATTERN, text):
            return text
        url = self.roles().services.get(text)
        if url is None:
            raise AssertionError(f"no application plays {text}: name it in a Given step first")
        return url

    def ensure_deployed(self) -> None:
        if not self.deployed:
            self.target.deploy(self.deployment)
            self.deployed = True

    def password(self, username: str) -> str:
        return self.deployment.users.get(username, DEFAULT_PASSWORD)

    def new_user(self, attributes: dict[str, list[object]] | None = None) -> str:
        """A realistic principal from faker: a unique username and everyday directory attributes."""
        fake = self.fake
        username = f"{fake.user_name()}{fake.random_int(10, 99)}"
        first, last = fake.first_name(), fake.last_name()
        base: dict[str, list[object]] = {
            "uid": [username],
            "givenName": [first],
            "sn": [last],
            "displayName": [f"{first} {last}"],
            "mail": [f"{username}@{fake.domain_name()}"],
            "eduPersonAffiliation": [fake.random_element(["staff", "faculty", "student", "employee"])],
        }
        base.update(attributes or {})
        self.deployment.add_user(username, fake.password(length=14), base)
        self.user = username
        return username

    def explain_failure(self) -> str:
        return self.target.diagnostics()
