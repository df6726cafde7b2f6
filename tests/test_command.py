"""`rag serve`'s guards (ui/command.py): a warning when other machines can reach it without a login,
and the login itself."""

import os
import subprocess
import sys

import pytest
from conftest import wait_until_serving

from ui.command import is_loopback


def _start(args, tmp_path, env_extra=None):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "RAG_INDEX_DIR": str(tmp_path / "index"), **(env_extra or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "serve", "--data-dir", str(tmp_path / "data"), *args],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def test_loopback_addresses():
    assert [is_loopback(h) for h in ("127.0.0.1", "127.8.0.1", "localhost", "::1")] == [True] * 4
    assert [is_loopback(h) for h in ("0.0.0.0", "10.0.0.5", "example.com", "::")] == [False] * 4


def test_binding_beyond_loopback_without_a_login_warns(tmp_path, free_port):
    server = _start(["--host", "0.0.0.0", "--port", str(free_port)], tmp_path)
    try:
        first_line = server.stderr.readline()
    finally:
        server.kill()
        server.wait(timeout=30)
    assert first_line.startswith("rag: warning: serving on 0.0.0.0, which other machines can reach without --auth: anyone")


def test_a_bad_login_setting_is_refused(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "rag.cli", "serve"], env={**os.environ, "RAG_AUTH": "no-colon"},
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "rag: RAG_AUTH: --auth takes USER:PASSWORD (both non-empty), e.g. --auth ana:s3cret"


def test_with_a_login_only_the_right_password_gets_answers_and_guessing_is_slowed(tmp_path, free_port):
    import httpx
    from gradio_client import Client

    # a first wait of 30 s, so that the burst below cannot outlast it on a slow machine
    server = _start(["--port", str(free_port)], tmp_path, env_extra={"RAG_AUTH": "ana:s3cret", "RAG_LOGIN_DELAY_S": "30"})
    url = f"http://127.0.0.1:{free_port}/"
    try:
        assert wait_until_serving(url, server, timeout_s=120), server.stderr.read()
        with pytest.raises(Exception):
            Client(url, verbose=False).predict(question="Taiwan?", api_name="/ask")
        record = Client(url, auth=("ana", "s3cret"), verbose=False).predict(question="What did Tokayev say about Taiwan?", api_name="/ask")
        assert "Taiwan is a part of China." in record["answer"]
        # 40 guesses in a burst (the attack in issue 12): the first is answered "wrong", the rest must wait,
        # and so must the right password from the same address
        guesses = [httpx.post(url + "login", data={"username": "ana", "password": f"guess{i}"}) for i in range(40)]
        assert [r.status_code for r in guesses] == [400] + [429] * 39
        assert guesses[1].json() == {"detail": "too many failed logins; try again in 30 s"}
        assert guesses[1].headers["retry-after"] == "30"
        assert httpx.post(url + "login", data={"username": "ana", "password": "s3cret"}).status_code == 429
    finally:
        os.kill(server.pid, 15)
        server.wait(timeout=30)
    log = server.stderr.read()
    assert "warning" not in log and "Traceback" not in log
    assert "failed login from 127.0.0.1 (1 in a row)" in log


def test_share_is_refused_with_the_reason(tmp_path):
    done = subprocess.run([sys.executable, "-m", "rag.cli", "serve", "--share"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("rag: --share is not offered: a Gradio share link needs the internet")


def test_a_busy_port_or_bad_host_is_one_line_and_exit_2(tmp_path):
    import socket

    from ui.command import can_listen

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert can_listen("127.0.0.1", port) == f"cannot listen on 127.0.0.1:{port} (Address already in use)"
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "RAG_INDEX_DIR": str(tmp_path / "index")}
        done = subprocess.run([sys.executable, "-m", "rag.cli", "serve", "--port", str(port)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [f"rag: cannot listen on 127.0.0.1:{port} (Address already in use); choose another --port or --host"]
