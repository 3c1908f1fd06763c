"""Provider adapters: how the reference reaches each MFA provider over the network, as CAS does.

Each adapter is a :class:`ProviderGateway` built from the provider's own CAS properties; the
:class:`NetworkProviders` directory routes the engine's availability and token questions to them.
"""
