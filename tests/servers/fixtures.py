"""pytest fixtures for the real servers (Dovecot, SMTP submission, Secret Service)."""
