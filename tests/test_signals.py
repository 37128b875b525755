"""SIGTERM or SIGHUP in the middle of an atomic write: the temporary file is removed, the
old file is whole, and the process still ends by the signal."""
import os
import signal
import subprocess
import sys
import time

import pytest

from helpers import ROOT

WRITER = """
import sys, time
from lasagne_params.core.files import atomic_file
with atomic_file(sys.argv[1]) as handle:
    handle.write(b"new, half")
    print("writing", flush=True)
    time.sleep(60)
    handle.write(b" and the rest")
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_termination_mid_write_leaves_no_temporary_file(tmp_path, signum):
    target = tmp_path / "net.params.json"
    target.write_bytes(b"old")
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.readline() == b"writing\n"
    assert any(name.endswith(".tmp") for name in os.listdir(tmp_path))
    process.send_signal(signum)
    _, err = process.communicate(timeout=30)
    assert process.returncode == -signum, err          # ended by the signal, as before
    assert os.listdir(tmp_path) == ["net.params.json"]
    assert target.read_bytes() == b"old"


def test_a_handler_of_the_program_is_still_called(tmp_path):
    target = tmp_path / "out.json"
    code = ("import signal, sys, os\n"
            "from lasagne_params.core.files import atomic_file\n"
            "from lasagne_params import OutputError\n"
            "seen = []\n"
            "signal.signal(signal.SIGTERM, lambda n, f: seen.append(n))\n"
            "try:\n"
            "    with atomic_file(sys.argv[1]) as handle:\n"
            "        os.kill(os.getpid(), signal.SIGTERM)\n"
            "except OutputError as exc:\n"
            "    print(exc, seen == [signal.SIGTERM], signal.getsignal(signal.SIGTERM)"
            " is not None)\n")
    done = subprocess.run([sys.executable, "-c", code, str(target)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.stdout == "%s: cannot write: interrupted by SIGTERM; nothing written True " \
                          "True\n" % target, done.stderr
    assert os.listdir(tmp_path) == []
