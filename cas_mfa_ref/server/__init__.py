"""The reference CAS as a CAS-protocol HTTP server (``cas-mfa-ref serve``).

``app`` routes CAS's URL layout to :class:`~cas_mfa_ref.protocol.cas.InProcessCas`; ``login`` drives the
login webflow (forms, executions, the Duo Universal Prompt round trip); ``pages`` renders CAS 7's views
with their form ids, field names and headings; ``validation`` writes CAS's XML and JSON validation
responses; ``actuator`` holds the refresh, trusted-device and clock endpoints; ``serve`` runs it all
under waitress (``transport.py``).
"""
