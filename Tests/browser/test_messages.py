"""A customer asks for Sarah while she is out: Tom, who answers, leaves her a message that is on her desk at once."""
from datetime import datetime, timezone

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import api, cli_token, screenshot, submitted
from test_live_desk import at_desk, john_calls, pbx_token, post_event


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_tom_leaves_sarah_a_message_and_she_sees_it_on_her_desk(browser, server):
    admin = cli_token("admin@daymaker.test", "read", "messages test")
    tom = next(u for u in api(server, admin, "GET", "/api/v1/users?limit=100")["items"] if u["email"] == "tom@daymaker.test")
    at_desk(browser, server, "sarah@daymaker.test", "offline")
    at_desk(browser, server, "tom@daymaker.test", "available")
    token = pbx_token("messages pbx")
    john_calls(server, token, "message-call-1", requestedRep="sarah")
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "#live-offers article.offer"))
    with submitted(browser):
        browser.switch_to.active_element.send_keys(Keys.ENTER)
    # Tom's phone connects (the PBX says so): the call is his, and the desk shows whom John asked for.
    answered = {"eventId": "message-call-1-answered", "type": "answered", "program": "RIDE",
                "externalContactId": "message-call-1", "channel": "voice", "from": "+1 312-555-0142",
                "to": "+1 312-555-0100", "at": now(), "repId": tom["id"]}
    assert post_event(server, token, answered)["result"] == "accepted"
    browser.get(server + "/desk")
    note = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "#live-current form.message-form"))
    asked = browser.find_element(By.CSS_SELECTOR, "#live-current .asked-for").text
    assert asked.startswith("Asked for Sarah — Sarah is offline"), asked
    browser.find_element(By.ID, "desk-text").send_keys("John called for you; he wanted to thank you for last week.")
    screenshot(browser, "message-for-sarah")
    with submitted(browser):
        note.find_element(By.TAG_NAME, "button").click()
    assert browser.find_element(By.CSS_SELECTOR, ".notice").text == "Message left; it is on their desk."

    at_desk(browser, server, "sarah@daymaker.test", "available")
    message = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "#live-messages article.message"))
    assert message.find_element(By.TAG_NAME, "h3").text == "Message from Tom about John"
    assert "he wanted to thank you" in message.text
    with submitted(browser):
        message.find_element(By.XPATH, ".//button[text()='Mark read']").click()
    assert browser.find_element(By.CSS_SELECTOR, ".notice").text == "Marked read."
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "live").get_attribute("data-connected") == "true")
    assert browser.find_elements(By.CSS_SELECTOR, "#live-messages article.message") == []

    # The call ends; nothing is left waiting for the next test.
    ended = {**answered, "eventId": "message-call-1-ended", "type": "ended", "at": now()}
    assert post_event(server, token, ended)["result"] == "accepted"
