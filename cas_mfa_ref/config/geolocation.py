"""The reference's geolocation service: ``reference.geolocation.*``, settings CAS itself ignores.

A real CAS locates logins through a geolocation module (``cas.geo-location.maxmind.*``,
``cas.geo-location.googlemaps.*`` ...); the reference cannot call those, so a profile gives it either a
static table (``reference.geolocation.static[i].address`` with optional ``client-ip``, ``latitude`` and
``longitude``) or a Python hook (``reference.geolocation.script=file:geo.py``). Without either, there is
no geolocation service, as in a CAS without a geolocation module.
"""

from __future__ import annotations

from pathlib import Path

from cas_mfa_ref.config.hooks import load_python
from cas_mfa_ref.config.properties import CasProperties
from cas_mfa_ref.errors import ProfileError
from cas_mfa_ref.geolocation import (
    GeoLocationService,
    GeoRow,
    ScriptGeoLocationService,
    StaticGeoLocationService,
)

PREFIX = "reference.geolocation"


def load_geolocation(props: CasProperties, root: Path) -> GeoLocationService | None:
    script = props.entry(f"{PREFIX}.script")
    table = f"{PREFIX}.static"
    indexes = props.indexes(table)
    if script is not None and indexes:
        raise ProfileError(script.origin, f"set either {PREFIX}.script or {table}[i], not both")
    if script is not None:
        return ScriptGeoLocationService(load_python(props.text_of(script), root, script.origin))
    if not indexes:
        return None
    rows = []
    for index in indexes:
        item = f"{table}[{index}]"
        address = (props.text(f"{item}.address") or "").strip()
        if not address:
            raise ProfileError(props.origin_under(item), f"{item}.address is required")
        rows.append(
            GeoRow(
                address,
                _optional(props, f"{item}.client-ip"),
                _optional(props, f"{item}.latitude"),
                _optional(props, f"{item}.longitude"),
            )
        )
    return StaticGeoLocationService(tuple(rows))


def _optional(props: CasProperties, name: str) -> str | None:
    value = props.text(name)
    return value.strip() if value and value.strip() else None
