"""The messages CAS shows with a failed login: ``authenticationFailure.*`` keys of its exception
catalog (``messages.properties``), in English."""

from __future__ import annotations

UNKNOWN_FAILURE = "Authentication attempt has failed."
PROVIDER_ABSENT = (
    "Unable to satisfy multifactor authentication requirements. Your account is configured for a "
    "multifactor authentication strategy, yet CAS is unable to locate and execute that strategy most "
    "likely due to misconfiguration of the server. Contact the service administrators for assistance."
)
MFA_REQUIRED = (
    "Authentication attempt for your account is denied, because your account is not yet configured to go "
    "through multifactor authentication. Contact the service administrators for assistance, make sure your "
    "account is enrolled and eligible for multifactor authentication and try again."
)
