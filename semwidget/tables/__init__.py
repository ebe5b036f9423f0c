"""The tables stage: views of a fitted model that a paper reports.

Reliability, validity, exploratory checks, the APA report, the text summary and plots. May
import the engines (``cb``, ``pls``) and the model stage, never the dispatcher or the widget.
"""
