"""Mock MFA providers (Duo, YubiKey, RADIUS) as real loopback servers with a control API.

The providers themselves arrive with the mocks work; this package never imports ``cas_mfa_ref`` or
``steps``: a mock is a provider, not a test helper.
"""
