"""The test deployment's authentication class (django-cas-server's ``CAS_AUTH_CLASS``).

Passwords are Django's users' (``cas_server.auth.DjangoAuthUser``). That class would release every
field of the Django user as an attribute (the password hash included); this one releases what the
launcher stored in django-cas-server's own ``UserAttributes`` table instead, so the released attributes
are a small, chosen set, as an attribute repository gives them in Apereo CAS.
"""

from __future__ import annotations

from typing import Any

from cas_server.auth import DjangoAuthUser
from cas_server.models import UserAttributes


class StoredAttributesAuthUser(DjangoAuthUser):  # type: ignore[misc]
    def attributs(self) -> dict[str, Any]:
        if self.user is None:
            return {}
        try:
            stored = UserAttributes.objects.get(username=self.username)
        except UserAttributes.DoesNotExist:
            return {}
        return dict(stored.attributs or {})
