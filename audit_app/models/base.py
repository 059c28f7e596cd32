from datetime import UTC, datetime


def utcnow() -> datetime:
    """Timezone-aware now; used as a callable default so it runs per row."""
    return datetime.now(UTC)
