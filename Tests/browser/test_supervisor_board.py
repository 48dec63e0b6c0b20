"""Live queues: a supervisor sees a call waiting the moment it arrives, its wait counting up, and the day's tally."""
import re
from datetime import datetime, timezone

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import screenshot
from test_customer_search import sign_in
from test_live_desk import pbx_token, post_event


def report(server: str, token: str, call: str, kind: str) -> dict:
    return post_event(server, token, {
        "eventId": f"{call}-{kind}", "type": kind, "program": "RIDE", "externalContactId": call, "channel": "voice",
        "from": "+1 312-555-0199", "to": "+1 312-555-0100",
        "at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    })


def test_a_waiting_call_shows_at_once_and_the_day_is_counted(browser, server):
    browser.delete_all_cookies()
    sign_in(browser, server, "maria@daymaker.test")
    browser.get(server + "/supervisor")
    waiting = lambda d: d.find_element(By.CSS_SELECTOR, "#board-RIDE .waiting").text  # noqa: E731
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "boards").get_attribute("data-connected") == "true")
    # The board is redrawn whenever anything in it changes: read it between redraws.
    settled = WebDriverWait(browser, 10, ignored_exceptions=[StaleElementReferenceException])
    settled.until(lambda d: waiting(d) == "0")
    abandoned_before = int(settled.until(lambda d: d.find_element(By.CSS_SELECTOR, "#board-RIDE .abandoned").text))
    reps = settled.until(
        lambda d: [row.text for row in d.find_elements(By.CSS_SELECTOR, "#board-RIDE table.reps tbody tr")])
    assert any(row.startswith("Sarah") for row in reps), reps

    token = pbx_token("supervisor board pbx")
    assert report(server, token, "board-call-1", "arrived")["result"] == "accepted"
    settled.until(lambda d: waiting(d) == "1")
    longest = browser.find_element(By.CSS_SELECTOR, "#board-RIDE .longest")
    assert re.fullmatch(r"0:0\d", longest.text), longest.text
    screenshot(browser, "supervisor-board-waiting")

    # The caller gives up: nobody waits, and the day counts one more abandoned call.
    assert report(server, token, "board-call-1", "abandoned")["result"] == "accepted"
    settled.until(lambda d: waiting(d) == "0")
    abandoned = settled.until(lambda d: d.find_element(By.CSS_SELECTOR, "#board-RIDE .abandoned").text)
    assert int(abandoned) == abandoned_before + 1
    assert browser.find_element(By.CSS_SELECTOR, "#board-RIDE .longest").text == "—"
