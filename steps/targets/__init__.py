"""Where the scenarios run: the reference in process, or a CAS deployment over HTTP.

Each target is one entry of :data:`steps.targets.registry.TARGET_KINDS`; the Target interface is in
:mod:`steps.targets.base`.
"""

from steps.targets.base import Target

__all__ = ["Target"]
