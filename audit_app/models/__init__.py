"""SQLAlchemy models, one family per module."""

from audit_app.models import live  # noqa: E402,F401  (hides deleted rows from queries)
from audit_app.models.api import ApiToken, ReportRequest
from audit_app.models.audits import (
    Action,
    Answer,
    Audit,
    AuditRecommendationId,
    AuditSectionScore,
    AuditStartArea,
    QuestionnaireVersion,
)
from audit_app.models.campaigns import Campaign, CampaignMember
from audit_app.models.evidence import AnswerEvidence
from audit_app.models.evidence_files import EvidenceFile
from audit_app.models.mail import AuditMailSettings, MailOptOut, OutboxMessage
from audit_app.models.organisations import Organisation, OrganisationAccess
from audit_app.models.register import (
    ChangeLog,
    Consent,
    Followup,
    ImportBatch,
    ImportBatchItem,
    ImportUpload,
    Interaction,
    Membership,
    OrganisationProfile,
    Person,
    PersonEmail,
    PersonPhone,
    RegisterState,
    Tag,
)
from audit_app.models.reports import IssuedReport, ShareLink
from audit_app.models.respondents import (
    Respondent,
    RespondentAnswer,
    RespondentCollection,
    RespondentLink,
)
from audit_app.models.trail import TrailEvent
from audit_app.models.users import LoginAttempt, User

__all__ = [
    "Action",
    "ApiToken",
    "ReportRequest",
    "Answer",
    "AuditRecommendationId",
    "AuditSectionScore",
    "AuditStartArea",
    "Campaign",
    "CampaignMember",
    "AnswerEvidence",
    "Audit",
    "AuditMailSettings",
    "EvidenceFile",
    "ChangeLog",
    "Consent",
    "Followup",
    "ImportBatch",
    "ImportBatchItem",
    "ImportUpload",
    "Interaction",
    "MailOptOut",
    "Membership",
    "OrganisationProfile",
    "OutboxMessage",
    "Person",
    "PersonEmail",
    "PersonPhone",
    "RegisterState",
    "Tag",
    "IssuedReport",
    "LoginAttempt",
    "Organisation",
    "OrganisationAccess",
    "QuestionnaireVersion",
    "Respondent",
    "RespondentAnswer",
    "RespondentCollection",
    "RespondentLink",
    "ShareLink",
    "TrailEvent",
    "User",
]
