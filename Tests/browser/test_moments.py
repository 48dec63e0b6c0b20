"""Moments: a rep nominates a contact from the customer's page, a supervisor checks what would be shown outside the
program and features it, the rep hears of it on their desk, and another program's supervisor reads it in the week's
digest with the customer's details hidden, adds it to a training collection from there, and a rep of that program
reads it redacted and marks it discussed with a reflection."""
import datetime
import subprocess

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import SERVER_ENV, daymaker_binary, screenshot, submitted
from test_customer_search import sign_in


def test_nominate_feature_and_read_it_redacted_in_another_programs_digest(browser, server):
    browser.delete_all_cookies()
    sign_in(browser, server, "sarah@daymaker.test")
    box = browser.find_element(By.ID, "q")
    with submitted(browser):
        box.send_keys("100001" + Keys.ENTER)
    with submitted(browser):
        browser.find_element(By.ID, "results").find_element(By.LINK_TEXT, "John Miller").click()
    # One of the calls Sarah took (other tests leave newer ones, taken by others).
    row = next(row for row in browser.find_elements(By.CSS_SELECTOR, "#contacts tbody tr")
               if row.find_elements(By.TAG_NAME, "td")[4].text == "Sarah")
    with submitted(browser):
        row.find_element(By.CSS_SELECTOR, "a.nominate").click()
    assert "with John" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.ID, "littleExtra").send_keys("Said: Hi John! Where have you been? I missed you!")
    browser.find_element(By.CSS_SELECTOR, "input[name='tags[]'][value='recognition']").click()
    evidence = browser.find_element(By.ID, "evidence")
    evidence.clear()
    evidence.send_keys("John Miller called from (312) 555-0142: his rides had stopped, and he was lonely.")
    with submitted(browser):
        browser.find_element(By.CSS_SELECTOR, "#nominate button[type=submit]").click()
    assert "Nominated" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    moment = browser.current_url.split("/moments/")[1].split("?")[0]
    screenshot(browser, "moment-nominated")

    # Maria checks what other programs would see, corrects nothing, and features it.
    browser.delete_all_cookies()
    sign_in(browser, server, "maria@daymaker.test")
    browser.get(server + "/moments?status=nominated")
    with submitted(browser):
        browser.find_element(By.CSS_SELECTOR, f"#moments a[href='/moments/{moment}']").click()
    shared = browser.find_element(By.ID, "sharedExtra").get_attribute("value")
    assert shared == "Said: Hi J.! Where have you been? I missed you!", shared
    assert browser.find_element(By.ID, "sharedEvidence").get_attribute("value") == (
        "J. M. called from [phone]: his rides had stopped, and he was lonely.")
    screenshot(browser, "moment-review")
    browser.find_element(By.ID, "comment").send_keys("This is what world class sounds like.")
    with submitted(browser):
        browser.find_element(By.CSS_SELECTOR, "#feature button[type=submit]").click()
    assert "Featured" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert browser.find_element(By.ID, "review-note").text == "This is what world class sounds like."

    # Sarah finds it on her desk.
    browser.delete_all_cookies()
    sign_in(browser, server, "sarah@daymaker.test")
    browser.get(server + "/desk")
    message = WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "#live-messages article.message"))
    assert "Your moment was featured" in message.text, message.text

    # Helen supervises HELP only: the digest shows RIDE's moment with John's details hidden.
    subprocess.run(
        [daymaker_binary(), "user", "create", "--email", "helen@daymaker.test", "--name", "Helen Hart",
         "--role", "supervisor", "--program", "HELP"],
        input="a long enough password\n", env=SERVER_ENV, capture_output=True, text=True, timeout=60, check=True)
    browser.delete_all_cookies()
    sign_in(browser, server, "helen@daymaker.test", password="a long enough password")
    browser.get(server + "/moments/digest")
    digest = browser.find_element(By.ID, "digest").text
    assert "Said: Hi J.! Where have you been? I missed you!" in digest, digest
    assert "J. M. called from [phone]" in digest and "details hidden" in digest, digest
    for secret in ("John", "Miller", "555-0142", "world class sounds"):
        assert secret not in browser.page_source, secret
    assert "/moments/digest.html?week=" in browser.find_element(By.ID, "download").get_attribute("href")
    screenshot(browser, "moments-digest")

    # Helen teaches it in HELP: a collection for Henry (a HELP rep), RIDE's moment added from the digest with a
    # prompt; Henry reads it redacted and marks it discussed; Helen sees him done.
    subprocess.run(
        [daymaker_binary(), "user", "create", "--email", "henry@daymaker.test", "--name", "Henry Hill",
         "--role", "rep", "--program", "HELP"],
        input="a long enough password\n", env=SERVER_ENV, capture_output=True, text=True, timeout=60, check=True)
    browser.get(server + "/collections")
    with submitted(browser):
        browser.find_element(By.ID, "new-collection").click()
    browser.find_element(By.ID, "title").send_keys("Regulars by name")
    due = (datetime.date.today() + datetime.timedelta(days=14)).isoformat()
    browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, "dueOn"), due)
    henry = next(label for label in browser.find_elements(By.CSS_SELECTOR, "#collection fieldset label")
                 if "Henry" in label.text)
    henry.find_element(By.TAG_NAME, "input").click()
    with submitted(browser):
        browser.find_element(By.CSS_SELECTOR, "#collection button[type=submit]").click()
    assert "Collection created" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    collection = browser.current_url.split("/collections/")[1].split("?")[0]

    browser.get(server + "/moments/digest")
    item = next(li for li in browser.find_elements(By.CSS_SELECTOR, "#digest li.moment")
                if "Said: Hi J.!" in li.text)
    item.find_element(By.CSS_SELECTOR, f"select[name=collection] option[value='{collection}']").click()
    item.find_element(By.CSS_SELECTOR, "input[name=prompt]").send_keys("What would you say to a regular?")
    with submitted(browser):
        item.find_element(By.CSS_SELECTOR, "form.add-to-collection button[type=submit]").click()
    assert "Added" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    items = browser.find_element(By.ID, "items").text
    assert "Said: Hi J.! Where have you been? I missed you!" in items and "What would you say" in items, items

    browser.delete_all_cookies()
    sign_in(browser, server, "henry@daymaker.test", password="a long enough password")
    browser.get(server + "/collections")
    with submitted(browser):
        browser.find_element(By.ID, "mine").find_element(By.LINK_TEXT, "Regulars by name").click()
    assert "you discussed 0 of 1" in browser.find_element(By.ID, "collection-state").text
    browser.find_element(By.CSS_SELECTOR, "form.discuss textarea").send_keys("Greet them by name before they say it.")
    screenshot(browser, "collection-to-discuss")
    with submitted(browser):
        browser.find_element(By.CSS_SELECTOR, "form.discuss button[type=submit]").click()
    assert "Marked discussed" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert "Greet them by name" in browser.find_element(By.CSS_SELECTOR, "#items .discussed").text
    assert "you discussed 1 of 1" in browser.find_element(By.ID, "collection-state").text
    for secret in ("John", "Miller", "555-0142"):
        assert secret not in browser.page_source, secret

    browser.delete_all_cookies()
    sign_in(browser, server, "helen@daymaker.test", password="a long enough password")
    browser.get(server + f"/collections/{collection}")
    progress = browser.find_element(By.ID, "progress").text
    assert "Henry" in progress and "1 of 1" in progress and "done" in progress, progress
    screenshot(browser, "collection-progress")
