"""`rag serve`: registered with the `rag` command through the `rag.commands` entry point, so that `rag`
itself never imports the UI (and Gradio is imported only when the server starts)."""

from __future__ import annotations

import argparse

HELP = "start the web app (Gradio) on 127.0.0.1:7860"


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a whole number from 1 to 65535, got {value!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be a whole number from 1 to 65535, got {port}")
    return port


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from pathlib import Path

    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=_port, default=7860, help="port (default 7860)")
    parser.add_argument("--share", action="store_true", help="also open a public Gradio share link (off by default)")
    parser.add_argument("--data-dir", type=Path, default=None, help="feedback log and exported chats (default: index/data/)")


def run(args: argparse.Namespace) -> int:
    from rag.pipeline import default_data_dir
    from ui.app import serve

    serve(args.host, args.port, args.share, args.data_dir or default_data_dir(), args.index_dir, args.corpus)
    return 0
