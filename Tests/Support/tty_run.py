#!/usr/bin/env python3
"""Runs a command with a pseudo-terminal as its controlling terminal, as a clerk at a keyboard
would, answering each prompt (output that stops after ": ") with the next of ANSWERS (a JSON
list). Prints everything the terminal showed and exits with the command's status (124 when it
did not finish within 60 s).

usage: tty_run.py ANSWERS_JSON COMMAND [ARG ...]
"""
import json
import os
import pty
import select
import signal
import sys
import time

answers = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])

shown, since_answer = b"", b""
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.2)
    if not ready:
        continue
    try:
        data = os.read(fd, 4096)
    except OSError:  # the command closed the terminal: it has ended
        break
    if not data:
        break
    shown += data
    since_answer += data
    if since_answer.endswith(b": ") and answers:
        time.sleep(0.05)  # let the command turn echo off before the answer arrives
        os.write(fd, (answers.pop(0) + "\n").encode())
        since_answer = b""
else:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    sys.stdout.write(shown.decode(errors="replace"))
    sys.exit(124)

_, status = os.waitpid(pid, 0)
sys.stdout.write(shown.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
