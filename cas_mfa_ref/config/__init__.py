"""Readers of CAS's own configuration formats: Java properties, JSON services, attribute repositories."""
