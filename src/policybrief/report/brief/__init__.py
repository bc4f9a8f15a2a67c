"""The Markdown brief: ``render.py`` fills the user-editable Jinja2 template in a sandbox
(``sandbox.py``) with escaping (``markdown.py``); ``figures/`` draws its PNG charts. Words and
numbers come from ``report.story``.
"""
