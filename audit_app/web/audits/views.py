from __future__ import annotations

from flask import Blueprint

bp = Blueprint("audits", __name__)
