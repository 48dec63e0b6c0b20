"""A rep signs in, finds a regular by a phone number typed differently from how it was stored, and opens him."""
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import screenshot, submitted


def sign_in(browser, server, email, password="daymaker-demo"):
    """Signs in through the form and waits until the next page has loaded (a later `get` must not race it)."""
    browser.get(server + "/customers")
    assert "/sign-in" in browser.current_url
    browser.find_element(By.ID, "email").send_keys(email)
    with submitted(browser):
        browser.find_element(By.ID, "password").send_keys(password + Keys.ENTER)


def test_rep_finds_customer_by_phone_in_another_format(browser, server):
    browser.delete_all_cookies()
    sign_in(browser, server, "sarah@daymaker.test")
    assert browser.current_url.endswith("/customers")

    # The demo stored John's number as "(312) 555-0142"; the rep types it with dots.
    box = browser.find_element(By.ID, "q")
    with submitted(browser):
        box.send_keys("312.555.0142" + Keys.ENTER)
    results = browser.find_element(By.ID, "results")
    assert "John Miller" in results.text
    assert "(312) 555-0142" in results.text
    screenshot(browser, "customer-search")

    with submitted(browser):
        results.find_element(By.LINK_TEXT, "John Miller").click()
    assert browser.find_element(By.ID, "customer-name").text == "John Miller"
    assert browser.find_element(By.ID, "preferred-name").text == "John"
    assert browser.find_element(By.ID, "customer-number").text == "100001"
    rows = browser.find_elements(By.CSS_SELECTOR, "#contacts tbody tr")
    assert len(rows) > 20
    screenshot(browser, "customer-page")


def test_wrong_password_shows_a_readable_message(browser, server):
    browser.delete_all_cookies()
    sign_in(browser, server, "tom@daymaker.test", "not-the-password")
    assert "do not match" in browser.find_element(By.ID, "sign-in-error").text


def test_rep_cannot_open_the_admin_pages(browser, server):
    browser.delete_all_cookies()
    sign_in(browser, server, "sarah@daymaker.test")
    browser.get(server + "/admin/users")
    assert "needs the admin role" in browser.find_element(By.TAG_NAME, "main").text
