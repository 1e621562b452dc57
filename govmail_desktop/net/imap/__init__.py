"""IMAP on the wire: a fast parser of server responses and a small command runner.

Why this exists next to imapclient (which ``net/imap_session.py`` uses to log in):

* imapclient's parser costs ~12 s of ~15 s for 100,000 ENVELOPE fetches;
  the header sync must stay within 2x the raw wire time.
  The parsers here match whole FETCH items with compiled regular expressions
  and touch every byte once or twice in C.
* imapclient 4.1.0 breaks on range FETCH (``1:*``), and has no QRESYNC SELECT,
  no VANISHED, no ESEARCH.

The modules, by responsibility (no imapclient, no Qt; each imports only those above it):

* ``text`` — folder names in modified UTF-7 (header text and dates are read by
  ``mime.charsets`` and ``mime.dates``, the decoder the preview uses too);
* ``grammar`` — the general tokenizer (nested lists), sequence sets, response codes;
* ``fetch`` — FETCH responses as :class:`~govmail_desktop.net.imap.fetch.FetchedMessage`;
* ``responses`` — LIST, STATUS, SEARCH/ESEARCH, VANISHED, events, SELECT;
* ``reader`` — bytes from a transport to bounded responses (``ResponseReader``,
  ``SocketTransport``);
* ``client`` — ``ImapWire``: tagged commands, streaming FETCH in batches, IDLE, and
  the hand-over from a logged-in ``ImapSession`` (``wire_from_session``).

Malformed rows never crash a sync: the row is skipped with a logged warning
(the log never receives message content beyond a short, escaped excerpt).
"""
