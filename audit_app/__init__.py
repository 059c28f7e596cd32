"""Readiness audit: CRM implementation-readiness audits."""
