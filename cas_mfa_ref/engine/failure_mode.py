"""Failure-mode resolution: ``DefaultMultifactorAuthenticationFailureModeEvaluator``.

Start from the global mode; a provider mode other than UNDEFINED replaces it; a service mode other
than UNDEFINED replaces that. In CAS 6.4+ a provider's ``failure-mode`` defaults to CLOSED, so the
global mode only applies where the provider's is explicitly UNDEFINED.
"""

from __future__ import annotations

from dataclasses import dataclass

from cas_mfa_ref.model import FailureMode, Provider, RegisteredService


@dataclass(frozen=True)
class ResolvedFailureMode:
    mode: FailureMode
    source: str  # "service", "provider" or "global"

    def as_json(self) -> dict[str, str]:
        return {"mode": self.mode.value, "source": self.source}

    def __str__(self) -> str:
        return f"{self.mode.value} (from the {self.source})"


def resolve_failure_mode(
    global_mode: FailureMode, provider: Provider | None, service: RegisteredService | None
) -> ResolvedFailureMode:
    resolved = ResolvedFailureMode(global_mode, "global")
    if provider is not None and provider.failure_mode is not FailureMode.UNDEFINED:
        resolved = ResolvedFailureMode(provider.failure_mode, "provider")
    if service is not None and service.policy.failure_mode is not FailureMode.UNDEFINED:
        resolved = ResolvedFailureMode(service.policy.failure_mode, "service")
    return resolved
