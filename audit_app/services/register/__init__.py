"""The contact register: people, organisations' register profiles, interactions,
follow-ups, consents, import/export, duplicates and GDPR. One module per use case;
services flush, never commit."""

from audit_app.services.register.followups import FollowupsDue, followups_due

__all__ = ["FollowupsDue", "followups_due"]
