"""cas_mfa_ref: Apereo CAS multifactor authentication semantics, as a reference implementation."""
