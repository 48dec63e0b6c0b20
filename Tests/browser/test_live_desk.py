"""The live desk: a regular calls, and his preferred rep sees the offer appear at once and takes it from the keyboard."""
import json
import urllib.request
from datetime import datetime, timezone

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import daymaker_cli, screenshot, submitted
from test_customer_search import sign_in


def post_event(server: str, token: str, event: dict) -> dict:
    request = urllib.request.Request(
        server + "/api/v1/events",
        data=json.dumps(event).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_an_offered_call_appears_live_with_why_and_is_taken_from_the_keyboard(browser, server):
    browser.delete_all_cookies()
    sign_in(browser, server, "sarah@daymaker.test")
    browser.get(server + "/desk")
    with submitted(browser):
        browser.find_element(By.CSS_SELECTOR, "#live button[value=available]").click()
    state = browser.find_element(By.ID, "presence-state")
    WebDriverWait(browser, 10).until(lambda _: state.text == "available")
    assert browser.find_element(By.ID, "live-offers").text == ""

    # The PBX reports John's call; nobody reloads the page.
    token = next(line for line in daymaker_cli(
        "token", "create", "--user", "maria@daymaker.test", "--scope", "telephony", "--name", "browser pbx"
    ).splitlines() if line.startswith("dmk_"))
    answer = post_event(server, token, {
        "eventId": "browser-1", "type": "arrived", "program": "RIDE", "externalContactId": "browser-call-1",
        "channel": "voice", "from": "+1 312-555-0142", "to": "+1 312-555-0100",
        "at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    })
    assert answer["result"] == "accepted"
    offer = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "#live-offers article.offer"))
    assert offer.find_element(By.TAG_NAME, "h3").text == "John"
    assert offer.find_element(By.CSS_SELECTOR, ".why").text == "You are their preferred rep"
    # Keyboard first: the offer took the focus, so Enter accepts it.
    assert browser.switch_to.active_element.text == "Accept"
    screenshot(browser, "live-desk-offer")
    with submitted(browser):
        browser.switch_to.active_element.send_keys(Keys.ENTER)

    assert "/desk/customers/" in browser.current_url
    assert "It is yours." in browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert browser.find_element(By.ID, "greeting").text.startswith("Hi John!")
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "presence-state").text == "busy")
