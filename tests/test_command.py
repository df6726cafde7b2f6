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


def test_with_a_login_only_the_right_password_gets_answers(tmp_path, free_port):
    from gradio_client import Client

    server = _start(["--port", str(free_port)], tmp_path, env_extra={"RAG_AUTH": "ana:s3cret"})
    url = f"http://127.0.0.1:{free_port}/"
    try:
        assert wait_until_serving(url, server, timeout_s=120), server.stderr.read()
        with pytest.raises(Exception):
            Client(url, verbose=False).predict(question="Taiwan?", api_name="/ask")
        with pytest.raises(Exception):
            Client(url, auth=("ana", "wrong"), verbose=False)
        record = Client(url, auth=("ana", "s3cret"), verbose=False).predict(question="What did Tokayev say about Taiwan?", api_name="/ask")
        assert "Taiwan is a part of China." in record["answer"]
    finally:
        os.kill(server.pid, 15)
        server.wait(timeout=30)
    assert "warning" not in server.stderr.read()


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
