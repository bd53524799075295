"""Stand-ins on localhost for what the library's deploy-time functions talk to: the SSM API
(JSON over HTTP, as botocore speaks it) and CloudFormation's response URL.

Each stand-in plays a script: one step per request, the last step repeated. A step is

* ``("ok", body)``: HTTP 200 with this JSON body (``None``: ``{}``);
* ``("error", status, code)``: an error as SSM sends it (``{"__type": code, ...}``);
* ``"reset"``: the connection closed with a TCP reset, nothing answered;
* ``"hang"``: nothing answered until the stand-in stops.

Every request is recorded (``requests``: operation or method, and the JSON body). Servers listen
on 127.0.0.1 only, on a free port, and stop when the ``with`` block ends.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, List, Sequence, Tuple, Union

Step = Union[str, Tuple[Any, ...]]

__all__ = ["StandIn", "Step"]


class StandIn:
    """A scripted HTTP server on localhost (use as a context manager)."""

    def __init__(self, script: Sequence[Step]) -> None:
        self.script: List[Step] = list(script) or [("ok", None)]
        self.requests: List[Tuple[str, Any]] = []
        self.answered: List[Tuple[int, Any]] = []  # (status, request body) of each request answered
        self._stop = threading.Event()
        self._lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:  # quiet
                pass

            def _play(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                target = self.headers.get("X-Amz-Target", "")
                name = target.split(".")[-1] if target else self.command
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                with stand_in._lock:
                    number = len(stand_in.requests)
                    stand_in.requests.append((name, body))
                    step = stand_in.script[min(number, len(stand_in.script) - 1)]
                if step == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                    return
                if step == "hang":
                    stand_in._stop.wait(30)
                    self.close_connection = True
                    return
                assert isinstance(step, tuple)
                if step[0] == "ok":
                    self._send(200, step[1] if len(step) > 1 and step[1] is not None else {}, body)
                else:
                    _, status, code = step
                    self._send(status, {"__type": code, "message": f"stand-in {code}"}, body)

            def _send(self, status: int, payload: Any, request_body: Any) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                with stand_in._lock:
                    stand_in.answered.append((status, request_body))

            do_POST = do_PUT = _play

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> "StandIn":
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def operations(self) -> List[str]:
        return [name for name, _ in self.requests]

    def received(self) -> List[Any]:
        """The bodies of the requests answered 200 (for a response URL: what CloudFormation got)."""
        return [body for status, body in self.answered if status == 200]
