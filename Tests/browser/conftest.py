"""Starts the real `daymaker demo` server on a fresh SQLite file and a headless Chromium for page tests."""
import json
import os
import re
import subprocess
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "browser"


def daymaker_binary() -> str:
    binary = os.environ.get("DAYMAKER_BIN") or str(ROOT / ".build" / "debug" / "daymaker")
    if not os.access(binary, os.X_OK):
        pytest.fail(f"{binary} is not built; run `swift build` first (or set DAYMAKER_BIN)")
    return binary


# The running demo server's environment, for `daymaker` commands against its database (see `daymaker_cli`).
SERVER_ENV: dict = {}
# Where the SMTP server the demo server sends through saves each message it accepts (one JSON file each).
SMTP_DIR = Path(tempfile.mkdtemp(prefix="daymaker-smtp-"))


def daymaker_cli(*arguments: str) -> str:
    """Runs a `daymaker` command against the demo server's database and returns what it printed."""
    done = subprocess.run(
        [daymaker_binary(), *arguments], env=SERVER_ENV, capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout


def cli_token(user: str, scope: str, name: str) -> str:
    """An API token for `user` with `scope` (comma-separated), made with the command line."""
    output = daymaker_cli("token", "create", "--user", user, "--scope", scope, "--name", name)
    return next(line for line in output.splitlines() if line.startswith("dmk_"))


def api(server: str, token: str, method: str, path: str, body=None):
    """A JSON request to the server's API with a bearer token; its JSON answer."""
    request = urllib.request.Request(
        server + path, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="session")
def server():
    folder = tempfile.mkdtemp(prefix="daymaker-browser-")
    # A real SMTP server (aiosmtpd, Tests/smtp/server.py) on 127.0.0.1 for survey invitations and auto-replies.
    smtp = subprocess.Popen(
        ["python3", str(ROOT / "Tests" / "smtp" / "server.py"), "--dir", str(SMTP_DIR)],
        stdout=subprocess.PIPE, text=True,
    )
    smtp_port = smtp.stdout.readline().split()[1]
    env = SERVER_ENV
    env.update({
        "DAYMAKER_SMTP_HOST": "127.0.0.1",
        "DAYMAKER_SMTP_PORT": smtp_port,
        "DAYMAKER_SMTP_SECURITY": "none",
        "DAYMAKER_SMTP_FROM": "noreply@daymaker.test",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DAYMAKER_SQLITE_PATH": os.path.join(folder, "daymaker.sqlite"),
        "DAYMAKER_HOST": "127.0.0.1",
        "DAYMAKER_PORT": "0",
        "DAYMAKER_SESSION_SECRET": "browser-test-secret-browser-test-secret",
    })
    process = subprocess.Popen(
        [daymaker_binary(), "demo"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = ""
    deadline = time.time() + 60
    url = None
    while time.time() < deadline and url is None:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        output += line
        match = re.search(r"Server started on (http://127\.0\.0\.1:\d+)", line)
        if match:
            url = match.group(1)
    if url is None:
        process.kill()
        pytest.fail(f"daymaker demo did not start:\n{output}")
    # Keep reading the server's log so a full pipe never blocks it, into test-output/browser/server.log.
    OUTPUT.mkdir(parents=True, exist_ok=True)
    log = open(OUTPUT / "server.log", "w")
    log.write(output)
    threading.Thread(target=lambda: [log.write(line) or log.flush() for line in process.stdout], daemon=True).start()
    yield url
    process.terminate()
    process.wait(timeout=20)
    smtp.kill()
    smtp.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def screenshot(driver, name: str) -> Path:
    path = OUTPUT / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


@contextmanager
def submitted(driver, timeout: float = 10):
    """Waits until the action in the block has replaced the page and the new one has loaded.

    Selenium does not wait for navigations that a key press or click starts; without this, the next command can
    run against the old page or race a later `get`.
    """
    old = driver.find_element("tag name", "html")
    yield
    WebDriverWait(driver, timeout).until(lambda d: _is_stale(old) and d.execute_script("return document.readyState") == "complete")


def _is_stale(element) -> bool:
    try:
        element.get_attribute("id")
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        # Mid-navigation chromedriver may answer that the node "does not belong to the document": gone, too.
        if "does not belong to the document" in str(error):
            return True
        raise
