"""Bounds that protect memory and time against a hostile or broken server (a server the
policy allows is still untrusted). A real server stays far below each; one that goes
beyond gets ``reader.TooMuchData`` from the reader, and ``client.ImapWire`` ends the
connection with ServerError ``server-too-much-data`` (see ``net/failures.py``).

The reader and the client read these as ``bounds.NAME`` when they apply them, so a test
can scale them down in one place.
"""

from __future__ import annotations

#: One response line (literals cut out): a plain SEARCH of two million UIDs is ~16 MB.
MAX_LINE = 16 * 1024 * 1024
#: Literals of one FETCH response (message bodies; the app asks for 16 MB of a message at most).
MAX_LITERAL = 256 * 1024 * 1024
#: Literals of any other response (folder names in LIST/STATUS, ID strings, ...).
MAX_SMALL_LITERAL = 1024 * 1024
#: Responses one command (or one IDLE wait) may bring: UNTAGGED_BASE, plus
#: UNTAGGED_PER_MESSAGE for each message of the largest folder (EXISTS) the server has
#: announced on this connection, counted up to MAX_COUNTED_MESSAGES. Per message a real
#: server sends at most the FETCH asked for and one change (a flag FETCH, an EXPUNGE): a
#: NOOP after another client marked every message of a million-message folder as read
#: brings a million FETCH responses, well within 2,010,000. The same bound applies to
#: the events gathered and not yet taken.
UNTAGGED_BASE = 10_000
UNTAGGED_PER_MESSAGE = 2
MAX_COUNTED_MESSAGES = 2_000_000
#: LIST: one LIST and one STATUS (LIST-STATUS) response per folder, at most this many folders.
MAX_FOLDERS = 100_000
#: Bytes of the responses a command keeps until its tagged answer (FETCH streams hand
#: their rows on in batches and are not counted): RETAINED_BASE, plus
#: RETAINED_PER_MESSAGE per counted message, plus RETAINED_PER_FOLDER per folder for LIST.
RETAINED_BASE = 32 * 1024 * 1024
RETAINED_PER_MESSAGE = 128
RETAINED_PER_FOLDER = 512
#: Literal bytes of the FETCH rows one batch of a stream gathers before it is handed on
#: (whatever the batch's row count): rows with big literals, asked for or not, are not
#: held by the thousand.
FETCH_BATCH_BYTES = 32 * 1024 * 1024
#: Parenthesis levels of one response the tokenizer follows (a BODYSTRUCTURE at its own
#: limit of 32 nested parts needs under 40); deeper is outside what a server sends: the
#: row is refused as unreadable before the nesting costs memory (a 16 MB line of "("
#: would otherwise build eight million nested lists, ~800 MB).
MAX_NESTING = 100
#: UIDs, UIDVALIDITY, UIDNEXT and message numbers are 32-bit, non-zero (RFC 3501 nz-number);
#: MODSEQ values are 63-bit (RFC 7162). Values outside are refused where they are read.
MAX_UID = 4_294_967_295
MAX_MODSEQ = 9_223_372_036_854_775_807
