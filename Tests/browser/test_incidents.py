"""Incidents: a supervisor declares one from the pages, customers see it on the public status page, everyone's pages
carry the banner, and resolving it clears both; then the callback campaign calls back who could not get through."""
import re
import tempfile
import time
from datetime import datetime, timezone

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import api, cli_token, daymaker_cli, screenshot, submitted
from test_customer_search import sign_in


def missed_calls_now(*numbers: str) -> None:
    """The PBX's records of calls that did not get through, imported from the command line (times in UTC)."""
    time.sleep(1.1)  # whole seconds in the file: after the declaration
    start = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    rows = "".join(
        f'"","{number}","100","from-pstn","","SIP/t","","Dial","","{start}","","",0,0,"NO ANSWER","DOCUMENTATION",'
        f'"b.{index}","","","b.{index}","0"\n'
        for index, number in enumerate(numbers)
    )
    with tempfile.NamedTemporaryFile("w", suffix=".csv") as file:
        file.write(rows)
        file.flush()
        daymaker_cli("import", "cdr", file.name, "--program", "RIDE", "--zone", "UTC")
    time.sleep(1.1)


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

        missed_calls_now("3125550901", "3125550902")
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

    # The callback campaign for the incident, at any hour: calling hours all day, every day.
    browser.get(server + "/campaigns")
    browser.find_element(By.CSS_SELECTOR, f"#incident option[value='{incident}']").click()
    browser.execute_script("document.getElementById('opens').value = '00:00'")
    browser.execute_script("document.getElementById('closes').value = '24:00'")
    for day in browser.find_elements(By.CSS_SELECTOR, "input[name='days[]']"):
        if not day.is_selected():
            day.click()
    with submitted(browser):
        browser.find_element(By.CSS_SELECTOR, "#generate button[type=submit]").click()
    assert "Campaign ready" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    campaign = re.search(r"/campaigns/([0-9a-f-]{36})", browser.current_url).group(1)
    figure = lambda name: browser.find_element(By.CSS_SELECTOR, f"[data-progress='{name}']").text
    assert figure("total") == "2" and figure("done") == "0", browser.find_element(By.ID, "progress").text

    with submitted(browser):
        browser.find_element(By.CSS_SELECTOR, "#claim button[type=submit]").click()
    script = browser.find_element(By.ID, "script").text
    assert script.startswith("Hi there, my name is Maria. I'm from") and "You called us earlier today" in script, script
    number = browser.find_element(By.ID, "number").text
    assert number in ("+13125550901", "+13125550902"), number
    screenshot(browser, "campaign-call")
    browser.find_element(By.CSS_SELECTOR, "input[name='outcome'][value='reached-helped']").click()
    browser.find_element(By.ID, "note").send_keys("Rebooked the ride she missed.")
    with submitted(browser):
        browser.find_element(By.CSS_SELECTOR, "#outcome button[type=submit]").click()
    assert "Recorded" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert figure("done") == "1" and figure("reached") == "1"

    # Sarah takes the other call from her phone system; the page the supervisor watches moves without a reload.
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "progress").get_attribute("data-connected") == "true")
    token = cli_token("sarah@daymaker.test", "read,write", "caller")
    claimed = api(server, token, "POST", f"/api/v1/campaigns/{campaign}/claim", {})
    assert claimed["call"]["number"] != number
    api(server, token, "POST", f"/api/v1/campaigns/{campaign}/calls/{claimed['call']['id']}/outcome",
        {"outcome": "voicemail"})
    WebDriverWait(browser, 10).until(lambda d: figure("callsLastHour") == "2")
    callers = browser.find_element(By.ID, "callers").text
    assert "Maria" in callers and "Sarah" in callers, callers
    screenshot(browser, "campaign-progress")
