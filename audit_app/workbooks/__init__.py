"""Excel workbooks: the blank answer workbook of a questionnaire (for workshops), reading
it back, and the export of an audit. Plain Python and openpyxl: no Flask, no database;
the services (services/answer_import.py, services/audit_export.py) use them."""
