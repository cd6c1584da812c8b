"""A parse worker process: `python -m ingestion.load.parse_worker`, driven by parse_pool.ParsePool.

It reads pickled frames on stdin: first the sync's FileLimits, then one (path, relative, data) job
at a time, and answers each with one pickled ParseOutcome on stdout. End of stdin ends it. It is
started as a fresh interpreter that imports only the parser (not the parent's main module, not
Dagster), so a worker costs ~0.3 s and ~60 MiB; see docs/parallel_parsing.md.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from typing import IO, Any

HEADER = struct.Struct("!Q")  # frame length, then a pickle of that many bytes


def write_frame(stream: IO[bytes], value: Any) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(payload)) + payload)
    stream.flush()


def read_frame(stream: IO[bytes]) -> Any:
    """The next value, or raises EOFError when the other side has gone (or died mid-frame)."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        raise EOFError("stream closed")
    (size,) = HEADER.unpack(header)
    payload = stream.read(size)
    if len(payload) < size:
        raise EOFError("stream closed mid-frame")
    return pickle.loads(payload)


def main() -> int:
    # Answers go to a private copy of stdout; fd 1 then points at stderr, so that a stray print in
    # a parser or library cannot corrupt the frames.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    jobs = sys.stdin.buffer
    try:
        limits = read_frame(jobs)
        while True:
            path, relative, data = read_frame(jobs)
            # Imported once the first file has been read off the pipe: the sender is not held up by our imports.
            from ingestion.load.parse_step import parse_one

            outcome = parse_one(path, relative, data, limits)
            del data
            try:
                write_frame(answers, outcome)
            except MemoryError as error:  # rows too large to send: that file is quarantined, the worker lives on
                write_frame(answers, (None, f"parser error: {type(error).__name__} while returning its rows"))
    except EOFError:
        return 0  # the sync has finished (or died): nothing more to do


if __name__ == "__main__":
    sys.exit(main())
