"""Several respondents per audit: invitations, their answers, combining, anonymity.

* Invitations are links: a personal link per respondent (named or not) or a shared
  link per role that anyone may use anonymously; starting from a shared link creates
  a respondent of its own. A link is a token signed with the app's SECRET_KEY
  (itsdangerous, salt `SALT`) naming one row and its random `nonce`; the row makes it
  revocable and holds its expiry. Tokens are signed with the row's creation time, so
  the same link is shown every time.
* The consultant's own assessment (the audit's `answers`) is one more response, in
  the role "consultant" unless the consultant picks one of the questionnaire's roles.
* Anonymity: a group's results (a role, or everybody together) are shown only when
  at least `MIN_GROUP_SIZE` invited respondents of it have answered; the consultant
  is never counted towards that minimum (they know their own answers).

The parts: `collection` (open or closed, the consultant's role, the anonymity minimum),
`links` (tokens and invitations), `answers`, `perception` (combining and the gap).
Services flush and never commit: the request commits once.
"""

from audit_app.services.respondents.answers import (
    STARTED,
    answer_rows,
    answers_of_respondent,
    finish,
    has_answered,
    progress,
    save_answer,
    status_of,
    visible_ids,
)
from audit_app.services.respondents.collection import (
    DEFAULT_MIN_GROUP_SIZE,
    close,
    collection_of,
    consultant_role,
    is_open,
    min_group_size,
    reopen,
    role_ids,
    set_consultant_role,
)
from audit_app.services.respondents.links import (
    DEFAULT_DAYS,
    LINK_DAYS,
    MAX_DEPARTMENT,
    MAX_NAME,
    MAX_REASON,
    SALT,
    create_link,
    exclude,
    include,
    invite,
    link_of_audit,
    links_of,
    resolve,
    respondent_of_audit,
    respondents_of,
    revoke,
    start_from_link,
    status_of_link,
    token_for,
)
from audit_app.services.respondents.perception import Responses, perception_context, responses
from audit_app.services.signed_links import LinkGone, LinkNotFound

__all__ = [
    "DEFAULT_DAYS",
    "DEFAULT_MIN_GROUP_SIZE",
    "LINK_DAYS",
    "MAX_DEPARTMENT",
    "MAX_NAME",
    "MAX_REASON",
    "SALT",
    "STARTED",
    "LinkGone",
    "LinkNotFound",
    "Responses",
    "answer_rows",
    "answers_of_respondent",
    "close",
    "collection_of",
    "consultant_role",
    "create_link",
    "exclude",
    "finish",
    "has_answered",
    "include",
    "invite",
    "is_open",
    "link_of_audit",
    "links_of",
    "min_group_size",
    "perception_context",
    "progress",
    "reopen",
    "resolve",
    "respondent_of_audit",
    "respondents_of",
    "responses",
    "revoke",
    "role_ids",
    "save_answer",
    "set_consultant_role",
    "start_from_link",
    "status_of",
    "status_of_link",
    "token_for",
    "visible_ids",
]
