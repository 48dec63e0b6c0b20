"""The desk recognises John, a demo regular whose daily calls stopped 12 days ago."""
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import screenshot, submitted
from test_customer_search import sign_in


def test_desk_recognises_a_regular_whose_rhythm_broke(browser, server):
    browser.delete_all_cookies()
    sign_in(browser, server, "sarah@daymaker.test")
    browser.get(server + "/desk")
    assert browser.current_url.endswith("/desk")
    # Keyboard first: the box has focus; type John's number as the phone system shows it and press Enter.
    box = browser.switch_to.active_element
    assert box.get_attribute("id") == "q"
    with submitted(browser):
        box.send_keys("+1 312-555-0142" + Keys.ENTER)

    greeting = browser.find_element(By.ID, "greeting").text
    assert greeting.startswith("Hi John! We haven't heard from you in 12 days")
    rhythm = browser.find_element(By.ID, "rhythm").text
    assert "missed you" in rhythm and "regular" in rhythm and "usually every day" in rhythm
    assert browser.find_element(By.ID, "preferred-rep").text == "Sarah"
    bookings = browser.find_element(By.ID, "bookings")
    assert "Lakeview Dialysis Center" in bookings.text
    screenshot(browser, "desk-john")

    # One action confirms tomorrow's ride.
    with submitted(browser):
        bookings.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert "Booking confirmed" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert "confirmed" in browser.find_element(By.ID, "bookings").text


def test_care_notes_are_prominent_for_a_grieving_customer(browser, server):
    browser.delete_all_cookies()
    sign_in(browser, server, "sarah@daymaker.test")
    browser.get(server + "/desk")
    assert browser.current_url.endswith("/desk")
    with submitted(browser):
        browser.find_element(By.ID, "q").send_keys("100004" + Keys.ENTER)
    care = browser.find_element(By.ID, "care-notes")
    assert "Be gentle and unhurried" in care.text
    screenshot(browser, "desk-care-note")


def test_quick_notes_are_kept_newest_first(browser, server):
    browser.delete_all_cookies()
    sign_in(browser, server, "sarah@daymaker.test")
    browser.get(server + "/desk")
    with submitted(browser):
        browser.find_element(By.ID, "q").send_keys("100004" + Keys.ENTER)
    for text in ["Prefers a call after lunch.", "Asked us to send the form by post."]:
        browser.find_element(By.ID, "note").send_keys(text)
        with submitted(browser):
            browser.find_element(By.CSS_SELECTOR, "form[action$='/note'] button[type=submit]").click()
        assert browser.find_element(By.CSS_SELECTOR, ".notice").text == "Note saved."
    notes = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#quick-notes li")]
    assert "Asked us to send the form by post." in notes[0] and "Sarah" in notes[0]
    assert "Prefers a call after lunch." in notes[1]
    screenshot(browser, "desk-quick-notes")
