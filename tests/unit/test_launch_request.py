"""What a launch of ``govmail`` asks for (services/launch.py): the command line's
``--compose``, ``--attach`` and a bare ``mailto:`` link, the files checked, and the
versioned, bounded message a second launch hands to the running one."""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

import pytest

from govmail_desktop.mime.mailto import MailtoError
from govmail_desktop.services.launch import (
    MAX_ATTACHMENTS,
    MAX_MESSAGE_BYTES,
    MSG_NOT_A_FILE,
    MSG_NOT_FOUND,
    MSG_TOO_MANY_FILES,
    MSG_UNREADABLE,
    AttachmentFileError,
    FrameReader,
    InstanceMessageError,
    LaunchRequest,
    check_attachment,
    decode_launch,
    encode_launch,
    evaluate,
    launch_request,
)
from govmail_desktop.wiring.command_line import parse_args

THAI_SUBJECT = "ขอเชิญประชุม ด่วนที่สุด"


def request_of(argv: list[str], cwd: Path) -> LaunchRequest:
    args = parse_args(argv)
    return launch_request(compose=args.compose, uri=args.uri, attach=args.attach, cwd=cwd)


# -- the command line ----------------------------------------------------------------------


def test_no_arguments_just_opens_the_window(tmp_path):
    assert request_of([], tmp_path) == LaunchRequest(compose=False)


def test_compose_with_a_mailto_link(tmp_path):
    request = request_of(["--compose", "mailto:a@example.go.th?subject=x"], tmp_path)
    assert request == LaunchRequest(compose=True, mailto="mailto:a@example.go.th?subject=x")


def test_a_bare_mailto_link_as_a_desktop_passes_it_means_compose(tmp_path):
    request = request_of(["mailto:a@example.go.th"], tmp_path)
    assert request == LaunchRequest(compose=True, mailto="mailto:a@example.go.th")


def test_compose_alone_opens_an_empty_composer(tmp_path):
    assert request_of(["--compose"], tmp_path) == LaunchRequest(compose=True)


def test_attach_implies_compose_and_paths_become_absolute(tmp_path):
    request = request_of(["--attach", "a.pdf", "--attach", str(tmp_path / "b.pdf")], tmp_path)
    assert request.compose is True
    assert request.attachments == (str(tmp_path / "a.pdf"), str(tmp_path / "b.pdf"))


def test_attach_with_a_link_and_the_options_in_any_order(tmp_path):
    request = request_of(["--attach", "หนังสือ.pdf", "--compose", "mailto:a@example.go.th"], tmp_path)
    assert request == LaunchRequest(
        compose=True, mailto="mailto:a@example.go.th", attachments=(str(tmp_path / "หนังสือ.pdf"),)
    )


def test_attach_without_a_file_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        parse_args(["--attach"])
    assert exited.value.code == 2
    assert "--attach" in capsys.readouterr().err


def test_the_help_names_compose_and_attach_in_thai(capsys):
    with pytest.raises(SystemExit):
        parse_args(["--help"])
    out = capsys.readouterr().out
    assert "--compose" in out and "--attach" in out
    assert "แนบ" in out


# -- what the composer gets --------------------------------------------------------------------


def test_a_thai_percent_encoded_link_is_decoded(tmp_path):
    from urllib.parse import quote

    link = f"mailto:saraban@example.go.th?subject={quote(THAI_SUBJECT)}&body={quote('เรียน ท่าน')}"
    order = evaluate(LaunchRequest(compose=True, mailto=link))
    assert order is not None and order.request is not None
    assert order.request.subject == THAI_SUBJECT
    assert order.request.body == "เรียน ท่าน"
    assert order.problems == ()


def test_a_broken_link_opens_nothing_and_says_why():
    order = evaluate(LaunchRequest(compose=True, mailto="mailto:a@example.go.th?subject=%E0%B8"))
    assert order is not None and order.request is None
    [problem] = order.problems
    assert isinstance(problem, MailtoError)
    assert "UTF-8" in problem.user_text("en")
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in problem.user_text("th"))


def test_a_link_that_is_not_mailto_is_refused():
    order = evaluate(LaunchRequest(compose=True, mailto="file:///etc/passwd"))
    assert order is not None and order.request is None
    assert isinstance(order.problems[0], MailtoError)


