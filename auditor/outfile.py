"""Writing a result file safely; shared by the CLI (`export -o`) and the scheduler.

- `-` is standard output (UTF-8 bytes, whatever the terminal's locale).
- A regular file or a new path is written to a temporary file in the same folder, then
  renamed over it: a reader never sees half a file, and a failed run leaves the old one.
- A symbolic link is followed to its target, which is then written as above: the link stays
  a link (renaming over it would have replaced it by a plain file).
- A device or a FIFO (/dev/null, /dev/stdout, a named pipe) is written directly: renaming
  over it would replace the device node itself. A socket or a folder is refused.
- A missing folder is an InputError naming it, never a traceback about a `.part` file.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from auditor.errors import InputError

STDOUT = "-"


def write_text(target: str | os.PathLike, text: str | Iterable[str]) -> str:
    """Write text (UTF-8) to target; returns where it went, in words, for a log line.
    text may come in pieces (an export streamed from the store), written as they come."""
    chunks = [text] if isinstance(text, str) else text
    if str(target) == STDOUT:
        sys.stdout.flush()
        for chunk in chunks:
            sys.stdout.buffer.write(chunk.encode("utf-8"))
        sys.stdout.buffer.flush()
        return "standard output"
    path = Path(target)
    real = _final_target(path)
    try:
        mode = real.stat().st_mode if real.exists() else None
        if mode is not None and not stat.S_ISREG(mode):
            _write_special(path, real, mode, chunks)
        else:
            _replace(real, chunks, mode)
    except OSError as e:
        raise InputError(f"{path}: cannot write: {e.strerror or e}") from None
    return str(path) if real == path else f"{path} (a link; wrote its target {real})"


def _final_target(path: Path) -> Path:
    """Follow symbolic links to the file they name; check its folder exists."""
    real = path
    if path.is_symlink():
        try:
            real = path.resolve(strict=False)
        except (RuntimeError, OSError):  # a loop of links
            raise InputError(f"{path}: a loop of symbolic links; nothing written") from None
    if not real.parent.is_dir():
        where = "" if real == path else f" (the target of the link {path})"
        raise InputError(f"{real}{where}: folder {real.parent} does not exist")
    return real


def _write_special(path: Path, real: Path, mode: int, chunks: Iterable[str]) -> None:
    if stat.S_ISDIR(mode):
        raise InputError(f"{path}: is a folder; give a file name")
    if not (stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode)):
        raise InputError(f"{path}: not a regular file, device or pipe; nothing written")
    with open(real, "w", encoding="utf-8", newline="") as f:
        f.writelines(chunks)


def _replace(real: Path, chunks: Iterable[str], old_mode: int | None) -> None:
    fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.writelines(chunks)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes the file private; give it the mode the old file had, or the usual one
        os.chmod(tmp, stat.S_IMODE(old_mode) if old_mode is not None else 0o666 & ~_umask())
        os.replace(tmp, real)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process umask, read without changing it (os.umask would, for every thread)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022
