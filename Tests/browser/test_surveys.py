"""Closing the loop: Maria turns RIDE's surveys on; Sarah helps Mrs Alvarez; the invitation goes out over SMTP; Mrs
Alvarez answers it on her phone and thanks Sarah by name; the thanks appear on Sarah's desk."""
import base64
import json
import re
import time
from datetime import datetime, timedelta, timezone

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import SMTP_DIR, api, cli_token, screenshot, submitted
from test_customer_search import sign_in


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def survey_link(address: str, timeout: float = 20) -> str:
    """The survey link in the mail the SMTP server accepted for `address` (its body is base64)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for path in sorted(SMTP_DIR.glob("*.json")):
            received = json.loads(path.read_text())
            if address not in received["to"]:
                continue
            body = received["message"].replace("\r\n", "\n").split("\n\n", 1)[1]
            text = base64.b64decode("".join(body.split())).decode()
            match = re.search(r"https?://\S+/s/[A-Za-z0-9_-]+", text)
            if match:
                return match.group(0)
        time.sleep(0.5)
    raise AssertionError(f"no survey invitation reached {address}")


def test_a_customer_answers_on_her_phone_and_her_thanks_reach_sarahs_desk(browser, server):
    admin = cli_token("admin@daymaker.test", "read,write", "surveys test")
    sarah = next(u for u in api(server, admin, "GET", "/api/v1/users?limit=100")["items"]
                 if u["email"] == "sarah@daymaker.test")
    rosa = api(server, admin, "POST", "/api/v1/customers", {
        "program": "RIDE", "customerNumber": "SURVEY-1", "fullName": "Rosa Alvarez", "preferredName": "Mrs Alvarez",
        "emails": ["rosa.alvarez@example.com"],
    })

    # Maria turns RIDE's surveys on, to go out as soon as a contact ends.
    browser.delete_all_cookies()
    browser.set_window_size(1280, 900)
    sign_in(browser, server, "maria@daymaker.test")
    browser.get(server + "/settings/surveys?program=RIDE")
    enabled = browser.find_element(By.ID, "enabled")
    if not enabled.is_selected():
        enabled.click()
    delay = browser.find_element(By.ID, "delayMinutes")
    delay.clear()
    delay.send_keys("0")
    with submitted(browser):
        browser.find_element(By.CSS_SELECTOR, "#survey-rules button[type=submit]").click()
    assert browser.find_element(By.CSS_SELECTOR, ".notice").text == "Saved."

    # Sarah helps Mrs Alvarez; the call ends (after surveys were turned on: they never reach back).
    time.sleep(1.1)
    now = datetime.now(timezone.utc)
    api(server, admin, "POST", "/api/v1/contacts", {
        "program": "RIDE", "customerId": rosa["id"], "channel": "voice", "direction": "inbound",
        "from": "+1 312-555-0199", "to": "+1 312-555-0100", "status": "ended", "repId": sarah["id"],
        "arrivedAt": stamp(now - timedelta(minutes=6)), "answeredAt": stamp(now - timedelta(minutes=5)),
        "endedAt": stamp(now), "reason": "Ride cancelled",
        "summary": "Her ride was cancelled; found her another for 3 pm.", "resolution": "resolved",
    })
    sent = survey_link("rosa.alvarez@example.com")
    # The mail links to DAYMAKER_PUBLIC_URL; the test server listens on a port of its own.
    link = server + sent[sent.index("/s/"):]

    # On her phone, without signing in.
    browser.delete_all_cookies()
    browser.set_window_size(390, 844)
    try:
        browser.get(link)
        assert "Did Sarah make your day?" in browser.find_element(By.ID, "survey").text
        browser.find_element(By.CSS_SELECTOR, "input[name=score][value='5']").click()
        browser.find_element(By.CSS_SELECTOR, "input[name=madeDay][value='yes']").click()
        browser.find_element(By.ID, "thanks").send_keys(
            "Sarah, you found me a ride when nobody else could. You made my day!")
        screenshot(browser, "survey-on-a-phone")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390, f"the survey is {width}px wide on a 390px phone"
        with submitted(browser):
            browser.find_element(By.CSS_SELECTOR, "#survey button[type=submit]").click()
        assert browser.find_element(By.ID, "survey-done").text == "Thank you!"
        assert "We have passed your thanks to Sarah." in browser.page_source
        screenshot(browser, "survey-thanks")
        # The link works once.
        browser.get(link)
        assert browser.find_element(By.ID, "survey-done").text == "Already answered"
    finally:
        browser.set_window_size(1280, 900)

    # Sarah's desk shows the thanks.
    sign_in(browser, server, "sarah@daymaker.test")
    browser.get(server + "/desk")
    thanks = WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "#live-messages article.thanks"))
    assert thanks.find_element(By.TAG_NAME, "h3").text == "Mrs Alvarez thanked you"
    assert "You made my day!" in thanks.text
    screenshot(browser, "survey-thanks-on-the-desk")
    with submitted(browser):
        thanks.find_element(By.XPATH, ".//button[text()='Mark read']").click()
    assert browser.find_elements(By.CSS_SELECTOR, "#live-messages article.thanks") == []
