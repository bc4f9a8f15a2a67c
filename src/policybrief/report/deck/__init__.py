"""The PowerPoint deck: native, editable charts and tables laid out on slides.

``slides.py`` is the main story and ``write_deck``; ``appendix.py`` the appendix slides;
``canvas.py`` the slide primitives; ``charts.py``, ``analysis_charts.py`` and ``waterfall.py``
the native charts (``chartkit.py`` their shared XML); ``table.py`` the native tables and
``continued.py`` how a long table continues; ``template.py`` opens a template safely. Words
and numbers come from ``report.story``.
"""
