"""Incidents: a supervisor declares one from the pages, customers see it on the public status page, everyone's pages
carry the banner, and resolving it clears both."""
import re

from selenium.webdriver.common.by import By

from conftest import daymaker_cli, screenshot, submitted
from test_customer_search import sign_in


def test_a_supervisor_declares_updates_and_resolves_an_incident(browser, server):
    browser.delete_all_cookies()
    sign_in(browser, server, "maria@daymaker.test")
    browser.get(server + "/incidents")
    browser.find_element(By.CSS_SELECTOR, "input[name='programs[]'][value='RIDE']").click()
    browser.find_element(By.CSS_SELECTOR, "input[name='channels[]'][value='voice']").click()
    browser.find_element(By.ID, "title").send_keys("Phones down")
    browser.find_element(By.ID, "publicMessage").send_keys("A cable cut has taken our phone lines down; we are on it.")
    browser.find_element(By.ID, "ivrMessage").send_keys("Our phone lines are down. Press 1 and we will call you back.")
    with submitted(browser):
        browser.find_element(By.CSS_SELECTOR, "#declare button[type=submit]").click()
    match = re.search(r"/incidents/([0-9a-f-]{36})", browser.current_url)
    assert match, browser.current_url
    incident = match.group(1)
    try:
        assert "Incident declared" in browser.find_element(By.CSS_SELECTOR, ".notice").text
        banner = browser.find_element(By.CSS_SELECTOR, ".incident-banner").text
        assert "RIDE — Phones down." in banner, banner
        screenshot(browser, "incident-declared")

        # Customers: the public status page, no sign-in needed (it ignores the session).
        browser.get(server + "/status")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Service disruption"
        ride = browser.find_element(By.ID, "program-RIDE").text
        assert "A cable cut has taken our phone lines down; we are on it." in ride, ride
        screenshot(browser, "status-page-disrupted")

        browser.get(server + f"/incidents/{incident}")
        browser.find_element(By.ID, "message").send_keys("The carrier expects the line back by 3 pm.")
        with submitted(browser):
            browser.find_element(By.CSS_SELECTOR, "#post-update button[type=submit]").click()
        assert "The carrier expects the line back by 3 pm." in browser.find_element(By.ID, "updates").text
        with submitted(browser):
            browser.find_element(By.CSS_SELECTOR, "#resolve button[type=submit]").click()
        assert browser.find_element(By.ID, "incident-state").text.startswith("Resolved")
        assert not browser.find_elements(By.CSS_SELECTOR, ".incident-banner")
    finally:
        # Whatever happened above, no other test may find the phones "down".
        if incident in daymaker_cli("incident", "list", "--state", "active"):
            daymaker_cli("incident", "resolve", "--id", incident)

    # (/status itself may be served from the browser's cache for 15 s: it is public and the same for everyone.)
    browser.get(server + "/status?program=RIDE")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Service status"
    ride = browser.find_element(By.ID, "program-RIDE").text
    assert "Running normally." in ride and "The carrier expects the line back by 3 pm." in ride, ride
    screenshot(browser, "status-page-resolved")