def test_fields_a_link_may_not_set_are_reported_not_attached(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    order = evaluate(LaunchRequest(compose=True, mailto=f"mailto:a@example.go.th?attach={secret}"))
    assert order is not None and order.request is not None
    assert order.attachments == ()
    notice = order.request.ignored_notice()
    assert notice is not None and "attach" in notice.text("en")


def test_no_compose_means_no_composer():
    assert evaluate(LaunchRequest(compose=False)) is None


def test_good_files_are_kept_and_each_bad_one_is_named(tmp_path):
    good = tmp_path / "คำสั่ง.pdf"
    good.write_bytes(b"%PDF-1.4")
    missing = tmp_path / "missing.pdf"
    order = evaluate(LaunchRequest(compose=True, attachments=(str(good), str(missing), str(tmp_path))))
    assert order is not None and order.request is not None
    assert order.attachments == (good,)
    assert [p.message.source for p in order.problems] == [MSG_NOT_FOUND.source, MSG_NOT_A_FILE.source]
    assert all(isinstance(p, AttachmentFileError) for p in order.problems)
    assert "missing.pdf" in order.problems[0].user_text("th")


@pytest.mark.linux_only  # os.mkfifo
def test_check_attachment_refuses_what_is_not_a_readable_regular_file(tmp_path):
    ok = tmp_path / "ok.txt"
    ok.write_text("x")
    assert check_attachment(ok) == ok
    with pytest.raises(AttachmentFileError) as missing:
        check_attachment(tmp_path / "nope.txt")
    assert missing.value.message.source == MSG_NOT_FOUND.source
    with pytest.raises(AttachmentFileError) as folder:
        check_attachment(tmp_path)
    assert folder.value.message.source == MSG_NOT_A_FILE.source
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(AttachmentFileError) as pipe:  # opening it would hang the start-up
        check_attachment(fifo)
    assert pipe.value.message.source == MSG_NOT_A_FILE.source


def test_check_attachment_refuses_an_unreadable_file(tmp_path, monkeypatch):
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(b"x")

    def denied(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("govmail_desktop.services.launch._open_for_reading", denied)
    with pytest.raises(AttachmentFileError) as err:
        check_attachment(locked)
    assert err.value.message.source == MSG_UNREADABLE.source


def test_too_many_files_are_refused_not_cut(tmp_path):
    paths = tuple(str(tmp_path / f"{i}.txt") for i in range(MAX_ATTACHMENTS + 1))
    order = evaluate(LaunchRequest(compose=True, attachments=paths))
    assert order is not None
    assert order.attachments == ()
    assert [p.message.source for p in order.problems] == [MSG_TOO_MANY_FILES.source]


# -- the message to the running instance -----------------------------------------------------------


def payload_of(frame: bytes) -> bytes:
    reader = FrameReader()
    [payload] = reader.feed(frame)
    return payload


def test_a_request_goes_over_intact(tmp_path):
    request = LaunchRequest(
        compose=True,
        mailto="mailto:a@example.go.th?subject=%E0%B8%94%E0%B9%88%E0%B8%A7%E0%B8%99",
        attachments=(str(tmp_path / "หนังสือ ราชการ.pdf"),),
    )
    assert decode_launch(payload_of(encode_launch(request))) == request


def test_undecodable_argv_bytes_survive_the_trip():
    # An argument that was not UTF-8 arrives as surrogate escapes; the link parser refuses it later.
    request = LaunchRequest(compose=True, mailto="mailto:a@x.go.th?subject=\udce0")
    assert decode_launch(payload_of(encode_launch(request))) == request


def test_frames_split_and_joined_are_read_whole():
    one, two = encode_launch(LaunchRequest(compose=True)), encode_launch(LaunchRequest(compose=False))
    reader = FrameReader()
    stream = one + two
    got = [payload for i in range(len(stream)) for payload in reader.feed(stream[i:i + 1])]
    assert [decode_launch(p) for p in got] == [LaunchRequest(compose=True), LaunchRequest(compose=False)]


def test_an_oversized_frame_is_refused_before_it_is_read():
    reader = FrameReader()
    with pytest.raises(InstanceMessageError):
        reader.feed(struct.pack(">I", MAX_MESSAGE_BYTES + 1))


def _json(obj: object) -> bytes:
    return json.dumps(obj).encode()


GOOD: dict[str, object] = {"version": 1, "compose": True, "mailto": None, "attach": []}


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\xff\xfe", id="not-utf8"),
        pytest.param(b"{", id="not-json"),
        pytest.param(b"[" * 200_000 + b"]" * 200_000, id="nesting-bomb"),
        pytest.param(_json([1, 2]), id="not-an-object"),
        pytest.param(_json({**GOOD, "version": 2}), id="unknown-version"),
        pytest.param(_json({**GOOD, "version": True}), id="version-bool"),
        pytest.param(_json({k: v for k, v in GOOD.items() if k != "version"}), id="no-version"),
        pytest.param(_json({**GOOD, "compose": "yes"}), id="compose-not-bool"),
        pytest.param(_json({**GOOD, "mailto": 5}), id="mailto-not-text"),
        pytest.param(_json({**GOOD, "mailto": "m" * (70 * 1024)}), id="mailto-too-long"),
        pytest.param(_json({**GOOD, "attach": "a.pdf"}), id="attach-not-list"),
        pytest.param(_json({**GOOD, "attach": ["relative.pdf"]}), id="attach-relative"),
        pytest.param(_json({**GOOD, "attach": ["/tmp/a\x00b"]}), id="attach-nul"),
        pytest.param(_json({**GOOD, "attach": ["/a"] * (MAX_ATTACHMENTS + 1)}), id="attach-too-many"),
        pytest.param(_json({**GOOD, "extra": 1}), id="unknown-field"),
    ],
)
def test_a_malformed_message_is_refused_with_a_typed_error(payload):
    with pytest.raises(InstanceMessageError):
        decode_launch(payload)


def test_the_good_message_of_the_malformed_cases_is_accepted():
    # The cases above are malformed because of what they change, not because GOOD is.
    assert decode_launch(_json(GOOD)) == LaunchRequest(compose=True)


def test_a_word_that_is_not_a_mailto_link_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        parse_args(["กล่องจดหมาย"])
    assert exited.value.code == 2
    assert "mailto:" in capsys.readouterr().err
    assert parse_args(["MAILTO:a@example.go.th"]).uri == "MAILTO:a@example.go.th"
