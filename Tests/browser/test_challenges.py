"""Challenges: a manager starts "make someone's day" for RIDE, a rep tells a story, the manager answers it with the
follow-up questions, the rep reflects, and the manager closes the challenge with who received the incentive, what the
company could have done differently and its root causes."""
import datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import screenshot, submitted
from test_customer_search import sign_in


def set_value(browser, element_id, value):
    browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, element_id), value)


def test_a_challenge_from_creation_through_a_story_and_its_reflection_to_closing(browser, server):
    browser.delete_all_cookies()
    sign_in(browser, server, "maria@daymaker.test")
    browser.get(server + "/challenges")
    with submitted(browser):
        browser.find_element(By.ID, "new-challenge").click()
    browser.find_element(By.CSS_SELECTOR, "input[name='programs[]'][value='RIDE']").click()
    browser.find_element(By.ID, "title").send_keys("Make someone's day this week")
    browser.find_element(By.ID, "incentive").send_keys("Lunch with Maria")
    today = datetime.date.today()
    set_value(browser, "startsAt", (today - datetime.timedelta(days=1)).isoformat() + "T00:00")
    set_value(browser, "endsAt", (today + datetime.timedelta(days=7)).isoformat() + "T00:00")
    assert "Was it a fluke, or your power?" in browser.find_element(By.ID, "questions").get_attribute("value")
    with submitted(browser):
        browser.find_element(By.CSS_SELECTOR, "#challenge button[type=submit]").click()
    assert "Challenge started" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    challenge = browser.current_url.split("/challenges/")[1].split("?")[0]

    # Sarah tells her story.
    browser.delete_all_cookies()
    sign_in(browser, server, "sarah@daymaker.test")
    browser.get(server + f"/challenges/{challenge}")
    assert "running" in browser.find_element(By.ID, "challenge-state").text
    browser.find_element(By.ID, "story-text").send_keys("Mrs Alvarez's ride was cancelled; I found her another.")
    with submitted(browser):
        browser.find_element(By.CSS_SELECTOR, "#story-form button[type=submit]").click()
    assert "Thank you for your story" in browser.find_element(By.CSS_SELECTOR, ".notice").text

    # Maria answers and sends the questions; Sarah hears of it on her desk and reflects.
    browser.delete_all_cookies()
    sign_in(browser, server, "maria@daymaker.test")
    browser.get(server + f"/challenges/{challenge}")
    story = browser.find_element(By.CSS_SELECTOR, "#stories li.story")
    story.find_element(By.CSS_SELECTOR, "form.answer textarea[name=text]").send_keys("You made her day. Thank you!")
    with submitted(browser):
        story.find_element(By.CSS_SELECTOR, "form.answer button[type=submit]").click()
    assert "Answer sent" in browser.find_element(By.CSS_SELECTOR, ".notice").text

    browser.delete_all_cookies()
    sign_in(browser, server, "sarah@daymaker.test")
    browser.get(server + "/desk")
    message = WebDriverWait(browser, 10).until(
        lambda d: next((m for m in d.find_elements(By.CSS_SELECTOR, "#live-messages article.message")
                        if "Make someone's day this week" in m.text), None))
    assert "3 question(s)" in message.text, message.text
    with submitted(browser):
        message.find_element(By.XPATH, ".//button[text()='Mark read']").click()
    browser.get(server + f"/challenges/{challenge}")
    story = browser.find_element(By.CSS_SELECTOR, "#stories li.story")
    assert "How did it feel?" in story.text and "Do you do this on every call?" in story.text, story.text
    story.find_element(By.CSS_SELECTOR, "form.reflect textarea").send_keys("It felt great, and it was my power.")
    with submitted(browser):
        browser.find_element(By.CSS_SELECTOR, "#stories form.reflect button[type=submit]").click()
    assert "Thank you for your reflection" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    screenshot(browser, "challenge-story-thread")

    # Maria adds RIDE's own root cause, then closes it: Sarah received the incentive; the website, the wait and
    # the cancellation notices were the root causes.
    browser.delete_all_cookies()
    sign_in(browser, server, "maria@daymaker.test")
    browser.get(server + "/settings/vocabulary?program=RIDE")
    causes = browser.find_element(By.ID, "extraRootCauses")
    causes.clear()
    causes.send_keys("Cancellation notices")
    with submitted(browser):
        browser.find_element(By.CSS_SELECTOR, "form.grid button[type=submit]").click()
    assert browser.find_element(By.ID, "extraRootCauses").get_attribute("value") == "cancellation-notices"
    browser.get(server + f"/challenges/{challenge}")
    award = next(label for label in browser.find_elements(By.CSS_SELECTOR, "#close-form fieldset label")
                 if "Sarah" in label.text)
    award.find_element(By.TAG_NAME, "input").click()
    browser.find_element(By.ID, "summary").send_keys("Clearer cancellation notices on the website.")
    for cause in ("unclear-website", "wait-time", "cancellation-notices"):
        browser.find_element(By.CSS_SELECTOR, f"input[name='rootCauses[]'][value='{cause}']").click()
    with submitted(browser):
        browser.find_element(By.CSS_SELECTOR, "#close-form button[type=submit]").click()
    assert "Challenge closed" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    closing = browser.find_element(By.ID, "closing").text
    assert "Clearer cancellation notices" in closing and "Sarah" in closing, closing
    assert all(cause in closing for cause in ("unclear-website", "wait-time", "cancellation-notices")), closing
    assert "closed" in browser.find_element(By.ID, "challenge-state").text
    assert not browser.find_elements(By.ID, "close-form")
    screenshot(browser, "challenge-closed")
