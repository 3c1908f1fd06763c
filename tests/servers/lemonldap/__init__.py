"""LemonLDAP::NG's portal as a CAS server with a TOTP second factor, started for the tests."""
