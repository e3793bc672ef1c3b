"""The exec stream of the docker seam on a socket pair standing in for the daemon: frames, the daemon's own
error (stream 3), timeouts that keep partial frames, and a writer that is never left blocked."""

from __future__ import annotations

import socket
import struct
import threading
import time

import pytest

from mlu_doctor.system.docker_stream import STDERR, STDOUT, ExecPipe, ExecStream


class FakeDocker:
    """What ExecStream asks of the seam besides its socket: the exit code, and the error translation."""

    def __init__(self, code: int | None = 0) -> None:
        self.code = code

    def exec_code(self, eid: str) -> int | None:
        return self.code

    def calls(self):
        from contextlib import nullcontext

        return nullcontext()


def frame(kind: int, data: bytes) -> bytes:
    return struct.pack(">BxxxL", kind, len(data)) + data


def test_frames_split_anywhere_are_reassembled_and_stream_3_is_the_daemons_error():
    a, b = socket.socketpair()
    stream = ExecStream(FakeDocker(), "e1", a, timeout=5)
    data = frame(2, b"warn") + frame(3, b"exec failed: no such file") + frame(1, b"hello\n") + frame(1, b"")
    for i in range(0, len(data), 5):
        b.sendall(data[i:i + 5])
    b.shutdown(socket.SHUT_WR)
    assert list(stream.frames()) == [(STDERR, b"warn"), (STDOUT, b"hello\n")]
    assert bytes(stream.system) == b"exec failed: no such file"  # never mistaken for the command's output
    stream.close()
    b.close()


def test_a_timeout_mid_frame_keeps_what_was_read():
    a, b = socket.socketpair()
    stream = ExecStream(FakeDocker(), "e1", a, timeout=0.2)
    whole = frame(1, b"0123456789")
    b.sendall(whole[:11])
    with pytest.raises(socket.timeout):
        stream.frame()
    b.sendall(whole[11:])
    assert stream.frame() == (STDOUT, b"0123456789")
    stream.close()
    b.close()


def test_recv_returns_stdout_only_and_empty_at_the_end():
    a, b = socket.socketpair()
    stream = ExecStream(FakeDocker(), "e1", a, timeout=5)
    b.sendall(frame(2, b"noise") + frame(1, b"answer\n"))
    assert stream.recv() == b"answer\n"
    stream.send(b"ping\n")
    assert b.recv(10) == b"ping\n"
    b.close()
    assert stream.recv() == b""
    stream.close()


def test_a_writer_blocked_on_a_daemon_that_stopped_reading_fails_at_once_when_the_output_ends():
    """The daemon ends the output (the command died) but keeps the connection open and never reads again:
    the pipe shuts the socket down, so the blocked write fails instead of waiting for the daemon."""
    a, b = socket.socketpair()
    b.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    pipe = ExecPipe(ExecStream(FakeDocker(code=137), "e1", a, timeout=60))
    failed = []

    def write() -> None:
        try:
            while True:
                pipe.send(b"x" * 65536)
        except OSError as exc:
            failed.append((exc, time.monotonic()))

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    time.sleep(0.3)  # the writer is blocked now: nobody reads b
    ended = time.monotonic()
    b.sendall(frame(2, b"tar: killed\n"))
    b.shutdown(socket.SHUT_WR)  # the output ends; b stays open and unread
    writer.join(5)
    assert failed and failed[0][1] - ended < 1.0
    code, _out, err = pipe.finish(5)
    assert code == 137 and err == b"tar: killed\n"
    b.close()


def test_finish_collects_stdout_after_stdin_is_closed():
    a, b = socket.socketpair()
    pipe = ExecPipe(ExecStream(FakeDocker(code=0), "e1", a, timeout=5))
    pipe.send(b"tar data")
    pipe.close_stdin()
    assert b.recv(100) == b"tar data" and b.recv(100) == b""  # stdin ended: the command sees EOF
    b.sendall(frame(1, b"listing\n"))
    b.close()
    assert pipe.finish(5) == (0, b"listing\n", b"")
