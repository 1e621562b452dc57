"""The composition root's parts, by responsibility; :mod:`govmail_desktop.app` builds the
app from them in order (``main()``: the one composition root).
"""
