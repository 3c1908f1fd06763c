"""Provider adapters: how the reference reaches each MFA provider over the network, as CAS does.

Each adapter is a :class:`ProviderGateway` built from the provider's own CAS properties;
:class:`ProviderGateways` answers the engine's ``ProviderChecks`` through them.
"""
