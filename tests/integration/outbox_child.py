"""A child process running the real send pipeline, for the outbox durability tests.

``python -m tests.integration.outbox_child CONFIG.json`` where the JSON names the outbox
directory, the servers and ``stop_at``: the pipeline step (``sync.send.STEP_*``) at
which the child says ``STOPPED <step>`` on stdout and waits on stdin for ever — the
test then kills it with SIGKILL, at exactly that step. ``mode``:

* ``submit`` — put a new Thai draft in the outbox (prints ``ENTRY <id> <message-id>``),
  then send it;
* ``resume`` — what the app does at start-up: recover the outbox, settle the messages
  that may have been sent (Sent folder searched by Message-ID), send what is due;
  prints ``RESULT <json of the entries>`` and exits.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from govmail_desktop.store.outbox import OutboxStore
from govmail_desktop.sync.send import enqueue
from tests.integration.outbox_helpers import effective_policy, make_sender, reader, thai_draft
from tests.servers.dovecot import DovecotServer


class _Servers:
    """What the pipeline needs of the test Dovecot (ports, CA, users), without owning it."""

    def __init__(self, config: dict[str, object]) -> None:
        self.host = "127.0.0.1"
        self.imaps_port = int(str(config["imaps_port"]))
        self.ca_file = Path(str(config["ca_file"]))
        self.users = dict(config["users"])  # type: ignore[call-overload]


def main(config_path: str) -> int:
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    stop_at = config.get("stop_at") or ""
    store = OutboxStore(Path(config["outbox"]))
    policy = effective_policy(Path(config["ca_file"]))
    servers: DovecotServer = _Servers(config)  # type: ignore[assignment]

    def steps(name: str, entry_id: str) -> None:
        print(f"STEP {name} {entry_id}", flush=True)
        if name == stop_at:
            print(f"STOPPED {name}", flush=True)
            sys.stdin.readline()  # until killed
            raise SystemExit("not killed")

    sender = make_sender(store, policy, servers, int(config["smtp_port"]), steps=steps)
    if config["mode"] == "submit":
        draft = thai_draft(to=config.get("to", "bob@localhost"), cc=config.get("cc", ""))
        store.prepare_spare()  # as the outbox service does while idle: the message goes into it
        entry = enqueue(store, draft, reader(), policy.recipient_policy(), policy.attachment_rules())
        print(f"ENTRY {entry.entry_id} {entry.message_id}", flush=True)
        steps("queued", entry.entry_id)
        sender.run()
    else:
        store.recover()
        sender.settle_unknown()
        sender.run()
    result = [{"entry_id": e.entry_id, "state": e.state.value, "message_id": e.message_id,
               "label_en": e.state.label.text("en"), "label_th": e.state.label.text("th")}
              for e in store.entries()]
    print("RESULT " + json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
