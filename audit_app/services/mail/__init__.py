"""E-mail through the outbox (docs/mail.md).

* `settings`: whether mail is on (MAIL_SERVER set) and the SMTP settings;
* `transport`: a stored message made into an RFC 5322 message and handed to SMTP
  (the standard library's smtplib + email.message), failures sorted into temporary
  and permanent;
* `outbox`: storing messages, sending what is due (claimed one by one, so two senders
  never send the same message), retries with back-off, the RQ job;
* `compose`: the messages themselves, rendered in the recipient's language;
* `optouts`: unsubscribe links and who must not get optional mail;
* `scheduled`: automatic reminders and the consultants' daily digest;
* `password_reset`: signed single-use reset links.
"""
