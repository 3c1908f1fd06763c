"""Real CAS servers nobody here wrote, started on loopback for the HTTP target's tests."""
