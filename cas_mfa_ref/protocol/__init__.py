"""CAS's protocol around the engine: logins that end in tickets, and ticket validation."""
