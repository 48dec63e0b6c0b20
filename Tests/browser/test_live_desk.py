"""The live desk: a regular calls, and his preferred rep sees the offer appear at once and takes it from the keyboard."""
import json
import urllib.request
from datetime import datetime, timezone

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import cli_token, screenshot, submitted
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


def pbx_token(name: str) -> str:
    """A token for a PBX (telephony, and read to look at callbacks), made with the command line."""
    return cli_token("maria@daymaker.test", "telephony,read", name)


def john_calls(server: str, token: str, call: str, **extra) -> dict:
    """The PBX reports a call from John, now."""
    return post_event(server, token, {
        "eventId": call, "type": "arrived", "program": "RIDE", "externalContactId": call, "channel": "voice",
        "from": "+1 312-555-0142", "to": "+1 312-555-0100",
        "at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), **extra,
    })


def at_desk(browser, server, email: str, state: str):
    """Signs in afresh as `email` and sets the presence on the desk."""
    browser.delete_all_cookies()
    sign_in(browser, server, email)
    browser.get(server + "/desk")
    with submitted(browser):
        browser.find_element(By.CSS_SELECTOR, f"#live button[value={state}]").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "presence-state").text == state)


def test_an_offered_call_appears_live_with_why_and_is_taken_from_the_keyboard(browser, server):
    at_desk(browser, server, "sarah@daymaker.test", "available")
    assert browser.find_element(By.ID, "live-offers").text == ""

    # The PBX reports John's call; nobody reloads the page.
    answer = john_calls(server, pbx_token("browser pbx"), "browser-call-1")
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


def test_a_caller_who_asks_for_an_absent_rep_gets_a_callback_from_her(browser, server):
    at_desk(browser, server, "sarah@daymaker.test", "offline")  # Sarah has gone home.
    at_desk(browser, server, "tom@daymaker.test", "available")  # Tom is at his desk.
    token = pbx_token("browser pbx 2")
    john_calls(server, token, "browser-call-2", requestedRep="sarah")
    offer = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "#live-offers article.offer"))
    # Whom he asked for comes first.
    asked = offer.find_element(By.CSS_SELECTOR, ".asked-for").text
    assert asked.startswith("Asked for Sarah — Sarah is offline; helped on "), asked
    screenshot(browser, "live-desk-asked-for-sarah")
    with submitted(browser):
        offer.find_element(By.XPATH, ".//button[text()='Book a callback from Sarah']").click()
    assert "Callback booked" in browser.find_element(By.CSS_SELECTOR, ".notice").text

    request = urllib.request.Request(
        server + "/api/v1/callbacks?program=RIDE", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        callbacks = json.load(response)["items"]
    assert [c["number"] for c in callbacks] == ["+13125550142"]
    assert callbacks[0]["source"] == "desk"
    # Promised his callback, John hangs up; no call is left waiting for the next test.
    hung_up = post_event(server, token, {
        "eventId": "browser-call-2-abandoned", "type": "abandoned", "program": "RIDE",
        "externalContactId": "browser-call-2", "channel": "voice", "from": "+1 312-555-0142", "to": "+1 312-555-0100",
        "at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    })
    assert hung_up["result"] == "accepted"
