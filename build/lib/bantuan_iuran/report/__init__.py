"""Report: what is paid and what officials sign. `tables.py` makes the report's tables (the
eligible list, its cost, the fit to a budget, the summaries); `decree.py`, `pages.py` and
`pdf.py` lay out the decree attachment; `workbooks.py` the summary and the waiting list.
This package imports nothing itself, so a helper process drawing the PDF loads no pandas."""
