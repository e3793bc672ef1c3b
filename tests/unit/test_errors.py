"""Every failure of the docker SDK or the transport below it becomes one line (errors.docker_failure), built
from the exceptions those libraries really raise, wrapped as they wrap them."""

from __future__ import annotations

import http.client
import socket

import pytest

from mlu_doctor.errors import CannotRun, ExitCode, docker_failure, is_docker_failure


def wrapped(inner: BaseException):
    """As the SDK wraps a transport failure while negotiating the API version."""
    import requests
    import urllib3
    from docker.errors import DockerException

    try:
        try:
            raise requests.exceptions.ConnectionError(urllib3.exceptions.ProtocolError("Connection aborted.", inner))
        except requests.exceptions.ConnectionError as exc:
            raise DockerException(f"Error while fetching server API version: {exc}") from exc
    except DockerException as exc:
        return exc


@pytest.mark.parametrize("inner, expected", [
    (FileNotFoundError(2, "No such file or directory"), "it is not running"),
    (ConnectionRefusedError(111, "Connection refused"), "it is not running"),
    (PermissionError(13, "Permission denied"), "permission denied on its socket"),
    (http.client.RemoteDisconnected("Remote end closed connection without response"), "closed the connection"),
    (http.client.BadStatusLine("SSH-2.0-OpenSSH\r\n"), "not an HTTP answer"),
    (http.client.LineTooLong("header line"), "not an HTTP answer"),
    (socket.timeout("timed out"), "did not answer within 7 s"),
])
def test_transport_failures_are_one_clear_line(inner, expected):
    err = docker_failure(wrapped(inner), "unix:///run/d.sock", 7)
    assert isinstance(err, CannotRun) and err.exit_code == ExitCode.CANNOT_RUN
    assert expected in str(err) and "unix:///run/d.sock" in str(err) and "\n" not in str(err)


def test_a_refusal_gives_the_daemons_message_and_timeouts_of_requests_are_named():
    import requests
    from docker.errors import APIError

    response = requests.Response()
    response.status_code = 403
    refused = APIError("403 Client Error", response=response, explanation="authorization denied")
    assert "refused: authorization denied" in str(docker_failure(refused, "tcp://h:1"))
    timeout = requests.exceptions.ReadTimeout("UnixHTTPConnectionPool(host='localhost'): Read timed out.")
    assert "did not answer within 3 s" in str(docker_failure(timeout, "unix:///x", 3))


def test_ssh_without_paramiko_names_the_extra():
    from docker.errors import DockerException

    err = docker_failure(DockerException("Install paramiko package to enable ssh:// support"), "ssh://u@h")
    assert "pip install 'mlu-doctor[ssh]'" in str(err) and "ssh://u@h" in str(err)


def test_our_own_bugs_are_not_mistaken_for_docker_failures():
    assert is_docker_failure(OSError(5, "EIO")) and is_docker_failure(wrapped(FileNotFoundError()))
    assert not is_docker_failure(KeyError("Id")) and not is_docker_failure(TypeError("x"))
