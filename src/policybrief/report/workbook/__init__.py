"""The results workbook (``<stem>-results.xlsx``): ``book.py`` writes it, ``schema.py`` is its
contract (sheets, columns, formats), ``summary.py`` the ``Summary`` sheet for people, and
``analysis_rows.py`` and ``detail_rows.py`` the rows of the long sheets.

Not to be confused with ``policybrief.workbook``, which reads the input workbook.
"""
