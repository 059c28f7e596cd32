"""Reporting helpers shared by the web pages and the PDF reports (SVG charts)."""
