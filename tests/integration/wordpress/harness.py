"""Real WordPress sites on 127.0.0.1, from Debian's packages only.

One MariaDB server (its own data folder and socket, started and stopped by PID) holds one
database per site; each site is PHP's built-in server on its own port (in a process group
of its own, so its workers stop with it), with Debian's WordPress (/usr/share/wordpress)
and a config file /etc/wordpress/config-auditor-test-<name>-<token>.php chosen through
WORDPRESS_CONFIG (a token per run keeps two suites running at once apart). Each server binds
port 0 and says which port it got; MariaDB says when it is ready: the harness waits for
those lines, never for a time. Sites are installed and seeded by install.php through
WordPress's own functions.

By hand:  python3 tests/integration/wordpress/harness.py up   (Ctrl-C stops everything)
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[1]))  # tests/, for proclines (also when run by hand)

from proclines import Lines  # noqa: E402
from proclines import start as start_watched  # noqa: E402

WORDPRESS = Path("/usr/share/wordpress")
ETC = Path("/etc/wordpress")
PACKAGES = (
    "wordpress",
    "wordpress-theme-twentytwentyone",
    "mariadb-server",
    "php-cli",
    "php-mysql",
    "php-mbstring",
    "php-xml",
)


def missing() -> str:
    """Why the suite cannot run here ("" when it can)."""
    if not (WORDPRESS / "wp-load.php").exists():
        return f"Debian's WordPress is not installed (apt-get install {' '.join(PACKAGES)})"
    for tool in ("php", "mariadbd", "mariadb-install-db", "mariadb"):
        if not shutil.which(tool) and not Path("/usr/sbin", tool).exists():
            return f"{tool} is not installed"
    if os.geteuid() != 0:
        return "not root: the site configs live in /etc/wordpress"
    return ""


class MariaDB:
    def __init__(self, folder: Path):
        self.folder = folder
        self.socket = folder / "mysqld.sock"
        self.process: subprocess.Popen | None = None
        self.output: Lines | None = None

    def start(self) -> None:
        data = self.folder / "data"
        subprocess.run(
            [
                "mariadb-install-db",
                "--no-defaults",
                f"--datadir={data}",
                "--user=root",
                "--auth-root-authentication-method=socket",
                "--skip-test-db",
            ],
            check=True,
            capture_output=True,
        )
        mariadbd = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
        self.process, self.output = start_watched(
            [
                mariadbd,
                "--no-defaults",
                f"--datadir={data}",
                f"--socket={self.socket}",
                "--skip-networking",
                "--user=root",
                f"--pid-file={self.folder / 'mysqld.pid'}",
                "--innodb-buffer-pool-size=64M",
            ],
            self.folder / "mariadb.log",
        )
        self.output.wait_for(r"ready for connections")  # it says so once the socket listens
        self.sql(
            "CREATE USER 'wp'@'localhost' IDENTIFIED BY 'wp'; GRANT ALL ON *.* TO 'wp'@'localhost';"
        )

    def sql(self, statement: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["mariadb", f"--socket={self.socket}", "-uroot", "-e", statement],
            check=check,
            capture_output=True,
            text=True,
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(20)
        if self.output:
            self.output.close()


@dataclass
class Site:
    name: str
    seed: dict
    db: MariaDB
    folder: Path
    token: str  # unique to this run of the suite: two suites at once never share a config
    port: int = 0  # the port the server bound (it is given port 0 and says which it took)
    version: str = ""
    ids: dict | None = None
    process: subprocess.Popen | None = None
    output: Lines | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def config_name(self) -> str:
        # Debian's wp-config.php accepts [a-zA-Z0-9-] here
        return f"auditor-test-{self.name}-{self.token}"

    @property
    def env(self) -> dict:
        return {**os.environ, "WORDPRESS_CONFIG": self.config_name, "SITE_URL": self.url}

    def write_config(self) -> None:
        content = self.folder / "wp-content"
        shutil.copytree(Path("/var/lib/wordpress/wp-content"), content, symlinks=True)
        if self.seed["block_rest"]:
            (content / "mu-plugins").mkdir(exist_ok=True)
            shutil.copy(HERE / "block-rest.php", content / "mu-plugins" / "block-rest.php")
        ETC.mkdir(exist_ok=True)
        (ETC / f"config-{self.config_name}.php").write_text(
            "<?php\n"
            f"define('DB_NAME', 'wp_{self.name}');\n"
            "define('DB_USER', 'wp');\ndefine('DB_PASSWORD', 'wp');\n"
            f"define('DB_HOST', 'localhost:{self.db.socket}');\n"
            f"define('WP_CONTENT_DIR', '{content}');\n"
            "define('WP_HOME', getenv('SITE_URL') ?: '" + self.url + "');\n"
            "define('DISABLE_WP_CRON', true);\n",
            encoding="utf-8",
        )

    def install(self) -> None:
        self.db.sql(f"CREATE DATABASE wp_{self.name} CHARACTER SET utf8mb4")
        self.write_config()
        seed_file = self.folder / "seed.json"
        seed_file.write_text(json.dumps(self.seed, ensure_ascii=False), encoding="utf-8")
        done = self.php("install.php", str(seed_file))
        result = json.loads(done.stdout.strip().splitlines()[-1])
        self.version, self.ids = result["version"], result["ids"]

    def php(self, script: str, *args: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            ["php", str(HERE / script), *args], env=self.env, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"{script} failed for {self.name}: {done.stderr or done.stdout}")
        return done

    def serve(self) -> None:
        """PHP's server on port 0: the kernel picks a free port as it binds (no port chosen
        first and bound later, which another process could take in between), and the
        server prints it once it listens. Before install(): the site's URL needs the port.
        The config file (read on each request) is written by install(); no request comes
        before that."""
        self.process, self.output = start_watched(
            ["php", "-S", "127.0.0.1:0", "-t", str(WORDPRESS), str(HERE / "router.php")],
            self.folder / "php.log",
            env={**os.environ, "WORDPRESS_CONFIG": self.config_name, "PHP_CLI_SERVER_WORKERS": "4"},
            start_new_session=True,  # its own process group: stop() ends the workers too
        )
        [started] = self.output.wait_for(
            r"Development Server \(http://127\.0\.0\.1:(\d+)\) started"
        )
        self.port = int(started.group(1))

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            # PHP_CLI_SERVER_WORKERS forks workers that outlive their parent: end the group
            # this server was started in (and only that group)
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(10)
        if self.output:
            self.output.close()
        (ETC / f"config-{self.config_name}.php").unlink(missing_ok=True)


class Sites:
    """MariaDB plus one WordPress per seed file; a context manager."""

    def __init__(self, names=("pretty", "plain", "closed")):
        self.folder = Path(tempfile.mkdtemp(prefix="auditor-wp-"))
        self.db = MariaDB(self.folder)
        self.sites: dict[str, Site] = {}
        token = uuid.uuid4().hex[:12]
        for name in names:
            seed = json.loads((HERE / "sites" / f"{name}.json").read_text(encoding="utf-8"))
            site_folder = self.folder / name
            site_folder.mkdir()
            self.sites[name] = Site(name, seed, self.db, site_folder, token)

    def __enter__(self) -> Sites:
        try:
            self.db.start()
            for site in self.sites.values():
                site.serve()
                site.install()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        for site in self.sites.values():
            site.stop()
        self.db.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] != "up":
        sys.exit(__doc__)
    why = missing()
    if why:
        sys.exit(why)
    with Sites() as running:
        for s in running.sites.values():
            print(f"{s.name}: {s.url}/  (WordPress {s.version}, files in {s.folder})")
        print("Ctrl-C to stop")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
